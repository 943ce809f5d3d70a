"""Lookups whose result alone decides what their caller builds from it, recorded for a plan kept per query string.

A list's FilterSet may read the database to filter (the expert filter looks up the ids of the experts whose
aliases match the name first). claims.api.views.base.BulkListMixin.page_keys keeps a list's keys statement
per query string; with such a read in between, the statement is the same only while the read gives the same
result. A selector marked ``@recorded_lookup`` is a pure function of its arguments and the data, and its
caller's query depends on its result alone: inside ``recording_lookups()`` each call is recorded with its
arguments and result (and its statements are not counted as the caller's), so that a plan can be kept with
them and used again only after the same calls give the same results (``same_results``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["in_recorded_lookup", "recorded_lookup", "recording_lookups", "same_results"]

_calls: ContextVar[list | None] = ContextVar("recorded_lookups", default=None)
_inside: ContextVar[int] = ContextVar("inside_recorded_lookup", default=0)


def recorded_lookup(function: Callable) -> Callable:
    @functools.wraps(function)
    def lookup(*args, **kwargs):
        token = _inside.set(_inside.get() + 1)
        try:
            result = function(*args, **kwargs)
        finally:
            _inside.reset(token)
        calls = _calls.get()
        if calls is not None:
            calls.append((lookup, args, tuple(sorted(kwargs.items())), result))
        return result

    return lookup


def in_recorded_lookup() -> bool:
    """Whether the code running now is inside a recorded lookup (its statements are the lookup's)."""
    return _inside.get() > 0


@contextmanager
def recording_lookups():
    """The recorded lookups called inside the block: (function, args, sorted kwargs, result) each."""
    calls: list = []
    token = _calls.set(calls)
    try:
        yield calls
    finally:
        _calls.reset(token)


def same_results(calls) -> bool:
    """Whether each recorded call gives its recorded result again (run now, in order)."""
    return all(function(*args, **dict(kwargs)) == result for function, args, kwargs, result in calls)
