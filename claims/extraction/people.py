"""Person names: capitalized runs, what they are (person, organization, place), and a registry that
resolves later mentions ("Matsegora", "Mr Muraviev", "Cho") to the person first named in full."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from claims.domain.names import KOREAN_SURNAMES, fold, name_match_key, strip_honorifics
from claims.extraction.lexicon import (
    COUNTRY_NAMES,
    DEMONYMS,
    DOTTED_ACRONYMS,
    FEMALE_NAMES,
    GROUP_WORDS,
    MALE_NAMES,
    NON_NAME_WORDS,
    ORG_WORDS,
    PLACE_WORDS,
    PLAIN_HONORIFICS,
    ROLE_NOUNS,
    TITLES,
)

__all__ = ["NameRun", "PersonRec", "Registry", "analyze_run", "name_runs"]

# A word: letters, with inner hyphens or apostrophes ("Han-bum", "O'Brien", "Kim’s"), and a
# trailing dot for initials and abbreviations.
_WORD_RE = re.compile(r"[^\W\d_](?:[^\W\d_]|[-'’](?=[^\W\d_]))*\.?")
# Second syllables of Korean given names, as romanized in lower case after a space ("Myung ho").
KOREAN_SYLLABLES = frozenset(
    """ho hee hui jin su soo sook suk sik min woo jun joon hyun hyeon ok ja chul cheol young yong yeong il hun
    hoon bin nam ran rim yeon eun jung kyu gyu seok sung seong hwan hwa won gil bum beom han gun geun dae
    dong taek mo mi na ri ae yun yoon""".split()
)
_PARTICLES = frozenset({"de", "van", "von", "bin", "al", "da", "di", "la", "le", "du", "del", "ibn", "der", "dos"})
_POSSESSIVE = re.compile(r"['’]s?$")
_MAX_RUN = 8
# Dotted capitals right before a name word are initials ("J.D. Vance", "John D.Podesta"), unless they
# spell a known abbreviation ("U.S. Ambassador", "U.N. Jane Doe").
_INITIALS_BEFORE_NAME = re.compile(r"(?P<letters>(?:[A-Z]\.){1,3}) ?(?P<next>[A-Z][a-z][\w’'-]*)")


# The capitalized words after an organization's head word and "of", "for" or "on" are the rest of its name, not a
# person's: "the Center for Media and Public Affairs", "the Committee for a Responsible Federal Budget", "the
# Association of Flight Attendants" (the run checked starts where this ends).
_ORG_NAME_BEFORE = re.compile(
    r"\b([A-Z][a-z]+(?:\s+[A-Z][\w'’&.-]*)*)\s+(?:of|for|on)(?:\s+(?:the|a|an))?"
    r"(?:\s+[A-Z][\w'’-]*)*(?:\s+(?:and|&))?\s+$"
)


def _continues_an_organization(text: str, start: int) -> bool:
    """Does the capitalized run starting at ``start`` continue an organization's name printed before it (one of
    the capitalized words before "of", "for" or "on" is an organization's head word: "The Committee for a",
    "the Roper Center for")?"""
    found = _ORG_NAME_BEFORE.search(text, max(0, start - 80), start)
    return found is not None and any(fold(word) in ORG_WORDS for word in found.group(1).split())


def _is_cap(word: str) -> bool:
    if not word or not word[0].isupper():
        return False
    core = word.rstrip(".")
    if len(core) == 1:
        return True  # an initial
    letters = [c for c in core if c.isalpha()]
    # All capitals ("KINU", "DPRK") is an acronym, not a name; mixed case ("McCain") is a name.
    return any(c.islower() for c in letters)


@dataclass
class NameRun:
    """A run of capitalized words joined by single spaces."""

    start: int
    end: int
    words: list[tuple[int, int, str]]  # (start, end, word) with trailing dots and possessives cut
    possessive: bool = False  # the last word carried "’s"


# A word in capitals glued by a hyphen to a capitalized word: a dateline before a name ("MOSCOW-Xi Jinping").
_DATELINE_GLUED = re.compile(r"[A-Z]{2,}-(?=[A-Z][a-z])")

# A nickname in quotation marks inside a name: `Marcia "Cia" Price`.
_NICKNAME_AT = re.compile(r" [\"“][A-Z][a-z][\w’'-]*[\"”] (?=[A-Z][a-z])")


def name_runs(text: str, start: int, end: int) -> list[NameRun]:
    runs: list[NameRun] = []
    cur: list[tuple[int, int, str]] = []
    cur_possessive = False
    prev_end = -1

    def flush() -> None:
        nonlocal cur, cur_possessive
        # Trailing particles are not part of a name.
        while cur and cur[-1][2] in _PARTICLES:
            cur.pop()
        if cur:
            runs.append(NameRun(cur[0][0], cur[-1][1], cur, cur_possessive))
        cur = []
        cur_possessive = False

    initials_end = -1  # the end of dotted initials before a name ("J.D. Vance", "John D.Podesta")
    for m in _WORD_RE.finditer(text, start, end):
        w = m.group()
        ws, we = m.start(), m.end()
        nickname = (
            _NICKNAME_AT.match(text, prev_end)
            if cur and ws == prev_end + 2 and fold(cur[-1][2]) in MALE_NAMES | FEMALE_NAMES
            else None
        )
        if nickname is not None:
            prev_end = nickname.end() - 1  # `Marcia "Cia" Price`: the nickname is skipped, the name runs on
            continue
        dateline = _DATELINE_GLUED.match(w)
        if dateline:
            # A dateline glued to the first name of the story ("MOSCOW-Xi Jinping said"): the place is no
            # part of the name.
            flush()
            ws += dateline.end()
            w = w[dateline.end() :]
        is_initial = len(w) == 2 and w.endswith(".") and w[0].isupper()
        if (
            is_initial
            and ws >= initials_end
            and (ws >= 2 and text[ws - 1] == "." and text[ws - 2].isalpha() or text[we : we + 1].isalpha())
        ):
            dotted = _INITIALS_BEFORE_NAME.match(text, ws)
            inside_group = ws >= 2 and text[ws - 1] == "." and text[ws - 2].isalpha()
            if (
                dotted
                and not inside_group
                and fold(dotted.group("letters").replace(".", "")) not in DOTTED_ACRONYMS
                and fold(dotted.group("next")) not in PLACE_WORDS  # "N.Korea", "S.Korea"
            ):
                initials_end = dotted.end("letters")
            else:
                # A letter of an acronym ("U.N.", "U.S."), not an initial of a name.
                flush()
                prev_end = we
                continue
        if w.endswith(".") and not is_initial and fold(w[:-1]) not in PLAIN_HONORIFICS | TITLES:
            w = w[:-1]
            we -= 1
        possessive = False
        pm = _POSSESSIVE.search(w)
        if pm and len(w) > 2 and w[-2:] in ("’s", "'s"):
            w = w[: pm.start()]
            we = ws + len(w)
            possessive = True
        glued = text[prev_end:ws] == "" and ws <= initials_end + 1 and bool(cur) and cur[-1][2].endswith(".")
        joined = cur and (text[prev_end:ws] in (" ", "\u00a0") or glued) and len(cur) < _MAX_RUN
        if joined and w in KOREAN_SYLLABLES and len(cur) == 2 and fold(cur[0][2]) in KOREAN_SURNAMES:
            # A Korean given name printed with a space, the second syllable in lower case: "Lee Myung ho".
            cur.append((ws, we, w))
            prev_end = we
            continue
        if _is_cap(w):
            if not joined:
                flush()
            cur.append((ws, we, w))
        elif w in _PARTICLES and joined:
            cur.append((ws, we, w))
        else:
            flush()
            prev_end = we
            continue
        prev_end = we
        if possessive:
            cur_possessive = True
            flush()
        elif we < len(text) and text[we : we + 1] not in (" ", "\u00a0") and not (is_initial and w.endswith(".")):
            # Punctuation (",", "(", ":") ends the run.
            flush()
    flush()
    return runs


@dataclass
class RunInfo:
    kind: str  # "person" (two or more name words), "single" (one name word), "org", "place", "other"
    name: str = ""
    name_start: int = 0
    name_end: int = 0
    mention_start: int = 0  # including titles: "Mr Muraviev", "Professor Andrei Lankov"
    titles: tuple[str, ...] = ()
    premod: tuple[int, int] | None = None  # "North Korean leader", "Russian President"
    evidence: bool = False  # something besides capitals says this is a person


def _given_name_evidence(words: list[str]) -> bool:
    first = fold(words[0]).split("-")[0]
    if first in MALE_NAMES or first in FEMALE_NAMES:
        return True
    # Korean names, family name first ("Cho Han-bum") or last ("Sang-Jang Jung").
    if len(words) in (2, 3):
        f0, fl = fold(words[0]), fold(words[-1])
        if f0 in KOREAN_SURNAMES and (len(words) == 3 or "-" in words[-1] or fl not in KOREAN_SURNAMES):
            return True
        if fl in KOREAN_SURNAMES and "-" in words[0]:
            return True
    return False


def _name_starts_at(words: list[str], k: int) -> bool:
    """Does a person's name start at ``words[k]`` (a given name, or a Korean family name before a
    hyphenated given name), with at most three name words after it?"""
    rest = words[k:]
    if not 2 <= len(rest) <= 3:
        return False
    first = fold(rest[0]).split("-")[0]
    if first in MALE_NAMES or first in FEMALE_NAMES:
        return True
    if first not in KOREAN_SURNAMES:
        return False
    # "Ri Chol-man", or a given name printed as two syllables: "Jeong Gil Su", "Kim Jong Un".
    return "-" in rest[1] or (
        len(rest) == 3 and all(2 <= len(w) <= 5 and w[:1].isupper() and w[1:].islower() for w in rest[1:])
    )


_CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december".split()
)


def _calendar_surname(text: str, folded: list[str], spans) -> bool:
    """A given name and a weekday or month set off by a role is a person: "Chris Monday, an associate
    professor at ..." (not "Monday" as a date)."""
    return (
        len(folded) == 2
        and folded[1] in _CALENDAR
        and (folded[0] in MALE_NAMES or folded[0] in FEMALE_NAMES)
        and bool(re.match(r",\s+(?:a|an|the)\s", text[spans[-1][1] : spans[-1][1] + 8]))
    )


