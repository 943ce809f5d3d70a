"""What the seed articles must yield: every expert, their affiliation and their quotes."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def seed(prefix: str) -> str:
    (path,) = (ROOT / "seeds").glob(f"{prefix}_*.txt")
    with path.open(encoding="utf-8", newline="") as f:
        return f.read()


@pytest.fixture(scope="module")
def seeds(extract):
    return {p: extract(seed(p)) for p in ("000", "001", "002", "003", "004")}


def by_speaker(result, name):
    return [q for q in result.quotes if q.speaker == name]


def test_seed_000_cho_and_matsegora(seeds):
    r = seeds["000"]
    assert (r.meta.outlet, r.meta.authors, r.meta.published_on) == (
        "NK News",
        ("Leo Byrne",),
        datetime.date(2015, 2, 13),
    )
    cho = by_speaker(r, "Cho Han-bum")
    assert len(cho) == 2
    assert all(q.affiliation.acronym == "KINU" for q in cho)
    assert cho[0].claim_kind == "prediction" and cho[0].hedge == "I expect"
    mats = by_speaker(r, "Alexander Matsegora")
    assert any(q.cue == "continued" and q.speaker_mention == "the Russian diplomat" for q in mats)
    assert any(q.text == "The leaders of the two countries regularly exchange messages" for q in mats)
    assert all("Regularly" not in q.text for q in r.quotes)


def test_seed_001_lankov_muraviev_lee(seeds):
    r = seeds["001"]
    (lankov,) = by_speaker(r, "Andrei Lankov")
    assert "sanctions relief" in lankov.text
    assert (lankov.claim_kind, lankov.hedge) == ("prediction", "very unlikely")
    assert lankov.affiliation.organization == "Kookmin University"
    assert lankov.speaker_mention == "Professor Andrei Lankov"
    muraviev = by_speaker(r, "Alexey Muraviev")
    assert any(q.kind == "mixed" and q.text.startswith("North Korea has to show the US") for q in muraviev)
    assert any(q.speaker_mention == "Mr Muraviev" for q in muraviev)
    assert muraviev[0].affiliation.place == "Perth, Australia"
    lee = by_speaker(r, "Lee Jai-chun")
    assert len(lee) == 2 and lee[0].affiliation.is_former
    assert r.meta.authors == ("Grant Montgomery",)
    assert all("Leave a Reply" not in q.text for q in r.quotes)


def test_seed_002_indirect_experts(seeds):
    r = seeds["002"]
    kim = by_speaker(r, "Seung Kim")
    assert [q.cue for q in kim] == ["explained", "added"]
    assert all(q.kind == "indirect" and q.affiliation.is_former for q in kim)
    (jung,) = by_speaker(r, "Sang-Jang Jung")
    assert (jung.cue, jung.claim_kind, jung.hedge) == ("estimated", "prediction", "high possibility")
    assert jung.affiliation.organization == "Sejong Research Center"


def test_seed_003_matsegora_and_park(seeds):
    r = seeds["003"]
    mats = by_speaker(r, "Alexander Matsegora")
    assert len(mats) == 4
    assert {q.speaker_mention for q in mats} == {"He"}
    assert any(q.text.startswith("More will be achieved") and q.claim_kind == "prediction" for q in mats)
    park = by_speaker(r, "Park Byung Hwan")
    assert [q.kind for q in park] == ["direct", "indirect"]
    assert park[0].affiliation.role == "director"
    assert park[0].affiliation.organization == "Eurasia Strategy Institute"
    assert r.quotes[-1].text != "constructive role"


def test_seed_004_chang_prediction(seeds):
    r = seeds["004"]
    assert (r.meta.outlet, r.meta.authors) == ("The Hankyoreh", ("Yi Yong-in",))
    (chang,) = by_speaker(r, "Chang Yong-seok")
    assert (chang.claim_kind, chang.hedge) == ("prediction", "probably")
    assert chang.affiliation.role == "senior researcher"
    assert chang.affiliation.organization == "Institute for Peace and Unification Studies"
