"""Cheap text structure: paragraphs, sentences and paired quotation marks, all by regex.

Nothing here needs spaCy. Every span is a pair of offsets into the original text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from claims.extraction.lexicon import FEMALE_NAMES, MALE_NAMES

__all__ = [
    "Paragraph",
    "QuoteSpan",
    "Sentence",
    "Structure",
    "build_structure",
    "paragraphs",
    "split_sentences",
]

OPEN_MARKS = "\u201c\u201e\u201f\u00ab"  # “ „ ‟ «
CLOSE_MARKS = "\u201d\u00bb"  # ” »
STRAIGHT_MARK = '"'
DOUBLE_MARKS = OPEN_MARKS + CLOSE_MARKS + STRAIGHT_MARK
_MARK_RE = re.compile("[" + re.escape(DOUBLE_MARKS) + "]")

# Characters after which an opening mark may stand, and before which a closing mark may stand.
_OPENING_CONTEXT = set("([{<\u2014\u2013-/\u2018'\u2026:;,")
_CLOSING_CONTEXT = set(".,;:!?)]}>\u2014\u2013-\u2019'\u2026/")

_LINE_RE = re.compile(r"[^\r\n]+")


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    index: int


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    para: int
    index: int


@dataclass
class QuoteSpan:
    """Content between a pair of double quotation marks (marks excluded)."""

    start: int
    end: int
    open_mark: int | None  # offset of the opening mark
    close_mark: int | None  # offset of the closing mark; None when unclosed
    para: int  # paragraph of the opening mark
    last_para: int  # paragraph of the closing mark (differs for multi-paragraph quotes)
    continued: bool = False  # the quote runs on into the next paragraph(s)
    inner_marks: list[int] = field(default_factory=list)  # marks inside a multi-paragraph quote


def paragraphs(text: str, lo: int = 0, hi: int | None = None) -> list[Paragraph]:
    """Non-blank lines of ``text[lo:hi]``, stripped; each line is a paragraph."""
    hi = len(text) if hi is None else hi
    out: list[Paragraph] = []
    for m in _LINE_RE.finditer(text, lo, hi):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append(Paragraph(s, e, len(out)))
    return out


# ---------------------------------------------------------------------------------------------
# Sentences

_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sen sens rep reps gov gen lt col capt sgt maj adm cmdr st jr sr mt ft rev hon pres
    supt insp det cpl pvt messrs mme mlle no nos vol vols fig figs pp ed eds est approx dept univ
    assn bros inc co corp ltd llc plc vs v etc al e.g i.e cf jan feb mar apr jun jul aug sep sept
    oct nov dec mon tue tues wed thu thur thurs fri sat sun u.s u.k u.n e.u u.s.a d.c a.m p.m""".split()
)
# Abbreviations that may also end a sentence; they do when the next word is a usual sentence opener.
_TERMINAL_ABBREVIATIONS = frozenset("inc co corp ltd llc plc etc u.s u.k u.n e.u u.s.a d.c a.m p.m jr sr al".split())
_SENTENCE_OPENERS = frozenset(
    """the a an he she it they we i you his her its their our this that these those there but and
    so yet in on at for with after before when while if as however meanwhile still also then now
    some many most one no not both each all such what who why how where mr mrs ms dr""".split()
)
_BOUNDARY_RE = re.compile(
    r"[.!?\u2026]+[\"\u201d\u2019')\]]*(?P<space>\s+)(?=[\"\u201c\u2018'(\[]?[^\W_a-z])",
)
_WORD_BEFORE_RE = re.compile(r"([^\s\"\u201c\u201d(\[]+)$")


