"""Interviews printed as transcripts, and speakers kept in mind across quote paragraphs (texts of our own)."""

from __future__ import annotations

from tests.conftest import quote_with

TRANSCRIPT = (
    "Talks in Beijing\n\n"
    "Ivan Petrov, Deputy Director of the Example Institute\n"
    "Beijing, March 3, 2021\n\n"
    "QUESTION: Do you think the talks will resume this month?\n\n"
    "DEPUTY DIRECTOR PETROV: I think the two sides need more time before they meet again.\n\n"
    "QUESTION: And the sanctions…\n\n"
    "PETROV: The sanctions committee will meet next week and we will listen to everyone.\n"
)


def test_answers_belong_to_the_person_the_label_names_in_any_case(extract):
    result = extract(TRANSCRIPT)
    first = quote_with(result, "need more time")
    second = quote_with(result, "sanctions committee")
    assert (first.speaker, first.rule) == ("Ivan Petrov", "transcript")
    assert second.speaker == "Ivan Petrov"


def test_questions_are_nobodys_claims(extract):
    result = extract(TRANSCRIPT)
    assert not [q for q in result.quotes if "talks will resume" in q.text or "you think" in q.text]


def test_a_label_with_a_full_name_introduces_its_speaker(extract):
    text = (
        "An interview about the peninsula.\n\n"
        "Example News: What do you make of the launch?\n\n"
        "Anna Kovaleva: It is a signal to Washington rather than a threat to anyone nearby.\n"
    )
    q = quote_with(extract(text), "signal to Washington")
    assert q.speaker == "Anna Kovaleva"


def test_a_label_that_names_no_one_is_not_a_speaker(extract):
    text = (
        "Talks stall again in the capital.\n\n"
        "Officials met for two hours on Monday and agreed on nothing, according to people present.\n\n"
        "Correction: An earlier version of this article gave the wrong date for the meeting.\n\n"
        "Veto Power Impedes Progress: The council has failed to agree on a statement for a year.\n"
    )
    result = extract(text)
    assert not [q for q in result.quotes if "earlier version" in q.text or "failed to agree" in q.text]


def test_a_quote_paragraph_keeps_its_speaker_for_the_pronoun_after_it(extract):
    text = (
        "Arms deal feared.\n\n"
        "“Moscow is buying shells in large numbers,” Mr Ivan Petrov told reporters on Monday.\n\n"
        "“Further talks may follow in the coming months.”\n\n"
        "He said that any such deal would break several resolutions of the council.\n"
    )
    q = quote_with(extract(text), "break several resolutions")
    assert q.speaker == "Ivan Petrov"


def test_dash_interview_answers_belong_to_the_interviewee_and_questions_to_nobody(extract):
    text = (
        "Trade\n\n"
        "Russian Ambassador Ivan Petrov said in an interview that trade had grown this year.\n\n"
        "– Has the agreement helped trade? What do you think will happen to it next year?\n\n"
        "– The agreement has given a powerful impetus to trade in all areas.\n\n"
        "– And the bridge?\n\n"
        "– The construction of the bridge has not yet begun, but the parties are preparing it.\n"
    )
    result = extract(text)
    answers = [q for q in result.quotes if q.rule == "interview"]
    assert [q.text[:20] for q in answers] == ["The agreement has gi", "The construction of "]
    assert {q.speaker for q in answers} == {"Ivan Petrov"}
    assert not any("happen to it" in q.text for q in result.quotes)


def test_a_dash_list_without_questions_is_no_interview(extract):
    text = (
        "Points\n\n"
        "Ivan Petrov said that the talks had three results.\n\n"
        "– The sides agreed on a new railway line to the port.\n\n"
        "– Trade will be paid for in roubles from next year.\n"
    )
    assert not any(q.rule == "interview" for q in extract(text).quotes)


def test_a_statement_introduced_with_a_colon_is_the_speakers_until_the_narration_resumes(extract):
    text = (
        "Statement\n\n"
        "Pyongyang, January 27 -- Ivan Petrov, director of the foreign department, issued the following "
        "press statement on Friday:\n\n"
        "The sanctions are not working at all, and the region knows it.\n\n"
        "The so-called “allies” are wrecking the peace of the whole region.\n\n"
        "Analysts in Seoul said the statement was the harshest this year.\n"
    )
    result = extract(text)
    mine = [q for q in result.quotes if q.rule == "statement"]
    assert [q.text[:12] for q in mine] == ["The sanction", "The so-calle"]
    assert {q.speaker for q in mine} == {"Ivan Petrov"}


