"""Affiliations as printed next to a name: appositives (``Cho Han-bum, senior research fellow at the
Korea Institute for National Unification (KINU)``), of-phrases after a title (``Professor Andrei Lankov
of Seoul's Kookmin University``) and role words before a name (``North Korean leader Kim Jong Un``)."""

from __future__ import annotations

import dataclasses
import re

from claims.domain.names import fold
from claims.extraction.lexicon import (
    DEMONYMS,
    FORM_TO_LEMMA,
    NON_NAME_WORDS,
    ORG_WORDS,
    PLACE_WORDS,
    ROLE_NOUNS,
    TITLES,
)
from claims.extraction.types import ExtractedAffiliation

__all__ = [
    "appositive_after",
    "description_before",
    "of_phrase_after",
    "parse_affiliation",
    "premodifier_before",
    "relative_clause_after",
    "role_words",
]

_STOP_WORDS = frozenset(
    """is was are were be been being has have had will would can could should may might must does did do
    who which whose whom that says said told added noted explained when where while because although
    but if as than said, saying adding""".split()
)
_TOKEN_RE = re.compile(r"[^\W_][\w'’&.-]*|[(),;:!?\u201c\u201d\"\u2014\u2013]|\.")
_ABBREV_DOT = re.compile(r"^(?:(?:[A-Za-z]\.)+[A-Za-z]?\.?|(?:Inc|Co|Corp|Ltd|Jr|Sr|St|Dr|Mr|Mrs|Ms|Prof|No)\.?)$")
_MAX_WORDS = 30
_DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "our"})


def role_words(s: str) -> set[str]:
    return {fold(w) for w in re.findall(r"[\w’'-]+", s)} & (ROLE_NOUNS | TITLES)


def _has_role(s: str, first_n: int = 10) -> bool:
    raw = re.findall(r"[\w’'-]+", s)[:first_n]
    words = [fold(w) for w in raw]
    # "editor-in-chief", "deputy-director": a hyphenated word holding a role noun is a role.
    # A plural role noun is one too, as scraped wire copy prints it: "X, North Korea watchers from Y University".
    return any(
        w in ROLE_NOUNS or w in TITLES or ("-" in w and set(w.split("-")) & ROLE_NOUNS) or _plural_role(raw, k)
        for k, w in enumerate(words)
    )


def _plural_role(words: list[str], k: int) -> bool:
    """Is ``words[k]`` a plural role noun after capitalized words only ("North Korea watchers"; not "speaking to
    reporters")?"""
    w = fold(words[k])
    return len(w) > 4 and w.endswith("s") and w[:-1] in ROLE_NOUNS and all(x[:1].isupper() for x in words[:k])


# A list of lowercase nouns inside a role's domain, up to the organization: ", disarmament, and
# nonproliferation at the National Security Council".
_ROLE_LIST = re.compile(
    r"\s*(?:[a-z][\w-]*(?:\s+[a-z][\w-]*)?\s*,\s*)*(?:and|or)\s+[a-z][\w-]*(?:\s+[a-z][\w-]*)?"
    r"(?=\s+(?:at|of|for|in)\s+(?:the\s+)?[A-Z])"
)


def _scan_phrase(text: str, i: int, limit: int) -> int:
    """End of a descriptive phrase starting at ``i``: stops before a verb, a clause or a quote."""
    depth = 0
    end = i
    words = 0
    prev = ""
    skip_to = i  # the end of a list of lowercase nouns taken whole
    for m in _TOKEN_RE.finditer(text, i, limit):
        if m.start() < skip_to:
            continue
        tok = m.group()
        if tok == "(":
            depth += 1
            continue
        if tok == ")":
            if depth == 0:
                break
            depth -= 1
            end = m.end()
            continue
        if depth > 0:
            end = m.end()
            continue
        if tok in (";", ":", "!", "?", "\u201c", "\u201d", '"', "\u2014", "\u2013"):
            break
        if tok == ".":
            before = text[max(i, m.start() - 12) : m.start()].split()
            if before and _ABBREV_DOT.search(before[-1] + "."):
                end = m.end()
                continue
            break
        if tok == "," and words and (listed := _ROLE_LIST.match(text, m.end(), limit)):
            end = skip_to = listed.end()
            words += 1
            continue
        if tok == ",":
            nxt = re.match(r"\s*([^\W\d_][\w'’-]*)", text[m.end() : m.end() + 40])
            if not nxt or not nxt.group(1)[0].isupper():
                break
            word = nxt.group(1)
            after = text[m.end() + nxt.end() : m.end() + nxt.end() + 2]
            if fold(word) in PLACE_WORDS or after[:1] in (",", ".", ")", "") or after[:1] == "\n":
                continue  # "Perth, Australia"
            break
        low = tok.casefold().rstrip(".")
        if low in _STOP_WORDS or (
            low in FORM_TO_LEMMA and words > 0 and not tok[0].isupper() and prev not in _DETERMINERS
        ):
            break  # a verb ends the phrase, but not a noun after a determiner ("the think tank")
        prev = low
        words += 1
        if words > _MAX_WORDS:
            return i
        end = m.end()
        if tok.endswith(".") and len(tok) > 1 and not _ABBREV_DOT.search(tok):
            end = m.end() - 1
            break
    return end


