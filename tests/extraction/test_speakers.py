"""Speaker resolution within an article: surnames, titles, pronouns, descriptions; names kept apart."""

from __future__ import annotations

from tests.extraction.conftest import quote_with


def test_surname_and_title_mentions_resolve_to_the_full_name(extract):
    text = (
        "Envoy in Pyongyang\n\n"
        "Ambassador Ivan Petrov arrived on Monday.\n\n"
        "“The leaders write to each other often,” Petrov said.\n\n"
        "“They will meet in May,” Mr Petrov told reporters.\n"
    )
    result = extract(text)
    first = quote_with(result, "write to each other")
    second = quote_with(result, "will meet in May")
    assert (first.speaker, first.speaker_mention) == ("Ivan Petrov", "Petrov")
    assert (second.speaker, second.speaker_mention) == ("Ivan Petrov", "Mr Petrov")
    person = next(p for p in result.people if p.name == "Ivan Petrov")
    assert {text[s:e] for s, e in person.mentions} >= {"Ambassador Ivan Petrov", "Petrov", "Mr Petrov"}


def test_korean_family_name_first(extract):
    text = (
        "Analysts weigh in.\n\n"
        "“The visit is symbolic,” Park Min-soo, a researcher at the Hanbit Institute, said.\n\n"
        "“Nothing will change,” Park added.\n"
    )
    q = quote_with(extract(text), "Nothing will change")
    assert q.speaker == "Park Min-soo"
    assert q.speaker_mention == "Park"


def test_description_points_back_to_the_person_with_that_role(extract):
    text = (
        "Envoy speaks\n\n"
        "Ambassador Ivan Petrov met the press in Moscow.\n\n"
        "Analyst Ann Lee, a professor at Hanbit University, was doubtful. “Nothing will change,” Lee said.\n\n"
        "“A lot remains to be done in the future,” the Russian diplomat continued.\n"
    )
    q = quote_with(extract(text), "A lot remains")
    assert q.speaker == "Ivan Petrov"
    assert q.speaker_mention == "the Russian diplomat"
    assert q.cue == "continued"


def test_pronoun_after_an_introduction(extract):
    text = (
        "Talks\n\n"
        "State media interviewed Ivan Petrov, the Russian ambassador to North Korea. "
        "He said, “We formed a roadmap last year.”\n"
    )
    q = quote_with(extract(text), "roadmap")
    assert q.speaker == "Ivan Petrov"
    assert q.speaker_mention == "He"
    assert q.affiliation.role == "Russian ambassador to North Korea"


def test_unknown_source_stays_unresolved(extract):
    text = "Talks\n\nThe meeting ended early.\n\n“It is over for now,” a source close to the talks said.\n"
    q = quote_with(extract(text), "over for now")
    assert q.speaker is None
    assert q.speaker_mention is not None and "source" in q.speaker_mention


def test_similar_names_are_not_merged(extract):
    text = (
        "Dynasty\n\n"
        "Kim Jong Un met officials on Monday. His father, Kim Jong Il, ruled before him, and his sister "
        "Kim Yo Jong joined the meeting.\n\n"
        "“The country is stronger than ever,” Kim Jong Un said.\n"
    )
    result = extract(text)
    names = [p.name for p in result.people]
    assert "Kim Jong Un" in names and "Kim Jong Il" in names and "Kim Yo Jong" in names
    assert quote_with(result, "stronger than ever").speaker == "Kim Jong Un"


def test_romanization_variants_of_one_name_are_one_person(extract):
    text = (
        "Envoy\n\n"
        "Choe Ryong Hae left for Moscow. Officials said Ryong-Hae Choi would meet the president.\n\n"
        "“The visit is important,” Choe Ryong Hae said.\n"
    )
    result = extract(text)
    assert sum(1 for p in result.people if "Ryong" in p.name) == 1


def test_every_speaker_and_person_carries_the_identity_key_of_their_name(extract, seeds_dir):
    """Ingestion matches experts on these keys as extraction computed them (issue 11, item 7)."""
    from claims.domain.names import name_match_key, strip_honorifics
    from claims.domain.textfiles import read_article

    speakers = 0
    for path in sorted(seeds_dir.glob("*.txt")):
        result = extract(read_article(path))
        for quote in result.quotes:
            expected = name_match_key(strip_honorifics(quote.speaker)) if quote.speaker else None
            assert quote.speaker_key == expected, (path.name, quote.speaker)
            speakers += quote.speaker is not None
        for person in result.people:
            assert person.key == name_match_key(strip_honorifics(person.name)) != ""
    assert speakers > 20


def test_identity_keys_stay_out_of_the_plain_json_form(extract):
    from claims.extraction.serialize import extraction_to_dict

    result = extract("Envoy in Pyongyang\n\n“They will meet in May,” Ivan Petrov told reporters.\n")
    assert result.quotes[0].speaker_key == "ivan petrov" and result.people[0].key == "ivan petrov"
    plain = extraction_to_dict(result)
    assert "speaker_key" not in plain["quotes"][0] and "key" not in plain["people"][0]