def _name_word(word: str, folded: str) -> bool:
    """A word that can be part of a person's name: capitalized, and no organization, place, title or
    function word."""
    return (
        word[:1].isupper()
        and any(c.islower() for c in word)
        and not any(folded in s for s in (ORG_WORDS, PLACE_WORDS, DEMONYMS, NON_NAME_WORDS, ROLE_NOUNS, TITLES))
    )


# A name never starts with a number word: "Zero Hedge", "Five Thirty Eight" are a website, a company.
_NUMBER_WORDS = frozenset(
    "zero one two three four five six seven eight nine ten eleven twelve twenty hundred thousand million".split()
)
# A run printed right after "the" ("The Hill reported", "the Real Clear Politics average") is a publication, a
# company or a team, not a person, unless a title or a given name says otherwise ("the Rev. Al Sharpton").
_THE_BEFORE = re.compile(r"(?<![\w’'])[Tt]he\s+$")
# Words that end a name when glued after it, unless they follow a given name as its surname: "Theresa May",
# "Charlie King" (a modal, a title).
_SURNAME_AFTER_GIVEN = frozenset({"may", "will", "king", "judge", "page", "bishop", "marshal", "major", "dean"})


def _after_given_name(words: list[str], k: int) -> bool:
    """Is ``words[k]`` the last word of the run, right after a known given name (a surname, not a glued word)?"""
    if k != len(words) - 1 or k == 0:
        return False
    given = fold(words[k - 1]).split("-")[0]
    return fold(words[k].rstrip(".")) in _SURNAME_AFTER_GIVEN and (given in MALE_NAMES or given in FEMALE_NAMES)


