"""Claim kinds and hedges (rules only)."""

from __future__ import annotations

import pytest

from claims.extraction.claimkind import classify_claim


@pytest.mark.parametrize(
    ("text", "kind", "hedge"),
    [
        ("I expect it is hard for the leader to visit Russia in May", "prediction", "I expect"),
        (
            "without a change, it’s very unlikely the North will be able to get sanctions relief",
            "prediction",
            "very unlikely",
        ),
        (
            "North Korea will probably try to use the visit. Naturally, the culmination would be a summit",
            "prediction",
            "probably",
        ),
        ("there is a high possibility of a military cooperation between the two", "prediction", "high possibility"),
        ("More will be achieved this year, and exchanges will be expanded.", "prediction", None),
        ("Beijing should take steps to improve its relations with Pyongyang", "recommendation", None),
        ("So the country needs to contact everyone who might help", "recommendation", None),
        ("Russia is more interested in Siberia and the Far East", "assessment", None),
        ("We formed a roadmap based on the agreement last September", "factual", None),
        ("The leaders of the two countries regularly exchange messages", "factual", None),
    ],
)
def test_claim_kinds(text, kind, hedge):
    got_kind, got_hedge, reason = classify_claim(text)
    assert (got_kind, got_hedge) == (kind, hedge)
    assert reason


def test_hedge_is_kept_as_printed():
    kind, hedge, _ = classify_claim("It is Very Unlikely that talks resume")
    assert (kind, hedge) == ("prediction", "Very Unlikely")


def test_will_as_a_noun_is_not_the_future():
    kind, _, _ = classify_claim("They lack the political will to act")
    assert kind != "prediction"


@pytest.mark.parametrize(
    ("text", "hedge"),
    [
        ("Things could change quickly after the visit", "could"),
        ("The deal may be signed after the visit", "may"),
        ("It might herald a summit later this year", "might"),
        ("Sanctions will not stop the programme", None),
        ("Moscow would receive large quantities of shells, analysts believe", None),
        ("Perhaps the talks could resume in the spring", "Perhaps"),
        ("Trade with China will grow in the coming years", None),
    ],
)
def test_statements_about_what_the_speaker_does_not_control_are_forecasts(text, hedge):
    kind, got_hedge, reason = classify_claim(text)
    assert (kind, got_hedge) == ("prediction", hedge), reason


@pytest.mark.parametrize(
    "text",
    [
        "We will continue to monitor the situation closely",
        "I will tell the truth",
        "We're going to talk about my discussions in Berlin",
        "I'll ask him about it tomorrow",
        "Our country will never give up its deterrent",
        "I would suggest that the visit is about trade",
        "I would like to thank our hosts",
        "If the talks fail, the region would pay the price",
        "Any arms deal would violate the resolutions",
        "Using such weapons would mean suicide",
        "It would be important to reconsider the goals",
        "The visit may be aimed at preparing a summit",
        "They may have tested an engine last week",
        "How could we abandon our weapons?",
        "I will ask him when they could schedule the next round",
        "They stopped the work so that the money would not be used for weapons",
        "They lack the political will to act",
        "There is a chance to start a peace process",
    ],
)
def test_intentions_promises_refusals_and_hypotheticals_are_not_forecasts(text):
    kind, _, reason = classify_claim(text)
    assert kind != "prediction", reason


@pytest.mark.parametrize(
    "text",
    [
        "he would not give up nuclear weapons without anything in return",
        "his country would not give up its weapons",
        "he and the president would exchange views on trade",
    ],
)
def test_in_reported_speech_he_and_his_country_are_the_speaker(text):
    assert classify_claim(text, reported=True)[0] != "prediction"
    assert classify_claim(text.replace("he ", "Moscow ", 1).replace("his country", "Moscow"), reported=True)[0] in (
        "prediction",
        "assessment",
    )


def test_a_third_person_would_in_reported_speech_is_a_forecast():
    assert classify_claim("the talks would resume next month", reported=True)[0] == "prediction"


@pytest.mark.parametrize("text", ["Putin had invited Kim to a ceremony in May", "Talks stalled in May and June"])
def test_the_month_may_is_not_a_modal(text):
    assert classify_claim(text)[0] != "prediction"


@pytest.mark.parametrize(
    ("text", "reported"),
    [
        ("The summit will take place at 1 p.m. in the hall of the palace", False),
        ("The talks will be held in a third country", False),
        ("The foreign minister will visit Beijing on Tuesday for two days", False),
        ("The delegation will arrive tomorrow and leave on March 4", False),
        ("The president is set to meet his counterpart this week", False),
        ("the leader would travel to the capital next week", True),
        ("Talks will begin on Monday, and the ministers will sign the accord on Friday", False),
    ],
)
def test_a_schedule_announced_is_not_a_forecast(text, reported):
    kind, hedge, reason = classify_claim(text, reported=reported)
    assert (kind, hedge) == ("factual", None)
    assert reason.startswith("schedule: "), reason


