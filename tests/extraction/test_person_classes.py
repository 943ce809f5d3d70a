"""Classes of names that are not people's (teams, agencies, outlets, companies, a party's branch, countries,
one-word leftovers of an organization's name) and names with a word glued on (a headline verb, a contest
title, a surname that is also a modal or a title). Short texts of our own."""

from __future__ import annotations

import pytest

from claims.extraction.text import build_structure
from tests.conftest import quote_with


def _people(result) -> set[str]:
    return {p.name for p in result.people}


def test_a_sports_team_is_not_a_person(extract):
    text = (
        "Fans return\n\n"
        "Protesters marched past the stadium where the Denver Panthers beat the Ohio Vikings on Sunday.\n\n"
        "“We want answers,” Maria Lopez, a student, said.\n"
    )
    result = extract(text)
    assert "Denver Panthers" not in _people(result)
    assert quote_with(result, "We want answers").speaker == "Maria Lopez"


def test_an_agency_named_by_its_function_is_not_a_person(extract):
    text = (
        "Visas under review\n\n"
        "Officials at Border Fraud Investigations, a unit of the agency, said they were worried about the money.\n"
    )
    result = extract(text)
    assert "Border Fraud Investigations" not in _people(result)
    assert all(q.speaker != "Border Fraud Investigations" for q in result.quotes)


def test_a_name_printed_after_the_is_a_publication_or_a_company(extract):
    text = (
        "Tax breaks\n\n"
        "“The loophole lets owners defer the gains for years,” The Ledger reported.\n\n"
        "The Open Ballot Tracker average shows the senator ahead by four points.\n"
    )
    result = extract(text)
    names = _people(result)
    assert "Ledger" not in names and "Open Ballot Tracker" not in names
    assert quote_with(result, "The loophole").speaker is None


def test_the_before_a_given_name_or_a_title_still_names_a_person(extract):
    text = "Rally\n\n“We march on,” said the Rev. Samuel Okafor.\n"
    assert quote_with(extract(text), "We march on").speaker == "Samuel Okafor"


def test_a_company_printed_before_a_title_is_not_a_person_on_its_own(extract):
    text = (
        "Bank hearing\n\n"
        "Senator Ana Ruiz questioned Harlow Brixton CEO Thomas Reed on Tuesday.\n\n"
        "Harlow Brixton announced that it would end the sales bonuses next year.\n"
    )
    result = extract(text)
    assert "Harlow Brixton" not in _people(result)
    assert "Thomas Reed" in _people(result)


def test_a_website_named_with_a_number_word_is_not_a_person(extract):
    text = "Jobs data\n\n“The real rate is far higher,” Zero Margin said on its blog.\n"
    result = extract(text)
    assert "Zero Margin" not in _people(result)


def test_a_party_branch_is_not_a_person(extract):
    text = (
        "Turnout\n\n"
        "A long ballot could help Nevada Democrats bring out their voters, and Democrats said the map was unfair.\n"
    )
    assert "Nevada Democrats" not in _people(extract(text))


def test_a_country_printed_in_full_is_a_place(extract):
    text = "Veto\n\nA coalition led by Saudi Arabia fought in Yemen.\n\n“Families have waited too long,” she said.\n"
    result = extract(text)
    assert "Saudi Arabia" not in _people(result)
    assert quote_with(result, "Families have waited").speaker is None


def test_one_word_left_of_a_company_name_is_the_company(extract):
    text = (
        "Mine cleanup\n\n"
        "The mines belonged to Granite Coal, a spinoff of Larch Energy.\n\n"
        "In a statement, Larch said that Granite had been a successful company.\n\n"
        "Granite said that it would sell the mines.\n"
    )
    result = extract(text)
    names = _people(result)
    assert "Larch" not in names and "Granite" not in names


def test_a_one_word_source_with_a_title_stays_a_person(extract):
    text = "Mine cleanup\n\nThe mines belonged to Granite Coal.\n\n“It was a good deal,” Mr. Granite said.\n"
    assert quote_with(extract(text), "It was a good deal").speaker == "Granite"


def test_a_headline_verb_after_a_name_the_body_prints_by_surname(extract):
    text = (
        "Maria Lopez Slams Rival Over Taxes\n\n"
        "The senator spoke in Reno on Monday.\n\n"
        "“He has not paid his share,” Lopez said.\n"
    )
    result = extract(text)
    assert quote_with(result, "paid his share").speaker == "Maria Lopez"
    assert "Maria Lopez Slams" not in _people(result)


