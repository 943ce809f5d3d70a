"""Rule-based claim kinds: prediction (with its hedge as printed), recommendation, assessment, factual.

A prediction is a statement about the future that the speaker does not control. Rules, in order
(the first that applies wins; ``reason`` names it):
1. A forecast hedge ("very unlikely", "probably", "I expect", "high possibility", "expected X to") ->
   prediction, unless it governs the speaker's own act ("we are going to talk", "he would likely skip the
   summit"), guesses about now ("is likely an attempt to", "can probably be said") or sits in a question.
2. A recommendation modal ("should", "needs to", "must", "has to") -> recommendation, unless a forecast comes
   before it in a clause of its own ("it will be sudden and everyone must be prepared": the forecast is the claim).
3. A future or possibility modal ("will", "would", "going to", "could", "may", "might") whose subject
   is not the speaker -> prediction; "could", "may" and "might" are the hedge themselves unless a
   softer one is printed ("perhaps", "I think"). Not forecasts, and skipped: the speaker's own
   intentions, promises and refusals (a first-person subject, or in reported speech "he", "she",
   "his country"), hypotheticals with "would" ("if ...", "unless", "in the case that"; "any deal would ...",
   "would have"; a condition with will/could/may/might makes a conditional forecast, unless it conditions
   the speaker's own act; what the speaker "will know" or "learn" is an outcome, not an act),
   politeness and evaluation ("would like", "I would suggest", "it would be important"), the past
   ("may have been"), questions, and "will" as a noun ("political will").
   A reporting verb decides first: "predicted/expected that ..." is a forecast, "vowed/pledged to ..."
   an intention.
   A schedule is not a forecast either: an event that "will take place" or "be held", or a visit,
   meeting or trip that "will" happen at a time printed with it ("on Tuesday", "at 1 p.m.",
   "tomorrow") is an itinerary an official announces, not the speaker's judgement; it is factual
   ("schedule: ..."). So is an agenda ("A and B will discuss ...", "attention will be paid to ...") that an
   official announces or that a meeting or a time printed with it places. A possibility modal ("the summit could
   take place next month") stays a forecast.
   An official's own side also speaks in a stance declared unchanged ("China's support for X will not change"),
   measures announced ("there will be additional sanctions"), threats ("will be met with ...", "there will be
   consequences"), priorities it sets ("they will put a priority on") and what another side "has said it will"
   do (plural sources "said they will") is no forecast of the speaker's; "going to" a place is a trip. "could
   be possible", "may be able to", "there could be" + an outcome and "was confident X would" are forecasts.
4a. A comparative correlative ("The longer X goes on, the weaker Y becomes") -> prediction.
4. A time marker alone ("next year", "in the coming months", "by 2030") -> prediction; not in the sentence of a
   modal found no forecast ("we will visit next year"), nor "the next year" of a story of the past.
5. An opinion marker ("I think", "important", "seems") -> assessment.
6. A fact marker (a number, a year, a completed event verb) -> factual.
7. Otherwise -> assessment.
"""

from __future__ import annotations

import re

from claims.extraction.lexicon import (
    COUNTRY_ALIASES,
    DEMONYM_COUNTRIES,
    FACT_MARKERS,
    FORECAST_HEDGES,
    FUTURE_MARKERS,
    HEDGE_PHRASES,
    OPINION_MARKERS,
    RECOMMENDATION_MARKERS,
)

__all__ = ["classify_claim"]

_HEDGE_RE = re.compile(
    r"(?<![\w’'])(?:"
    + "|".join(re.escape(h).replace("\\ ", r"\s+") for h in sorted(HEDGE_PHRASES, key=len, reverse=True))
    + r")(?![\w’'])",
    re.IGNORECASE,
)
# "will" as a noun: "political will", "the will of the people".
# The word before "will" is whole: "this will", "the economy will" and "the army will" hold no "his/my will".
_WILL_NOUN = re.compile(
    r"(?<![\w’'])(?:the|political|good|own|free|his|her|their|its|our|your|my|ill|strong)\s+will\b", re.I
)

# A modal and the verb it governs, with adverbs between ("will not", "would also", "could well"). The clitic
# "'ll" is glued to its subject ("it'll", "they’ll"): no word boundary before it.
_MODAL = re.compile(
    r"(?:(?<![\w’'])|(?<=[^\W\d_])(?=['’]ll(?![\w’'])))"
    r"(?P<modal>will|won['’]t|shall|would(?:n['’]t)?|['’]ll|is going to|are going to|am going to|"
    r"['’]re going to|['’]s going to|['’]m going to|going to|could(?:n['’]t)?|may|might)(?![\w’'])"
    r"(?P<adverbs>(?:\s+(?:not|never|also|still|soon|likely|probably|certainly|surely|definitely|hopefully|"
    r"only|then|further|first|well|eventually|quickly|all|both|again|even|no\s+longer)(?![\w’']))*)"
    r"(?:\s+(?P<verb>[^\W\d_][\w’'-]*))?",
    re.IGNORECASE,
)
_POSSIBILITY = frozenset({"could", "couldn't", "couldn’t", "may", "might"})
# Verbs after "would" that make it politeness, evaluation or a counterfactual, not a forecast.
_NOT_FORECAST_VERBS = frozenset(
    "like love prefer rather suggest say argue think imagine guess add note point expect hope want wish have".split()
)
_CLAUSE_BREAK = re.compile(
    r"[,;:()\[\]“”\"—–]|\s-\s|(?<![\w’'])(?:that|but|because|so|when|while|as|since|although|though|"
    r"whether|where|which|who|how|what|why|if)(?![\w’'])",
    re.I,
)
# A modal in a clause opened by these is not asserted: an embedded question ("when they could
# schedule talks"), a condition ("if it would start") or a purpose ("so that it would not be used").
_UNASSERTED_OPENERS = frozenset({"when", "whether", "how", "what", "why", "if", "so that"})
_FIRST_PERSON = frozenset({"i", "we", "us", "i’m", "i'm", "we’re", "we're", "i’ll", "i'll", "we’ll", "we'll"})
_OWN_SIDE = re.compile(r"^(?:our|my)\s+(?:country|government|side|party|army|forces|nation|people|company|team)$", re.I)
# In reported speech these subjects are the speaker: "he said his country would not give up ...".
_REPORTED_SELF = re.compile(
    r"^(?:he|she|he\s+and\s+.+|she\s+and\s+.+|his|her)(?:\s+(?:country|government|side|party|administration|"
    r"ministry|army|forces|nation|company|team))?$",
    re.I,
)
# "even if" concedes, it does not suppose: "even if ties normalize, it would have little effect" says it would.
# "in the case (that)", "in the event (of/that)" suppose as "if" does; "in the case of X" only names a topic.
# "if" after a verb of asking or finding out opens a question, not a condition: "watching to see if it's true".
_IF = (
    r"(?<![\w’'])(?<!even\s)(?<!see\s)(?<!ask\s)(?<!asks\s)(?<!asked\s)(?<!know\s)(?<!knows\s)(?<!wonder\s)"
    r"(?<!check\s)(?<!decide\s)(?<!sure\s)(?<!clear\s)(?<!unclear\s)"
    r"(?:if|unless|in\s+case|in\s+the\s+event|in\s+the\s+case(?!\s+of(?![\w’'])))(?![\w’'])"
)
_ANY = r"(?<![\w’'])(?:any|whatever|whoever)(?![\w’'])"
_CONDITIONAL = re.compile(_IF + "|" + _ANY, re.I)
# A condition supposes only for "would" (a hypothetical: "if talks failed, the region would pay the price"); with
# "will", "going to", "could", "may" or "might" the consequence is a conditional forecast ("if the battles are
# prolonged, the North may send more troops"), unless it is the speaker's own act (weighed before).
_IF_CONDITION = re.compile(_IF, re.I)
_ANY_CASE = re.compile(_ANY, re.I)
# A condition put by inversion supposes as "if" does: "Should talks fail, ...", "Had Washington agreed, ...",
# "Were sanctions to be lifted, ...", and after the main clause "..., should Washington insist",
# "... were Seoul to deploy them". "should"/"had" open one only at the head of a clause, before a subject and
# with a clause after it; "were" wherever a subject and "to" + a verb follow it.
_SUBJECT_START = (
    r"(?:the|a|an|this|that|these|those|such|any|both|either|its|their|his|her|our|it|they|he|she|we|you|I|"
    r"there|[A-Z][\w’'-]*|[a-z]+s)(?=\s)"
)
_INVERTED_CONDITION = re.compile(
    r"(?:(?:^|(?<=[.;:!?,“\"—–(]))\s*|(?<![\w’'])(?:and|but|or)\s+)(?:[Ss]hould|[Hh]ad)\s+(?!not\b|been\b|better\b)"
    rf"{_SUBJECT_START}[^.;:!?,]*,"
    r"|(?<![\w’'])[Ww]ere\s+(?:(?:the|a|an|this|that|these|those|such|it|they|he|she|we|you|I)\s+(?:[\w’'-]+\s+){0,3}"
    r"|(?:[A-Z][\w’'-]*|[a-z]+s)\s+(?:[\w’'-]+\s+){0,2})to\s+[a-z]"
    r"|,\s*(?:should|had)\s+(?!not\b|been\b|better\b)" + _SUBJECT_START
)
# "have" as a verb of its own after a modal ("would have a low synergy"), not the perfect ("would have been").
_POSSESSION = re.compile(r"\s+(?:a|an|the|no|little|few|some|more|less|much|many|enough|any|very|its|their)\s", re.I)