@pytest.mark.parametrize(
    "text",
    [
        "The summit could take place next month",  # a possibility: the speaker's judgement
        "The leader will probably visit Beijing on Tuesday",  # a forecast hedge wins
        "Prices will begin to rise next week",  # an event nobody schedules
        "The foreign minister will visit Beijing sooner or later",  # a visit with no time printed
        "The talks will fail on Monday",  # not a scheduled act
    ],
)
def test_what_is_not_scheduled_stays_a_forecast(text):
    kind, _, reason = classify_claim(text)
    assert kind == "prediction", reason


RUSSIA = frozenset({"russia", "moscow", "the kremlin"})


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("Moscow and Pyongyang will exchange delegations by the end of the year", RUSSIA),
        ("Russia, together with its partners, will not stand idly by", RUSSIA),
        ("Moscow knew where the convoys were heading and would keep watching them", RUSSIA),
        ("he added that Russia and its allies would respond", RUSSIA),
        ("they would continue to develop relations with the North", frozenset()),
        ("it will discuss with its allies whether to go to the UN", frozenset()),
        ("the details of the visit would be determined through diplomatic channels", frozenset()),
    ],
)
def test_what_an_officials_own_side_will_do_is_an_intention(text, side):
    kind, _, reason = classify_claim(text, reported=True, side=side)
    assert kind != "prediction", reason
    # Said by someone who is not an official, the same words are a forecast.
    assert classify_claim(text, reported=True)[0] == "prediction"


def test_an_official_forecasts_what_others_will_do():
    kind, _, reason = classify_claim("the North will test another missile this year", reported=True, side=RUSSIA)
    assert kind == "prediction", reason


@pytest.mark.parametrize(
    "text",
    [
        "such a scenario would threaten the peace of the region",
        "Such a deal will be a direct provocation",
        "It is paradoxical that a permanent member of the Council would wage war",
        "Already in early February, the first tour group will be traveling to a ski resort",
        "The tour group will be in the country for four days",
    ],
)
def test_suppositions_evaluations_and_itineraries_are_not_forecasts(text):
    kind, _, reason = classify_claim(text, reported=True)
    assert kind != "prediction", reason


@pytest.mark.parametrize(
    ("text", "forecast"),
    [
        ("It recently made public that it would supply its tanks to the front", False),
        ("Washington announced that it would send more troops", False),
        ("The ministry announced that prices would rise", True),  # not the announcer's own act
        ("He said that it would rain all week", True),  # saying is not announcing a plan
    ],
)
def test_a_plan_announced_by_its_subject_is_not_a_forecast(text, forecast):
    kind, _, reason = classify_claim(text)
    assert (kind == "prediction") == forecast, reason


@pytest.mark.parametrize(
    ("text", "reported"),
    [
        ("Lima hopes the two sides will keep talking", True),
        ("We hope that the talks will resume soon", False),
        ("He believed that the governor was so eager for a deal that he would give up the port", False),
        ("Everyone thought the mayor would resign", False),
        ("The barges carried crates that could hold nearly a million rounds", True),
        ("The rails are old, and moving the ore by train would take weeks", True),
        ("Most of the recruits are likely using old rifles", True),
        ("There may be other options on the table", False),
        ("It may be a sign of weakness", True),
        ("The army may be preparing for another test", True),
        ("They probably sent the cargo through a third port", False),
        ("We saw the convoys and would keep watching them", False),
    ],
)
def test_wishes_past_futures_capabilities_hypotheticals_and_guesses_about_now_are_not_forecasts(text, reported):
    kind, _, reason = classify_claim(text, reported=reported)
    assert kind != "prediction", reason


@pytest.mark.parametrize(
    ("text", "reported"),
    [
        ("The two sides will likely keep talking", True),
        ("The mayor is likely to resign", False),
        ("He said that the mayor would resign", True),  # reported speech: the speaker's forecast, backshifted
        ("The new rail link could carry trade worth millions next year", False),
        ("It is more likely that the port would reopen in spring", True),
        ("They are probably going to sell the port", False),
        ("The rebels took the port and would hold it for a year", True),
        ("It could be a farewell visit for the outgoing mayor", False),
        ("The strike may be imminent", False),
        ("That could be the next chance for the mayor to resign", True),
    ],
)
def test_the_same_words_about_the_future_stay_forecasts(text, reported):
    kind, _, reason = classify_claim(text, reported=reported)
    assert kind == "prediction", reason


def test_what_a_speaker_hopes_for_is_a_wish():
    kind, _, reason = classify_claim("the talks will continue", reported=True, cue="hope")
    assert (kind, reason) == ("assessment", "wish: hope")


@pytest.mark.parametrize(
    "text",
    [
        "the new agreement would set out the terms of trade",
        "the joint “declaration will form the basis of our relations”",
    ],
)
def test_what_an_officials_own_document_will_say_is_not_a_forecast(text):
    kind, _, reason = classify_claim(text, reported=True, side=RUSSIA)
    assert kind != "prediction", reason
    assert classify_claim(text, reported=True)[0] == "prediction"  # an analyst's reading of it is


