"""Project-wide middleware: security headers, limits on the request's size and its URL, and the lean path of
anonymous API reads (``is_lean_read``)."""

import functools

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import TooManyFieldsSent
from django.http import JsonResponse
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject
from simple_history.middleware import HistoryRequestMiddleware


class SecurityHeadersMiddleware:
    """Adds the headers Django's SecurityMiddleware does not set in 5.2.

    Content-Security-Policy (from settings.CONTENT_SECURITY_POLICY) and a
    Permissions-Policy that turns off browser features this site never uses.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        if policy:
            response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class RequestBodyLimitMiddleware:
    """Answers 413 to any request whose declared body exceeds MAX_REQUEST_BODY_BYTES.

    Checked on Content-Length before anything reads the body, so an oversized
    upload is refused without being buffered.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.MAX_REQUEST_BODY_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse({"detail": "Content-Length is not a number."}, status=400)
        if length > limit:
            return JsonResponse(
                {"detail": f"Request body too large: {length} bytes, the limit is {limit} bytes."}, status=413
            )
        return self.get_response(request)


class RequestURLLimitMiddleware:
    """Answers 414 to a URL longer than MAX_URL_BYTES and 400 to a query string with more fields than
    DATA_UPLOAD_MAX_NUMBER_FIELDS, both in the JSON error shape, whatever DEBUG says.

    Django would raise TooManyFieldsSent wherever the query string is first read (an HTML page, or with
    DEBUG on its technical page); here it is read once, up front. gunicorn's own request-line limit
    (limit_request_line in gunicorn.conf.py) is set above MAX_URL_BYTES, so this answer is the one
    clients get.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.MAX_URL_BYTES
        length = len(request.get_full_path().encode())
        if length > limit:
            return JsonResponse(
                {"detail": f"URL too long: {length} bytes, the limit is {limit} bytes.", "limit": limit}, status=414
            )
        try:
            request.GET  # noqa: B018 - parsed here so that too many fields answer in JSON
        except TooManyFieldsSent:
            fields = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
            return JsonResponse(
                {"detail": f"Too many query parameters: the limit is {fields}.", "limit": fields}, status=400
            )
        return self.get_response(request)


# The lean path: anonymous reads of the API's data skip what only browsers and signed-in users need.

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Under /api/ but not the API's data: HTML pages with forms and the schema (the login page sets a CSRF cookie).
FULL_PATH_PREFIXES = ("/api/auth/", "/api/docs/", "/api/schema/")


def is_lean_read(request) -> bool:
    """Whether ``request`` is a cookieless read of the API's data that asks for no HTML: decided once per request.

    Such a request has no session (so its user is anonymous: a token is authenticated by DRF, in the view),
    no messages to show and no history to attribute (it writes nothing). The session, authentication,
    messages and history middleware pass it straight on (the ``Lean*`` classes below), with request.user
    the AnonymousUser the full path would have found. (CSRF stays Django's own class: the deployment checks
    look for it by name, and on a cookieless safe request to a csrf_exempt view it costs ~15 µs.) Every other request
    (a browser with cookies, a signed-in curator, the browsable API, any write) takes the full path.
    """
    lean = getattr(request, "_lean_read", None)
    if lean is None:
        path = request.path_info
        lean = request._lean_read = (
            request.method in SAFE_METHODS
            and path.startswith("/api/")
            and not path.startswith(FULL_PATH_PREFIXES)
            and "HTTP_COOKIE" not in request.META
            and "html" not in request.META.get("HTTP_ACCEPT", "")
            and request.GET.get("format") != "api"
        )
    return lean


class LeanSessionMiddleware(SessionMiddleware):
    def __call__(self, request):
        if not is_lean_read(request):
            return super().__call__(request)
        response = self.get_response(request)
        if getattr(request, "_lean_user_read", False):
            # On the full path reading request.user reads the session, and SessionMiddleware then adds
            # "Vary: Cookie" (DRF's SessionAuthentication reads it on every API view): the same header here.
            patch_vary_headers(response, ("Cookie",))
        return response


def _anonymous(request) -> AnonymousUser:
    request._lean_user_read = True
    return AnonymousUser()


class LeanAuthenticationMiddleware(AuthenticationMiddleware):
    def __call__(self, request):
        if not is_lean_read(request):
            return super().__call__(request)
        # What get_user() finds for a request without a session, and like it read only when asked for.
        request.user = SimpleLazyObject(functools.partial(_anonymous, request))

        async def auser():
            return _anonymous(request)

        request.auser = auser
        return self.get_response(request)


class LeanMessageMiddleware(MessageMiddleware):
    def __call__(self, request):
        if is_lean_read(request):
            return self.get_response(request)
        return super().__call__(request)


def LeanHistoryRequestMiddleware(get_response):  # noqa: N802 - a middleware factory, named like the one it wraps
    full = HistoryRequestMiddleware(get_response)

    def middleware(request):
        if is_lean_read(request):
            return get_response(request)
        return full(request)

    return middleware