_TIME_MARKER = re.compile(
    r"in the (?:near |coming )?future|next (?:year|month|week|decade|spring|summer|autumn|fall|winter)|"
    r"in the coming (?:days|weeks|months|years)|by (?:the end of )?(?:19|20)\d\d|eventually|forecast|predict|"
    r"prediction|projected"
)


# After "may be", these describe a present state ("the visit may be aimed at ..."), not an event to come.
_STATIVE_PARTICIPLES = frozenset(
    "aimed intended designed meant based related linked connected caused motivated driven seen used explained "
    "attributed ascribed "
    "involved interested concerned worried tied".split()
)
# Words ending in -ing that are not gerunds.
_NOT_GERUNDS = frozenset(
    "nothing something anything everything thing king spring morning evening meeting building wing bring "
    "ring during ceiling earring".split()
)


def _gerund_subject(words: list[str]) -> bool:
    """A subject that is a gerund phrase ("using nuclear weapons"): what it says is hypothetical."""
    if words and words[0].casefold() in ("and", "but", "or", "so", "yet"):
        words = words[1:]  # "artillery is heavy, and sending it by ship would take weeks"
    if len(words) < 2:
        return False
    first, second = words[0], words[1].casefold()
    return (
        first.casefold().endswith("ing")
        and first.casefold() not in _NOT_GERUNDS
        and second not in ("and", "or", "&")
        and second[:1].islower()
        and not (first[:1].isupper() and words[1][:1].isupper())
    )


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.casefold())


def _clause_before(text: str, pos: int) -> str:
    """The words of the clause that ends at ``pos`` (the modal's subject and what precedes it)."""
    return _clause_and_opener(text, pos)[0]


def _clause_and_opener(text: str, pos: int) -> tuple[str, str]:
    """The clause that ends at ``pos`` and the word or mark that opened it ("" at the start)."""
    start, opener = 0, ""
    for m in _CLAUSE_BREAK.finditer(text, 0, pos):
        start, opener = m.end(), m.group().strip().casefold()
        if opener == "that" and re.search(r"(?<![\w’'])so\s+$", text[: m.start()], re.I):
            opener = "so that"
    return text[start:pos].strip(), opener


# A sentence ends at ". ", "? " or "! ", not after an abbreviation with dots ("the U.S. election", "Mr. Kim").
# Scraped text sometimes loses the space: "a disaster.If the North ..." ends a sentence too.
_SENTENCE_END = re.compile(
    r"(?:(?<!\b[A-Z]\.[A-Z])(?<!\b[A-Z])(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bMrs)\.|[?!]) |(?<=[a-z]{2})\.(?=[A-Z][a-z])"
)


def _sentence_of(text: str, pos: int) -> tuple[int, int]:
    start = 0
    for m in _SENTENCE_END.finditer(text, 0, pos):
        start = m.end()
    end = _SENTENCE_END.search(text, pos)
    return start, (end.start() + 1 if end else len(text))


# A clause of time before "could": "before they could be returned", "until it could leave".
_TIME_CLAUSE = re.compile(r"(?<![\w’'])(?:before|after|until|till)\s+(?:[\w’'-]+\s+){0,3}$", re.I)
_BEFORE_GOING = frozenset(
    "are is am was were not never certainly definitely surely really just also still absolutely simply".split()
)


# "I think", "we believe (that)" open the clause whose subject follows: "I think they will coalesce" is about them.
_THINKING_OPENER = re.compile(
    r"^(?:(?:and|but|so)\s+)?(?:i|we)\s+(?:(?:do|don['’]t)\s+)?(?:think|believe|expect|suspect|guess|feel|fear|suppose|"
    r"reckon|bet|imagine|assume)\s+(?:that\s+)?(?=\S)",
    re.I,
)


def _speaker_own_act(subject: str, modal: str, *, reported: bool) -> bool:
    """Is the subject of this modal the speaker (an intention, a promise or a refusal)?"""
    if modal[:1] in "’'" and subject.split()[-1:] and subject.split()[-1].casefold() in ("i", "we"):
        return True
    words = _THINKING_OPENER.sub("", subject).split()
    # "we are certainly not going to": the auxiliaries and adverbs between the subject and "going to".
    while len(words) > 1 and words[-1].casefold() in _BEFORE_GOING:
        words = words[:-1]
    if not words:
        return False
    head = words[-1].casefold()
    if head in _FIRST_PERSON or _OWN_SIDE.match(" ".join(words[-3:])):
        return True
    if " ".join(words[:1]).casefold() in ("i", "we") and len(words) <= 3:
        return True
    return reported and bool(_REPORTED_SELF.match(subject))


# Verbs of acts a government decides on: "they would continue to develop relations", "it will discuss".
_SIDE_ACTS = frozenset(
    """continue discuss consider develop keep work seek respond take maintain strengthen expand deepen support
    cooperate remain stand help provide send hold make pursue defend protect ensure never not put place give focus
    prioritize prioritise concentrate""".split()
)
_SIDE_TAIL = re.compile(
    r"(?:['’]s)?(?:\s+(?:government|side|leadership|authorities|military|forces|administration))?"
    r"(?:\s*,\s*(?:together|along)\s+with\s[^,]*,|\s+and\s+(?:its|their|our)\s+\w+(?:\s+and\s+\w+)?|"
    r"\s+and\s+[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)?)?\s*$"
)


# A stance an official declares unchanged: "our position will not change", "China's support for X will remain".
_STANCE = re.compile(
    r"(?<![\w’'])(?:position|positions|stance|policy|policies|support|commitment|friendship|resolve|determination|"
    r"solidarity|principles?)(?![\w’'])",
    re.I,
)
_UNCHANGED = re.compile(
    r"(?:\s+(?:not|never))+\s+(?:change|waver|alter|shift|weaken|be\s+(?:changed|altered|shaken))(?![\w’'])|"
    r"\s+(?:remain|stay)\s+(?:unchanged|the\s+same|firm|steadfast|unwavering|consistent)(?![\w’'])",
    re.I,
)


def _own_possessor(subject: str, side: frozenset[str]) -> bool:
    """Is the owner of the stance named in ``subject`` the speaker's side: "our", "my", the side's name or its
    demonym before "'s" ("China's support", "the Chinese people's friendship"), or no one named ("the position")?"""
    if re.search(r"(?<![\w’'])(?:our|my)(?![\w’'])", subject, re.I):
        return True
    k = re.search(r"['’]s(?![\w’'])", subject)
    if k is None:
        return not re.search(r"(?<!^)(?<![.!?]\s)\b[A-Z]", subject.strip())
    owner = _norm(subject[: k.start()])
    if any(re.search(rf"(?<![\w’']){re.escape(alias)}$", owner) for alias in side):
        return True
    return any(
        re.search(rf"(?<![\w’']){re.escape(demonym)}(?:\s+(?:people|nation|government|leadership|side))?$", owner)
        and COUNTRY_ALIASES.get(country) == side
        for demonym, country in DEMONYM_COUNTRIES.items()
    )


# Measures a government takes, after "there will be" or a generic "you will have": what the official announces.
_MEASURE_AFTER = re.compile(
    r"\s+(?:be|have)\s+(?:(?:a|an|the|some|more|new|further|additional|fresh|tougher|stronger|other|another)\s+)*"
    r"(?:[\w-]+\s+){0,2}?(?:sanctions?|measures|restrictions|penalties|tariffs|bans?|embargo|package)(?![\w’'])",
    re.I,
)


