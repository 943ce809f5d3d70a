"""Property-based tests: extraction never raises on any ``str`` and every offset slices the text.

The strict entry point (no safety net) is exercised, so a bug shows up as a failure here rather than
as a logged fallback. Example counts are bounded to keep the file well under a minute.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.extraction import extract_article

SETTINGS = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

# Every code point, lone surrogates and control characters included.
any_text = st.text(alphabet=st.characters(exclude_categories=()), max_size=400)

PIECES = [
    "“",
    "”",
    '"',
    "‘",
    "’",
    "'",
    "«",
    "»",
    "„",
    " said",
    " says ",
    " told NK News",
    " according to ",
    ", adding that ",
    " He added, ",
    " explained that ",
    "Professor Andrei Lankov of Seoul’s Kookmin University",
    "Cho Han-bum, senior research fellow at the Korea Institute (KINU)",
    "Mr Muraviev",
    " he ",
    " the Russian diplomat continued",
    ". ",
    ", ",
    ": ",
    "\n",
    "\n\n",
    "\r\n",
    "\t",
    "\x00",
    "\x0b",
    "\u200b",
    "\ufeff",
    "\ud800",
    "북한과 러시아",
    "Россия и КНДР",
    "朝鲜",
    "مرحبا",
    "Posted on : 2014-11-15 16:12 KST",
    "February 13th, 2015Leo Byrne0",
    "By Yi Yong-in, staff reporter",
    "Leave a Reply",
    "%d bloggers like this:",
    "It will probably rain",
    "I expect",
    "very unlikely",
    "Kim Jong Un",
    "U.S.",
    "(",
    ")",
    "—",
    "…",
    "1,000",
    "a",
    "The",
]
article_like = st.lists(st.sampled_from(PIECES) | st.text(max_size=12), min_size=0, max_size=120).map("".join)


def check(text: str, result) -> None:
    n = len(text)
    meta = result.meta
    assert 0 <= meta.body_start <= meta.body_end <= n
    assert isinstance(meta.title, str)
    for q in result.quotes:
        assert 0 <= q.start < q.end <= n
        assert text[q.start : q.end] == q.text
        assert q.kind in ("direct", "mixed", "indirect")
        assert 0.0 <= q.confidence <= 1.0
        assert q.claim_kind in ("prediction", "assessment", "factual", "recommendation")
        if q.speaker_start is not None or q.speaker_end is not None:
            assert 0 <= q.speaker_start < q.speaker_end <= n
            assert text[q.speaker_start : q.speaker_end] == q.speaker_mention
        if q.cue_start is not None:
            assert 0 <= q.cue_start < q.cue_end <= n
            assert text[q.cue_start : q.cue_end] == q.cue
        aff = q.affiliation
        if aff is not None and aff.start is not None:
            assert 0 <= aff.start < aff.end <= n
            assert text[aff.start : aff.end] == aff.text
    for person in result.people:
        assert person.name
        for s, e in person.mentions:
            assert 0 <= s < e <= n


@SETTINGS
@given(any_text)
def test_arbitrary_unicode(extract, text):
    check(text, extract(text))


@SETTINGS
@given(article_like)
def test_article_like_text_with_unbalanced_marks(extract, text):
    check(text, extract(text))


@settings(max_examples=8, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=30).map("".join), st.integers(2_000, 8_000))
def test_huge_paragraphs(extract, chunk, repeat):
    text = (chunk.replace("\n", " ") * repeat)[:200_000]
    check(text, extract(text))


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_text)
def test_public_entry_point_never_raises(nlp, text):
    check(text, extract_article(text, nlp=nlp))