@pytest.mark.parametrize(
    ("text", "hedge"),
    [
        ("A visit to Lima cannot be ruled out", "cannot be ruled out"),
        ("If the rules hold, it is expected the port would lose half its trade", "it is expected"),
    ],
)
def test_hedges_that_make_a_forecast(text, hedge):
    assert classify_claim(text)[:2] == ("prediction", hedge)


@pytest.mark.parametrize(
    ("text", "options"),
    [
        # a hedge on a perfect: a guess about what happened
        ("Moscow has likely given missile technology to Pyongyang in return", {}),
        ("They have probably seen the launch data already", {}),
        # a hedge on a copula's complement: a guess about what is
        ("So that's probably how the question should be approached.", {}),
        ("It was likely a test of a new solid-fuel engine", {}),
        # a condition after "would only"
        ("He is ready to talk but would only proceed when he gets solid guarantees", {"reported": True}),
        ("Pyongyang would only return to the table once sanctions are eased", {}),
        # what the speaker's own act is to do, in a relative clause of the same sentence
        ("We will do our best to improve relations in a way that will lead to new talks", {}),
        ("We will build a railway which will link the two ports", {}),
        # an official's own government, named without its country
        ("The government will move quickly to restore the hotline", {"side": frozenset()}),
        ("Our ministry will review the proposal", {"side": frozenset({"Russia"})}),
    ],
)
def test_guesses_about_the_past_conditions_and_the_speakers_own_acts_are_not_forecasts(text, options):
    assert classify_claim(text, **options)[0] != "prediction"


@pytest.mark.parametrize(
    ("text", "options"),
    [
        ("North Korea is likely to test another missile soon", {}),
        ("We think there is likely more in store from Pyongyang", {}),
        ("It is probably going to be a long winter for the talks", {}),
        ("Kim would visit Moscow after the harvest", {}),
        ("North Korea will build a railway which will link the two ports", {}),
        ("We will build a railway, and the talks will resume next year", {}),
        ("The government will move quickly to restore the hotline", {}),  # not an official: a forecast
    ],
)
def test_the_same_shapes_about_the_future_stay_forecasts(text, options):
    assert classify_claim(text, **options)[0] == "prediction"


# Threats of the speaker's own side: an intention when an official or a politician says it (or "we"/"our" is in
# the sentence); the same words from an analyst about two other sides stay a forecast.
@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("Any incursion into the strait will be met with a decisive response.", RUSSIA),
        ("he warned that further drills would invite swift retaliation", RUSSIA),
        ("Those who sank the ship will pay a heavy price.", frozenset()),
        ("An attack on our ships will not go unanswered.", None),
    ],
)
def test_a_threat_of_the_speakers_side_is_an_intention(text, side):
    assert classify_claim(text, reported=True, side=side) == ("assessment", None, "intention: threat")


def test_a_threat_about_other_sides_from_an_analyst_stays_a_forecast():
    kind, _, reason = classify_claim("Any incursion into the strait will be met with a decisive response.")
    assert (kind, reason) == ("prediction", "future: will")


@pytest.mark.parametrize(
    "text",
    [
        "Talks can resume next year.",
        "Trade can grow after the sanctions are lifted.",
        "The two sides can meet again in the coming months.",
    ],
)
def test_can_with_a_time_to_come_is_a_modal_forecast(text):
    assert classify_claim(text) == ("prediction", "can", "future: can")


@pytest.mark.parametrize(
    "text", ["Inflation can hurt savers.", "We can meet again next year.", "Can the talks resume next year?"]
)
def test_can_without_a_time_or_of_the_speaker_is_no_forecast(text):
    assert classify_claim(text)[0] != "prediction"


@pytest.mark.parametrize(
    ("text", "hedge"),
    [
        ("The North is on the cusp of fielding a working warhead", "on the cusp of"),
        ("Pyongyang is on course to launch another satellite", "on course to"),
        ("The talks are on the verge of collapse", "on the verge of"),
        ("We are expecting the visit by the leader in May", "We are expecting"),
        ("even if ties normalize, it would have a very low synergy for the economy", None),
        ("The visit will help understand what should be done on the peninsula", None),
    ],
)
def test_imminence_concessions_and_embedded_questions_keep_forecasts(text, hedge):
    assert classify_claim(text)[:2] == ("prediction", hedge)


@pytest.mark.parametrize(
    "text",
    [
        "if ties normalize, it would have little effect",  # a supposition: not asserted
        "it would have been better to wait",  # the perfect: a counterfactual
        "We must decide what should be done",  # still a recommendation, by "must"
    ],
)
def test_suppositions_and_counterfactuals_stay_what_they_were(text):
    assert classify_claim(text)[0] != "prediction"


@pytest.mark.parametrize(
    "text",
    [
        "We are certainly not going to rule out more sanctions",
        "Just as we’re using every tool and will use every tool against one supplier, we will do the same here",
        "The bodies were being cremated before they could be returned",
    ],
)
def test_the_speakers_acts_behind_adverbs_and_conjunctions_and_a_past_could_are_not_forecasts(text):
    assert classify_claim(text)[0] != "prediction"