# An official's own government, named without its country: "the government will", "our ministry would"; and
# their own head of government, named by the office alone: "the president will ensure ...".
_OWN_GOVERNMENT = re.compile(
    r"(?:the|our)\s+(?:government|administration|ministry|"
    r"authorities|armed\s+forces|president|prime\s+minister|premier|chancellor)"
)


# A text an official's side signs or issues, described by that official: what it "will" do is what it says.
_OWN_DOCUMENT = re.compile(
    r"(?:^|\s)(?:the|this|our|its|their)\s+(?:[\w-]+\s+){0,3}(?:agreement|treaty|document|accord|pact|memorandum|"
    r"declaration|communiqu[eé]|charter|protocol|roadmap|road\s+map)$",
    re.I,
)


# The same text as the subject of the clause a relative "which"/"that" hangs on: "A new treaty has been drafted,
# which will ...".
_OWN_DOCUMENT_BEFORE = re.compile(
    r"(?:^|\s)(?:the|this|our|its|their|a|an)\s+(?:[\w-]+\s+){0,3}(?:agreement|treaty|document|accord|pact|"
    r"memorandum|declaration|communiqu[eé]|charter|protocol|roadmap|road\s+map)\s+(?:has|have|had|was|were|is|"
    r"are)\s+(?:\w+ly\s+)?(?:been\s+)?\w+ed\s*,?\s*(?:which|that)\s+$",
    re.I,
)


# What a government decides and does itself, said in the passive: "the details would be determined".
_DECIDED_ACTS = frozenset(
    """determined decided discussed considered documented developed settled arranged organized organised
    announced published reviewed examined studied finalized finalised coordinated prepared sent provided
    taken handed""".split()
)


def _own_side_subject(text: str, start: int, pos: int, side: frozenset[str]) -> bool:
    """Does the clause ending at ``pos`` have the speaker's own country or government as its subject
    ("Moscow and Pyongyang will exchange ...", "The Republic of Korea, together with its allies, will")?"""
    before = text[start:pos]
    for alias in side:
        for m in re.finditer(
            rf"(?:^|[,;:“\"]\s*|(?<![\w’'])(?:that|and|but)\s+)(?:the\s+)?{re.escape(alias)}(?=['’]s\s|(?![\w’']))",
            before,
            re.I,
        ):
            if _SIDE_TAIL.match(before, m.end()):
                return True
    return False


def _side_act(text: str, m: re.Match, s: int, subject: str, *, reported: bool, side: frozenset[str] | None) -> bool:
    """An official's statement of what the speaker's own side will do: an intention, not a forecast."""
    if side is None:
        return False
    if side and _own_side_subject(text, s, m.start(), side):
        return True
    if _OWN_GOVERNMENT.fullmatch(_norm(subject)):
        return True  # an official's "the government will move more quickly": their own government
    if _STANCE.search(subject) and _UNCHANGED.match(text, m.end("modal")) and _own_possessor(subject, side):
        return True  # "our position will not change", "China's support for X will not change": a stance declared
    if _norm(subject) in ("there", "you") and _MEASURE_AFTER.match(text, m.end("adverbs")):
        return True  # a minister's "there will be additional sanctions", "you will have a new ban": measures announced
    verb = _norm(m.group("verb") or "")
    adverbs = _norm(m.group("adverbs") or "").split()
    if reported and _norm(subject) in ("it", "they") and (verb in _SIDE_ACTS or {"not", "never"} & set(adverbs)):
        return True  # "he said they would continue to ...", "adding that it will discuss ..."
    if _OWN_DOCUMENT.search(re.sub(r"[“”\"]", " ", text[s : m.start()]).rstrip()):
        return True  # "the new agreement would outline cooperation": what the side's own text says
    if not subject and _OWN_DOCUMENT_BEFORE.search(text, s, m.start()):
        return True  # "a new document has been prepared, which will form the basis of our relations"
    if verb == "be" and _norm(m.group("modal")) not in _POSSIBILITY:
        rest = text[m.end() : m.end() + 60]
        participle = re.match(r"\s+(?:\w+ly\s+)?([^\W\d_]+ed)\b(?!\s+by\b)", rest)
        if participle and participle.group(1).casefold() in _DECIDED_ACTS:
            return True  # "the details would be determined through diplomatic channels": an announcement
    return False


_EVALUATIVE_THAT = re.compile(
    r"(?<![\w’'])(?:it\s+(?:is|was|seems|seemed)|it['’]s)\s+(?:(?:very|so|quite|deeply|truly)\s+)?[a-z]+\s+that\s*$",
    re.I,
)


_ANNOUNCED_THAT = re.compile(
    r"(?<![\w’'])(?:announced|made\s+(?:it\s+)?public|declared|confirmed|stated|promised|pledged|vowed|"
    r"decided|agreed|informed\s+\w+|"
    # a noun of announcing, with a time or a place between: "its announcement last week that it would ..."
    r"(?:announcement|decision|plan|pledge|promise|vow|declaration|commitment)(?:\s+(?!that\b)[\w’'-]+){0,3})"
    r"\s+that\s*$",
    re.I,
)


# A side's stated intention, the "that" left out: "North Korea has said it won't give up nukes".
_REPORTED_INTENTION = re.compile(
    r"(?<![\w’'])(?:has|have|had)\s+(?:\w+ly\s+)?(?:said|announced|declared|stated|vowed|pledged|promised|insisted|"
    r"made\s+(?:it\s+)?clear)\s+(?:that\s+)?(?:it|they)$"
    # In the simple past, "they" after a plural or set-off source: "officials said they will ...", "X, the rebels'
    # leader, and his aides, said they would ..."; not "it" ("analysts said it will take years") nor after a
    # single one ("he said they will fail").
    r"|(?:^|(?<=[^\W\d_]s\s)|(?<=,\s)|(?<=,))(?:\w+ly\s+)?(?:said|announced|declared|stated|vowed|pledged|"
    r"promised|insisted)\s+(?:that\s+)?they$",
    re.I,
)


def _announced_that(text: str, pos: int) -> bool:
    before = text[max(0, pos - 200) : pos]
    k = before.casefold().rfind("that")
    return k >= 0 and bool(_ANNOUNCED_THAT.search(before[: k + 4]))


def _evaluative_that(text: str, pos: int) -> bool:
    before = text[max(0, pos - 200) : pos]
    k = before.casefold().rfind("that")
    return k >= 0 and bool(_EVALUATIVE_THAT.search(before[: k + 4]))


# A modal in what someone hopes or wishes for: "hopes (that) the talks will resume".
_WISHED = re.compile(
    r"(?<![\w’'])(?:hope[sd]?|hoping|wish(?:es|ed)?|wishing)\s+(?:that\s+)?"
    r"(?:[^\s,;:.!?]+\s+|[^\s,;:.!?]+,\s+(?:which|who)\s(?:[^,;:.!?]|\.(?=\d))*,\s+){0,14}$",  # "..., which ...,"
    re.I,
)
# In a direct quote, "would" after a past thought is the future seen from the past, a story
# told about then ("he believed that Trump was so eager that he would reward him"), not a forecast.
_PAST_THOUGHT = re.compile(
    r"(?<![\w’'])(?:believed|thought|assumed|felt|figured|knew|hoped|expected|envisioned|envisaged|imagined|"
    r"planned|intended|anticipated|reckoned|calculated|(?:was|were)\s+(?:sure|convinced|certain|thinking|hoping|"
    r"planning|expecting))\s+(?:that\s+)?(?:[^.;:!?]*?\s+)?$",
    re.I,
)
# What a thing can do, in a relative clause ("missiles that could reach the mainland").
_CAPABILITY_VERBS = frozenset(
    "contain hold carry reach strike hit target deliver accommodate cover travel fly penetrate destroy "
    "produce house store transport launch".split()
)


# After "could/may/might be", an event or a time to come makes a forecast: "it could be a reciprocal
# visit", "may be imminent", "could be the next opportunity", "could be from today to a couple of weeks".
_EVENT_TO_COME = re.compile(
    r"(?<![\w’'])(?:next|imminent|soon|later|within|coming|upcoming|visit|trip|summit|test|launch|attack|strike|"
    r"invasion|offensive|opportunity|from\s+today|by\s+the\s+end|before\s+the\s+end)(?![\w’'])",
    re.I,
)


def _clause_after(text: str, pos: int) -> str:
    stop = _CLAUSE_BREAK.search(text, pos)
    end = stop.start() if stop else len(text)
    m = re.search(r"[.!?](?:\s|$)", text[pos:end])
    return text[pos : pos + m.start()] if m else text[pos:end]


