"""Affiliations printed next to names: appositives, acronyms, places, former roles, titles."""

from __future__ import annotations

import pytest

from tests.conftest import quote_with


def aff_of(result, fragment):
    return quote_with(result, fragment).affiliation


def test_role_organization_and_acronym(extract):
    text = (
        "Talks\n\n“Visits are risky now,” Cho Min-jun, senior research fellow at the Institute for Regional "
        "Studies (IRS) told NK News.\n"
    )
    aff = aff_of(extract(text), "risky")
    assert aff.role == "senior research fellow"
    assert aff.organization == "Institute for Regional Studies"
    assert aff.acronym == "IRS"
    assert text[aff.start : aff.end] == aff.text


def test_place_after_the_organization(extract):
    text = (
        "Talks\n\nIvan Petrov, associate professor at Curtin University in Perth, Australia, says the North "
        "wants partners.\n"
    )
    aff = aff_of(extract(text), "wants partners")
    assert (aff.role, aff.organization, aff.place) == ("associate professor", "Curtin University", "Perth, Australia")


def test_former_role_without_organization(extract):
    text = "Talks\n\n“Little will come of it,” Lee Min-ho, a former South Korean ambassador to Japan, told reporters.\n"
    aff = aff_of(extract(text), "Little will come")
    assert aff.is_former
    assert aff.role == "South Korean ambassador to Japan"
    assert aff.organization is None


def test_parenthetical_former_post_is_not_the_role(extract):
    text = (
        "Talks\n\n“The visit signals a shift,” said Park Jin-ho, director of the Eurasia Policy Institute "
        "(formerly an attaché at the embassy in Moscow).\n"
    )
    aff = aff_of(extract(text), "signals a shift")
    assert (aff.role, aff.organization, aff.is_former) == ("director", "Eurasia Policy Institute", False)


def test_organization_inside_a_university(extract):
    text = (
        "Talks\n\n“The North will probably try again,” said Chang Min-seok, senior researcher at the Institute "
        "for Peace Studies at Hanbit National University.\n"
    )
    aff = aff_of(extract(text), "probably try")
    assert aff.role == "senior researcher"
    assert aff.organization == "Institute for Peace Studies"
    assert aff.parent_organization == "Hanbit National University"


def test_role_before_the_name(extract):
    text = "Talks\n\nNorth Korean leader Kim Jong Un will visit Russia, state media reported.\n"
    person = next(p for p in extract(text).people if p.name == "Kim Jong Un")
    # As printed in text; the demonym becomes the organization, so that the role reads the same for
    # every country ("leader" of "North Korea").
    assert person.affiliation.text == "North Korean leader"
    assert (person.affiliation.role, person.affiliation.organization) == ("leader", "North Korea")


@pytest.mark.parametrize(
    ("sentence", "role", "organization"),
    [
        ("Russian President Vladimir Putin said the talks had gone well.", "President", "Russia"),
        ("Russia’s Defense Minister Sergei Shoigu said the talks had gone well.", "Defense Minister", "Russia"),
        ("North Korean leader Kim Jong Un said the talks had gone well.", "leader", "North Korea"),
        ("US President Jane Roe said the talks had gone well.", "President", "US"),
        ("In Seoul, U.S. Ambassador Ivan Petrov said the talks had gone well.", "Ambassador", "U.S."),
    ],
)
def test_the_country_before_a_title_is_the_affiliations_organization(extract, sentence, role, organization):
    result = extract(f"Talks.\n\n{sentence}\n")
    q = quote_with(result, "talks had gone well")
    assert (q.affiliation.role, q.affiliation.organization) == (role, organization)


@pytest.mark.parametrize(
    ("text", "speaker", "role"),
    [
        ("Prices\n\n“We cannot buy bread any more,” said Olga, 34, a teacher.\n", "Olga", "teacher"),
        (
            "Prices\n\n“We cannot buy bread any more,” Ivan Petrov, 62, a retired diplomat, said.\n",
            "Ivan Petrov",
            "retired diplomat",
        ),
    ],
)
def test_an_age_between_name_and_role_is_skipped(extract, text, speaker, role):
    q = quote_with(extract(text), "buy bread")
    assert q.speaker == speaker
    assert q.affiliation is not None and q.affiliation.role == role