def split_sentences(text: str, start: int, end: int, para: int = 0, first_index: int = 0) -> list[Sentence]:
    """Split ``text[start:end]`` (one paragraph) into sentences by punctuation and capitals."""
    out: list[Sentence] = []
    s = start
    for m in _BOUNDARY_RE.finditer(text, start, end):
        punct_at = m.start()
        if text[punct_at] == ".":
            wm = _WORD_BEFORE_RE.search(text, max(start, punct_at - 30), punct_at)
            if wm:
                word = wm.group(1).casefold().strip("'\u2019")
                nxt = re.match(r"[\"\u201c\u2018'(\[]?([^\W\d_]+)", text[m.end() : m.end() + 40])
                next_word = nxt.group(1).casefold() if nxt else ""
                if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or re.fullmatch(r"(?:\w\.)+\w", word):
                    terminal = word in _TERMINAL_ABBREVIATIONS or re.fullmatch(r"(?:\w\.)+\w", word)
                    if not (terminal and next_word in _SENTENCE_OPENERS):
                        continue
        e = m.start("space")
        if e > s:
            out.append(Sentence(s, e, para, first_index + len(out)))
        s = m.end()
    if s < end:
        out.append(Sentence(s, end, para, first_index + len(out)))
    return out


# ---------------------------------------------------------------------------------------------
# Quotation marks


def _mark_role(text: str, i: int, lo: int, hi: int) -> str:
    """ "open", "close" or "either" for the double mark at ``i`` within a paragraph ``[lo, hi)``."""
    ch = text[i]
    prev = text[i - 1] if i > lo else None
    nxt = text[i + 1] if i + 1 < hi else None
    space_before = prev is None or prev.isspace() or prev in _OPENING_CONTEXT
    space_after = nxt is None or nxt.isspace() or nxt in _CLOSING_CONTEXT
    if ch in OPEN_MARKS:
        # A misused opening mark that closes: `not,“ he said`.
        if (nxt is None or nxt.isspace()) and prev is not None and not prev.isspace():
            return "close"
        return "open"
    if ch in CLOSE_MARKS:
        if (prev is None or prev.isspace()) and nxt is not None and not nxt.isspace() and nxt not in _CLOSING_CONTEXT:
            return "open"
        return "close"
    # straight mark
    if space_before and not space_after:
        return "open"
    if space_after and not space_before:
        return "close"
    if prev is not None and prev.isdigit():
        return "close"
    return "either"


def _is_inch_mark(text: str, i: int) -> bool:
    return text[i] == STRAIGHT_MARK and i > 0 and text[i - 1].isdigit()


# A nickname in quotation marks between a known given name and a surname: `Marcia "Cia" Price` is no quotation.
_NICKNAME = re.compile(r"[A-Z][\w’'-]*")


def _nickname(text: str, q: QuoteSpan) -> bool:
    if q.close_mark is None or not _NICKNAME.fullmatch(text, q.start, q.end):
        return False
    given = re.search(r"(?<![\w’'])([A-Z][a-z][\w’'-]*) $", text[max(0, q.open_mark - 30) : q.open_mark])
    return (
        given is not None
        and given.group(1).casefold() in MALE_NAMES | FEMALE_NAMES
        and bool(re.match(r" [A-Z][a-z]", text[q.close_mark + 1 : q.close_mark + 4]))
    )


def _pair_marks(text: str, para: Paragraph) -> list[QuoteSpan]:
    marks = [m.start() for m in _MARK_RE.finditer(text, para.start, para.end)]
    spans: list[QuoteSpan] = []
    open_at: int | None = None
    for i in marks:
        role = _mark_role(text, i, para.start, para.end)
        if open_at is None:
            if role in ("open", "either") and not (_is_inch_mark(text, i) and role != "open"):
                open_at = i
            continue
        if role in ("close", "either"):
            spans.append(QuoteSpan(open_at + 1, i, open_at, i, para.index, para.index))
            open_at = None
        else:
            # A second opening mark while one is open: the first quote was never closed. End it
            # just before the new mark and start again.
            spans.append(QuoteSpan(open_at + 1, i, open_at, None, para.index, para.index))
            open_at = i
    if open_at is not None:
        spans.append(QuoteSpan(open_at + 1, para.end, open_at, None, para.index, para.index))
    out = []
    for q in spans:
        if _nickname(text, q):
            continue
        s, e = q.start, q.end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            q.start, q.end = s, e
            out.append(q)
    return out


