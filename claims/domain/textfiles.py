"""Reading article files: bytes in, normalized text out, or a plain-words reason why not.

Pure (no Django), so that extraction worker processes can use it too.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path
from typing import BinaryIO

__all__ = [
    "CONTEXT_CHARS",
    "ELLIPSIS",
    "MAX_ARTICLE_BYTES",
    "MIN_ARTICLE_WORDS",
    "NotAnArticle",
    "check_is_article",
    "content_hash",
    "decode_article",
    "looks_like_html",
    "normalize_text",
    "paragraph_bounds",
    "prepare_text",
    "read_article",
    "read_bounded",
    "read_file",
]

# A news article is a few kilobytes; anything this large is not one.
MAX_ARTICLE_BYTES = 5_000_000
MIN_ARTICLE_WORDS = 20
_WORD = re.compile(r"[^\W\d_]{2,}")


class NotAnArticle(Exception):
    """A file or text that cannot be ingested, with the reason in plain words."""


def normalize_text(text: str) -> str:
    """The stored form: newlines as \\n, no byte-order mark, no spaces at the end of a line, one newline at the end.

    Two copies of an article that differ only in invisible whitespace hash the same, so they are one article.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    return "\n".join(line.rstrip() for line in lines).rstrip() + "\n"


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
        raise NotAnArticle(f"file too large: more than {MAX_ARTICLE_BYTES:,} bytes (the limit)")
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


def read_bounded(stream: BinaryIO) -> bytes:
    """At most MAX_ARTICLE_BYTES + 1 bytes of ``stream``: enough to tell that it is too large, never more."""
    chunks, left = [], MAX_ARTICLE_BYTES + 1
    while left > 0:
        chunk = stream.read(min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_regular(mode: int) -> str:
    kind = next((name for test, name in _KINDS if test(mode)), "not a file")
    return f"not a regular file: {kind}"


def read_article(path: Path) -> str:
    """Read and decode one regular file (see ``read_file``)."""
    return decode_article(read_file(path))


_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|meta|title)\b", re.I | re.S)
HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz", ".xhtml")


def looks_like_html(data: bytes, name: str = "") -> bool:
    """A saved web page, by its name or by its first bytes (whatever the name says)."""
    if name.casefold().endswith(HTML_SUFFIXES):
        return True
    head = data[:2048].lstrip(b"\xef\xbb\xbf")
    return bool(_HTML_START.match(head))


def read_file(path: Path) -> bytes:
    """The bytes of one regular file, refusing anything else with the reason.

    Never blocks (a FIFO is refused before it is opened, and opened without
    blocking if one is swapped in) and never reads more than the size limit
    plus one byte (a device or a growing file cannot exhaust memory).
    """
    try:
        try:
            info = path.stat()
        except FileNotFoundError:
            if path.is_symlink():
                raise NotAnArticle(f"a broken symbolic link (to {os.readlink(path)}, which does not exist)") from None
            raise
        if stat.S_ISDIR(info.st_mode):
            if path.is_symlink():
                raise NotAnArticle("a symbolic link to a folder (not followed)")
            os.listdir(path)  # an unreadable folder says so here
            raise NotAnArticle("a folder")
        if not stat.S_ISREG(info.st_mode):
            raise NotAnArticle(_not_regular(info.st_mode))
        if info.st_size > MAX_ARTICLE_BYTES:
            raise NotAnArticle(f"file too large: {info.st_size:,} bytes (the limit is {MAX_ARTICLE_BYTES:,})")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        with open(fd, "rb") as stream:
            mode = os.fstat(stream.fileno()).st_mode
            if not stat.S_ISREG(mode):  # replaced between stat() and open()
                raise NotAnArticle(_not_regular(mode))
            return read_bounded(stream)
    except OSError as exc:
        what = "the folder" if path.is_dir() else "it"
        raise NotAnArticle(f"cannot read {what}: {exc.strerror or exc}") from None


# How much text to show on each side of a claim whose paragraph is very long.
CONTEXT_CHARS = 600
ELLIPSIS = "\u2026"


def paragraph_bounds(body: str, start: int, end: int, *, context: int = CONTEXT_CHARS) -> tuple[int, int]:
    """The paragraph around ``body[start:end]`` (lines are paragraphs), clipped to ``context`` characters a side."""
    left = body.rfind("\n", 0, start) + 1
    right = body.find("\n", end)
    right = len(body) if right == -1 else right
    if start - left > context:
        left = start - context
        space = body.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right - end > context:
        right = end + context
        space = body.rfind(" ", end, right)
        right = space if space != -1 else right
    return left, right
