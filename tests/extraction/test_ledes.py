"""Wire ledes: a dateline before the first sentence, and the reporting clause after the statement."""

from __future__ import annotations

import pytest

from tests.conftest import quote_with


@pytest.mark.parametrize(
    "dateline",
    [
        "HANBIT, March 3 (Wirepress) -- ",
        "PORT ALDER, Westland, Sept 9 (Newsline) – ",
        "HANBIT (Wirepress) - ",
        "HANBIT, May 4. /WIRE/. ",
        "HANBIT — ",
    ],
)
def test_a_dateline_is_no_part_of_the_statement_after_it(extract, dateline):
    text = (
        "Grain talks\n\n"
        f"{dateline}The grain deliveries will resume in the spring, Trade Minister Ivan Petrov said on Monday.\n\n"
        "The ministry gave no figures.\n"
    )
    q = quote_with(extract(text), "grain deliveries")
    assert q.speaker == "Ivan Petrov"
    assert q.text == "The grain deliveries will resume in the spring"


def test_a_statement_then_a_comma_and_its_reporting_clause_is_one_attribution(extract):
    # The small parser joins "a spokesperson ... said" to the statement as a second clause.
    text = (
        "Talks\n\n"
        "Westland should come back to the talks table for full disarmament, a spokesperson for Governor-elect "
        "Jane Roe said Sunday, as Hanbit speeds up efforts to build a new long-range rocket.\n\n"
        "Maria Lopez, the spokesperson, made the remark at a briefing.\n"
    )
    q = quote_with(extract(text), "talks table")
    assert q.text == "Westland should come back to the talks table for full disarmament"
    assert q.kind == "indirect"
    assert q.speaker == "Maria Lopez"  # the spokesperson named next, not the governor she speaks for


@pytest.mark.parametrize("role", ["a spokesperson for", "an aide to", "a lawyer for"])
def test_the_person_a_spokesperson_speaks_for_is_not_the_speaker(extract, role):
    text = (
        "Talks\n\n"
        f"The border will reopen next month, {role} Governor Ivan Petrov said on Sunday.\n\n"
        "Maria Lopez, who made the remark at a briefing, declined to give details.\n"
    )
    q = quote_with(extract(text), "border will reopen")
    assert q.speaker != "Ivan Petrov"


def test_an_ambassador_to_an_organization_before_a_name_is_that_person(extract):
    text = (
        "Sanctions\n\n"
        "The sanctions will cut exports by a third, according to a statement from the ambassador to the "
        "United Nations Jane Roe.\n"
    )
    assert quote_with(extract(text), "cut exports").speaker == "Jane Roe"
