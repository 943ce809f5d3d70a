"""Article text as HTML: a claim in its paragraph, an article with every claim marked.

Everything taken from the database is escaped (``format_html`` / ``escape``); only
the markup built here is marked safe. The paragraph rule is the admin's
(claims.domain.textfiles.paragraph_bounds): lines are paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from claims.domain.textfiles import ELLIPSIS, paragraph_bounds

__all__ = ["MarkedSpan", "marked_article", "quote_in_context", "sentence_bounds"]


# A full stop, question or exclamation mark (with closing quotes) and a space; not the dot of an initial,
# "U.S." or "Mr." (an abbreviation may still end a sentence early: the quote is shown whole all the same).
SENTENCE_ENDS = re.compile(r"""(?<!\b[A-Z])(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bMrs)(?<!\bSt)[.!?]["'”’)]*\s+""")


def sentence_bounds(text: str, start: int, end: int, *, context: int) -> tuple[int, int, bool, bool]:
    """The sentences around ``text[start:end]``, within its paragraph, cut to ``context`` characters a side.

    Returns (left, right, cut_left, cut_right): the cut flags say a side ends mid-sentence.
    """
    left, right = paragraph_bounds(text, start, end, context=context)
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    cut_left, cut_right = left > line_start, right < line_end
    before = list(SENTENCE_ENDS.finditer(text, left, start))
    if before:
        left, cut_left = before[-1].end(), False
    after = SENTENCE_ENDS.search(text, end, right)
    if after:
        right, cut_right = after.start() + 1, False
        while right < len(text) and text[right] in "\"'\u201d\u2019)":
            right += 1
    return left, right, cut_left, cut_right


def quote_in_context(window: str, start: int, end: int, *, context: int) -> SafeString:
    """The claim ``window[start:end]`` in a <mark>, inside its sentence (its paragraph cut to ``context`` a side).

    ``window`` may be a slice of the article body (see claims.selectors.claims.claim_page):
    it must reach further than ``context`` on each side, or to the body's ends.
    """
    left, right, cut_left, cut_right = sentence_bounds(window, start, end, context=context)
    return format_html(
        "{}{}<mark>{}</mark>{}{}",
        ELLIPSIS if cut_left else "",
        window[left:start],
        window[start:end],
        window[end:right],
        ELLIPSIS if cut_right else "",
    )


@dataclass(frozen=True)
class MarkedSpan:
    """A claim's place in its article: offsets, its number in the list of claims, its review status."""

    start: int
    end: int
    number: int
    claim_id: int
    status: str
    title: str


def marked_article(body: str, spans: Iterable[MarkedSpan]) -> SafeString:
    """The article's text with each claim in a <mark> followed by its number, linked to its attribution.

    Spans out of range, or overlapping an earlier one, are left unmarked (their
    attribution is still listed).
    """
    parts: list[str] = []
    position = 0
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.start < position or not 0 <= span.start < span.end <= len(body):
            continue
        parts.append(_paragraphs(body[position : span.start]))
        parts.append(
            format_html(
                '<mark id="claim-{}" class="claim status-{}" title="{}">{}</mark>'
                '<a class="claim-ref" href="#who-{}" aria-label="Claim {}: who said it">{}</a>',
                span.claim_id,
                span.status,
                span.title,
                body[span.start : span.end],
                span.claim_id,
                span.number,
                span.number,
            )
        )
        position = span.end
    parts.append(_paragraphs(body[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped


_NEWLINES = re.compile(r"\s*\n\s*")


def _paragraphs(text: str) -> str:
    """``text`` escaped, each line break a paragraph break: a gap a reader sees (the body keeps one line
    per paragraph, and ``white-space: pre-line`` alone shows them run together)."""
    return '<span class="paragraph-break"></span>'.join(escape(piece) for piece in _NEWLINES.split(text))