# Honorifics that also start a pageant's or a contest's title ("Miss Universe", "Mr. Olympia").
_PAGEANT_HONORIFICS = frozenset({"miss", "mister", "mr", "mrs", "ms"})


# Titles that are one only with their dot: "Del. Jane Roe" (a delegate), not "Benicio Del Toro".
_DOTTED_TITLES = frozenset({"del"})


def _title_as_printed(word: str) -> bool:
    return word.endswith(".") or fold(word) not in _DOTTED_TITLES


def _is_initial(word: str) -> bool:
    return len(word) == 2 and word.endswith(".") and word[0].isupper()


def _korean_surname_before_given_name(words: list[str]) -> bool:
    """Is this a Korean family name that is also a function word ("An", "Oh"), before a hyphenated given name
    whose second syllable is Korean ("An Min-ho", "Oh Jin-su"; not "An Anti-war ...")?"""
    if len(words) != 2 or fold(words[0]) not in KOREAN_SURNAMES:
        return False
    given = words[1].split("-")
    return len(given) == 2 and given[0][:1].isupper() and given[1].islower() and given[1] in KOREAN_SYLLABLES


def analyze_run(text: str, run: NameRun) -> RunInfo:
    words = [w for _, _, w in run.words]
    spans = run.words
    if fold(words[0].rstrip(".")) in _NUMBER_WORDS and len(words) > 1:
        return RunInfo("other")
    after_the = bool(_THE_BEFORE.search(text, max(0, run.start - 5), run.start))
    i = 0
    # Sentence-initial and function words ("The", "But", "According").
    while (
        i < len(words)
        and fold(words[i].rstrip(".")) in NON_NAME_WORDS
        and not (i and _is_initial(words[i]))
        and not _korean_surname_before_given_name(words[i:])
    ):
        i += 1
    lead = i
    after_the = after_the or (lead > 0 and fold(words[lead - 1]) == "the")
    titles: list[str] = []
    premod_start = None
    # Demonyms, places, titles before the name ("Russian President", "North Korean Defense Minister").
    while i < len(words) - 1:
        f = fold(words[i].rstrip("."))
        if (f in TITLES or f in ROLE_NOUNS) and _title_as_printed(words[i]):  # "Presidential Aide", "Del."
            titles.append(words[i])
            if premod_start is None:
                premod_start = i
            i += 1
            if f in _PAGEANT_HONORIFICS and len(words) - i >= 3 and not _given_name_evidence(words[i:]):
                # "Miss Universe Alicia Machado": the word after "Miss" is the title's, the name follows.
                titles.append(f"{words[i - 1]} {words[i]}")
                i += 1
        elif f in DEMONYMS or f in ROLE_NOUNS or (f in PLACE_WORDS and len(words) - i > 2):
            if premod_start is None:
                premod_start = i
            i += 1
        else:
            break
    # A title inside the run ("Phoenix Mayor Greg Stanton", "Senate Majority Leader Mitch McConnell"):
    # the name is what follows the last one.
    for k in range(len(words) - 2, i - 1, -1):
        f = fold(words[k].rstrip("."))
        if (
            (f in TITLES or f in ROLE_NOUNS)
            and words[k][:1].isupper()
            and _title_as_printed(words[k])
            and not _after_given_name(words, k)
        ):
            if premod_start is None:
                premod_start = i
            titles.append(words[k])
            i = k + 1
            break
    # Words of an organization or a title before a name that starts with a known given name or a
    # Korean family name: "Strategic Communications John Kirby", "Foreign Affairs Ri Chol-man".
    # Not when the run itself starts with a given name: "Christina N Luis Olidem" is one person's name.
    given_first = i < len(words) and fold(words[i]).split("-")[0] in MALE_NAMES | FEMALE_NAMES
    for k in range(i + 1, len(words) - 1):
        if not given_first and _name_starts_at(words, k):
            if premod_start is None:
                premod_start = i
            i = k
            break
    rest = words[i:]
    rest_spans = spans[i:]
    if not rest:
        return RunInfo("other")
    folded = [fold(w.rstrip(".")) for w in rest]
    given = MALE_NAMES | FEMALE_NAMES
    # An organization's name run into a person's: "spokesperson for the Ministry of Foreign Affairs Lu Kang".
    for k in range(len(folded) - 3, -1, -1):
        tail = folded[k + 1 :]
        if (folded[k] in ORG_WORDS or folded[k] == "affairs") and 2 <= len(tail) <= 3:
            if all(_name_word(w, f) for w, f in zip(rest[k + 1 :], tail, strict=True)):
                if premod_start is None:
                    premod_start = i
                i += k + 1
                rest, rest_spans, folded = rest[k + 1 :], rest_spans[k + 1 :], tail
            break
    # A given name that is also an organization's word ("Bill Clinton", not "the bill") does not count.
    org_words = [f for k, f in enumerate(folded) if f in ORG_WORDS and not (k == 0 and len(folded) > 1 and f in given)]
    if org_words and not _calendar_surname(text, folded, rest_spans):
        return RunInfo("org", rest[0])
    if i == lead and _continues_an_organization(text, rest_spans[0][0]):
        return RunInfo("org", rest[0])
    if " ".join(folded) in COUNTRY_NAMES:
        return RunInfo("place")  # "Saudi Arabia", "New Zealand"
    if len(rest) > 1 and folded[-1] in GROUP_WORDS and folded[-1].endswith("s"):
        return RunInfo("other")  # "Virginia Democrats": a party's branch, a group
    if after_the and i == lead and not titles and not run.possessive and not _given_name_evidence(rest):
        return RunInfo("org", rest[0])  # "The Hill reported", "the Real Clear Politics average"
    if len(rest) == 1 and (folded[0] in TITLES or folded[0] in ROLE_NOUNS or folded[0] in DEMONYMS):
        return RunInfo("other")
    if all(f in PLACE_WORDS or f in DEMONYMS for f in folded):
        return RunInfo("place")
    glued = [
        k
        for k, f in enumerate(folded)
        if k > 0
        and (f in NON_NAME_WORDS or f in ROLE_NOUNS)
        and not _is_initial(rest[k])  # "Julie A. Diaz"
        and not _after_given_name(rest, k)  # "Theresa May", "Charlie King"
    ]
    if glued and len(rest) > 1:
        # "Kim Jong Un And Putin" (headline capitals): cut at the first function word.
        rest, rest_spans = rest[: glued[0]], rest_spans[: glued[0]]
    name_start, name_end = rest_spans[0][0], rest_spans[-1][1]
    if titles:
        mention_start = spans[[k for k in range(lead, i) if words[k] in titles][0]][0]
    else:
        mention_start = name_start
    premod = (spans[premod_start][0], spans[i - 1][1]) if premod_start is not None and premod_start < i else None
    name = text[name_start:name_end]
    if any(mark in name for mark in '"“”'):
        name = " ".join(rest)  # without the nickname
    kind = "person" if len(rest) >= 2 else "single"
    role_titles = [t for t in titles if fold(t.rstrip(".")) not in PLAIN_HONORIFICS]
    evidence = bool(titles) or _given_name_evidence(rest)
    if kind == "person" and len(rest) > 4:
        return RunInfo("other")
    return RunInfo(kind, name, name_start, name_end, mention_start, tuple(role_titles or titles), premod, evidence)