def test_answers_on_a_question_and_answer_page_are_the_named_answerers(extract):
    text = (
        "Regular Briefing by Spokesperson Maria Lopez\n\nDate: Monday\n\n"
        "The minister will visit the port on Tuesday to meet the mayor and the business leaders of the city.\n\n"
        "Q: Will the port reopen? Some traders say it will.\n\n"
        "A: We do not have information to confirm that at this point.\n\n"
        "Q. Has the ministry seen any sign of new tolls?\n\n"
        "A. The ministry is watching the tolls closely with the city.\n"
    )
    result = extract(text)
    answers = [q for q in result.quotes if q.rule == "briefing"]
    assert [q.text for q in answers] == [
        "We do not have information to confirm that at this point.",
        "The ministry is watching the tolls closely with the city.",
    ]
    assert {q.speaker for q in answers} == {"Maria Lopez"}
    assert not [q for q in result.quotes if "traders say" in q.text or "sign of new tolls" in q.text]


def test_answers_go_to_the_person_the_introduction_quotes_when_no_line_names_them(extract):
    text = (
        "Trade\n\nIvan Petrov, the ambassador, said in an interview on Monday that trade had grown fast.\n\n"
        "Q: Has the agreement helped trade?\n\n"
        "A: The agreement has given a powerful impetus to trade in all areas.\n"
    )
    (answer,) = [q for q in extract(text).quotes if q.rule == "briefing"]
    assert answer.speaker == "Ivan Petrov"


def test_a_speaker_label_may_carry_the_role_in_capitals(extract):
    text = (
        "Interview\n\nThe host spoke with the governor on Sunday about the port and the budget of the state.\n\n"
        "DONALD ROE, GOVERNOR OF THE STATE: I think the port is going to reopen very soon.\n\n"
        "HOST: And the budget?\n\n"
        "ROE: The budget will be balanced by the end of the year, believe me.\n"
    )
    result = extract(text)
    first = quote_with(result, "port is going to reopen")
    second = quote_with(result, "budget will be balanced")
    assert (first.speaker, second.speaker) == ("Donald Roe", "Donald Roe")
    assert first.affiliation.role == "GOVERNOR OF THE STATE"
    assert not [q for q in result.quotes if "And the budget" in q.text]


HOSTED = (
    "Sanctions debate\n\n"
    "Jane Roe, a radio host, spoke with Ivan Petrov of the Example Institute.\n\n"
    "JANE ROE, HOST: Welcome back. With me now is Ivan Petrov of the Example Institute. Ivan, are the talks dead?\n\n"
    "PETROV: They are not dead, but both sides have stopped listening to each other.\n\n"
    "ROE: So the sanctions will stay. What happens to trade then?\n\n"
    "PETROV: Trade will shrink, and the border towns will suffer first.\n\n"
    "ROE: The markets clearly expect a deal by spring.\n"
)


def test_the_hosts_turns_are_questions_not_claims(extract):
    result = extract(HOSTED)
    assert quote_with(result, "stopped listening").speaker == "Ivan Petrov"
    assert quote_with(result, "border towns").speaker == "Ivan Petrov"
    hosts = [q for q in result.quotes if "Welcome back" in q.text or "markets clearly" in q.text]
    assert not hosts


def test_a_label_named_host_asks_even_without_a_question_mark(extract):
    text = (
        "Sanctions debate\n\n"
        "Jane Roe, a radio host, spoke with Ivan Petrov of the Example Institute.\n\n"
        "HOST: Joining us is Ivan Petrov, who studies the border trade at the Example Institute.\n\n"
        "PETROV: The trade across the border has already halved this winter.\n"
    )
    result = extract(text)
    assert quote_with(result, "already halved").speaker == "Ivan Petrov"
    assert not [q for q in result.quotes if "Joining us" in q.text]


def test_an_interviewee_who_asks_once_keeps_the_answers(extract):
    text = (
        "Sanctions debate\n\n"
        "Ivan Petrov of the Example Institute spoke to Jane Roe.\n\n"
        "ROE: What comes next?\n\n"
        "PETROV: Why would they stop now? The pressure is working and they know it.\n\n"
        "ROE: Will it last?\n\n"
        "PETROV: It will last as long as the border stays closed.\n\n"
        "PETROV: And the border will stay closed for years.\n"
    )
    result = extract(text)
    assert quote_with(result, "pressure is working").speaker == "Ivan Petrov"
    assert quote_with(result, "as long as the border").speaker == "Ivan Petrov"