def _elliptic_own_subject(text: str, s: int, *, reported: bool, side: frozenset[str] | None) -> bool:
    """For a modal with no subject of its own ("... and would continue"), is the subject the sentence opens
    with the speaker: "we", or in reported speech "he"/"she", or an official's own country?"""
    first = re.match(r"\s*([^\W\d_][\w’'.]*)", text[s:])
    if first is None:
        return False
    word = first.group(1).casefold()
    if word in ("i", "we") or (reported and word in ("he", "she")):
        return True
    head = text[s : s + 40].casefold()
    return bool(side) and any(
        re.match(rf"\s*(?:the\s+)?{re.escape(alias.removeprefix('the '))}(?![\w’'])", head) for alias in side
    )


# Before "where", "who" or "which", these make what follows an embedded question ("nobody knows where the troops
# will go", "did not say which side would host"), not a relative clause ("Kursk, where they will face ...").
_ASKING = re.compile(
    r"(?<![\w’'])(?:know|knows|knew|known|unknown|clear|unclear|sure|certain|uncertain|wonder|wonders|wondered|"
    r"wondering|ask|asks|asked|asking|decide|decides|decided|undecided|determine|determined|say|says|said|tell|"
    r"tells|told|idea|question|guess|predict|disclose|disclosed|reveal|revealed|specify|specified|explain|"
    r"explained|confirm|confirmed|about)\s+(?:(?:exactly|precisely|yet|immediately)\s+)?$",
    re.I,
)


def _embedded_question(text: str, pos: int) -> bool:
    """Is the clause that ends at ``pos`` a question embedded after a verb of knowing or telling, opened by
    "where", "who" or "which"?"""
    last = next(reversed(list(_CLAUSE_BREAK.finditer(text, 0, pos))), None)
    return (
        last is not None
        and last.group().casefold() in ("where", "who", "which")
        and _ASKING.search(text, 0, last.start()) is not None
        # "knew where the convoys were heading and would keep watching": the modal is the main clause's again
        and not re.search(r"(?<![\w’'])(?:and|but)\s*$", text[last.end() : pos], re.I)
    )


def _modal_subject(text: str, m: re.Match) -> tuple[str, str]:
    """The subject of the modal ``m`` (its clause before it; for a clitic "'ll" the word it is glued to) and
    the word or mark that opened its clause."""
    subject, opener = _clause_and_opener(text, m.start())
    if m.group("modal")[:1] in "'’":
        subject = (text[: m.start()].split() or [""])[-1]
    elif not subject and opener in ('"', "“"):
        # a quotation opening on the modal, its subject before the mark: his country "will never give up ..."
        mark = text.rfind(opener, 0, m.start())
        if mark > 0 and text[mark - 1].isspace():
            subject, opener = _clause_and_opener(text, mark)
    return subject, opener


def _own_act(text: str, m: re.Match, *, reported: bool, side: frozenset[str] | None) -> bool:
    """Does this modal tell of what the speaker (or an official's own side) will do?"""
    subject, _opener = _modal_subject(text, m)
    s = _sentence_of(text, m.start())[0]
    return _speaker_own_act(subject, _norm(m.group("modal")), reported=reported) or _side_act(
        text, m, s, subject, reported=reported, side=side
    )


# What a side threatens to do to another: "will be met with a merciless response", "will face consequences",
# "would invite retaliation", "will not go unanswered", "will pay a heavy price". Said by an official or a
# politician, or with "we"/"our" in the sentence, it is the speaker's side's intention, not a forecast.
_THREAT = re.compile(
    r"\s+[“\"]?(?:(?:be\s+[“\"]?)?met\s+with|meet\s+with|face|invite|provoke|trigger|draw|bring|prompt|receive)\s+[“\"]?"
    r"(?:(?:a|an|the|our|their)\s+)?(?:[\w-]+\s+){0,3}?(?:response|retaliation|reprisals?|countermeasures?|"
    r"consequences|punishment|force|retribution|reaction|counter-?attack|justice)(?![\w’'])|"
    # "will be met with fire and fury": whatever a side's threat is met with
    r"\s+be\s+[“\"]?met\s+with\s|"
    # "there will be (serious) consequences"
    r"\s+be\s+(?:(?:serious|severe|grave|dire|real)\s+)?consequences(?![\w’'])|"
    r"\s+(?:not\s+)?go\s+(?:unanswered|unpunished)(?![\w’'])|\s+pay\s+(?:a|the)\s+(?:[\w-]+\s+)?price(?![\w’'])",
    re.I,
)
_FIRST_PERSON_IN = re.compile(r"(?<![\w’'])(?:[Ww]e|[Oo]ur|[Oo]urs|us|I|[Mm]y)(?![\w’'])")


def _threat(text: str, m: re.Match, side: frozenset[str] | None) -> bool:
    """Is the modal ``m`` a threat of the speaker's side: an official or a politician speaking, or "we"/"our" in
    the sentence?"""
    if not _THREAT.match(text, m.end("adverbs")):
        return False
    s, e = _sentence_of(text, m.start())
    return side is not None or bool(_FIRST_PERSON_IN.search(text, s, e))


# What the speaker will come to know is no act of theirs but an outcome to come: "we'll know by the weekend whether
# it worked", "I will learn soon enough". Only with something known after it: "we'll see" alone is no claim; not
# "find out", often a promise ("we will find out who did this").
_COMING_TO_KNOW = re.compile(
    r"(?:know|learn)(?![\w’'])(?=\s+(?:[\w’'-]+\s+){0,3}?(?:if|whether|what|who|how|why|"
    r"that|soon|more|by|within)(?![\w’']))",
    re.I,
)


# A time clause printed without its comma, then the main clause's own subject: "when it does happen it will be
# sudden" (the modal is asserted, as in "when it happens, it will be sudden"), not "when they could meet".
_MAIN_AFTER_TIME_CLAUSE = re.compile(
    r"^(?:it|they|he|she|we|you|the\s+\w+|this|that)\s+(?:\w+\s+){1,4}?(?:it|they|he|she|we|you|there)$", re.I
)