@pytest.mark.parametrize(
    "text",
    [
        "They are certainly not going to give up their weapons",
        "Russia is using every tool and will use more next year",
        "Talks could resume before the election",
    ],
)
def test_others_acts_and_a_could_to_come_stay_forecasts(text):
    assert classify_claim(text)[0] == "prediction"


@pytest.mark.parametrize(
    ("text", "hedge"),
    [
        ("The economy is set to shrink this year.", "is set to"),
        ("The coalition is poised to collapse.", "poised to"),
        ("Output is on track to double by 2030.", "on track to"),
        ("Exports are expected to fall.", "expected to"),
        ("A deal before the vote is unlikely.", "unlikely"),
    ],
)
def test_set_poised_on_track_expected_likely_about_events_are_forecasts(text, hedge):
    assert classify_claim(text)[:2] == ("prediction", hedge)


@pytest.mark.parametrize("text", ["We are poised to act.", "We are on track to finish the road."])
def test_poised_or_on_track_of_the_speakers_own_act_is_an_intention(text):
    assert classify_claim(text)[0] != "prediction"


@pytest.mark.parametrize(
    "text",
    [
        "Should the United States strike first, the North would retaliate against Seoul.",
        "Should talks collapse, the region could slide into a new crisis.",
        "Were sanctions to be lifted, the economy would grow quickly.",
        "The North would respond in kind were Seoul to deploy the missiles.",
        "Pyongyang might walk away, should Washington insist on full disarmament.",
        "Had Washington agreed in Hanoi, the talks would have survived.",
    ],
)
def test_an_inverted_condition_supposes_like_if(text):
    kind, _hedge, reason = classify_claim(text)
    assert kind == "assessment", reason


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Should the two leaders meet again, they would sign a treaty?", "assessment"),
        ("Washington should press Beijing before the talks collapse.", "recommendation"),
        ("The sanctions were lifted and the economy would grow quickly next year.", "prediction"),
        ("The talks would collapse by the end of the year.", "prediction"),
    ],
)
def test_should_were_and_had_that_open_no_condition_keep_their_kind(text, kind):
    assert classify_claim(text)[0] == kind


@pytest.mark.parametrize(
    "text",
    [
        "It is unclear where the summit would take place.",
        "Nobody knows where the troops will be deployed next.",
        "Analysts wonder where Kim would go next.",
        "It is not yet clear who will succeed him.",
        "Officials did not say which side would host the talks.",
    ],
)
def test_a_future_in_an_embedded_question_is_no_forecast(text):
    kind, _hedge, reason = classify_claim(text)
    assert kind != "prediction", reason


@pytest.mark.parametrize(
    "text",
    [
        "The troops will go to Kursk, where they will likely face heavy losses.",
        "Kim will travel to Vladivostok, where the talks could stall over sanctions.",
        "The official who will lead the delegation is likely to push for a deal.",
    ],
)
def test_a_relative_where_or_who_keeps_the_forecast(text):
    assert classify_claim(text)[0] == "prediction"


OFFICIAL = frozenset()  # an official or a politician whose country is not printed


@pytest.mark.parametrize(
    ("text", "options"),
    [
        ("During the visit, Lima and Oslo will discuss the border dispute", {"side": OFFICIAL}),
        ("The two ministers will also talk about fishing quotas", {"side": OFFICIAL}),
        ("Special attention will be paid to the rail project", {"side": OFFICIAL}),
        ("The tariff question would be discussed at the ministers' meeting next week", {"reported": True}),
        ("The leaders will discuss fishing quotas at the summit", {}),
        ("Tomorrow the governor will be working on the budget", {}),
    ],
)
def test_an_agenda_announced_is_a_schedule(text, options):
    kind, _, reason = classify_claim(text, **options)
    assert (kind, reason) == ("factual", "schedule: agenda" if "working" not in text else "schedule: working")


@pytest.mark.parametrize(
    "text",
    [
        "The rebels will also talk about fishing quotas",  # no official speaks, no meeting or its parties printed
        "The governor will be working harder than ever",  # no time printed
    ],
)
def test_an_agenda_with_no_official_and_no_meeting_stays_a_forecast(text):
    assert classify_claim(text)[0] == "prediction"


@pytest.mark.parametrize(
    ("text", "options"),
    [
        ("We will visit the northern ports next year.", {}),  # the speaker's act, whatever its time
        ("If the rains come early, the harvest would be saved next month.", {}),  # a condition
        ("The minister said the new budget would be published next week", {"reported": True, "side": OFFICIAL}),
        ("He left the village in 2013 and reached the coast the next year", {"reported": True}),  # the year after
    ],
)
def test_a_time_marker_of_a_modal_that_is_no_forecast_makes_none(text, options):
    kind, _, reason = classify_claim(text, **options)
    assert kind != "prediction", reason