# ---------------------------------------------------------------------------------------------
# Registry


def _surname_first(parts: list[str]) -> bool:
    return len(parts) >= 2 and parts[0] in KOREAN_SURNAMES and parts[-1] not in KOREAN_SURNAMES


@dataclass
class PersonRec:
    name: str
    key: str
    parts: list[str]  # folded words of the name ("han-bum" kept whole)
    surname: str
    first_pos: int
    gender: str | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    evidence: bool = False
    speaker: bool = False
    full: bool = True  # named in full somewhere (not only by one word)
    affiliation: object | None = None  # ExtractedAffiliation
    affiliation_rank: int = 99
    roles: set[str] = field(default_factory=set)  # role nouns seen in titles and affiliations

    def add_mention(self, span: tuple[int, int]) -> None:
        if span not in self.mentions:
            self.mentions.append(span)


def _words_of(name: str) -> list[str]:
    # An initial glued to the next word is a word of its own: "John D.Podesta".
    return [fold(w) for w in re.split(r"\s+|(?<=(?<![^\W\d_])[A-Z]\.)(?=[A-Z])", name.strip()) if w]


def _gender_of(given: str) -> str | None:
    """The gender a given name suggests, or None when it does not say: a name used for both, or a
    compound whose parts are not all known to agree ("Jean-Pierre": "Jean" alone would say female)."""
    genders = set()
    for name in given.split("-") if given not in MALE_NAMES | FEMALE_NAMES else [given]:
        male, female = name in MALE_NAMES, name in FEMALE_NAMES
        if male == female:
            return None
        genders.add("m" if male else "f")
    return genders.pop() if len(genders) == 1 else None