def _forecast_modal(text: str, m: re.Match, *, reported: bool, side: frozenset[str] | None = None) -> bool:
    modal = _norm(m.group("modal"))
    verb = _norm(m.group("verb") or "")
    if m.group("modal") == "May" and text[: m.start()].strip()[-1:] not in ("", ".", "!", "?", "“", '"'):
        return False  # the month: "in May", "since May"
    if modal == "will" and _WILL_NOUN.search(text[max(0, m.start() - 12) : m.end("modal")]):
        return False
    if "going to" in modal and _GOING_PLACE.match(text, m.end("modal")):
        return False  # "we will be going to Moscow on Thursday": a trip, not the future "going to"
    if modal == "might" and _MIGHT_NOUN.search(text, max(0, m.start() - 12), m.start()):
        return False  # "the rule of might", "military might": the noun
    s, e = _sentence_of(text, m.start())
    if text[s:e].rstrip().endswith("?"):
        return False  # a question, often rhetorical
    subject, opener = _modal_subject(text, m)
    if (opener in _UNASSERTED_OPENERS and not _MAIN_AFTER_TIME_CLAUSE.match(subject if opener == "when" else "")) or (
        _embedded_question(text, m.start())
    ):
        return False
    if _speaker_own_act(subject, modal, reported=reported) and not (
        verb and not modal.startswith("would") and _COMING_TO_KNOW.match(text, m.start("verb"))
    ):
        return False
    if modal not in _POSSIBILITY and re.match(r"(?:and\s+|but\s+)?such\s+(?!as\b)", subject, re.I):
        return False  # "such a deal would ...": what it says hangs on a case the speaker supposes; "such a
        # summit could pave the way" says what may come of one
    if modal.startswith("would") and _supposed_case(subject, reported=reported):
        return False  # "a war would be catastrophic", "he said a second test would aggravate the situation"
    if _ONLY_SUBJECT.match(subject) or (opener in ("that", "which") and _after_the_only(text, s, m.start())):
        return False  # "only talks would resolve it", "the only language that they will understand": a necessity
    if (
        opener == "that"
        and _MESSAGE_THAT.search(text, s, m.start())
        and (side is not None or _FIRST_PERSON_IN.search(text, s, m.start()))
    ):
        return False  # "we will send a clear message that the world will not tolerate ...": the speaker's message
    if opener in ("that", "which") and not subject and verb in _ENABLING_VERBS:
        return False  # "a route that would allow Moscow to reach new markets": what a thing would make possible
    if opener == "that" and _norm(subject) in ("it", "they", "he", "she") and _announced_that(text, m.start()):
        return False  # "it recently made public that it would supply tanks": a plan announced, not a forecast
    if _REPORTED_INTENTION.search(subject):
        return False  # "North Korea has said it won't give up nukes": what another side said it will do
    if opener == "that" and _evaluative_that(text, m.start()):
        return False  # "it is paradoxical that a member would wage war": an evaluation, not a forecast
    if _side_act(text, m, s, subject, reported=reported, side=side):
        return False
    if _threat(text, m, side):
        return False  # "any provocation will be met with a merciless response": a threat of the speaker's side
    if re.search(r"(?:^|\s)(?:and|but)$", subject, re.I) and (
        _elliptic_own_subject(text, s, reported=reported, side=side)
        or _speaker_own_act(subject.split()[0], modal, reported=reported)
    ):
        return False  # "Washington knew where they went and would keep watching": the sentence's subject acts
    if _WISHED.search(text, s, m.start()):
        return False  # "China hopes the two sides will continue the dialogue": a wish, not a forecast
    if _NOT_WITHOUT.match(text, m.end("modal")) or (
        re.search(r"(?<![\w’'])(?:no|never)\s+$", text[max(0, m.start() - 8) : m.start()], re.I)
        and re.search(r"(?<![\w’'])without(?![\w’'])", _clause_after(text, m.end()), re.I)
    ):
        return False  # "there will be no deal without Kyiv", "there never will be without ...": a condition
    if _UNSURE_THAT.search(text, s, m.start()):
        return False  # "we can't simply assume that ... the North will come to the table": not asserted
    if not reported and modal.startswith("would") and _PAST_THOUGHT.search(text, s, m.start()):
        return False  # "he believed that the president would reward him": the future of a past, told
    if opener in ("that", "which") and modal in _POSSIBILITY and verb in _CAPABILITY_VERBS:
        return False  # "containers that could hold five million shells": what a thing can do, now
    words = subject.split()
    if modal in _POSSIBILITY or modal.startswith("would"):
        if modal.startswith("could") and _TIME_CLAUSE.search(text, s, m.start()):
            return False  # "they were cremated before they could be returned": "can" in the past
        if verb in _NOT_FORECAST_VERBS and not (verb == "have" and _POSSESSION.match(text, m.end())):
            return False  # "would like", "may have been", "could have"; not "would have a low synergy"
        if _ANY_CASE.search(text[s : m.start()]) or (
            modal.startswith("would")
            and (_IF_CONDITION.search(text[s : m.start()]) or _IF_CONDITION.search(text, m.end(), e))
        ):
            return False  # "if ... would", "any deal would violate", "any deal could"
        if _INVERTED_CONDITION.search(text, s, e):
            return False  # "Should talks fail, the region could slide ...", "... would respond were Seoul to ..."
        if "only" in _norm(m.group("adverbs") or "").split() and re.search(
            r"(?<![\w’'])(?:when|once|as\s+long\s+as|provided)(?![\w’'])", text[m.end() : e], re.I
        ):
            return False  # "would only proceed when he gets guarantees": a condition, not a forecast
        if _gerund_subject(words):
            return False  # "using nuclear weapons would mean suicide": a hypothetical
        if verb == "be" and modal in _POSSIBILITY | {"would"}:
            participle = re.match(r"\s+(?:\w+ly\s+)?([^\W\d_]+ed|[^\W\d_]+en)\b", text[m.end() : m.end() + 40])
            if participle is not None and participle.group(1).casefold() in _STATIVE_PARTICIPLES:
                return False  # "may be aimed at": a guess about the present
            if re.match(r"\s+(?:\w+ly\s+)?[^\W\d_]{2,}ing\b", text[m.end() : m.end() + 40]):
                return False  # "may be preparing for a test": a guess about what is going on now
            if (
                participle is None
                and not _EVENT_TO_COME.search(complement := _complement(text, m.end()))
                and not (modal in _POSSIBILITY and _POSSIBLE_AFTER_BE.match(text, m.end()) and opener not in _RELATIVE)
                and not (_norm(subject).endswith("there") and _OUTCOME.search(complement))
                and not (reported and _CONFIDENT.search(text, s, m.start()))
            ):
                return False  # "there may be options", "it may be a sign of weakness"
        if modal in _POSSIBILITY and verb in _STATIVE_VERBS and not _EVENT_TO_COME.search(_complement(text, m.end())):
            return False  # "the overture may not represent a change", "talks may appear to be stalled": about now
    return True


# After "could/may/might be": a possibility of an event ("a meeting could be possible after the visit", "Xi may be
# able to gain insights"); not in a relative clause ("someone who may be able to deal with it": a description).
_POSSIBLE_AFTER_BE = re.compile(
    r"\s+(?:(?:quite|very|well|still|also)\s+)?(?:possible|feasible|able\s+to)(?![\w’'])", re.I
)
_RELATIVE = frozenset({"who", "which", "that", "where"})
# After "there could/may/might be": an outcome to come ("there could be a significant number of casualties").
_OUTCOME = re.compile(
    r"(?<![\w’'])(?:casualties|deaths|losses|war|wars|conflict|clash|clashes|fighting|violence|escalation|crisis|"
    r"collapse|breakthrough|deal|agreement|changes?|shift|delays?|setbacks?|backlash|retaliation|provocations?|"
    r"attacks?|unrest|instability|shortages?|progress|talks|summit|meeting|elections?|sanctions|default|recession|"
    r"famine|coup|purges?)(?![\w’'])",
    re.I,
)
# In reported speech, what the speaker "was confident" or "sure" of: "he was confident X would be the successor".
_CONFIDENT = re.compile(
    r"(?<![\w’'])(?:is|was|are|were)\s+(?:\w+ly\s+)?(?:confident|sure|certain|convinced)\s+(?:that\s+)?[^.;:!?]*$",
    re.I,
)


# Verbs of what a thing is or means now: after could/may/might they guess about the present.
_STATIVE_VERBS = frozenset(
    "represent represents reflect reflects mean means indicate indicates signify signal suggest appear seem look "
    "sound belong stem constitute amount explain know".split()
)


def _complement(text: str, pos: int) -> str:
    """The clause after ``pos`` up to its first participle or gerund: "a significant factor" of "a significant
    factor motivating the visit"."""
    clause = _clause_after(text, pos)
    cut = next((w for w in re.finditer(r"[^\W\d_]{3,}ing\b", clause) if w.group().casefold() not in _NOT_GERUNDS), None)
    return clause[: cut.start()] if cut else clause


# Schedules: what a certain modal ("will", "shall", "would" in reported speech, "is set to") says of an
# event that is planned. These verbs make one on their own ...
_SCHEDULED_EVENT = re.compile(
    r"(?:take|taking)\s+place|be\s+(?:held|hosted|convened|staged)|convene|(?:be\s+)?scheduled|be\s+due",
    re.I,
)
# ... these need a time printed in the same clause.
_SCHEDULE_VERBS = frozenset(
    "visit visits visiting meet meets meeting hold holds holding host hosts hosting attend attends attending travel "
    "travels travelling traveling fly flies flying arrive arrives arriving leave leaves leaving depart departs "
    "departing open opens opening begin begins beginning start starts starting address addresses addressing deliver "
    "delivers delivering chair chairs chairing head heads heading lead leads leading sign signs signing tour tours "
    "touring return returns returning stay stays staying participate participates participating attend "
    "announce announces announcing receive receives receiving welcome welcomes welcoming hold resume "
    "traveling travelling visiting meeting holding hosting attending arriving leaving departing touring "
    "work works working".split()
)
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|March|April|May|June|July|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|"
    r"Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_FIXED_TIME = re.compile(
    rf"(?<![\w’'])(?:(?:on\s+|this\s+|next\s+)?{_WEEKDAY}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}\s+{_MONTH}|"
    r"at\s+\d{1,2}(?:[:.]\d\d)?\s*(?:a\.?m\.?|p\.?m\.?|o['’]clock|GMT|UTC|local time)?|"
    r"(?:[Ll]ater\s+)?(?:[Tt]oday|[Tt]onight|[Tt]omorrow)|this\s+(?:week(?:end)?|morning|afternoon|evening)|next\s+week|"
    rf"in\s+(?:(?:early|mid|late)[- ])?{_MONTH}|"
    r"on\s+the\s+\d{1,2}(?:st|nd|rd|th))(?![\w’'])"
)
_SCHEDULE_MODALS = frozenset({"will", "shall", "would", "'ll", "’ll", "is set to", "are set to"})
# An agenda: what the parties to a meeting will discuss or take up ("Putin and Xi will discuss the conflict",
# "special attention will be paid to energy", "the price cap would be discussed at the summit"). Announced by an
# official or a politician, or with the meeting or a time printed, it is a schedule, not a forecast.
_AGENDA_VERBS = frozenset(
    "discuss discusses discussing talk talks talking exchange exchanges exchanging focus focuses focusing debate "
    "debates debating review reviews reviewing examine examines examining".split()
)
_AGENDA_PASSIVE = re.compile(
    r"\s*be\s+(?:\w+ly\s+)?(?:discussed|considered|reviewed|raised|addressed|examined|debated|taken\s+up|"
    r"on\s+the\s+agenda)(?![\w’'])",
    re.I,
)
_ATTENTION_PAID = re.compile(r"(?<![\w’'])attention\b[^.;:!?]*$", re.I)
_OCCASION = re.compile(
    r"(?<![\w’'])(?:during|at|in\s+the\s+course\s+of)\s+(?:the|this|their|a|an|its|next\s+week['’]s)\s+"
    r"(?:[\w’'-]+\s+){0,4}?(?:visit|summit|talks|meeting|session|conference|negotiations|forum|trip|consultations)"
    r"(?![\w’'])",
    re.I,
)


