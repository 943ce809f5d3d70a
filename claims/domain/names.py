"""Person-name normalization shared by the models, the API filters and ingestion.

Pure functions, no Django. Two forms:

``normalize_name``
    The form stored on every alias and used by every lookup, on SQLite and
    PostgreSQL alike: case-folded, accents stripped, hyphens and spaces folded
    into single separators between name parts, and the parts sorted so that
    name order does not matter. "Ryong-Hae Choi" and "Choi Ryong Hae" both
    become "choi hae ryong".

``name_match_key``
    The identity key ingestion uses to decide that two spellings name one
    person: the normalized parts with known romanization variants of Korean
    surnames folded to one spelling (Choe/Choi, Lee/Yi/Rhee/Ri, Park/Pak,
    Jung/Chung/Jeong, ...). It only folds whole parts from a fixed table, so
    "Kim Jong Un", "Kim Jong Il" and "Kim Yo Jong" keep different keys.

``name_query``
    The one rule of every name search (the API's ``expert`` and ``name``
    filters, the pages, the admin search): an alias matches when each part of
    the search occurs in the alias's identity key, as written or with its
    romanization folded ("lankov" in "andrei lankov"; "Yi Jai-chun" finds
    "Lee Jai-chun", "Pak" finds "Park Byung Hwan", "Jo" finds "John" and
    "Cho"). At most MAX_QUERY_PARTS parts.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

__all__ = [
    "HONORIFICS",
    "KOREAN_SURNAMES",
    "MAX_QUERY_PARTS",
    "ROMANIZATION_VARIANTS",
    "family_name_key",
    "fold",
    "name_match_key",
    "name_parts",
    "name_query",
    "names_resemble",
    "normalize_name",
    "sort_name",
    "strip_honorifics",
]

# Characters that separate name parts: white space, hyphens and dashes of every
# kind, underscores, commas, slashes and dots ("Kim J. Un").
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212_,/.;:()\[\]]+")
# Characters dropped inside a part: apostrophes and quote marks ("O'Brien").
_DROPPED = re.compile(r"[\'\u2018\u2019\u201b`\"\u201c\u201d]")

# Romanization variants of Korean surnames (and the few syllables that are
# spelled several ways in both Koreas' systems). Each set maps to its first
# member. Only whole name parts are folded.
ROMANIZATION_VARIANTS: dict[str, str] = {}
for _canonical, *_variants in (
    ("choi", "choe", "chwe", "choy"),
    ("lee", "yi", "rhee", "ri", "rhie", "lie", "yee"),
    ("park", "pak", "bak", "pahk"),
    ("jung", "chung", "jeong", "cheong", "joung"),
    ("kim", "gim"),
    ("cho", "jo"),
    ("kang", "gang"),
    ("jang", "chang"),
    ("yoon", "yun"),
    ("shin", "sin"),
    ("lim", "rim", "im"),
    ("kwon", "gwon"),
    ("ahn", "an"),
    ("moon", "mun"),
    ("roh", "noh"),
    ("seo", "suh"),
    ("hyun", "hyon", "hyeon"),
):
    for _name in (_canonical, *_variants):
        ROMANIZATION_VARIANTS[_name] = _canonical

# Common Korean family names in their usual romanizations, to tell
# family-name-first names ("Park Byung Hwan") from given-name-first ones.
KOREAN_SURNAMES = frozenset(ROMANIZATION_VARIANTS) | frozenset(
    "han song hwang oh jeon chun jun nam yang go ko koh bae baek paek heo hur yu yoo ryu hong son sohn "
    "kwak ku koo woo min na nah ha byun pyon cha ju joo won wi ma gil yeo ok tak pyo hyon".split()
)

HONORIFICS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "prof",
        "professor",
        "sir",
        "dame",
        "ambassador",
        "president",
        "minister",
        "senator",
        "gen",
        "general",
        "col",
        "colonel",
        "rev",
    }
)


def fold(text: str) -> str:
    """Case-fold and strip accents: "Žižek" -> "zizek"."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def name_parts(name: str) -> list[str]:
    """The folded parts of a name, in the order written."""
    folded = _DROPPED.sub("", fold(name))
    return [part for part in _SEPARATORS.split(folded) if part]


