"""One error format for every endpoint: {"detail": "...", ...}, never a 500 for bad input."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError, RestrictedError
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from claims.services.errors import ConflictError, StaleVersionError


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The record changed since you read it."
    default_code = "precondition_failed"


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
        return response
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, list):
        response.data = {"detail": " ".join(str(item) for item in response.data)}
    elif response is not None and isinstance(response.data, dict) and "detail" not in response.data:
        # A serializer's errors per field: the same shape as a model's validation errors.
        response.data = {"detail": _first_message(response.data) or "Invalid input.", "errors": response.data}
    return response


def _first_message(errors) -> str | None:
    """The first message of a serializer's (possibly nested) errors."""
    while isinstance(errors, dict | list) and errors:
        errors = next(iter(errors.values())) if isinstance(errors, dict) else errors[0]
    return str(errors) if errors else None


def _known_error_response(exc):
    if isinstance(exc, DjangoValidationError):
        return Response(_validation_payload(exc), status=status.HTTP_400_BAD_REQUEST)
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