def _agenda(clause: str, lead: str, rest: str, *, official: bool) -> str | None:
    """ "agenda" when the clause after a certain modal says what a meeting will discuss, else None."""
    passive = _AGENDA_PASSIVE.match(clause) or (
        re.match(r"\s*be\s+paid\b", clause, re.I) and _ATTENTION_PAID.search(lead)
    )
    verb = re.match(r"\s*(?:(?:also|then|first|only|now|again|both|all)\s+)*(?:be\s+)?([^\W\d_]+)", clause)
    if not passive and not (verb and verb.group(1).casefold() in _AGENDA_VERBS):
        return None
    if official or _OCCASION.search(lead) or _OCCASION.search(rest) or _FIXED_TIME.search(clause + " " + lead):
        return "agenda"
    if _MEETING_SUBJECT.search(lead):
        return "agenda"  # "talks with the president expected to focus on trade", "the two leaders would discuss"
    return None


# A subject that is a meeting or its parties: what it will discuss is its agenda.
_MEETING_SUBJECT = re.compile(
    r"(?<![\w’'])(?:talks|meeting|summit|negotiations|consultations|visit|council|committee|cabinet|commission|"
    r"(?:the\s+)?(?:two\s+|both\s+)?(?:leaders|"
    r"sides|presidents|ministers|delegations|counterparts|negotiators))(?:\s+(?:with|between|of|in)\s+[^,;:.!?]*?)?"
    r"(?:\s+(?:is|are|were|was|will|would|shall|also|then|expected\s+to|set\s+to))*\s*$",
    re.I,
)


def _schedule(text: str, modal: str, after: int, *, official: bool = False) -> str | None:
    """The event when what follows a certain modal at ``after`` is a schedule, else None. ``official`` says an
    official or a politician speaks (an agenda they announce is a schedule without a time printed)."""
    if modal not in _SCHEDULE_MODALS and modal != "expected to":
        return None
    s, e = _sentence_of(text, after)
    lead = text[s:after]  # "Already in early February, the first group will be traveling ..."
    rest = text[after:]
    stop = _CLAUSE_BREAK.search(rest)
    clause = re.split(r"[.!?](?:\s|$)", rest[: stop.start()] if stop else rest, maxsplit=1)[0]
    if agenda := _agenda(clause, lead, text[after:e], official=official):
        return agenda
    if modal == "expected to":
        return None  # "the summit is expected to take place": a hedge of its own, but for an agenda
    m = re.match(
        r"\s*(?:(?:also|then|first|only|now|again|both|all)\s+)*(?:be\s+(?=\w+ing\b))?([^\W\d_][\w’'-]*)", clause
    )
    if m is None:
        return None
    if re.match(
        r"\s*be\s+(?:in|at|on)\s[^,;]*\bfor\s+(?:\d+|a|one|two|three|four|five|six|seven|ten)\s+(?:days?|weeks?|nights?)\b",
        clause,
        re.I,
    ):
        return "stay"  # "the group will be in Pyongyang for four days"
    event = _SCHEDULED_EVENT.match(clause, m.start(1))
    if event is not None:
        return _norm(event.group())
    verb = m.group(1).casefold()
    if verb in ("begin", "begins", "start", "starts") and re.match(r"\s+to\s", clause[m.end() :]):
        return None  # "prices will begin to rise": an event nobody schedules
    if verb in _SCHEDULE_VERBS and (_FIXED_TIME.search(clause) or _FIXED_TIME.search(lead)):
        return verb
    return None


# A hedge on what is happening or happened: "are likely sending", "probably sent", "is probably using".
_NOW_OR_BEFORE = re.compile(
    r"\s+(?:(?:also|already|still|now|even)\s+)?(?!going\b|being\b)(?:[^\W\d_]+ing|[^\W\d_]+ed|sent|made|took|had|got|"
    r"been|did|knew|saw|began|gave|went|came|left|lost|won|built|bought|sold|kept|held|told|thought|given|taken|"
    r"known|seen|shown|done|gone|written|driven|chosen|broken|spoken|begun|become|grown|drawn|thrown|fallen|"
    r"flown|hidden|stolen|risen|proven|gotten)(?![\w’'])",
    re.I,
)
_ADVERB_HEDGES = frozenset({"likely", "probably", "most likely", "more likely", "very likely", "highly likely"})


# "is", "was", "that's" right before the hedge: "that's probably how", "it was likely a test".
_COPULA_BEFORE = re.compile(r"(?:(?<![\w’'])(?:is|are|was|were|am)|(?<=\w)['’](?:s|re|m))\s+$", re.I)


# What is still to come, after "is likely": "there is likely more in store", "worse is probably ahead".
_TO_COME = re.compile(r"(?<![\w’'])(?:in\s+store|ahead|to\s+come|next|soon|later|imminent)(?![\w’'])", re.I)


# A noun phrase's head, up to the first preposition, relative word or comma: "an attempt" of "an attempt to ...".
_NP_HEAD = re.compile(
    r"\s+(?:a|an|the|its|their|his|her|this|that|these|those)\s+(?P<head>(?:(?!(?:to|of|for|at|in|on|by|with|from|"
    r"that|which|who|ahead|before|after|and|or)(?![\w’']))[\w’'-]+\s*){1,4})",
    re.I,
)


# Nouns of what an act is meant to do: a guess at a motive ("likely an attempt to sway the vote next month") is
# about now, whatever time its purpose names.
_MOTIVE_NOUNS = frozenset(
    "attempt bid effort ploy move tactic tactics sign signal message response reaction way warning bluff gesture "
    "distraction ruse".split()
)


def _noun_guess(text: str, pos: int, hedge: str, *, motive: bool = False) -> bool:
    """Is this adverb hedge on a noun phrase that guesses what a thing is or means, with nothing to come in
    that noun phrase ("it is likely an attempt to attract attention", "likely its newest missile"; not "the next
    step is likely a summit", "likely a test next month")? With ``motive``, only a guess at a motive counts."""
    after = pos + len(hedge)
    head = _NP_HEAD.match(text, after)
    if head is None or _TO_COME.search(head.group("head")) or _EVENT_TO_COME.search(head.group("head")):
        return False
    if motive and head.group("head").split()[-1].casefold() not in _MOTIVE_NOUNS:
        return False
    before = text[max(0, pos - 12) : pos]
    return bool(_COPULA_BEFORE.search(before) or re.search(r"[,(—–]\s*$", before))


def _present_hedge(text: str, pos: int, hedge: str) -> bool:
    """Is this adverb hedge ("likely", "probably") on a verb of the present or the past ("are likely sending",
    "has likely given"), or on a copula's complement ("that's probably how ...", "it was likely a test"), with
    no modal of the future before it in its clause?"""
    if _norm(hedge) not in _ADVERB_HEDGES:
        return False
    after = pos + len(hedge)
    if re.search(r"(?<![\w’'])(?:can|cannot|can['’]t)\s+$", text[max(0, pos - 10) : pos], re.I):
        return True  # "one thing can probably be said": what can be done now
    if _noun_guess(text, pos, hedge):
        return True  # "it is likely an attempt to ...", "a new missile, likely its latest model"
    on_copula = (
        bool(_COPULA_BEFORE.search(text, max(0, pos - 12), pos))
        and not re.match(r"\s+(?:going\s+to|to|be|become|remain)(?![\w’'])", text[after:], re.I)
        and not _TO_COME.search(_clause_after(text, after))
    )
    if not on_copula and not _NOW_OR_BEFORE.match(text, after):
        return False
    clause, _opener = _clause_and_opener(text, pos)
    return not re.search(r"(?<![\w’'])(?:will|would|shall|could|may|might|going\s+to)(?![\w’'])|['’]ll\b", clause, re.I)