_AGE = re.compile(r",\s+\d{1,3}\s*,\s+(?=(?:a|an|the|former)\s)")


def appositive_after(text: str, pos: int, limit: int) -> tuple[int, int] | None:
    """``, senior research fellow at ...`` right after a name ending at ``pos``; an age printed
    between them is skipped (``Olga, 34, a teacher in Kyiv``)."""
    m = _AGE.match(text, pos, limit) or re.compile(r",\s+").match(text, pos, limit)
    if not m:
        return None
    start = m.end()
    first = re.compile(r"[(\w]").match(text, start, limit)
    if not first:
        return None
    end = _scan_phrase(text, start, limit)
    while end > start and text[end - 1] in " ,":
        end -= 1
    if end <= start:
        return None
    phrase = text[start:end]
    body = re.sub(r"^(?:\(\w+\)\s*)?(?:(?:a|an|the)\s+)?(?:former\s+|ex-)?", "", phrase, flags=re.I)
    if not body:
        return None
    first_word = body.split()[0]
    if fold(first_word) in ("who", "which", "whose", "and", "but"):
        return None
    if first_word[0].isupper() and fold(first_word.rstrip(",")) not in TITLES | DEMONYMS | ROLE_NOUNS:
        # A capitalized first word that is no title ("Trump, Clinton and ...") is a list, not a role,
        # unless a role noun follows soon ("Korean People's Army political bureau chief").
        if not _has_role(body, 8):
            return None
    if not _has_role(body):
        return None
    return start, end


def of_phrase_after(text: str, pos: int, limit: int) -> tuple[int, int] | None:
    """`` of Seoul's Kookmin University`` right after a (titled) name, or set off by a comma (``, of the
    Center for a New American Security``)."""
    m = _OF_PHRASE.match(text, pos, limit)
    if not m:
        return None
    end = _scan_phrase(text, m.end(), limit)
    while end > m.end() and text[end - 1] in " ,":
        end -= 1
    if end <= m.end():
        return None
    return m.start() + len(m.group()) - len(m.group().lstrip(", ")), end


def organization_of(phrase: str) -> str:
    """The organization an of-phrase set off by a comma names: "Hanbit Party" of ", of the ruling Hanbit Party"."""
    return re.sub(rf"^(?:of|at|from)\s+(?:the\s+)?(?:{_ORG_ADJECTIVES}\s+){{0,2}}", "", phrase, flags=re.I)


_CLOCK = frozenset({"pm", "am", "p.m", "a.m"})
_NAME_CONNECTORS = frozenset({"and", "for", "of", "&", "on"})
_PREMOD_WORD = re.compile(r"([\w’'.-]+)\s+$")


