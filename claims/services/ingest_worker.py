"""The per-file work of ingestion that needs no database: read, decode, hash; extract.

Pure (no Django). Reading, decoding and hashing (``load``) are cheap and run in
the parent process, so that texts already stored are answered "unchanged"
before anything is extracted; extraction (``extract``) is the expensive part
and runs in ``Extractor``: in-process, or with ``workers > 1`` in that many
spawned processes, each loading the spaCy pipeline once. The parent process
does the writes.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from claims.domain.textfiles import NotAnArticle, content_hash, decode_article, looks_like_html, prepare_text, read_file

__all__ = ["Extracted", "Extractor", "Item", "Loaded", "extract", "init", "load"]

# (label, path or None, bytes or None): a file to read, or bytes already read (standard input).
Item = tuple[str, str | None, bytes | None]
# (extraction or None, error or None)
Extracted = tuple[object | None, str | None]

_nlp = None


@dataclass(frozen=True)
class Loaded:
    """One input, read: its stored text and content hash, or why it cannot be ingested."""

    label: str
    text: str | None = None
    digest: str | None = None
    error: str | None = None
    page: object | None = None  # a WebArticle, when the input was a saved web page


def load(item: Item) -> Loaded:
    """Read, decode, normalize, check and hash one input (no extraction).

    A saved web page (by its name, or by its first bytes whatever its name) is read with
    ``claims.extraction.webpage.read_webpage``: its main text is what is stored and extracted, and
    what the page says of itself (title, date, authors, outlet, address) is kept for the article.
    """
    label, path, data = item
    try:
        raw = read_file(Path(path)) if path is not None else (data or b"")
        if looks_like_html(raw, path or ""):
            from claims.extraction.webpage import read_webpage

            page = read_webpage(raw)
            text = prepare_text(page.text)
            return Loaded(label, text, content_hash(text), page=page)
        text = decode_article(raw)
    except NotAnArticle as exc:
        return Loaded(label, error=str(exc))
    return Loaded(label, text, content_hash(text))


def init(model_name: str) -> None:
    """Load the pipeline once per process."""
    global _nlp
    from claims.extraction import load_nlp

    _nlp = load_nlp(model_name)


def extract(text: str) -> Extracted:
    """The extraction of one stored text, or the reason it failed."""
    from claims.extraction import extract_article

    try:
        return extract_article(text, nlp=_nlp), None
    except Exception as exc:  # noqa: BLE001 - reported per file, the batch goes on
        return None, f"extraction failed: {type(exc).__name__}: {exc}"


class Extractor:
    """Extract many texts, in order; the pipeline (and the process pool) is loaded on first use only.

    A context manager: leaving it ends the worker processes. Called with a list
    of texts, it returns an iterator of ``Extracted`` in the same order.
    """

    def __init__(self, model_name: str, *, workers: int = 1) -> None:
        self.model_name = model_name
        self.workers = max(1, workers)
        self._loaded = False
        self._pool = None

    def __enter__(self) -> Extractor:
        return self

    def __exit__(self, *exc_info) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None

    def __call__(self, texts: Iterable[str]) -> Iterator[Extracted]:
        texts = list(texts)
        if not texts:
            return iter(())
        if self.workers == 1:
            if not self._loaded:
                init(self.model_name)
                self._loaded = True
            return map(extract, texts)
        if self._pool is None:
            # Spawned workers start fresh interpreters: no Django, no inherited database connection.
            context = multiprocessing.get_context("spawn")
            self._pool = context.Pool(self.workers, initializer=init, initargs=(self.model_name,))
        return self._pool.imap(extract, texts, chunksize=1)