def normalize_name(name: str) -> str:
    """The order-independent normalized form stored on aliases.

    >>> normalize_name("Ryong-Hae Choi") == normalize_name("choi ryong hae")
    True
    """
    return " ".join(sorted(name_parts(name)))


def name_match_key(name: str) -> str:
    """The identity key: normalized parts with romanization variants folded.

    >>> name_match_key("Choe Ryong Hae") == name_match_key("Ryong-hae Choi")
    True
    >>> name_match_key("Kim Jong Un") == name_match_key("Kim Jong Il")
    False
    """
    parts = [ROMANIZATION_VARIANTS.get(part, part) for part in name_parts(strip_honorifics(name))]
    return " ".join(sorted(parts))


# A person's name has a handful of parts; a search of more is refused (a search of 1,900 parts cost
# half a second of the database's time per request).
MAX_QUERY_PARTS = 12


def name_query(query: str) -> list[tuple[str, str]]:
    """The parts of a name search, each as (written, folded): an alias matches when its identity key
    (name_match_key) contains, for every part, either spelling. Honorifics are dropped, as from the key.

    >>> name_query("Yi Jai-chun")
    [('yi', 'lee'), ('jai', 'jai'), ('chun', 'chun')]
    """
    return [(part, ROMANIZATION_VARIANTS.get(part, part)) for part in name_parts(strip_honorifics(query))]


def strip_honorifics(name: str) -> str:
    """Drop leading titles: "Professor Andrei Lankov" -> "Andrei Lankov"."""
    words = name.split()
    while len(words) > 1 and words[0].rstrip(".").casefold() in HONORIFICS:
        words = words[1:]
    return " ".join(words)


def family_name_key(name: str) -> str:
    """The identity key of the family name alone: the first part of a Korean name written family name
    first ("Cho Han-bum" -> "cho"), else the last part ("Andrei Lankov" -> "lankov"); "" for no name."""
    words = strip_honorifics(name).split()
    if not words:
        return ""
    family = (
        words[0]
        if len(words) >= 2 and fold(words[0]) in KOREAN_SURNAMES and fold(words[-1]) not in KOREAN_SURNAMES
        else words[-1]
    )
    return name_match_key(family)


def sort_name(name: str) -> str:
    """A sort key for display lists: "Andrei Lankov" -> "Lankov, Andrei".

    Korean names written family name first ("Cho Han-bum", "Park Byung Hwan",
    the usual form in English-language press) are kept as written.
    """
    words = strip_honorifics(name).split()
    if len(words) < 2:
        return " ".join(words)
    if fold(words[0]) in KOREAN_SURNAMES and fold(words[-1]) not in KOREAN_SURNAMES:
        return " ".join(words)
    return f"{words[-1]}, {' '.join(words[:-1])}"


def _similar(a: str, b: str) -> bool:
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:  # an initial: "J." ~ "Jane"
        return a[0] == b[0]
    # Romanization and transliteration drift: "muraviev"/"muravyov", "bum"/"beom", "jai"/"jae".
    return min(len(a), len(b)) >= 3 and SequenceMatcher(None, a, b).ratio() >= 0.66


def names_resemble(a: str, b: str) -> bool:
    """Whether two names with different match keys might still be one person.

    True when every part of the shorter name has a near-identical part in the
    longer one ("Alexey Muraviev" ~ "Alexei Muravyov", "Andrei Lankov" ~
    "Andrei N. Lankov"), so a curator should look, and the family names agree.
    Different given names ("Kim Jong Un" and "Kim Jong Il") and a name word in
    another place ("Warren E. Buffett", "Elizabeth Warren") do not resemble.
    """
    parts_a = name_match_key(a).split()
    parts_b = name_match_key(b).split()
    if not parts_a or not parts_b or parts_a == parts_b:
        return False
    shorter, longer = sorted((parts_a, parts_b), key=len)
    if len(shorter) < 2:
        return False
    if not _similar(family_name_key(a), family_name_key(b)):
        return False  # "Warren E. Buffett" is not "Elizabeth Warren": family names must agree
    remaining = list(longer)
    for part in shorter:
        match = next((other for other in remaining if _similar(part, other)), None)
        if match is None:
            return False
        remaining.remove(match)
    return True