@pytest.mark.parametrize(
    ("clause", "role", "organization", "former"),
    [
        ("who served as a trade negotiator until 2011", "trade negotiator", None, True),
        ("who is a senior fellow at the Hanbit Institute", "senior fellow", "Hanbit Institute", False),
        ("who was appointed ambassador to Peru in 2020", "ambassador to Peru", None, False),
        ("who heads the Hanbit Institute's Asia desk", "head of Asia desk", "Hanbit Institute", False),
        ("who directed the Lakeside Foundation from 2001 to 2009", "director", "Lakeside Foundation", True),
        ("who teaches at Hanbit University", "", "Hanbit University", False),
    ],
)
def test_a_relative_clause_after_the_name_is_the_affiliation(extract, clause, role, organization, former):
    text = f"Talks\n\nMaria Lopez, {clause}, said the talks had gone well.\n"
    aff = aff_of(extract(text), "had gone well")
    assert (aff.role, aff.organization, aff.is_former) == (role, organization, former)
    assert text[aff.start : aff.end] == aff.text


def test_a_relative_clause_that_names_no_role_is_no_affiliation(extract):
    text = "Talks\n\nMaria Lopez, who was in Lima last week, said the talks had gone well.\n"
    assert aff_of(extract(text), "had gone well") is None


def test_a_role_printed_after_a_later_mention_is_the_persons(extract):
    text = (
        "Talks\n\nMaria Lopez spoke at the forum on Monday. Lopez, who heads the Hanbit Institute's Asia desk, "
        "said the talks had gone well.\n"
    )
    quote = quote_with(extract(text), "had gone well")
    assert quote.speaker == "Maria Lopez"
    assert (quote.affiliation.role, quote.affiliation.organization) == ("head of Asia desk", "Hanbit Institute")


@pytest.mark.parametrize(
    ("sentence", "role", "organization"),
    [
        ("The head of the Hanbit Institute, Maria Lopez, said the talks had gone well.", "head", "Hanbit Institute"),
        (
            "This was stated by the spokeswoman of the Lakeside Ministry, Maria Lopez, at a briefing. She said "
            "the talks had gone well.",
            "spokeswoman",
            "Lakeside Ministry",
        ),
    ],
)
def test_a_description_set_off_before_the_name_is_the_affiliation(extract, sentence, role, organization):
    quote = quote_with(extract(f"Talks\n\n{sentence}\n"), "had gone well")
    assert quote.speaker == "Maria Lopez"
    assert (quote.affiliation.role, quote.affiliation.organization) == (role, organization)


def test_a_phrase_before_the_name_that_the_name_does_not_close_is_no_description(extract):
    text = "Talks\n\nSpeaking to the president, Maria Lopez said the talks had gone well.\n"
    assert aff_of(extract(text), "had gone well") is None


def test_a_word_between_the_and_the_organizations_name_is_not_part_of_it(extract):
    text = (
        "Talks\n\nMaria Lopez, deputy director of research at the state-run Hanbit Institute, said the talks had "
        "gone well.\n"
    )
    quote = quote_with(extract(text), "had gone well")
    assert (quote.affiliation.role, quote.affiliation.organization) == (
        "deputy director of research",
        "Hanbit Institute",
    )


@pytest.mark.parametrize(
    ("appositive", "role", "organization"),
    [
        ("an analyst at the Center for Naval Studies", "analyst", "Center for Naval Studies"),
        ("a fellow at the Hanbit University Institute for Peaceful Trade", "fellow", None),
        ("a Japan expert at the think tank Hanbit Institute", "Japan expert", "Hanbit Institute"),
    ],
)
def test_organizations_whose_names_end_like_a_persons_or_follow_a_common_noun(extract, appositive, role, organization):
    text = f"Talks\n\nMaria Lopez, {appositive}, said the talks had gone well.\n"
    aff = aff_of(extract(text), "had gone well")
    assert aff.role == role
    assert organization is None or aff.organization == organization
    assert aff.organization is not None