@pytest.mark.parametrize("text", ["Fish prices will fall next year.", "The harvest is ruined; next year is uncertain."])
def test_a_time_marker_of_its_own_or_of_a_forecast_stays_one(text):
    assert classify_claim(text)[0] == "prediction"


@pytest.mark.parametrize(
    "text",
    [
        "Despite the past failures, the president will make sure the new accord holds",  # their own president
        "Today a new fishing treaty has been drafted, which will set the quotas for a decade",  # their own text
        "the accord will respect the old borders, will not be aimed at any third country and will aim to calm the "
        "region",  # verb phrases sharing the first one's subject
    ],
)
def test_an_officials_own_president_own_text_and_shared_subjects_are_intentions(text):
    kind, _, reason = classify_claim(text, reported=True, side=OFFICIAL)
    assert kind != "prediction", reason
    # From an analyst, the same words are forecasts.
    assert classify_claim(text, reported=True)[0] == "prediction"


def test_verb_phrases_after_a_forecast_stay_forecasts():
    assert classify_claim("Prices will rise, will stay high and will hurt savers")[0] == "prediction"


@pytest.mark.parametrize(
    "text",
    [
        "Thus the offer may not represent a real change of course, but a tactic",
        "The fishing talks may appear to be stuck since the spring",
        "Cheap grain could be a major factor driving the minister's visit to Lima",
        "The leak is likely an attempt to sway the voters ahead of the vote next month.",
        "A second drone crashed nearby, likely its newest model, which flies lower",
        "In short, one thing can probably be said: the tariffs did not work",
        "What's going to happen to the fishermen if the port closes?",
    ],
)
def test_guesses_about_now_and_questions_are_not_forecasts(text):
    kind, _, reason = classify_claim(text, reported=True)
    assert kind != "prediction", reason


@pytest.mark.parametrize(
    "text",
    [
        "The offer may represent a change of course after the vote next month",  # a time to come
        "It could be a farewell visit for the mayor",  # an event to come
        "The leak is likely a prelude to a vote next month.",  # not a guess about now: the noun says what comes
        "They are likely preparing a launch next month",  # a verb of now with a time to come
        "The port is going to close. What will the fishermen do?",  # the statement before the question
    ],
)
def test_the_same_shapes_with_something_to_come_stay_forecasts(text):
    kind, _, reason = classify_claim(text, reported=True)
    assert kind == "prediction", reason


@pytest.mark.parametrize(
    "text",
    [
        "In the case a regime is faced with such a revolt, the navy would crush it.",
        "In the event of a blockade, the islanders would run out of fuel",
        "If the talks failed, the region would pay the price",
        "The islanders would run out of fuel if the port closed",
    ],
)
def test_a_condition_said_with_if_unless_or_in_the_case_supposes_for_would(text):
    kind, _, reason = classify_claim(text)
    assert kind != "prediction", reason


@pytest.mark.parametrize(
    "text",
    [
        "If such factions do exist, it is the navy that will become the strongest force.",
        "And if the two blocs step in, the economy will be in total collapse.",
        "Fish prices will soar unless the port reopens",
        "If the port closes, fish prices are going to soar",
        "If the battles are prolonged and casualties occur, the North may send more troops",
        "A recession could follow if the sanctions are tightened",
    ],
)
def test_a_condition_with_will_going_to_or_a_possibility_modal_is_a_conditional_forecast(text):
    # A prediction is a statement about the future that the speaker does not control: "if X, Y will/may" forecasts
    # Y on a condition. Only the speaker's own acts on a condition are not forecasts (next test).
    kind, _, reason = classify_claim(text)
    assert kind == "prediction", reason


@pytest.mark.parametrize(
    ("text", "reported"),
    [
        ("If they attack us, we will respond with everything we have", False),
        ("he would change his approach to the talks if Washington keeps the sanctions", True),
        ("We may walk away from the talks if they insist", False),
    ],
)
def test_a_condition_on_the_speakers_own_act_is_no_forecast(text, reported):
    kind, _, reason = classify_claim(text, reported=reported)
    assert kind != "prediction", reason


@pytest.mark.parametrize(
    "text",
    [
        "Even if the port closes, fish prices will soar",  # a concession: it says they will
        "In the case of the islands, fish prices will soar",  # a topic, not a condition
        "Any new tariff will hurt the fishermen",  # "any" supposes only for would/could/may/might
    ],
)
def test_a_concession_a_topic_or_any_keep_a_will_forecast(text):
    kind, _, reason = classify_claim(text)
    assert kind == "prediction", reason


def test_a_condition_in_the_next_sentence_glued_without_a_space_does_not_reach_back():
    text = "The drought could lead to a famine.If the rains come, the harvest would be saved."
    assert classify_claim(text)[:2] == ("prediction", "could")


@pytest.mark.parametrize(
    "text", ["This will be a hard winter for the fishermen.", "The economy will shrink.", "Their army will retreat."]
)
def test_a_word_ending_in_his_my_or_the_before_will_is_no_will_noun(text):
    assert classify_claim(text)[0] == "prediction"


