"""Project-wide middleware: security headers and limits on the request's size and its URL."""

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.http import JsonResponse


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
