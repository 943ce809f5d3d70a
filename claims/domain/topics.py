"""Topics from cue phrases: which curated topics a claim is about, from its text and its sentence.

A topic's cues are plain phrases, one a line ("sanction", "export control", "asset freeze"), not
regular expressions. A cue matches:

- whole words only, in any case ("Sanction" and "SANCTION" alike), except a word written in capitals
  of two letters or more, an acronym ("UN", "ICBM"), which matches in capitals only (so that "UN" does
  not match "un-" or "Un");
- the plural and possessive of each word written in the singular ("sanction" matches "sanctions",
  "economy" matches "economies", "missile" matches "missile's"); a word written in the plural matches
  that plural only;
- a word ending in ``*`` matches every word that starts with it ("denucleari*" matches
  "denuclearization" and "denuclearisation");
- the words of a phrase separated by any run of spaces or hyphens ("people-to-people" matches
  "people to people"), and also across a line break.

``compile_cues`` compiles one expression per topic, once per distinct cue set (cached), and
``TopicMatcher.match`` answers the topics in the order they were given. ``claim_context`` is the text a
claim is matched on: the sentence(s) its span lies in.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "CUE_MAX_LENGTH",
    "TopicMatcher",
    "claim_context",
    "compile_cues",
    "cue_errors",
    "parse_cues",
]

CUE_MAX_LENGTH = 80
CUE_MAX_WORDS = 8
# A word of a cue: starts with a letter or digit, then letters, digits, apostrophes, periods or
# ampersands ("U.S.", "Kim's", "AT&T"), and may end with "*". Nothing else: no regular expressions.
_CUE_WORD = re.compile(r"[^\W_][\w'’.&]*\*?")
_WORD_SPLIT = re.compile(r"[\s\-‐‑–]+")
_JOIN = r"[\s\-‐‑–]+"
_POSSESSIVE = r"(?:['’]s)?"
_VOWELS = frozenset("aeiou")


def parse_cues(text: str) -> tuple[str, ...]:
    """The cue phrases of a topic's ``cues`` text: one a line, spaces collapsed, blank lines and
    lines starting with "#" (comments) left out, duplicates (any case) dropped."""
    seen: set[str] = set()
    cues = []
    for line in (text or "").splitlines():
        phrase = " ".join(line.split())
        if not phrase or phrase.startswith("#") or phrase.casefold() in seen:
            continue
        seen.add(phrase.casefold())
        cues.append(phrase)
    return tuple(cues)


def cue_errors(text: str) -> list[str]:
    """What is wrong with a topic's ``cues`` text, one message per bad line (empty: it is valid)."""
    errors = []
    for number, line in enumerate((text or "").splitlines(), 1):
        phrase = " ".join(line.split())
        if not phrase or phrase.startswith("#"):
            continue
        words = [w for w in _WORD_SPLIT.split(phrase) if w]
        if len(phrase) > CUE_MAX_LENGTH:
            errors.append(f"Line {number}: a cue has at most {CUE_MAX_LENGTH} characters.")
        elif not words or len(words) > CUE_MAX_WORDS:
            errors.append(f"Line {number}: a cue has from 1 to {CUE_MAX_WORDS} words.")
        elif bad := [w for w in words if not _CUE_WORD.fullmatch(w)]:
            errors.append(
                f'Line {number}: "{bad[0]}" is not a plain word (letters, digits, apostrophes, periods, '
                '"&", and "*" only at the end; write phrases, not regular expressions).'
            )
        elif any(len(w) < 4 and w.endswith("*") for w in words):
            errors.append(f'Line {number}: a word ending in "*" needs at least three letters before it.')
    return errors


def _word_pattern(word: str) -> str:
    if word.endswith("*"):
        return re.escape(word[:-1]) + r"\w*"
    letters = word.rstrip(".")
    if len(letters) >= 2 and letters.isupper():  # an acronym: capitals only, with its plural
        return f"(?-i:{re.escape(word)}s?)" + _POSSESSIVE
    lower = word.lower()
    if not lower.isalpha() or len(lower) < 3 or (lower.endswith("s") and not lower.endswith("ss")):
        return re.escape(word) + _POSSESSIVE  # a plural (or a short word): as written
    if lower.endswith("y") and lower[-2] not in _VOWELS:
        return re.escape(word[:-1]) + "(?:y|ies)" + _POSSESSIVE  # economy, economies
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return re.escape(word) + "(?:es)?" + _POSSESSIVE  # tax, taxes; press, presses
    return re.escape(word) + "s?" + _POSSESSIVE


def _phrase_pattern(phrase: str) -> str:
    words = [w for w in _WORD_SPLIT.split(phrase) if w]
    return _JOIN.join(_word_pattern(w) for w in words)


@dataclass(frozen=True)
class TopicMatcher:
    """Compiled cues: ``match(text)`` gives the keys of the topics whose cues occur in ``text``."""

    patterns: tuple[tuple[Hashable, re.Pattern], ...]

    def match(self, text: str) -> list:
        if not text:
            return []
        return [key for key, pattern in self.patterns if pattern.search(text)]

    def __bool__(self) -> bool:
        return bool(self.patterns)


def compile_cues(cues: Mapping[Hashable, Iterable[str] | str]) -> TopicMatcher:
    """A matcher for topics keyed as in ``cues`` (a topic's key -> its phrases, or its ``cues`` text).

    Compiled once per distinct cue set: a second call with the same cues costs a dictionary look-up.
    Invalid phrases (see ``cue_errors``) are skipped.
    """
    frozen = tuple((key, parse_cues(value) if isinstance(value, str) else tuple(value)) for key, value in cues.items())
    return _compile(frozen)


@lru_cache(maxsize=32)
def _compile(cues: tuple[tuple[Hashable, tuple[str, ...]], ...]) -> TopicMatcher:
    patterns = []
    for key, phrases in cues:
        valid = [p for p in phrases if not cue_errors(p)]
        if not valid:
            continue
        # Longest first, so that the alternation reads "asset freeze" before "asset".
        alternatives = sorted({_phrase_pattern(p) for p in valid}, key=lambda s: (-len(s), s))
        pattern = r"(?<![\w'’])(?:" + "|".join(alternatives) + r")(?!\w)"
        patterns.append((key, re.compile(pattern, re.IGNORECASE)))
    return TopicMatcher(tuple(patterns))


# A sentence ends at ".", "!" or "?" (closing quotes and brackets kept with it) before a space and a
# capital, a digit or an opening quote, or at a line break.
_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])|\n")
CONTEXT_MAX = 600


def claim_context(text: str, start: int, end: int) -> str:
    """The sentence(s) of ``text`` that the claim ``text[start:end]`` lies in, at most CONTEXT_MAX
    characters either side of the claim."""
    low = max(0, start - CONTEXT_MAX)
    sentence_start = low
    for found in _SENTENCE_END.finditer(text, low, min(len(text), start + 2)):
        if found.end() <= start:
            sentence_start = found.end()
    # From the claim's last characters: a claim may end with its sentence's full stop.
    found = _SENTENCE_END.search(text, max(start, end - 2), min(len(text), end + CONTEXT_MAX))
    sentence_end = found.start() + 1 if found else min(len(text), end + CONTEXT_MAX)
    return text[sentence_start:sentence_end]