@pytest.mark.parametrize(
    ("text", "options"),
    [
        # a plan announced, with a noun of announcing
        ("Meanwhile, Lima's announcement last week that it would shut the port is a sign of panic", {"reported": True}),
        ("The decision that it would leave the pact came late", {}),
        # the content of the speaker's own message
        ("At the summit, we will send a firm message that the region will not tolerate piracy", {}),
        ("The minister gave assurances that the harbour will stay open", {"side": OFFICIAL, "reported": True}),
        # a case supposed: an indefinite subject + would; in reported speech, a case not yet seen
        ("A blockade would be a disaster for the islands", {}),
        ("a second blockade would seriously hurt the fishermen", {"reported": True}),
        ("another strike would cripple the port", {"reported": True}),
        # what a thing would make possible
        ("They backed a canal, a route that would allow Lima to reach new markets", {"reported": True}),
        # the future of a past thought
        ("I think they envisioned that they would take the port within days.", {}),
        ("Ana was thinking that when she became mayor, she would run the town better.", {}),
        # a necessity, not a forecast
        ("only talks would end the dispute over the islands", {"reported": True}),
        ("Force is the only language that the cartel will understand", {}),
        # "might" as a noun
        ("They want to impose the rule of might on their neighbours", {}),
        ("The fleet relies on its naval might alone", {}),
        # a question embedded after "about"
        ("thinking about who the council could choose as mayor was pointless", {"reported": True}),
    ],
)
def test_announced_plans_messages_supposed_cases_enabling_relatives_past_thoughts_necessities_are_no_forecasts(
    text, options
):
    kind, _, reason = classify_claim(text, **options)
    assert kind != "prediction", reason


@pytest.mark.parametrize(
    ("text", "options"),
    [
        ("He said a deal would be signed next week", {"reported": True}),  # reported "would" stands for "will"
        ("A storm could hit the islands next week", {}),  # a possibility, not a supposition
        ("The vote sends a signal that the party will fight on", {}),  # no speaker's own message
        ("The new canal would allow ships to pass by 2030", {}),  # no relative clause: a forecast
        ("The fleet might sail next week", {}),  # the modal
        ("Only a few of the boats will return", {"reported": True}),  # "only" of a number, after "Only a few"?
    ],
)
def test_the_same_words_without_the_shape_stay_forecasts(text, options):
    kind, _, reason = classify_claim(text, **options)
    assert kind == "prediction", reason


@pytest.mark.parametrize(
    ("text", "hedge"),
    [
        ("the navy expected this to happen within days", "expected"),
        ("he expected the council to agree on a firm response", "expected"),
        ("She expects fish prices to rise next year", "expects"),
    ],
)
def test_expecting_something_to_happen_is_a_forecast(text, hedge):
    assert classify_claim(text, reported=True)[:2] == ("prediction", hedge)


def test_expecting_you_to_act_is_a_demand():
    assert classify_claim("The mayor expects you to pay the fine", reported=True)[0] != "prediction"


@pytest.mark.parametrize(
    "text",
    [
        "she left for a second day of talks with the governor expected to focus on fishing",
        "the two leaders would discuss all the open questions",
        "The summit will also discuss the fishing quotas",
    ],
)
def test_what_a_meeting_or_its_parties_will_discuss_is_its_agenda(text):
    assert classify_claim(text, reported=True)[::2] == ("factual", "schedule: agenda")


@pytest.mark.parametrize(
    "text",
    ["The summit is expected to take place next month", "The rebels will discuss a surrender"],
)
def test_expected_events_and_others_discussions_stay_forecasts(text):
    assert classify_claim(text, reported=True)[0] == "prediction"


@pytest.mark.parametrize(
    "text",
    [
        "There was no deal at this meeting, and there never will be without the islanders at the table",
        "There will be no peace on the river without the fishermen",
        "We can't simply assume that because Lima wants to talk, the rebels will come to the table.",
        "Nobody can be sure that the ferry will run again",
    ],
)
def test_a_negated_will_with_without_and_a_that_clause_of_a_negated_knowing_are_no_forecasts(text):
    kind, _, reason = classify_claim(text)
    assert kind != "prediction", reason


@pytest.mark.parametrize(
    "text",
    ["The talks will resume without delay", "Fish prices will not fall", "We know that the ferry will run again"],
)
def test_without_a_negation_or_with_knowing_the_forecast_stays(text):
    assert classify_claim(text)[0] == "prediction"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("a lot of people are going to be watching to see if that is true", "prediction"),  # "see if": a question
        ("One might expect them to matter more", "assessment"),  # a hypothetical expectation
        ("he would not come to their defense but would first ask what they paid", "assessment"),  # one subject
        ("The fleet will sail next week but will return soon", "prediction"),
    ],
)
def test_see_if_might_expect_and_but_sharing_a_subject(text, kind):
    assert classify_claim(text, reported=True, side=OFFICIAL)[0] == kind