def test_a_role_noun_before_an_organization_run_into_the_name(extract):
    text = "Talks\n\n“The talks went well,” spokesperson for Peru’s Ministry of Foreign Affairs Maria Lopez said.\n"
    quote = quote_with(extract(text), "talks went well")
    assert quote.speaker == "Maria Lopez"
    assert (quote.affiliation.role, quote.affiliation.organization) == (
        "spokesperson",
        "Peru’s Ministry of Foreign Affairs",
    )


def test_an_organization_in_brackets_after_a_label(extract):
    text = (
        "Workers\n\nNine workers arrived in the port last month from the north of the country.\n\n"
        "Prof. Maria Lopez (Hanbit Univ.) : “Some of them go to work abroad to earn foreign currency.”\n"
    )
    quote = quote_with(extract(text), "Some of them go")
    assert quote.speaker == "Maria Lopez"
    assert (quote.affiliation.role, quote.affiliation.organization) == ("Prof.", "Hanbit Univ.")


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Talks\n\n“It is unacceptable,” Deputy Foreign Minister Ivan Petrov said.\n", "Deputy Foreign Minister"),
        ("Talks\n\nDeputy Trade Minister Ivan Petrov said on Monday that talks failed.\n", "Deputy Trade Minister"),
    ],
)
def test_titles_that_open_the_mention_are_the_role_whole(extract, text, role):
    (quote,) = extract(text).quotes
    assert quote.affiliation is not None and quote.affiliation.role == role


def test_a_plain_honorific_is_no_role(extract):
    (quote,) = extract("Talks\n\n“It is unacceptable,” Mr. Ivan Petrov said.\n").quotes
    assert quote.speaker == "Ivan Petrov" and quote.affiliation is None


def test_an_organization_set_off_by_a_comma_after_the_name(extract):
    text = "Gains\n\n“Both would gain from a bargain,” said Ivan Petrov, of the Hanbit Institute for Peace.\n"
    (quote,) = extract(text).quotes
    assert quote.affiliation.organization == "Hanbit Institute for Peace" and quote.affiliation.role == ""


def test_a_hyphenated_role_in_an_appositive(extract):
    text = (
        "Gains\n\nAccording to Ivan Petrov, former editor-in-chief of the Hanbit Daily, cooperation will strengthen.\n"
    )
    (quote,) = extract(text).quotes
    assert quote.affiliation.is_former and quote.affiliation.role.startswith("editor-in-chief")


def test_a_list_inside_a_role_runs_to_its_organization(extract):
    text = (
        "Talks\n\nIvan Petrov, senior director for arms control, disarmament, and nonproliferation at the "
        "Hanbit Council, said talks are needed.\n"
    )
    (quote,) = extract(text).quotes
    assert quote.affiliation.role == "senior director for arms control, disarmament, and nonproliferation"
    assert quote.affiliation.organization == "Hanbit Council"


def test_a_comma_and_lowercase_words_after_a_name_are_no_affiliation(extract):
    (quote,) = extract("Talks\n\nIvan Petrov, of course, said that talks are needed.\n").quotes
    assert quote.affiliation is None


@pytest.mark.parametrize(
    ("text", "speaker", "organization"),
    [
        (
            "Vote\n\nCandidates differ, with Jane Roe of the ruling Liberty Party calling for talks.\n\n"
            "“We are ready,” said Jane Roe.\n",
            "Jane Roe",
            "Liberty Party",
        ),
        (
            "Vote\n\nIvan Petrov of the main opposition Union Party said talks would fail.\n",
            "Ivan Petrov",
            "Union Party",
        ),
        ("Vote\n\n“No,” said Mark Lee, of the conservative Hanbit Party.\n", "Mark Lee", "Hanbit Party"),
    ],
)
def test_a_party_with_its_place_is_the_organization(extract, text, speaker, organization):
    person = next(p for p in extract(text).people if p.name == speaker)
    assert person.affiliation.organization == organization