def _chain_paragraphs(text: str, paras: list[Paragraph], per_para: list[list[QuoteSpan]]) -> list[QuoteSpan]:
    """Join a quote left open at the end of a paragraph with the next paragraph's opening quote."""
    out: list[QuoteSpan] = []
    carry: QuoteSpan | None = None
    for p, quotes in zip(paras, per_para, strict=True):
        quotes = list(quotes)
        if carry is not None:
            if quotes and quotes[0].open_mark is not None and quotes[0].open_mark == p.start:
                nxt = quotes.pop(0)
                carry.inner_marks.append(nxt.open_mark)
                carry.end = nxt.end
                carry.close_mark = nxt.close_mark
                carry.last_para = p.index
                if nxt.close_mark is None and nxt.end == _content_end(text, p) and not quotes:
                    continue  # still open: keep carrying
                out.append(carry)
                carry = None
            else:
                out.append(carry)
                carry = None
        for j, q in enumerate(quotes):
            last = j == len(quotes) - 1
            if last and q.close_mark is None and q.end == _content_end(text, p):
                # A quote left open at the end of its paragraph may run on into the next one.
                q.continued = True
                carry = q
            else:
                out.append(q)
    if carry is not None:
        out.append(carry)
    for q in out:
        if q.last_para == q.para:
            q.continued = False
    return out


def _content_end(text: str, p: Paragraph) -> int:
    e = p.end
    while e > p.start and text[e - 1].isspace():
        e -= 1
    return e


@dataclass
class Structure:
    """Paragraphs, sentences and quotes of the body, with lookups by offset."""

    text: str
    paragraphs: list[Paragraph]
    sentences: list[Sentence]
    quotes: list[QuoteSpan]
    _sent_starts: list[int] = field(default_factory=list)
    _quote_starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._sent_starts = [s.start for s in self.sentences]
        self._quote_starts = [q.start for q in self.quotes]

    def sentence_at(self, pos: int) -> Sentence | None:
        i = bisect.bisect_right(self._sent_starts, pos) - 1
        if i >= 0 and self.sentences[i].start <= pos <= self.sentences[i].end:
            return self.sentences[i]
        return None

    def sentences_between(self, start: int, end: int) -> list[Sentence]:
        i = max(0, bisect.bisect_right(self._sent_starts, start) - 1)
        out = []
        while i < len(self.sentences) and self.sentences[i].start < end:
            if self.sentences[i].end > start:
                out.append(self.sentences[i])
            i += 1
        return out

    def in_quote(self, pos: int) -> QuoteSpan | None:
        """The quote whose content holds ``pos``."""
        i = bisect.bisect_right(self._quote_starts, pos) - 1
        if i >= 0 and self.quotes[i].start <= pos < self.quotes[i].end:
            return self.quotes[i]
        return None

    def quoted(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` lies inside some quote's content (or its marks)."""
        i = bisect.bisect_right(self._quote_starts, start) - 1
        if i >= 0:
            q = self.quotes[i]
            lo = q.open_mark if q.open_mark is not None else q.start
            hi = q.close_mark + 1 if q.close_mark is not None else q.end
            if lo <= start and end <= hi:
                return True
        if i + 1 < len(self.quotes):
            q = self.quotes[i + 1]
            lo = q.open_mark if q.open_mark is not None else q.start
            hi = q.close_mark + 1 if q.close_mark is not None else q.end
            if lo <= start and end <= hi:
                return True
        return False


def build_structure(text: str, lo: int, hi: int, skip: tuple[tuple[int, int], ...] = ()) -> Structure:
    paras = paragraphs(text, lo, hi)
    if skip:
        kept = [p for p in paras if not any(s <= p.start and p.end <= e for s, e in skip)]
        paras = [Paragraph(p.start, p.end, i) for i, p in enumerate(kept)]
    sentences: list[Sentence] = []
    per_para: list[list[QuoteSpan]] = []
    for p in paras:
        sentences.extend(split_sentences(text, p.start, p.end, p.index, len(sentences)))
        per_para.append(_pair_marks(text, p))
    quotes = _chain_paragraphs(text, paras, per_para)
    quotes.sort(key=lambda q: q.start)
    return Structure(text, paras, sentences, quotes)
