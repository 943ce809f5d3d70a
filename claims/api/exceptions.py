"""One error format for every endpoint: {"detail": "...", ...}, never a 500 for bad input."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import JsonResponse
from django.views import csrf, defaults
from django.views.decorators.csrf import csrf_exempt
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from claims.api.renderers import FastJSONRenderer
from claims.services.errors import ConflictError, StaleVersionError


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The record changed since you read it."
    default_code = "precondition_failed"


def _codes(codes):
    """Every error code in a (nested) get_codes() / error_dict structure."""
    if isinstance(codes, dict):
        for value in codes.values():
            yield from _codes(value)
    elif isinstance(codes, list):
        for value in codes:
            yield from _codes(value)
    elif isinstance(codes, DjangoValidationError):
        yield codes.code
    else:
        yield codes


def is_uniqueness_conflict(exc) -> bool:
    """Invalid only because another record already holds the value: a conflict (409), not bad input."""
    if isinstance(exc, ValidationError):
        codes = list(_codes(exc.get_codes()))
    elif isinstance(exc, DjangoValidationError):
        codes = list(_codes(exc.error_dict if hasattr(exc, "error_dict") else exc.error_list))
    else:
        return False
    return bool(codes) and all(code in UNIQUE_CODES for code in codes)


UNIQUE_CODES = frozenset({"unique", "unique_together"})


def _validation_payload(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        errors = {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
        first = next(iter(errors.values()))[0] if errors else "Invalid input."
        return {"detail": first, "errors": errors}
    messages = [str(m) for m in exc.messages]
    return {"detail": " ".join(messages) or "Invalid input.", "errors": {"non_field_errors": messages}}


def exception_handler(exc, context):
    if isinstance(exc, StaleVersionError):
        exc = PreconditionFailed(str(exc))
    response = _known_error_response(exc)
    if response is not None:
        set_rollback()
        _answer_in_json(context)
        return response
    response = drf_exception_handler(exc, context)
    if response is not None:
        _answer_in_json(context)
        if is_uniqueness_conflict(exc):
            response.status_code = status.HTTP_409_CONFLICT
    if response is not None and isinstance(response.data, list):
        response.data = {"detail": " ".join(str(item) for item in response.data)}
    elif response is not None and isinstance(response.data, dict) and "detail" not in response.data:
        # A serializer's errors per field: the same shape as a model's validation errors.
        response.data = {"detail": _first_message(response.data) or "Invalid input.", "errors": response.data}
    return response


def _answer_in_json(context) -> None:
    """Errors keep the one JSON shape whatever format the request asked for (``?format=csv``, JSON-LD):
    only the browsable API (a person at a browser) gets its HTML page."""
    request = context.get("request")
    renderer = getattr(request, "accepted_renderer", None)
    if renderer is None or renderer.media_type == "application/json" or isinstance(renderer, BrowsableAPIRenderer):
        return
    request.accepted_renderer = FastJSONRenderer()
    request.accepted_media_type = FastJSONRenderer.media_type


def _first_message(errors) -> str | None:
    """The first message of a serializer's (possibly nested) errors."""
    while isinstance(errors, dict | list) and errors:
        errors = next(iter(errors.values())) if isinstance(errors, dict) else errors[0]
    return str(errors) if errors else None


def _known_error_response(exc):
    if isinstance(exc, DjangoValidationError):
        conflict = is_uniqueness_conflict(exc)
        return Response(
            _validation_payload(exc), status=status.HTTP_409_CONFLICT if conflict else status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, (ProtectedError, RestrictedError)):
        return Response(
            {"detail": "This record is referenced by others and cannot be deleted."}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, ConflictError):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DataError):
        # The database refused a value the validators let through: a NUL character (PostgreSQL
        # text cannot hold one), or a value too long or out of range for its column.
        return Response({"detail": _data_error_detail(exc)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, IntegrityError):
        return Response(
            {"detail": "The change conflicts with existing data (a uniqueness or integrity rule)."},
            status=status.HTTP_409_CONFLICT,
        )
    return None


NUL_IN_TEXT = "Text may not contain NUL (0x00) characters."
VALUE_NOT_STORABLE = "A value cannot be stored: it is too long or out of range for its field."


def _data_error_detail(exc: DataError) -> str:
    return NUL_IN_TEXT if "NUL" in str(exc) or "0x00" in str(exc) else VALUE_NOT_STORABLE


# Answers Django itself gives outside any API view (no route, a refused request, a crash): JSON under
# /api/, whatever DEBUG says, so that a client never has to parse an HTML page.

API_PREFIX = "/api/"


def is_api_request(request) -> bool:
    return request.path.startswith(API_PREFIX)


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """Every /api/ path no route claims (a catch-all route, so DEBUG's HTML page never answers it)."""
    return JsonResponse(
        {"detail": f"No API endpoint at {request.path}. The endpoints are listed at /api/ and in /api/schema/."},
        status=status.HTTP_404_NOT_FOUND,
    )


def bad_request(request, exception=None, *args, **kwargs):
    if is_api_request(request):
        return JsonResponse({"detail": "Bad request."}, status=status.HTTP_400_BAD_REQUEST)
    return defaults.bad_request(request, exception)


def page_not_found(request, exception=None, *args, **kwargs):
    if is_api_request(request):
        return api_not_found(request)
    return defaults.page_not_found(request, exception)


def server_error(request, *args, **kwargs):
    if is_api_request(request):
        return JsonResponse(
            {"detail": "Server error: the request could not be completed."},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    return defaults.server_error(request)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a session-authenticated write without its CSRF token."""
    if is_api_request(request):
        return JsonResponse(
            {"detail": f"CSRF check failed ({reason}): send the X-CSRFToken header, or use a token."},
            status=status.HTTP_403_FORBIDDEN,
        )
    return csrf.csrf_failure(request, reason)
