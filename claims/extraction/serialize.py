"""Plain-JSON form of an extraction (golden files, debugging, the ``extract`` command)."""

from __future__ import annotations

import dataclasses
import datetime

from claims.extraction.types import ArticleExtraction

__all__ = ["extraction_to_dict"]


def _plain(value):
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if not f.metadata.get("derived")  # identity keys: derived from the names, not found in the text
        }
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def extraction_to_dict(result: ArticleExtraction) -> dict:
    """Every field of the result but the derived ones (types.DERIVED), with dates as ISO strings and tuples as lists."""
    return _plain(result)