def premodifier_before(text: str, pos: int, lo: int) -> tuple[int, int] | None:
    """Role words printed before a name: ``North Korean leader``, ``GOP frontrunner``."""
    i = pos
    start = None
    has_role = False
    n = 0
    connector = None  # the start of the last "and"/"for"/"of" inside an organization's name before the role
    while n < (10 if connector is not None else 6):
        m = _PREMOD_WORD.search(text, max(lo, i - 40), i)
        if not m or m.end() != i:
            break
        w = m.group(1)
        f = fold(w.rstrip("."))
        if f in _CLOCK and re.search(r"\d\s*$", text[max(lo, m.start() - 3) : m.start(1)]):
            return (start, pos) if has_role else None  # "at 3 PM Ivan Orlov spoke": the time, not a title
        if f in ROLE_NOUNS or f in TITLES:
            has_role = True
        elif f in _NAME_CONNECTORS and has_role and start is not None and text[start : start + 1].isupper():
            # "Center for Strategic and International Studies analyst": words of the organization's name
            connector = m.start(1)
            i = m.start()
            n += 1
            continue
        elif f in DEMONYMS or (w[:1].isupper() and f not in ("the", "a", "an", "and", "of", "in", "with", "by")):
            if not has_role:
                break
        elif connector is not None:
            break  # inside an organization's name only capitals: "released part of Republican nominee X" stops
        elif w.islower() and f not in NON_NAME_WORDS:
            if not has_role or f in FORM_TO_LEMMA:
                break
        else:
            break
        start = m.start(1)
        i = m.start()
        n += 1
    if start is None or not has_role:
        return _title_phrase_before(text, pos, lo)
    if connector is not None and (
        connector < start or not any(fold(w) in ORG_WORDS for w in re.findall(r"[\w’'-]+", text[start:connector]))
    ):
        # no organization's word before the connector ("Russia and Ukraine President ..."): start after it
        after = re.match(r"[\w’'&-]+\s+", text[connector:pos])
        start = connector + (after.end() if after else 0)
    # Do not start on a bare adjective that is really part of a clause before it.
    return start, pos


_TITLE_CONNECTORS = frozenset({"of", "for", "the", "and", "on", "to", "&"})


def _title_phrase_before(text: str, pos: int, lo: int) -> tuple[int, int] | None:
    """A capitalized title with its domain before a name: ``Coordinator for Strategic Communications``,
    ``UN Special Rapporteur for North Korea``, ``Deputy Minister of Foreign Affairs``."""
    i = pos
    words: list[tuple[int, str]] = []
    while len(words) < 10:
        m = _PREMOD_WORD.search(text, max(lo, i - 40), i)
        if not m or m.end() != i:
            break
        w = m.group(1)
        if not (w[:1].isupper() or w.casefold() in _TITLE_CONNECTORS):
            break
        words.append((m.start(1), w))
        i = m.start()
    roles = [k for k, (_, w) in enumerate(words) if w[:1].isupper() and fold(w.rstrip(".")) in (ROLE_NOUNS | TITLES)]
    if not roles:
        return None
    k = roles[-1]  # the leftmost role word (words run right to left)
    while k + 1 < len(words) and words[k + 1][1][:1].isupper():
        k += 1  # capitalized words just before it: "Special", "National Security Council"
    return words[k][0], pos


# Words that may stand between "the" and an organization's name: "at the private Asan Institute".
_ORG_ADJECTIVES = (
    r"(?:state-run|state-funded|state-owned|state-affiliated|government-run|government-funded|"
    r"government-affiliated|government-backed|private|independent|prestigious|influential|non-profit|nonprofit|"
    r"think[- ]tank|"
    # a party's place: "of the ruling Democratic Party", "of the main opposition People Power Party"
    r"ruling|governing|main|opposition|conservative|liberal|progressive|centrist|nationalist|left-wing|right-wing|"
    r"far-right|far-left|centre-left|center-left|centre-right|center-right)"
)
_OF_PHRASE = re.compile(rf",?\s+(?:of|at|from)\s+(?=(?:the\s+)?(?:{_ORG_ADJECTIVES}\s+){{0,2}}[A-Z])")
_PREP_SPLIT = re.compile(rf"\s(at|of|with|for|from)\s+(?=(?:the\s+)?(?:{_ORG_ADJECTIVES}\s+){{0,2}}[A-Z0-9])")
_ACRONYM = re.compile(r"\s*\((?P<acr>[A-Z][A-Za-z0-9&.\-]{1,14})\)")
_PLACE_TAIL = re.compile(r"\s+in\s+(?P<place>[A-Z][\w.’'-]*(?:(?:\s+|,\s+)[A-Z][\w.’'-]*)*)$")
_POSSESSIVE_PLACE = re.compile(r"^(?P<place>[A-Z][\w-]*(?:\s[A-Z][\w-]*)?)['’]s\s+(?P<org>[A-Z].*)$")
_PARENTHETICAL = re.compile(r"\s*\([^()]*\)")


def _is_role_phrase(s: str) -> bool:
    words = re.findall(r"[\w’'&-]+", s)
    if not words:
        return False
    for w in words:
        f = fold(w)
        if w[0].isupper() and f not in DEMONYMS and f not in TITLES and f not in ROLE_NOUNS and f not in PLACE_WORDS:
            return False  # a place qualifies a role ("Russia expert", "Korea Chair"); other capitals are a name
    return any(fold(w) in ROLE_NOUNS or fold(w) in TITLES or _plural_role(words, k) for k, w in enumerate(words))