@pytest.mark.parametrize(
    ("text", "hedge"),
    [
        ("I think there's going to be a clear amount of brinkmanship", "going to"),
        ("The elite fear chaos, so I think they will coalesce around the new leader", "I think"),
        ("We believe the talks will collapse before the summer", None),
    ],
)
def test_a_thinking_opener_is_not_the_subject_of_the_future_it_introduces(text, hedge):
    kind, got, reason = classify_claim(text)
    assert (kind, got) == ("prediction", hedge), reason


@pytest.mark.parametrize(
    "text",
    [
        "a third nuclear test is now inevitable",
        "a new round of sanctions is imminent",
        "the deployment of the new battalions is expected by December",
        "We can expect more exchanges between the two sides next year",
        "Such a short meeting could pave the way for negotiations among officials",
    ],
)
def test_inevitable_imminent_expected_by_and_a_possibility_about_such_a_thing_are_forecasts(text):
    kind, _, reason = classify_claim(text, reported=True)
    assert kind == "prediction", reason


def test_what_an_announcement_says_its_author_will_do_is_no_forecast():
    kind, _, reason = classify_claim(
        "it will not be hosting another summit unless he clarifies his position", reported=True, cue="announce"
    )
    assert kind != "prediction", reason


@pytest.mark.parametrize(
    "text",
    [
        "Maria and I will be going to Lisbon on Friday.",
        "The delegation is going to the talks with a new offer",
        "It is hard to imagine how the villagers lived through the winter",
    ],
)
def test_going_to_a_place_and_imagining_the_past_are_no_forecasts(text):
    kind, _, reason = classify_claim(text)
    assert kind != "prediction", reason


@pytest.mark.parametrize(
    ("text", "hedge"),
    [
        ("a lasting agreement is far from guaranteed", "far from guaranteed"),
        ("it is difficult to imagine the general staying silent for long", "difficult to imagine"),
        ("there is a possibility of a spring offensive in the north", "there is a possibility"),
    ],
)
def test_doubt_about_what_is_to_come_is_a_forecast(text, hedge):
    kind, got, reason = classify_claim(text)
    assert (kind, got) == ("prediction", hedge), reason


JAPAN = frozenset({"japan", "tokyo"})


@pytest.mark.parametrize(
    "text",
    [
        "The Japanese people's friendship for the Malian people will not change",
        "Japan's support for the mission will never change, and our position will remain unchanged",
        "there will be additional sanctions on the banks",
        "You will have a new ban on some exports, such as wine",
        "Tokyo’s forces would leave the base as soon as the rains stopped",
    ],
)
def test_an_officials_own_side_stance_measures_and_forces_are_intentions(text):
    kind, _, reason = classify_claim(text, reported=True, side=JAPAN)
    assert kind != "prediction", reason


@pytest.mark.parametrize(
    "text",
    [
        "Germany's position will not change after the election",
        "there will be additional sanctions on the banks",
    ],
)
def test_another_countrys_stance_and_an_analysts_measures_stay_forecasts(text):
    side = JAPAN if text.startswith("Germany") else None
    kind, _, reason = classify_claim(text, reported=True, side=side)
    assert kind == "prediction", reason


@pytest.mark.parametrize(
    "text",
    [
        'any attack on our ships will be "met with fire and fury the like of which they have never seen',
        "those who organized the riot will face “justice.",
        "if they cross the line, there will be serious consequences",
    ],
)
def test_threats_with_quotation_marks_and_consequences_are_no_forecasts(text):
    kind, _, reason = classify_claim(text, reported=True, side=JAPAN)
    assert (kind, reason) == ("assessment", "intention: threat")


def test_a_quotation_opening_on_the_modal_has_its_subject_before_the_mark():
    text = 'his country "will, under no circumstances, give up its fishing fleet"'
    kind, _, reason = classify_claim(text, reported=True, side=JAPAN)
    assert kind != "prediction", reason
    kind, _, reason = classify_claim('the rains "will, in all likelihood, come late"', reported=True)
    assert kind == "prediction", reason


@pytest.mark.parametrize(
    ("text", "reported"),
    [
        ("a meeting at the border could be possible after the spring visits", True),
        ("the minister may be able to win concessions from the cabinet", True),
        ("there could be a large number of casualties if the troops are sent to the front", False),
        ("he was confident the governor would be the party's candidate", True),
    ],
)
def test_what_could_be_possible_and_what_there_could_be_are_forecasts(text, reported):
    kind, _, reason = classify_claim(text, reported=reported)
    assert kind == "prediction", reason


@pytest.mark.parametrize(
    "text",
    [
        "the move brings in someone who may be able to deal with the waste",
        "the losses could be explained by the troops' lack of training",
        "the delays may be attributed to the weather",
        "there may be options",
    ],
)
def test_a_description_and_an_explanation_of_now_are_no_forecasts(text):
    kind, _, reason = classify_claim(text, reported=True)
    assert kind != "prediction", reason


@pytest.mark.parametrize(
    "text",
    [
        "The longer the strike goes on, the weaker the union becomes.",
        "It is simple. The sooner the talks start, the better the terms get for the union",
    ],
)
def test_a_comparative_correlative_is_a_forecast(text):
    kind, _, reason = classify_claim(text)
    assert kind == "prediction", reason