# "can" with a time to come in its sentence is a modal forecast: "talks can resume next year".
_CAN = re.compile(
    r"(?<![\w’'])(?P<modal>can)(?:\s+(?:also|still|only|then|finally|now|soon|again))*\s+(?!not\b|be\s+(?:seen|found)\b)"
    r"[^\W\d_][\w’'-]*",
    re.I,
)
_LATER = re.compile(
    _TIME_MARKER.pattern + r"|(?<![\w’'])(?:soon|later\s+this\s+(?:year|month|week)|after\s+the\s+(?:election|summit|"
    r"talks|sanctions|war|vote|visit|meeting|deal|agreement|ceasefire|crisis|pandemic)s?)(?![\w’'])",
    re.I,
)


# After "going to", a place or a determiner: "going to Moscow", "going to the talks" is motion, not the future.
_GOING_PLACE = re.compile(r"\s+(?:the|a|an|this|that|his|her|their|our|my|its|[A-Z][\w’'-]*)(?![\w’'])")


# "treaty bound to", "legally bound to": an obligation.
_DUTY_BOUND = re.compile(
    r"(?<![\w’'])(?:treaty|legally|duty|morally|constitutionally|contractually|honou?r|oath)[\s-]+$", re.I
)


# "hard to imagine how they lived": what is imagined is a state or a past, not an event to come.
_IMAGINE_WHAT = re.compile(r"\s+(?:how|what|why|where|who|that)(?![\w’'])", re.I)


# A comparative correlative says what one trend will bring: "The longer the war continues, the weaker the regime
# becomes", "the sooner talks start, the better".
_CORRELATIVE = re.compile(
    r"(?:^|(?<=[.!?“\"]\s)|(?<=[“\"]))[Tt]he\s+(?:longer|more|less|sooner|later|harder|further|bigger|greater|"
    r"higher|lower|stronger|weaker|worse|better|faster|deeper|closer)\s[^.;!?]*?,\s+the\s+(?:[a-z]+er|more|less|"
    r"worse|better)(?![\w’'])(?!\s*(?:[.,;:!?“”\"]|$))"  # "the sooner he does it, the better": a recommendation
)


# Reporting verbs that make what they report a forecast, or an intention of the speaker's own.
def _hedged_own_act(text: str, pos: int, hedge: str, *, reported: bool, side: frozenset[str] | None) -> bool:
    """Is this adverb hedge among the adverbs of a modal that tells of the speaker's own act or their side's
    ("he would likely abandon his plans", "we will probably go", an official's "the government will likely
    respond")? A plan of one's own, hedged, is still no forecast."""
    if _norm(hedge) not in _ADVERB_HEDGES:
        return False
    s = _sentence_of(text, pos)[0]
    for m in _MODAL.finditer(text, s, pos + len(hedge)):
        if m.start("adverbs") <= pos < m.end("adverbs"):
            return _own_act(text, m, reported=reported, side=side)
    return False


FORECAST_CUES = frozenset({"predict", "forecast", "expect", "anticipate", "project"})
INTENTION_CUES = frozenset({"vow", "pledge", "promise", "threaten", "refuse", "agree", "offer", "announce"})
WISH_CUES = frozenset({"hope", "wish"})


def _inverted_condition_at(text: str, pos: int) -> bool:
    """Is the "should" at ``pos`` the head of an inverted condition ("Should talks fail, ...")?"""
    return text[pos : pos + 6].casefold() == "should" and any(
        m.start() <= pos < m.end() for m in _INVERTED_CONDITION.finditer(text, *_sentence_of(text, pos))
    )


# "should" in an embedded question ("understand what should be done", "how we must respond") recommends nothing.
_EMBEDDED_QUESTION = re.compile(r"(?<![\w’'])(?:what|how|where|which|whether)\s+(?:[\w’']+\s+){0,2}$", re.I)


_MIGHT_NOUN = re.compile(
    r"(?<![\w’'])(?:of|the|military|economic|naval|nuclear|its|their|his|her|our|full|all\s+its)\s+$", re.I
)
# A subject naming a case the speaker supposes: "a war", "an attack"; in reported speech, where "would" also
# stands for "will", only one not yet seen: "another test", "a second test", "a new war".
_SUPPOSED_CASE = re.compile(
    r"(?:a|an)\s+(?!lot\b|few\b|number\b|couple\b|total\b|majority\b|group\b|series\b|spokes|source\b|"
    r"senior\b|top\b|government\b|official\b)[\w’'-]+(?:\s+[\w’'-]+){0,4}",
    re.I,
)
_REPEATED_CASE = re.compile(
    r"(?:another|(?:a|an)\s+(?:second|third|fourth|further|fresh|renewed|new|repeat|seventh|sixth|fifth))\s+[\w’'-]+"
    r"(?:\s+[\w’'-]+){0,3}",
    re.I,
)


def _supposed_case(subject: str, *, reported: bool) -> bool:
    words = subject.split()
    if words and words[0].casefold() in ("and", "but"):
        subject = " ".join(words[1:])
    if _REPEATED_CASE.fullmatch(subject):
        return True
    return not reported and _SUPPOSED_CASE.fullmatch(subject) is not None


# "the only language that they will understand": what the modal says is what alone does it.
_THE_ONLY = re.compile(r"(?<![\w’'])the\s+only\s+(?:[\w’'-]+\s+){0,2}[\w’'-]+\s*$", re.I)
# "only talks would resolve it"; not a number: "only a few of the boats will return".
_ONLY_SUBJECT = re.compile(
    r"(?:and\s+|but\s+)?only\s+(?!a\s+(?:few|handful|fraction|small|tiny|minority|little)\b|\d|one\b|two\b|three\b|"
    r"some\b|half\b|about\b|around\b)",
    re.I,
)


def _after_the_only(text: str, s: int, pos: int) -> bool:
    """Does the relative "that"/"which" opening the clause of ``pos`` follow "the only N"?"""
    rel = [r for r in re.finditer(r"(?<![\w’'])(?:that|which)(?![\w’'])", text[s:pos], re.I)]
    return bool(rel) and _THE_ONLY.search(text, s, s + rel[-1].start()) is not None


# Nouns of a message: what follows "that" is what it says.
_MESSAGE_THAT = re.compile(
    r"(?<![\w’'])(?:message|signal|warning|assurance|assurances|reminder|guarantee|guarantees)\s+that\s+"
    r"(?:[^\s,;:.!?]+\s+){0,8}$",
    re.I,
)
# What a thing would make possible, in a relative clause: "a route that would allow Moscow to reach ...".
_ENABLING_VERBS = frozenset("allow allows enable enables let lets permit permits".split())


# A negated modal whose clause holds "without": what it says hangs on that ("will not happen without ...").
_NOT_WITHOUT = re.compile(
    r"(?:\s+(?:not|never))+\s+[^,;:.!?]*?(?<![\w’'])without(?![\w’'])|\s+be\s+no\s[^,;:.!?]*?(?<![\w’'])without(?![\w’'])",
    re.I,
)
# A that-clause after a negated verb of knowing: "we can't assume that ...", "nobody can be sure that ...".
_UNSURE_THAT = re.compile(
    r"(?<![\w’'])(?:can['’]t|cannot|can\s+not|could\s+not|couldn['’]t|don['’]t|do\s+not|does\s+not|doesn['’]t|"
    r"nobody\s+can|no\s+one\s+can)\s+(?:simply\s+|just\s+|really\s+)?(?:assume|presume|take\s+it\s+for\s+granted|"
    r"be\s+(?:sure|certain)|know|guarantee|say\s+for\s+(?:sure|certain))\s+(?:that\s+)?[^.;:!?]*$",
    re.I,
)


def _shares_subject(text: str, m: re.Match) -> bool:
    """Has the modal ``m`` no subject of its own, sharing the one before it in a list of verb phrases ("the
    document will observe the law, will not be directed against anyone and will aim to ...")?"""
    subject, opener = _clause_and_opener(text, m.start())
    if opener == "," and re.fullmatch(r"(?:(?:and|or|but)(?:\s+(?:also|then))?)?", _norm(subject)):
        return True  # "..., will not be directed against anyone"
    if opener == "but" and not subject:
        return True  # "he would not come to their defense but would first ask ..."
    # "... will not be confrontational or directed against any country and will aim ...": the clause is the
    # modal before it and its verb phrase, then "and".
    return _MODAL.match(subject) is not None and re.search(r"(?:^|\s)(?:and|or|but)$", subject, re.I) is not None