def parse_affiliation(text: str, start: int, end: int, title: str | None = None) -> ExtractedAffiliation | None:
    """Split a printed affiliation into role, organization, acronym and place."""
    raw = text[start:end]
    if not raw.strip():
        return None
    main = raw
    if title is not None:
        # "Professor Andrei Lankov of Seoul's Kookmin University": the role is the title.
        m = re.search(r"\s(?:of|at|from)\s+", main)
        org_part = main[m.end() :] if m else ""
        role = title
        prefix_former = False
    else:
        # Keep an acronym in brackets and a leading "(North)"; drop other parentheticals
        # ("(formerly the Economic Attaché ...)").
        main_clean = _PARENTHETICAL.sub(
            lambda mm: mm.group(0) if _ACRONYM.fullmatch(mm.group(0)) or mm.start() == 0 else "", main
        )
        main_clean = re.sub(r"^\((\w+)\)\s*", r"(\1) ", main_clean)
        body = re.sub(r"^(?:a|an|the)\s+", "", main_clean.strip(), flags=re.I)
        prefix_former = bool(re.match(r"(?:former|ex-)\s*", body, flags=re.I))
        body = re.sub(r"^(?:former\s+|ex-)", "", body, flags=re.I)
        role, org_part = body, ""
        for m in _PREP_SPLIT.finditer(body):
            before = body[: m.start()]
            if _is_role_phrase(before):
                role, org_part = before, body[m.end() :]
                break
    role = role.strip(" ,")
    organization = acronym = place = parent = None
    if org_part:
        org = re.sub(rf"^(?:the\s+)?(?:{_ORG_ADJECTIVES}\s+){{0,2}}", "", org_part.strip(), flags=re.I)
        am = _ACRONYM.search(org)
        if am:
            acronym = am.group("acr")
            tail = org[am.end() :]
            org = org[: am.start()] + tail
        pm = _PLACE_TAIL.search(org)
        if pm:
            place = pm.group("place")
            org = org[: pm.start()]
        par = re.search(r"\s+at\s+(?:the\s+)?(?P<parent>[A-Z].*)$", org)
        if par:
            parent = par.group("parent").strip(" ,")
            org = org[: par.start()]
        pp = _POSSESSIVE_PLACE.match(org)
        if pp:  # "Seoul's Kookmin University"
            place = place or pp.group("place")
            org = pp.group("org")
        org = org.strip(" ,.")
        if org and all(fold(w) in PLACE_WORDS for w in org.split()):
            place = place or org
            org = ""
        organization = org or None
    is_former = prefix_former or bool(re.match(r"former\b", role, flags=re.I))
    if title is None and not role and not organization:
        return None
    return ExtractedAffiliation(
        text=raw,
        role=role,
        organization=organization,
        acronym=acronym,
        place=place,
        is_former=is_former,
        start=start,
        end=end,
        parent_organization=parent,
    )


# A relative clause after a name that says what the person is or does: ", who served as a nuclear
# negotiator until 2012," ", who heads the Hanbit Institute's Russia desk,".
_RELATIVE = re.compile(
    r",\s+who\s+(?:(?P<now>is|has\s+been|serves\s+as|works\s+as|acts\s+as)|(?P<then>was|had\s+been|served\s+as|"
    r"worked\s+as|acted\s+as))\s+(?:(?:also|now|currently|then|previously|still)\s+)?|"
    r",\s+who\s+(?:(?:also|now|currently|then|previously|still)\s+)?(?P<head>heads|headed|leads|led|directs|directed|"
    r"runs|ran|chairs|chaired|manages|managed)\s+(?=the\s|[A-Z])|"
    r",\s+who\s+(?:(?:also|now|currently|then|previously|still)\s+)?(?P<at>teaches|taught|works|worked|lectures|"
    r"lectured|researches|researched)\s+(?:at|for|with)\s+(?=the\s|[A-Z])",
)
_HEAD_ROLES = {
    "heads": "head", "headed": "head", "leads": "head", "led": "head", "runs": "head", "ran": "head",
    "directs": "director", "directed": "director", "chairs": "chair", "chaired": "chair",
    "manages": "manager", "managed": "manager",
}  # fmt: skip
_PAST_HEAD = frozenset({"headed", "led", "ran", "directed", "chaired", "managed", "taught", "worked", "lectured",
                        "researched"})  # fmt: skip
