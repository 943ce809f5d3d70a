"""Reading article files: bytes in, normalized text out, or a plain-words reason why not.

Pure (no Django), so that extraction worker processes can use it too.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

__all__ = [
    "MAX_ARTICLE_BYTES",
    "MIN_ARTICLE_WORDS",
    "NotAnArticle",
    "check_is_article",
    "content_hash",
    "decode_article",
    "normalize_text",
    "prepare_text",
    "read_article",
]

# A news article is a few kilobytes; anything this large is not one.
MAX_ARTICLE_BYTES = 5_000_000
MIN_ARTICLE_WORDS = 20
_WORD = re.compile(r"[^\W\d_]{2,}")


class NotAnArticle(Exception):
    """A file or text that cannot be ingested, with the reason in plain words."""


def normalize_text(text: str) -> str:
    """The stored form: newlines as \\n, no byte-order mark, one newline at the end."""
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").rstrip() + "\n"


def prepare_text(text: str) -> str:
    """The stored form of an article's text (normalize_text), refused (NotAnArticle) if it is no article."""
    text = normalize_text(text)
    check_is_article(text)
    return text


def content_hash(text: str) -> str:
    """The identity of a stored text: SHA-256 of its UTF-8 bytes (``Article.content_hash``, unique)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def decode_article(data: bytes) -> str:
    """Decode an article file's bytes into normalized text."""
    if len(data) > MAX_ARTICLE_BYTES:
        raise NotAnArticle(f"file too large: {len(data):,} bytes (the limit is {MAX_ARTICLE_BYTES:,})")
    if not data.strip():
        raise NotAnArticle("empty file")
    if b"\x00" in data:
        raise NotAnArticle("binary file (it contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotAnArticle(f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    control = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if control > max(10, len(text) // 100):
        raise NotAnArticle("binary file (too many control characters)")
    return prepare_text(text)


def check_is_article(text: str) -> None:
    words = len(_WORD.findall(text))
    if words < MIN_ARTICLE_WORDS:
        raise NotAnArticle(f"no article in it (only {words} words; an article has at least {MIN_ARTICLE_WORDS})")


def read_article(path: Path) -> str:
    """Read and decode one file, refusing oversized ones before reading them."""
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise NotAnArticle(f"file too large: {size:,} bytes (the limit is {MAX_ARTICLE_BYTES:,})")
        return decode_article(path.read_bytes())
    except OSError as exc:
        raise NotAnArticle(f"cannot read it: {exc.strerror or exc}") from None