# "expected the Council to agree", "expects prices to rise": what someone expects of another to happen (not
# "expects you to comply", a demand, nor "expected to", a hedge of its own).
_EXPECT_TO = re.compile(
    r"(?<![\w’'])(?<!might\s)(?<!would\s)(?<!could\s)(?<!may\s)(?P<hedge>expect(?:s|ed)?)\s+(?!you\b|to\b|that\b)(?:[\w’'.-]+\s+){1,6}?to\s+[a-z]+",
    re.I,
)


def _forecast_before(text: str, pos: int, *, reported: bool, side: frozenset[str] | None) -> bool:
    """Does a forecast modal come before the recommendation at ``pos`` in its sentence, in a clause of its own ("it will
    be sudden and everyone must be prepared")? The forecast is the claim; the advice follows from it."""
    s = _sentence_of(text, pos)[0]
    return any(
        _forecast_modal(text, m, reported=reported, side=side) and _CLAUSE_JOIN.search(text, m.end(), pos) is not None
        for m in _MODAL.finditer(text, s, pos)
    )


# What separates two clauses of a sentence: "and"/"but"/"so" or a semicolon, after the forecast's own words.
_CLAUSE_JOIN = re.compile(r"(?:,?\s+(?:and|but|so)\s+|;\s*)(?!that\b)", re.I)


def classify_claim(
    text: str, *, reported: bool = False, cue: str | None = None, side: frozenset[str] | None = None
) -> tuple[str, str | None, str]:
    """(claim_kind, hedge as printed or None, reason) for a quote's text.

    ``reported`` says the text is reported speech (an indirect or mixed quote), where "he",
    "she" and "his country" are the speaker; ``cue`` is the reporting verb's lemma when there is
    one: "X predicted that ..." reports a forecast, "X vowed to ..." an intention. ``side`` is given
    when the speaker is an official or a politician: the names of the country they speak for (empty when
    not printed); what that side will do is an intention, not a forecast.
    """
    if cue in FORECAST_CUES:
        return "prediction", None, f"cue: {cue}"
    if cue in INTENTION_CUES or cue in WISH_CUES:
        kind, hedge, reason = classify_claim(text, reported=reported, side=side)
        if kind == "prediction" and not reason.startswith("hedge"):
            return "assessment", None, f"{'wish' if cue in WISH_CUES else 'intention'}: {cue}"
        return kind, hedge, reason
    hedges = [(m.start(), m.group()) for m in _HEDGE_RE.finditer(text)]
    hedges += [(m.start(), m.group("hedge")) for m in _EXPECT_TO.finditer(text)]
    hedges.sort()
    forecast = [(pos, h) for pos, h in hedges if _norm(h) in FORECAST_HEDGES or _EXPECT_TO.match(text, pos)]
    schedule = None
    judged: set[int] = set()  # sentences (by start) where a modal or a hedge was weighed and found no forecast
    for pos, h in forecast:
        hs, he = _sentence_of(text, pos)
        if text[hs:he].rstrip().endswith("?"):
            continue  # "What's going to happen if ...?": a question, as for the modals below
        if _present_hedge(text, pos, h):
            if _noun_guess(text, pos, h, motive=True):
                judged.add(_sentence_of(text, pos)[0])  # "is likely an attempt to sway the vote next month"
            continue  # "they are likely sending conscripts": a guess about now, not about the future
        if (_norm(h) in _SCHEDULE_MODALS or _norm(h) == "expected to") and (
            event := _schedule(text, _norm(h), pos + len(h), official=side is not None)
        ):
            schedule = schedule or event
            continue
        if _norm(h) == "bound to" and _DUTY_BOUND.search(text, max(0, pos - 20), pos):
            continue  # "we are treaty bound to defend Japan": an obligation, not a forecast
        if "going to" in _norm(h) and _GOING_PLACE.match(text, pos + len(h)):
            continue  # "Jared and I will be going to Moscow": a trip, not the future "going to"
        if _norm(h).endswith("to imagine") and _IMAGINE_WHAT.match(text, pos + len(h)):
            continue  # "it is hard to imagine how they lived": no event to come
        if _hedged_own_act(text, pos, h, reported=reported, side=side):
            continue  # "he would likely skip the forum": the speaker's own plan, hedged; the modal is weighed below
        if "going to" in _norm(h) or _norm(h) in ("is set to", "are set to", "poised to", "on track to"):
            subject = _clause_before(text, pos)
            if _speaker_own_act(
                subject + " " + h.split()[0] if h.split()[0].startswith(("'", "’")) else subject, h, reported=reported
            ):
                continue
        return "prediction", h, f"hedge: {_norm(h)}"
    rec = next(
        (
            r
            for r in RECOMMENDATION_MARKERS.finditer(text)
            if not _EMBEDDED_QUESTION.search(text, 0, r.start()) and not _inverted_condition_at(text, r.start())
        ),
        None,
    )
    if rec and not _forecast_before(text, rec.start(), reported=reported, side=side):
        return "recommendation", None, f"modal: {_norm(rec.group())}"
    own_acts: set[int] = set()  # sentences (by start) where a modal told of the speaker's own act
    threat = supposed = False
    for m in _MODAL.finditer(text):
        sentence, sentence_end = _sentence_of(text, m.start())
        if not _forecast_modal(text, m, reported=reported, side=side) or (
            sentence in judged and _shares_subject(text, m)
        ):
            judged.add(sentence)
            if _own_act(text, m, reported=reported, side=side):
                own_acts.add(sentence)
            threat = threat or _threat(text, m, side)
            supposed = supposed or _INVERTED_CONDITION.search(text, sentence, sentence_end) is not None
            continue
        subject, opener = _clause_and_opener(text, m.start())
        if sentence in own_acts and opener in ("that", "which") and not subject:
            continue  # "we will build a road that will link ...": what the speaker's act is to do, not a forecast
        modal = _norm(m.group("modal"))
        if event := _schedule(text, modal, m.end("adverbs"), official=side is not None):
            schedule = schedule or event
            judged.add(sentence)
            continue
        soft = hedges[0][1] if hedges else None
        if soft is None and modal in _POSSIBILITY:
            soft = m.group("modal")
        return "prediction", soft, f"future: {modal}"
    if schedule is not None:
        return "factual", None, f"schedule: {schedule}"
    if threat:
        return "assessment", None, "intention: threat"
    if supposed:
        return "assessment", None, "supposition: inverted condition"
    own_can = False
    for m in _CAN.finditer(text):
        s, e = _sentence_of(text, m.start())
        if not _LATER.search(text, s, e):
            continue  # "inflation can hurt savers": what can happen at any time is no forecast
        if text[s:e].rstrip().endswith("?"):
            own_can = True  # "can the talks resume next year?": a question
            continue
        subject, opener = _clause_and_opener(text, m.start())
        if opener in _UNASSERTED_OPENERS or _CONDITIONAL.search(text[s : m.start()]):
            continue
        if _speaker_own_act(subject, "can", reported=reported):
            own_can = True  # "we can meet again next year": an offer of the speaker's, not a forecast
            continue
        return "prediction", hedges[0][1] if hedges else m.group("modal"), "future: can"
    if (correlative := _CORRELATIVE.search(text)) and not text[
        slice(*_sentence_of(text, correlative.start()))
    ].rstrip().endswith("?"):
        return "prediction", hedges[0][1] if hedges else None, "future: the more ..., the more"
    for m in FUTURE_MARKERS.finditer(text):
        if own_can:
            break
        word = _norm(m.group())
        if not _TIME_MARKER.fullmatch(word):
            continue  # modals were weighed above; "chance", "possibility" and "expected" alone are not forecasts
        if _sentence_of(text, m.start())[0] in judged:
            continue  # "we will visit next year", "it would be discussed at the summit next week": its modal's
        if re.search(r"(?<![\w’'])the\s+$", text[max(0, m.start() - 5) : m.start()], re.I):
            continue  # "he arrived in the South the next year": the year after, in a story of the past
        return "prediction", hedges[0][1] if hedges else None, f"future: {word}"
    op = OPINION_MARKERS.search(text)
    if op:
        return "assessment", None, f"opinion: {_norm(op.group())}"
    fact = FACT_MARKERS.search(text)
    if fact:
        return "factual", None, f"fact: {_norm(fact.group())}"
    return "assessment", None, "default"
