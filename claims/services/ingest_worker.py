"""The per-file work of ingestion that needs no database: read, decode, extract.

Pure (no Django), so `ingest --workers N` can run it in N spawned processes,
each loading the spaCy pipeline once; the parent process does the writes.
"""

from __future__ import annotations

from pathlib import Path

from claims.domain.textfiles import NotAnArticle, decode_article, read_article

# (label, path or None, bytes or None) -> (label, text, extraction, error)
Item = tuple[str, str | None, bytes | None]
Prepared = tuple[str, str | None, object | None, str | None]

_nlp = None


def init(model_name: str) -> None:
    """Load the pipeline once per process."""
    global _nlp
    from claims.extraction import load_nlp

    _nlp = load_nlp(model_name)


def prepare(item: Item) -> Prepared:
    from claims.extraction import extract_article

    label, path, data = item
    try:
        text = read_article(Path(path)) if path is not None else decode_article(data or b"")
    except NotAnArticle as exc:
        return label, None, None, str(exc)
    try:
        extraction = extract_article(text, nlp=_nlp)
    except Exception as exc:  # noqa: BLE001 - reported per file, the batch goes on
        return label, text, None, f"extraction failed: {type(exc).__name__}: {exc}"
    return label, text, extraction, None
