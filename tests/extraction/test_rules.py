"""The rule table (claims.extraction.attribution.RULES): one entry per rule, one example per entry."""

from __future__ import annotations

import pytest

from claims.extraction.attribution import RULES, Attribution, rule_confidence

# One short text per rule (written for these tests), the quoted words and the speaker the rule gives.
EXAMPLES = {
    "before": ('Ivan Petrov told reporters: "The sanctions are not working at all."', "The sanctions", "Ivan Petrov"),
    "mixed": (
        'Ivan Petrov said the sanctions were "not working at all" in the region.',
        "the sanctions",
        "Ivan Petrov",
    ),
    "after": ('"The sanctions are not working at all," Ivan Petrov said.', "The sanctions", "Ivan Petrov"),
    "colon": (
        "The envoy, Ivan Petrov, arrived on Monday. Then Petrov declared:\n\n"
        '"The sanctions are not working at all, and everyone in this city knows it."',
        "The sanctions",
        "Ivan Petrov",
    ),
    "label": ('Ivan Petrov: "The sanctions are not working at all."', "The sanctions", "Ivan Petrov"),
    "dash": ('"The sanctions are not working at all." - Ivan Petrov', "The sanctions", "Ivan Petrov"),
    "signed": (
        '"The sanctions are not working at all," Ivan Petrov, a senior fellow at the Institute of Oriental Studies.',
        "The sanctions",
        "Ivan Petrov",
    ),
    "indirect": ("Ivan Petrov said that the sanctions were not working at all.", "the sanctions", "Ivan Petrov"),
    "according": (
        "The sanctions are not working at all, according to Ivan Petrov.",
        "The sanctions",
        "Ivan Petrov",
    ),
    "transcript": (
        "An interview with Ivan Petrov, a senior fellow.\n\n"
        "QUESTION: Are the sanctions working?\n\n"
        "PETROV: The sanctions are not working at all, and they never did.",
        "The sanctions are not",
        "Ivan Petrov",
    ),
    "statement": (
        "Statement\n\n"
        "Pyongyang, January 27 -- Ivan Petrov, director of the foreign department, issued the following "
        "press statement on Friday:\n\n"
        "The sanctions are not working at all, and the region knows it.",
        "The sanctions",
        "Ivan Petrov",
    ),
    "briefing": (
        "Regular Briefing by Spokesperson Ivan Petrov\n\nDate: Monday\n\n"
        "The minister will visit the port on Tuesday to meet the mayor and the business leaders of the city.\n\n"
        "Q) Are the sanctions working?\n\n"
        "A) The sanctions are not working at all, and they never did.",
        "The sanctions are not",
        "Ivan Petrov",
    ),
    "interview": (
        "Trade\n\nIvan Petrov, the Russian ambassador, said in an interview that trade had grown.\n\n"
        "– Has the agreement helped trade between the two countries?\n\n"
        "– The agreement has given a powerful impetus to trade in all areas.",
        "The agreement has given",
        "Ivan Petrov",
    ),
    "headline": (
        "Petrov Says Sanctions Will Not Work\n\nIvan Petrov, the Russian ambassador, spoke in Hanbit on Monday.\n\n"
        "The meeting lasted two hours and ended without a statement.",
        "Sanctions Will Not Work",
        "Ivan Petrov",
    ),
    "noun": (
        "Trade\n\nIvan Petrov, the Russian ambassador, spoke in Hanbit on Monday. Ivan Petrov's "
        "claim that the new port will double the trade was met with doubt in the capital.",
        "the new port will double",
        "Ivan Petrov",
    ),
    "joined": (
        'Ivan Petrov said, "The sanctions are not working," and "the talks are over."',
        "the talks",
        "Ivan Petrov",
    ),
    "context": (
        'Ivan Petrov has long opposed "a policy that is not working at all" in the region.',
        "a policy",
        "Ivan Petrov",
    ),
    "inherit": (
        'Ivan Petrov said on Monday: "The sanctions are not working." He paused. '
        '"The talks are over, and nobody in Moscow wants them back."',
        "The talks",
        "Ivan Petrov",
    ),
    "previous": (
        "Ivan Petrov spoke to the students for an hour on Monday.\n\n"
        "Ivan Petrov shook his head. “The talks are over, and nobody in Moscow wants them back.”",
        "The talks",
        "Ivan Petrov",
    ),
    "none": (
        "The embassy published a statement. “The talks are over, and nobody in this capital wants them back at "
        "any price, now or in the coming years, whatever the other side may say.”",
        "The talks",
        None,
    ),
}


def test_rules_have_unique_names_and_orders_in_order():
    names = [r.name for r in RULES]
    assert len(set(names)) == len(names)
    orders = [r.order for r in RULES]
    assert orders == sorted(set(orders))
    assert {r.stage for r in RULES} <= {"cue", "clause", "turn", "context"}
    assert all(0 < r.confidence <= 1 and r.doc for r in RULES)


def test_every_rule_and_variant_has_an_example():
    named = {r.name for r in RULES} | {v for r in RULES for v, _ in r.variants}
    assert named == set(EXAMPLES)


@pytest.mark.parametrize("rule", sorted(EXAMPLES))
def test_each_rule_finds_its_example(extract, rule):
    text, words, speaker = EXAMPLES[rule]
    quotes = [q for q in extract(text).quotes if words in q.text]
    assert quotes, [(q.text, q.rule) for q in extract(text).quotes]
    q = quotes[0]
    assert (q.rule, q.speaker) == (rule, speaker)
    base, scaled = rule_confidence(Attribution(0, 1, "direct", via=rule))
    assert q.confidence <= base
    assert scaled or q.confidence == base


def test_a_stronger_variant_raises_the_base():
    weak = Attribution(0, 1, "direct", via="context")
    strong = Attribution(0, 1, "direct", via="context", extra={"reporting_verb": True})
    assert rule_confidence(strong)[0] > rule_confidence(weak)[0]