def test_an_organizations_name_with_for_and_and_before_the_role_is_kept_whole(extract):
    text = "Vote\n\n“It failed,” Institute for Peace and Unification Studies analyst Maria Lopez told AFP.\n"
    aff = aff_of(extract(text), "It failed")
    assert aff.text == "Institute for Peace and Unification Studies analyst"


def test_and_between_two_countries_before_a_title_does_not_join_them(extract):
    text = "Vote\n\nAfter talks between Russia and Ukraine President Ivan Petrov said the war would end.\n"
    aff = aff_of(extract(text), "war would end")
    assert aff.text == "Ukraine President"


def test_an_appositive_at_a_later_mention_replaces_a_one_word_title(extract):
    text = (
        "Vote\n\nAnalyst Jane Roe said more.\n\nThe talks raise questions, Roe, a senior adviser at the Center "
        "for Peace Studies, wrote in an op-ed.\n"
    )
    person = next(p for p in extract(text).people if p.name == "Jane Roe")
    assert (person.affiliation.role, person.affiliation.organization) == ("senior adviser", "Center for Peace Studies")


def test_an_appositive_at_a_later_mention_keeps_a_title_with_its_country(extract):
    text = "Vote\n\nRussian President Ivan Petrov said more.\n\nLater Petrov, a former officer, spoke again.\n"
    person = next(p for p in extract(text).people if p.name == "Ivan Petrov")
    assert person.affiliation.organization == "Russia"


def test_a_plural_role_noun_after_capitals_is_a_role(extract):
    text = "Vote\n\nIvan Sato, North Korea watchers from Kanto University, Tokyo, said the leader needs a launch.\n"
    aff = aff_of(extract(text), "needs a launch")
    assert (aff.role, aff.organization) == ("North Korea watchers", "Kanto University, Tokyo")


def test_a_plural_role_noun_in_a_participle_phrase_is_no_role(extract):
    text = "Vote\n\nLee Min-ho, speaking to reporters after parliament, said the troops had left.\n"
    assert aff_of(extract(text), "troops had left") is None


def test_a_role_before_the_name_and_an_of_phrase_after_it_make_one_affiliation(extract):
    text = "Vote\n\nNorth Korean expert Park Min-jae of Hanbit University in Seoul said that “the era is over.”\n"
    person = next(p for p in extract(text).people if p.name == "Park Min-jae")
    assert (person.affiliation.role, person.affiliation.organization) == ("North Korean expert", "Hanbit University")


@pytest.mark.parametrize(
    "text",
    [
        # the description opens a sentence after another one in the same paragraph
        "Vote\n\nTroops came in August. The Ukrainian president, Ivan Petrenko, said last week that more came.\n",
        # a name with no other evidence of a person (no known given name): the description is that evidence
        "Vote\n\nThe Ukrainian president, Volodymyr Petrenko, said last week that more came.\n",
    ],
)
def test_a_description_set_off_before_the_name_opening_a_sentence(extract, text):
    aff = aff_of(extract(text), "more came")
    assert aff is not None and aff.role == "Ukrainian president"


def test_pm_before_a_name_is_a_title_but_not_after_a_time(extract):
    result = extract(
        "Vote\n\nFormer Russian PM Mikhail Ivanov said the deal was dead.\n\nAt 3 PM Ivan Orlov said more talks came.\n"
    )
    aff = aff_of(result, "deal was dead")
    assert (aff.role, aff.organization, aff.is_former) == ("PM", "Russia", True)
    assert aff_of(result, "more talks came") is None


def test_an_organizations_name_before_a_role_holds_capitals_only(extract):
    text = (
        "Vote\n\nThe Department of Revenue Services released part of Republican nominee Ivan Petrov's returns. "
        "Petrov said the returns were fine.\n"
    )
    person = next(p for p in extract(text).people if p.name == "Ivan Petrov")
    assert person.affiliation.text == "Republican nominee"
