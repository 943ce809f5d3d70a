"""Request body parsers: JSON that is too deeply nested answers 400 instead of exhausting the stack."""

from __future__ import annotations

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser as BaseJSONParser

__all__ = ["MAX_JSON_DEPTH", "JSONParser"]

# Every body the API accepts is an object of scalars and lists of scalars (depth 3 at most); this
# leaves room and stops a body of nested brackets long before Python's recursion limit.
MAX_JSON_DEPTH = 32
TOO_DEEP = f"JSON parse error - the body is nested deeper than {MAX_JSON_DEPTH} levels."


def _depth_exceeds(data, limit: int) -> bool:
    """Whether ``data`` nests containers deeper than ``limit``, walked without recursion."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(BaseJSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        if _depth_exceeds(data, MAX_JSON_DEPTH):
            raise ParseError(TOO_DEEP)
        return data