# Dates and spans printed after the role: "until 2012", "from 2009 to 2013", "since last year", "in the 1990s".
_ROLE_DATES = re.compile(
    r"\s+(?:until|till|through|since|from|between|before|after|during|in|for)\s+(?:(?:the|last|early|late|mid)[\s-]+)*"
    r"(?:\d|year|decade|month|(?:Jan|Feb|March|April|May|June|July|Aug|Sept|Oct|Nov|Dec)[a-z]*\b).*$",
    re.I,
)
_APPOINTED = re.compile(r"(?:appointed|named|elected|promoted|made)\s+(?:as\s+|to\s+(?:be\s+)?)?", re.I)
_OWNER_UNIT = re.compile(r"^(?P<owner>[A-Z][\w.&-]*(?:\s+(?:of\s+|for\s+|and\s+)?[A-Z][\w.&-]*)*)['’]s\s+(?P<unit>.+)$")


def relative_clause_after(text: str, pos: int, limit: int) -> ExtractedAffiliation | None:
    """The affiliation a relative clause right after a name ending at ``pos`` prints: what the person
    is or was (``, who served as a nuclear negotiator until 2012,``: "nuclear negotiator", former), what
    they head (``, who heads the Hanbit Institute's Russia desk,``: "head of Russia desk", "Hanbit
    Institute") or where they work (``, who teaches at Hanbit University,``). Dates printed after the role
    stay in the text, not in the role. None when the clause says nothing of a role or organization."""
    m = _RELATIVE.match(text, pos, limit)
    if m is None:
        return None
    start = m.end()
    current = False
    if m.group("now") or m.group("then"):
        appointed = _APPOINTED.match(text, start, limit)
        if appointed:  # "who was appointed ambassador in 2020": the office they hold now
            start, current = appointed.end(), True
    end = _scan_phrase(text, start, limit)
    while end > start and text[end - 1] in " ,":
        end -= 1
    if end <= start:
        return None
    printed = text[start:end]
    phrase = _ROLE_DATES.sub("", printed).strip(" ,")
    if not phrase:
        return None
    verb = (m.group("head") or m.group("at") or "").casefold()
    former = not current and (bool(m.group("then")) or verb in _PAST_HEAD)
    if m.group("now") or m.group("then"):
        if not _has_role(phrase):
            return None  # "who was in Pyongyang last week"
        aff = parse_affiliation(text, start, start + len(phrase))
        if aff is None:
            return None
        return dataclasses.replace(aff, text=printed, end=end, is_former=aff.is_former or former)
    org = re.sub(r"^the\s+", "", phrase, flags=re.I)
    role = _HEAD_ROLES.get(verb, "")
    owner = _OWNER_UNIT.match(org)
    if owner and role and fold(owner.group("owner").split()[-1]) in ORG_WORDS:
        # "the Hanbit Institute's Russia desk": head of the desk, at the institute
        role, org = f"{role} of {owner.group('unit')}", owner.group("owner")
    acronym = None
    am = _ACRONYM.search(org)
    if am:
        acronym, org = am.group("acr"), (org[: am.start()] + org[am.end() :]).strip()
    if not org or not org[:1].isupper():
        return None
    return ExtractedAffiliation(
        text=printed, role=role, organization=org, acronym=acronym, is_former=former, start=start, end=end
    )


# A description set off before a name that a comma closes after it: "the head of the Hanbit Institute,
# Ivan Petrov, said", "was stated by the spokeswoman of the Foreign Ministry, Maria Lopez, during".
_DESCRIPTION_BEFORE = re.compile(
    r"(?:^|(?<=[.;:!?\n])\s*|(?<=[.;:!?]\s)|(?<![\w’'])(?:by|from|with|to)\s+)(?P<desc>(?:[Tt]he|[Aa]n?)\s+[^,;:()“”\"\n]{3,120}?),\s+$"
)


def description_before(text: str, start: int, end: int, lo: int) -> ExtractedAffiliation | None:
    """The affiliation a description set off before a name (``start``-``end``) prints, when a comma, a
    full stop or a closing bracket follows the name: ``the head of the Hanbit Institute, Ivan Petrov,``."""
    if not re.match(r"\s*[,.)]", text[end : end + 2]):
        return None
    m = _DESCRIPTION_BEFORE.search(text, max(lo, start - 160), start)
    if m is None or not _has_role(m.group("desc")):
        return None
    return parse_affiliation(text, m.start("desc"), m.end("desc"))