def test_a_comparative_correlative_in_a_question_is_no_forecast():
    kind, _, reason = classify_claim("The longer it lasts, the weaker he becomes?")
    assert kind != "prediction", reason


@pytest.mark.parametrize(
    "text",
    [
        "The junta has said it won't hand over power, they have made that very clear.",
        "The rebels have repeatedly said they will never lay down their arms",
    ],
)
def test_what_another_side_has_said_it_will_do_is_no_forecast_of_the_speaker(text):
    kind, _, reason = classify_claim(text)
    assert kind != "prediction", reason


@pytest.mark.parametrize(
    "text",
    [
        "Union leaders said they will strike again in the spring",
        "The two ministers, meeting in Oslo, said they would sign the accord within weeks",
    ],
)
def test_what_a_plural_source_said_they_will_do_is_their_intention(text):
    kind, _, reason = classify_claim(text, reported=True)
    assert kind != "prediction", reason


@pytest.mark.parametrize(
    "text",
    ["He said they will lose the vote", "Analysts said it will take years to rebuild the port"],
)
def test_what_one_source_says_others_will_do_stays_a_forecast(text):
    kind, _, reason = classify_claim(text, reported=True)
    assert kind == "prediction", reason


@pytest.mark.parametrize(
    "text",
    [
        "the Foreign Affairs Council would review an intelligence report on the state of the economy",
        "the budget committee will examine the spending plans",
    ],
)
def test_what_a_council_or_committee_will_review_is_its_agenda(text):
    assert classify_claim(text, reported=True) == ("factual", None, "schedule: agenda")


def test_the_sooner_the_better_is_an_evaluation_not_a_forecast():
    kind, _, reason = classify_claim("The sooner he releases his returns, the better")
    assert kind != "prediction", reason


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("we have an alliance with them and we are therefore treaty bound to defend them.", "assessment"),
        ("The company is legally bound to publish its accounts", "assessment"),
        ("The talks are bound to fail", "prediction"),
    ],
)
def test_bound_to_by_a_treaty_or_law_is_an_obligation(text, kind):
    got, _, reason = classify_claim(text)
    assert (got == "prediction") == (kind == "prediction"), reason


@pytest.mark.parametrize(
    ("text", "reported", "kind"),
    [
        ("he would likely skip the summit unless the loan were approved", True, "assessment"),
        ("We will probably visit the plant in the spring", False, "assessment"),
        ("the rival camp will likely boycott the vote", True, "prediction"),
        ("the talks will probably collapse", False, "prediction"),
    ],
)
def test_a_hedged_plan_of_the_speakers_own_is_no_forecast(text, reported, kind):
    got, _, reason = classify_claim(text, reported=reported)
    assert (got == "prediction") == (kind == "prediction"), reason


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("We'll know right away if the new plan has worked", "prediction"),
        ("we will know by next week whether the vote passes", "prediction"),
        ("We will find out who is behind the attack", "assessment"),
        ("We will send our experts to the site", "assessment"),
        ("We will know them when we meet them", "assessment"),
    ],
)
def test_what_the_speaker_will_come_to_know_is_an_outcome_not_an_act(text, kind):
    got, _, reason = classify_claim(text)
    assert (got == "prediction") == (kind == "prediction"), reason


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("It'll get harder for the rebels", "prediction"),
        ("They’ll lose the vote", "prediction"),
        ("We'll send more inspectors", "assessment"),
        ("I'll never accept it", "assessment"),
    ],
)
def test_a_clitic_ll_is_the_modal_will(text, kind):
    got, _, reason = classify_claim(text)
    assert (got == "prediction") == (kind == "prediction"), reason


@pytest.mark.parametrize(
    "text",
    [
        "they will put a priority on rebuilding the railways",
        "it would concentrate its spending on the border regions",
        "they will give precedence to food aid",
    ],
)
def test_the_priorities_an_officials_side_sets_are_intentions(text):
    kind, _, reason = classify_claim(text, reported=True, side=frozenset())
    assert kind != "prediction", reason
    assert classify_claim(text, reported=True)[0] == "prediction"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("The talks will fail and everyone must be prepared for a long winter.", "prediction"),
        ("The North will test again soon, so Seoul should prepare its defences.", "prediction"),
        ("We must act now or the region will collapse.", "recommendation"),
        ("It should be noted that the talks will fail.", "recommendation"),
        ("We will respond and they must be prepared for it.", "recommendation"),
    ],
)
def test_a_forecast_in_a_clause_before_advice_is_the_claim(text, kind):
    assert classify_claim(text)[0] == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("When it does happen it will be sudden and extreme.", "prediction"),
        ("When the sanctions bite they will come back to the table.", "prediction"),
        ("I will ask him when they could schedule the next round.", "assessment"),
        ("Nobody knows when the talks will resume.", "assessment"),
    ],
)
def test_a_main_clause_after_a_time_clause_without_its_comma_is_asserted(text, kind):
    assert classify_claim(text)[0] == kind
