"""HTML fragments the curated admin shows: a claim inside its paragraph, an article with its claims marked.

Everything taken from the database is escaped (``format_html`` / ``escape``);
only the markup built here is marked safe.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.html import escape, format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from claims.choices import ReviewStatus
from claims.domain.textfiles import ELLIPSIS, paragraph_bounds

__all__ = [
    "Span",
    "admin_link",
    "api_link",
    "article_with_spans",
    "changelist_url",
    "claim_in_context",
    "excerpt",
    "status_badge",
]


def excerpt(text: str, length: int = 90) -> str:
    """The text cut at a word boundary to at most ``length`` characters."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[: length - 1].rsplit(" ", 1)[0]
    return cut + ELLIPSIS


def claim_in_context(body: str, start: int, end: int) -> SafeString:
    """The claim's paragraph with the claim itself in a <mark>."""
    left, right = paragraph_bounds(body, start, end)
    line_start = body.rfind("\n", 0, start) + 1
    line_end = body.find("\n", end)
    line_end = len(body) if line_end == -1 else line_end
    return format_html(
        '<div class="claim-context">{}{}<mark>{}</mark>{}{}</div>',
        ELLIPSIS if left > line_start else "",
        body[left:start],
        body[start:end],
        body[end:right],
        ELLIPSIS if right < line_end else "",
    )


@dataclass(frozen=True)
class Span:
    """A claim's place in its article, for marking: offsets, where it links, what its tooltip says."""

    start: int
    end: int
    href: str
    title: str
    status: str


def article_with_spans(body: str, spans: Iterable[Span]) -> SafeString:
    """The article's full text with each claim marked and linked; a span overlapping an earlier one is skipped."""
    parts: list[str] = []
    position = 0
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.start < position or not 0 <= span.start < span.end <= len(body):
            continue
        parts.append(escape(body[position : span.start]))
        parts.append(
            format_html(
                '<a class="claim-span" href="{}" title="{}"><mark class="claim-status-{}">{}</mark></a>',
                span.href,
                span.title,
                span.status,
                body[span.start : span.end],
            )
        )
        position = span.end
    parts.append(escape(body[position:]))
    return format_html('<div class="article-body">{}</div>', mark_safe("".join(parts)))


def api_link(obj) -> SafeString | str:
    """A link to the record's API address, or a note while the API routes are not installed."""
    try:
        url = obj.get_api_url()
    except NoReverseMatch:
        return "Not available: the API routes are not installed."
    return format_html('<a href="{}">{}</a>', url, url)


def admin_link(obj, text=None):
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, text if text is not None else str(obj))


def changelist_url(model, **params) -> str:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


STATUS_BADGES = {
    ReviewStatus.EXTRACTED: "Awaiting review",
    ReviewStatus.APPROVED: "Approved",
    ReviewStatus.REJECTED: "Rejected",
}


def status_badge(status: str, label: str):
    return format_html(
        '<span class="claim-status claim-status-{}" title="{}">{}</span>',
        status,
        label,
        STATUS_BADGES.get(status, label),
    )