class Registry:
    def __init__(self) -> None:
        self.people: list[PersonRec] = []
        self._by_key: dict[str, PersonRec] = {}

    def _make(self, name: str, pos: int, full: bool) -> PersonRec:
        parts = _words_of(name)
        surname = parts[0] if _surname_first(parts) else parts[-1]
        gender = _gender_of(parts[0]) if len(parts) >= 2 and not _surname_first(parts) else None
        rec = PersonRec(name, name_match_key(name), parts, surname, pos, gender, full=full)
        self.people.append(rec)
        self._by_key[rec.key] = rec
        return rec

    def add_full(self, name: str, pos: int) -> PersonRec:
        name = strip_honorifics(name)
        key = name_match_key(name)
        rec = self._by_key.get(key)
        if rec is not None:
            return rec
        words = name.split()
        if len(words) == 2 and fold(words[0]) in _PARTICLES:
            # "De Margerie" at the start of a sentence: the surname of "Jean-Pierre de Margerie".
            known = [p for p in self.people if p.full and p.name.casefold().endswith(name.casefold())]
            if len(known) == 1:
                return known[0]
        parts = _words_of(name)
        if len(parts) >= 2 and parts[0].split("-")[0] not in MALE_NAMES | FEMALE_NAMES:
            # A double surname printed without the given name: "Mr. Guajardo Villarreal" after "Ildefonso
            # Guajardo Villarreal".
            known = [p for p in self.people if p.full and len(p.parts) > len(parts) and p.parts[-len(parts) :] == parts]
            if len(known) == 1:
                return known[0]
        surname = parts[0] if _surname_first(parts) else parts[-1]
        # A person so far known by one word ("Matsegora said" before "Alexander Matsegora").
        for other in self.people:
            if not other.full and other.surname == surname:
                other.name, other.key, other.parts, other.full = name, key, parts, True
                self._by_key[key] = other
                return other
        return self._make(name, pos, True)

    def add_single(self, word: str, pos: int) -> PersonRec:
        return self._make(word, pos, False)

    def by_name(self, name: str) -> PersonRec | None:
        return self._by_key.get(name_match_key(strip_honorifics(name)))

    def candidates_for_word(self, word: str) -> list[PersonRec]:
        f = fold(word)
        out = [p for p in self.people if p.surname == f]
        if not out:
            out = [p for p in self.people if f in p.parts or any(f == part.split("-")[0] for part in p.parts)]
        return out

    def resolve_word(self, word: str, pos: int) -> PersonRec | None:
        """The person a one-word mention at ``pos`` refers to: the most recently mentioned match."""
        cands = self.candidates_for_word(word)
        if not cands:
            return None
        if len(cands) == 1:
            return cands[0]

        def last_before(p: PersonRec) -> int:
            before = [s for s, _ in p.mentions if s < pos]
            return max(before) if before else -1

        best = max(cands, key=last_before)
        if last_before(best) >= 0:
            return best
        return min(cands, key=lambda p: p.first_pos)