def test_a_contest_title_before_a_name_is_a_role(extract):
    text = (
        "Tweets\n\n"
        "The tweets targeted former Miss Galaxy Renata Villalobos, who said she was hurt.\n\n"
        "“I will not be silenced,” Villalobos said.\n"
    )
    result = extract(text)
    q = quote_with(result, "will not be silenced")
    assert q.speaker == "Renata Villalobos"
    person = next(p for p in result.people if p.name == "Renata Villalobos")
    assert person.affiliation is not None and person.affiliation.role == "Miss Galaxy"


def test_a_surname_that_is_also_a_modal_or_a_title(extract):
    text = (
        "Brexit\n\n"
        "Prime Minister Theresa May said that the country would leave by March.\n\n"
        "“It matters,” said Charlie King, a party donor.\n"
    )
    result = extract(text)
    assert "Theresa May" in _people(result)
    assert quote_with(result, "It matters").speaker == "Charlie King"


def test_a_middle_initial_stays_in_the_name(extract):
    text = "Voices\n\n“He woke us up,” said Julie A. Moreno Diaz.\n"
    assert quote_with(extract(text), "He woke us up").speaker == "Julie A. Moreno Diaz"


def test_a_name_of_four_words_starting_with_a_given_name_stays_whole(extract):
    text = "Voices\n\n“He is no leader.” ― Maria N Luis Ortega\n"
    assert quote_with(extract(text), "He is no leader").speaker == "Maria N Luis Ortega"


@pytest.mark.parametrize(
    ("sentence", "mention"),
    [
        ("“We will not cave,” Democratic Sen. Maria Lopez said on Monday.", "Sen. Maria Lopez"),
        ("“We will not cave,” said Republican nominee Maria Lopez.", "Maria Lopez"),
        ("“We will not cave,” said Rep. Maria Lopez (D-Va.) on Monday.", "Rep. Maria Lopez"),
        ("“We will not cave,” said Sen. Maria Lopez, R-Ohio.", "Sen. Maria Lopez"),
        ("“We will not cave,” said Nevada Democratic Rep. Maria Lopez.", "Rep. Maria Lopez"),
        ("“We will not cave,” said state Del. Maria Lopez (D-Fairfax).", "Del. Maria Lopez"),
    ],
)
def test_a_party_or_a_state_printed_with_a_title_stays_out_of_the_name(extract, sentence, mention):
    result = extract(f"Budget fight\n\n{sentence}\n")
    q = quote_with(result, "We will not cave")
    assert (q.speaker, q.speaker_mention) == ("Maria Lopez", mention)
    assert [p.kind for p in result.people] == ["politician"]


def test_del_without_its_dot_is_part_of_a_name(extract):
    text = "Film\n\n“I loved the script,” said Benicio Del Toro.\n"
    assert quote_with(extract(text), "loved the script").speaker == "Benicio Del Toro"


def test_a_nickname_in_quotation_marks_is_part_of_the_name_and_no_quote(extract):
    text = 'Rally\n\nHis niece, state Del. Maria "Mia" Lopez (D-Fairfax), spoke first. "The state is watching."\n'
    result = extract(text)
    assert not [q for q in result.quotes if q.text == "Mia"]
    assert [p.name for p in result.people] == ["Maria Lopez"]
    assert quote_with(result, "The state is watching").speaker == "Maria Lopez"


def test_a_quoted_word_not_inside_a_name_is_still_a_quote():
    text = 'She called it "Theft" and left. Voters chose Lopez "Twice" Then left.'
    quoted = [text[q.start : q.end] for q in build_structure(text, 0, len(text)).quotes]
    assert quoted == ["Theft", "Twice"]


def test_a_given_name_that_is_also_an_organizations_word_starts_a_name(extract):
    text = "Storm\n\nMayor Bill Okafor toured the damage.\n\n“We will rebuild,” Bill Okafor said.\n"
    assert quote_with(extract(text), "We will rebuild").speaker == "Bill Okafor"


def test_a_double_surname_without_the_given_name_is_the_person_named_in_full(extract):
    text = (
        "Trade\n\n"
        "Eduardo Salinas Ortega, the economy minister, arrived on Monday.\n\n"
        "“We must not overreact,” Mr. Salinas Ortega told reporters.\n"
    )
    result = extract(text)
    assert quote_with(result, "must not overreact").speaker == "Eduardo Salinas Ortega"
    assert [p.name for p in result.people] == ["Eduardo Salinas Ortega"]
