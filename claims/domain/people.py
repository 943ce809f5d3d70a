"""Pure rules about people beyond their names: how an expert's kind follows what ingestion sees."""

from __future__ import annotations

__all__ = ["UNSPECIFIC_KIND", "kind_after_ingestion"]

# The kind nothing printed says anything about (claims.extraction.kinds.person_kind's last answer).
UNSPECIFIC_KIND = "other"


def kind_after_ingestion(current: str, *, curated: bool, seen: str | None) -> str:
    """An expert's kind after an article printed them as ``seen`` (a kind of claims.extraction.kinds.PERSON_KINDS).

    - A kind a curator chose (``curated``) is never changed by ingestion.
    - An automatic "other" (nothing printed said) is upgraded by a later specific kind.
    - An automatic specific kind stays: the first article that said what a person is keeps its word, so
      that an analyst printed once as a "former official" does not flip between kinds from article to
      article; a curator settles a wrong one.
    """
    if curated or not seen or seen == UNSPECIFIC_KIND:
        return current
    return seen if current == UNSPECIFIC_KIND else current
