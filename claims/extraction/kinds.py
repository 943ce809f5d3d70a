"""What kind of person a speaker is, from the titles and affiliation printed with the name.

``person_kind`` gives one of ``PERSON_KINDS``: an analyst (think tanks, researchers, experts), an
academic (professors, lecturers), an official (ministers, diplomats, spokespeople, officers, heads of
state), a politician (lawmakers, candidates, party leaders), a journalist, or other (nothing printed
says). Officials and politicians are kept as speakers but marked, so that an analyst can tell experts
from officials. The first rule that applies wins, in the order of ``_RULES``.
"""

from __future__ import annotations

import re

from claims.domain.names import fold
from claims.extraction.lexicon import DEMONYM_COUNTRIES

__all__ = ["PERSON_KINDS", "person_kind"]

PERSON_KINDS = ("analyst", "academic", "official", "politician", "journalist", "other")

_JOURNALIST = frozenset(
    "journalist reporter correspondent editor columnist commentator anchor presenter blogger".split()
)
_ACADEMIC = frozenset("professor lecturer academic dean provost rector historian".split())
_ANALYST = frozenset(
    "analyst researcher fellow expert specialist economist strategist scientist physicist scholar "
    "pollster observer watcher consultant".split()
)
_POLITICIAN = frozenset(
    "lawmaker legislator senator congressman congresswoman congressmember politician candidate nominee "
    "assemblyman assemblywoman mp parliamentarian frontrunner front-runner sen sens rep reps representative delegate "
    "del assemblymember".split()
)
_OFFICIAL = frozenset(
    """minister secretary spokesman spokeswoman spokesperson ambassador envoy diplomat consul official
    negotiator undersecretary secretary-general commissioner governor mayor premier pm chancellor king queen
    dictator ruler emperor monarch commander general admiral colonel lieutenant major brigadier marshal
    aide adviser advisor coordinator attache attaché chargé charge rapporteur administrator gov""".split()
)
# Heads of an organization: officials when it is a state body, analysts at a think tank.
_HEADS = frozenset(
    "president vice-president president-elect chairman chairwoman chair leader director head chief".split()
)
_STATE = re.compile(
    r"\b(?:ministry|government|administration|state|department|council|cabinet|embassy|kremlin|white house|"
    r"presidential|military|army|navy|forces|command|agency|intelligence|party|parliament|assembly|duma|"
    r"congress|senate|politburo|committee)\b",
    re.I,
)
_PARTY = re.compile(r"\b(?:party|parliament|assembly|duma|congress|senate|opposition)\b", re.I)
_RESEARCH = re.compile(
    r"\b(?:institute|center|centre|program|programme|foundation|university|academy|college|school|"
    r"think[- ]tank|studies|research|council on|forum)\b",
    re.I,
)
_FUNDED = re.compile(r"\b(?:state|government)[- ](?:run|funded|owned|affiliated|backed|sponsored)\b", re.I)
_COUNTRIES = frozenset(fold(c) for c in DEMONYM_COUNTRIES.values()) | frozenset(DEMONYM_COUNTRIES)


def _words(s: str | None) -> set[str]:
    return {fold(w.strip(",.’'()")) for w in (s or "").split()}


def person_kind(titles=(), affiliation=None) -> str:
    """ "analyst", "academic", "official", "politician", "journalist" or "other" for a person printed with
    these ``titles`` ("Professor", "Deputy Foreign Minister") and this ``affiliation``
    (``ExtractedAffiliation`` or None)."""
    role = affiliation.role if affiliation is not None else ""
    org = (affiliation.organization or "") if affiliation is not None else ""
    parent = (affiliation.parent_organization or "") if affiliation is not None else ""
    # What a parenthesis says is another time or another hat: "(formerly the Economic Attaché at ...)".
    text = re.sub(r"\([^)]*\)?", " ", affiliation.text) if affiliation is not None else ""
    words = _words(" ".join(titles)) | _words(role) | _words(text)
    # "the state-run Korea Institute ...": a think tank the state funds is still a think tank.
    orgs = _FUNDED.sub(" ", " ".join((org, parent, text)))
    if words & _JOURNALIST:
        return "journalist"
    if words & _ACADEMIC:
        return "academic"
    if words & _ANALYST:
        return "analyst"
    if words & _POLITICIAN or (words & {"member", "deputy", "leader", "chairman", "head"} and _PARTY.search(orgs)):
        return "politician"
    if words & _OFFICIAL:
        return "official"
    if words & _HEADS:
        if _RESEARCH.search(orgs) and not _STATE.search(orgs):
            return "analyst"
        if _STATE.search(orgs) or fold(org) in _COUNTRIES or words & _COUNTRIES:
            return "official"
        if not org and not parent and words & {"president", "president-elect", "premier", "leader"}:
            return "official"  # "President Jane Roe": a head of state unless an organization is printed
    return "other"
