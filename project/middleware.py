"""Project-wide middleware: security headers and a request-size limit."""

from django.conf import settings
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
