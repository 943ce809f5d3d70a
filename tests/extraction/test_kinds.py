"""What kind of person a speaker is (claims.extraction.kinds), from what is printed with the name."""

from __future__ import annotations

import pytest

from claims.extraction.kinds import PERSON_KINDS, person_kind
from claims.extraction.types import ExtractedAffiliation


def aff(role: str, organization: str | None = None, text: str | None = None) -> ExtractedAffiliation:
    return ExtractedAffiliation(text=text or role, role=role, organization=organization)


@pytest.mark.parametrize(
    ("titles", "affiliation", "kind"),
    [
        ((), aff("senior research fellow", "Hanbit Institute for Unification"), "analyst"),
        ((), aff("director", "Eurasia Strategy Institute"), "analyst"),
        (("Professor",), None, "academic"),
        ((), aff("associate professor", "Seoul National University"), "academic"),
        ((), aff("Deputy Foreign Minister", "Russia"), "official"),
        ((), aff("spokesperson", "White House National Security Council"), "official"),
        (("President",), None, "official"),
        ((), aff("director", "National Intelligence Service"), "official"),
        ((), aff("deputy director", "state-run Hanbit Institute"), "analyst"),
        ((), aff("lawmaker", "People Power Party"), "politician"),
        ((), aff("correspondent", "Hanbit Daily"), "journalist"),
        ((), aff("teacher"), "other"),
        ((), None, "other"),
        (
            (),
            aff(
                "director",
                "Eurasia Strategy Institute",
                "director of the Eurasia Strategy Institute (formerly an attaché)",
            ),
            "analyst",
        ),
    ],
)
def test_person_kind(titles, affiliation, kind):
    assert kind in PERSON_KINDS
    assert person_kind(titles, affiliation) == kind


def test_people_carry_their_kind(extract):
    text = (
        "Talks resume\n\n"
        "“The talks will fail,” said Ivan Petrov, a senior research fellow at the Hanbit Institute.\n\n"
        "“We will continue the talks,” Russian Deputy Foreign Minister Oleg Sidorov told reporters.\n"
    )
    kinds = {p.name: p.kind for p in extract(text).people}
    assert kinds == {"Ivan Petrov": "analyst", "Oleg Sidorov": "official"}


def test_what_an_official_says_their_own_side_will_do_is_not_a_forecast(extract):
    text = (
        "Talks resume\n\n"
        "Moscow and Hanoi will exchange delegations by the end of the year, Russian Deputy Foreign Minister "
        "Oleg Sidorov said on Monday.\n\n"
        "Moscow and Hanoi will exchange delegations by the end of the year, said Ivan Petrov, a senior research "
        "fellow at the Hanbit Institute.\n"
    )
    result = extract(text)
    official, analyst = (q for q in result.quotes if q.text.startswith("Moscow and Hanoi"))
    assert official.speaker == "Oleg Sidorov"
    assert official.claim_kind != "prediction", official.claim_reason
    assert (analyst.speaker, analyst.claim_kind) == ("Ivan Petrov", "prediction")


@pytest.mark.parametrize(
    "intro",
    [
        "Kremlin spokesman Oleg Sidorov",
        "Oleg Sidorov, a spokesman for the Russian Foreign Ministry,",
        "Oleg Sidorov, a spokesman for Moscow's Foreign Ministry,",
    ],
)
def test_an_officials_side_is_read_from_the_country_printed_in_the_role(extract, intro):
    text = f"Talks resume\n\n{intro} told reporters that Russia will keep developing its ties with Hanoi.\n"
    (quote,) = extract(text).quotes
    assert quote.speaker == "Oleg Sidorov"
    assert quote.claim_kind != "prediction", quote.claim_reason


def test_a_country_an_official_is_posted_to_is_not_their_side(extract):
    text = (
        "Talks resume\n\n"
        "Oleg Sidorov, the ambassador to Russia, told reporters that Russia will keep developing its ties with "
        "Hanoi.\n"
    )
    (quote,) = extract(text).quotes
    assert quote.speaker == "Oleg Sidorov"
    assert quote.claim_kind == "prediction", quote.claim_reason


def test_a_government_body_in_the_role_names_the_side(extract):
    text = (
        "Talks resume\n\nOleg Sidorov, a White House spokesman, said that the U.S.A would keep monitoring the "
        "shipments.\n"
    )
    (quote,) = extract(text).quotes
    assert quote.speaker == "Oleg Sidorov"
    assert quote.claim_kind != "prediction", quote.claim_reason


@pytest.mark.parametrize(
    "lead",
    ["Russia on Tuesday said it was ready to resume the talks.", "The Russian Foreign Ministry says talks can go on."],
)
def test_the_country_the_opening_has_speaking_is_the_side_of_an_official_printed_without_one(extract, lead):
    text = (
        f"Talks resume\n\n{lead}\n\n"
        "Foreign Ministry spokesman Oleg Sidorov told reporters that Russia will keep developing its ties with "
        "Hanoi.\n"
    )
    quote = next(q for q in extract(text).quotes if q.speaker == "Oleg Sidorov")
    assert quote.claim_kind != "prediction", quote.claim_reason


def test_without_a_country_speaking_in_the_opening_an_officials_side_stays_unknown(extract):
    text = (
        "Talks resume\n\nThe talks in Hanoi went on for a second day.\n\n"
        "Foreign Ministry spokesman Oleg Sidorov told reporters that Russia will keep developing its ties with "
        "Hanoi.\n"
    )
    quote = next(q for q in extract(text).quotes if q.speaker == "Oleg Sidorov")
    assert quote.claim_kind == "prediction", quote.claim_reason


def test_what_a_country_hopes_is_a_wish_when_the_claim_is_its_clause(extract):
    text = (
        "Talks resume\n\n"
        "Peru hopes Monday’s fishing accord, which cuts the catch from about 8.5 million tonnes to two million, will "
        "be fully enforced, Peruvian foreign ministry spokesman Oleg Sidorov said in a statement.\n"
    )
    quote = next(q for q in extract(text).quotes if q.speaker == "Oleg Sidorov")
    assert quote.claim_kind != "prediction", quote.claim_reason


def test_a_claim_that_is_the_clause_of_hopes_printed_before_it_is_a_wish():
    from types import SimpleNamespace

    from claims.extraction.pipeline import _cue_of

    text = "Lima hopes the accord will hold, Oleg Sidorov said."
    start = text.index("the accord")
    reported = SimpleNamespace(lemma="say", kind="indirect", start=start, cue_end=None)
    assert _cue_of(text, reported) == "hope"
    assert _cue_of(text.replace("hopes", "says"), reported) == "say"


def test_a_country_speaking_after_the_content_of_the_opening_is_the_side_too(extract):
    text = (
        "Talks resume\n\nThe rebels are moving fuel across the river, the White House said on Monday.\n\n"
        "The shipments are large, Oleg Sidorov, the council's coordinator for communications, told reporters, "
        "adding that the United States would keep looking at its options.\n"
    )
    quote = next(q for q in extract(text).quotes if q.speaker == "Oleg Sidorov" and "options" in q.text)
    assert quote.claim_kind != "prediction", quote.claim_reason
