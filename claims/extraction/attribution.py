"""Attribution: which words are quoted (direct, mixed, indirect), through which cue, and from whose mouth.

Direct quotes come from paired quotation marks (``text.Structure``); their cue is looked for right
before the opening mark (``He said, "...``) or right after the closing one (``...," Matsegora said``).
Indirect quotes come from reporting verbs with a clausal complement (``X explained that ...``) and
from ``according to X``. Only sentences holding a cue word outside quotation marks are parsed, with
spaCy's tagger and parser; everything else is regex.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from claims.extraction.lexicon import (
    ACCORDING_TO,
    AS_CUES,
    BELIEF_VERBS,
    CUE_WORD,
    DIRECT_CUE_LEMMAS,
    EXPRESSED_STATES,
    FORM_TO_LEMMA,
    INFINITIVE_CUES,
    OF_CUES,
    ORG_WORDS,
    QUOTE_ONLY_VERBS,
    ROLE_NOUNS,
    SPEECH_VERBS,
)
from claims.extraction.text import QuoteSpan, Sentence, Structure

__all__ = ["RULES", "Attribution", "Parsed", "Rule", "attribute", "candidate_sentences", "rule_confidence"]

_SUBJ = ("nsubj", "nsubjpass", "csubj")
_VERB_POS = ("VERB", "AUX")
_LINK_TO_HEAD = ("advcl", "xcomp", "conj", "pcomp", "acl", "prep", "ccomp", "relcl", "parataxis")
_OBJECT_DEPS = ("dobj", "dative", "iobj", "npadvmod", "advmod", "prep", "agent", "prt", "neg", "aux", "auxpass")
_SOURCE_CORE_DEPS = ("compound", "amod", "det", "poss", "nmod", "nummod", "case", "quantmod", "flat", "punct")
_RELATIVE = frozenset({"who", "that", "which", "whom"})
MAX_PARSE_CHARS = 1500


@dataclass
class Attribution:
    start: int  # content span
    end: int
    kind: str  # "direct" | "mixed" | "indirect"
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    src_start: int | None = None  # the source noun phrase's core
    src_end: int | None = None
    src_full_end: int | None = None  # the source phrase with its appositives (for affiliations)
    src_pos: str | None = None  # part of speech of the source head
    quote: QuoteSpan | None = None
    inherited_from: Attribution | None = None
    via: str = ""  # which rule found it: "before", "after", "mixed", "inherit", "indirect", "according"
    para: int = 0
    lemma: str | None = None
    extra: dict = field(default_factory=dict)


class Parsed:
    """A spaCy Doc of one sentence, with offsets into the article text."""

    def __init__(self, sent: Sentence, doc, base: int) -> None:
        self.sent = sent
        self.doc = doc
        self.base = base
        self._starts = [base + t.idx for t in doc]

    def s(self, tok) -> int:
        return self.base + tok.idx

    def e(self, tok) -> int:
        return self.base + tok.idx + len(tok.text)

    def tokens_in(self, start: int, end: int) -> list:
        i = bisect.bisect_left(self._starts, start)
        out = []
        while i < len(self.doc) and self._starts[i] < end:
            out.append(self.doc[i])
            i += 1
        return out

    def span_of(self, toks) -> tuple[int, int]:
        toks = list(toks)
        return min(self.s(t) for t in toks), max(self.e(t) for t in toks)


# The English words of each loaded pipeline (by its vocabulary), from its lemmatizer's word lists.
_ENGLISH_WORDS: dict[int, frozenset[str]] = {}


def learn_english_words(nlp) -> None:
    """Keep the words the pipeline's lemmatizer knows as English nouns, verbs, adjectives and adverbs (once)."""
    key = id(nlp.vocab)
    if key in _ENGLISH_WORDS:
        return
    words: set[str] = set()
    if "lemmatizer" in nlp.pipe_names:
        lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
        if lookups is not None and lookups.has_table("lemma_index"):
            for forms in lookups.get_table("lemma_index").values():
                words.update(forms)
    _ENGLISH_WORDS[key] = frozenset(words)


def _source_pos(tok) -> str:
    """The part of speech of a source's head. A lone capitalized singular noun the tagger took for a common
    noun but which is no English word is a name ("Zelenskyy called on the world": a surname printed alone);
    a common noun stays one ("Research shows", "Intelligence suggests")."""
    if tok.tag_ != "NN" or not tok.text[:1].isupper() or not tok.text[1:].islower() or list(tok.children):
        return tok.pos_
    words = _ENGLISH_WORDS.get(id(tok.doc.vocab))
    if not words or tok.text.casefold() in words:
        return tok.pos_
    return "PROPN"


# ---------------------------------------------------------------------------------------------
# Which sentences to parse


_WORD_AFTER = re.compile(r"\s*[^\W\d_]")


def candidate_sentences(text: str, st: Structure) -> list[Sentence]:
    """Sentences holding a cue word (or "according to") outside quotation marks, and sentences where
    a quote cut by a comma is followed by words (``"...," Hannity started``)."""
    out = []
    extra: set[int] = set()
    for q in st.quotes:
        if q.close_mark is not None and text[q.close_mark - 1 : q.close_mark] in (",", "?", "!", "\u2014", "-"):
            if _WORD_AFTER.match(text, q.close_mark + 1):
                sent = st.sentence_at(q.close_mark)
                if sent is not None:
                    extra.add(sent.index)
        if q.open_mark is not None:
            k = q.open_mark
            while k > 0 and text[k - 1].isspace():
                k -= 1
            if k > 0 and text[k - 1] in ",:":
                sent = st.sentence_at(k - 1)
                if sent is not None:
                    extra.add(sent.index)
    for sent in st.sentences:
        if sent.end - sent.start > MAX_PARSE_CHARS:
            continue
        if sent.index in extra:
            out.append(sent)
            continue
        for rx in (CUE_WORD, ACCORDING_TO):
            m = next((m for m in rx.finditer(text, sent.start, sent.end) if not st.quoted(m.start(), m.end())), None)
            if m is not None:
                out.append(sent)
                break
    return out


# ---------------------------------------------------------------------------------------------
# Token helpers


def cue_lemma(tok) -> str | None:
    low = tok.lower_
    if low == "according":
        nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
        return "according to" if nxt is not None and nxt.lower_ == "to" else None
    lemma = FORM_TO_LEMMA.get(low)
    if lemma is None:
        return None
    if tok.pos_ not in _VERB_POS and not tok.tag_.startswith("VB"):
        return None
    if tok.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in tok.children) and tok.dep_ == "amod":
        return None
    return lemma


def _phrasal_lemma(tok) -> str | None:
    low = tok.lower_
    if low in ("pointed", "points", "point", "pointing") and any(
        c.dep_ == "prt" and c.lower_ == "out" for c in tok.children
    ):
        return "point out"
    if low in ("went", "goes", "go", "going") and any(c.dep_ == "prt" and c.lower_ == "on" for c in tok.children):
        return "go on"
    return None


def _infinitive(tok) -> bool:
    """``to respond``, ``to call``: the subject of an infinitive is nobody's speech."""
    return tok.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def token_cue(tok) -> str | None:
    return _phrasal_lemma(tok) or cue_lemma(tok)


def subject_of(tok, depth: int = 0):
    """The grammatical subject of a cue verb, climbing from participles ("..., adding that").

    With two subjects (the parser sometimes makes a quote the subject too), the nearest wins. A
    relative pronoun is returned as is ("who" in "the president, who said"): it is the mention at
    the cue; ``antecedent`` gives the noun it stands for.
    """
    quoted_as = _quoted_as(tok)
    if quoted_as is not None:
        return quoted_as
    subs = [c for c in tok.children if c.dep_ in _SUBJ]
    if subs:
        subj = min(subs, key=lambda c: abs(c.i - tok.i))
        if subj.dep_ == "nsubjpass" and not _quoting(tok):
            # "Rubio was asked by moderator Gerard Baker": the speaker is the agent, not the subject.
            for c in tok.children:
                if c.dep_ == "agent":
                    return next((x for x in c.children if x.dep_ == "pobj"), None)
            return None
        return subj
    if tok.lower_ == "according":
        for c in tok.children:
            if c.lower_ == "to":
                for cc in c.children:
                    if cc.dep_ == "pobj":
                        return cc
    if depth < 4 and tok.dep_ in ("dobj", "pobj", "attr") and tok.pos_ in ("NOUN", "PROPN") and tok.head is not tok:
        # "released a statement saying", "made a point of saying": the noun's verb has the subject.
        return subject_of(tok.head, depth + 1)
    if depth < 4 and tok.dep_ in _LINK_TO_HEAD and tok.head is not tok:
        head = tok.head
        if tok.dep_ == "relcl":
            return None
        if tok.dep_ == "acl":
            return subject_of(head, depth + 1) if head.pos_ in ("NOUN", "PROPN") else None
        if tok.dep_ in ("prep", "pcomp") or head.pos_ in ("ADP", "SCONJ"):
            # "was quoted as saying": climb through the preposition.
            return subject_of(head, depth + 1)
        if tok.dep_ == "ccomp":
            return None
        if tok.dep_ == "advcl" and tok.tag_ == "VBG" and head.dep_ == "ccomp" and head.head is not head:
            # "Trump argued that a database would help, saying ...": the participle belongs to the
            # reporting verb, not to the clause it was attached to.
            if FORM_TO_LEMMA.get(head.head.lower_) in SPEECH_VERBS:
                return subject_of(head.head, depth + 1)
        return subject_of(head, depth + 1)
    return None


_CITE_FORMS = frozenset({"cite", "cites", "cited", "citing"})


def _quoting(tok) -> bool:
    """Is ``tok`` a verb that passes on someone's words: "quoted" or "cited" ("cited Ivan Petrov as saying")."""
    return FORM_TO_LEMMA.get(tok.lower_) == "quote" or tok.lower_ in _CITE_FORMS


def _quoted_as(tok):
    """ "Interfax quoted (cited) Ivan Petrov as saying ...": the person quoted (the object), not the outlet that quotes.

    An organization quoted by a person ("the lawmaker quoted the spy agency as saying") leaves the person,
    who passes it on, as the source.
    """
    if not _quoting(tok) or not any(c.lower_ == "as" and c.dep_ == "prep" for c in tok.children):
        return None
    obj = next((c for c in tok.children if c.dep_ == "dobj" and c.pos_ in ("PROPN", "NOUN")), None)
    if obj is None:
        return None
    if obj.pos_ == "NOUN" and obj.lemma_.casefold() not in ROLE_NOUNS:
        return None  # "the nation's spy agency", "the report"
    if any(t.lower_ in ORG_WORDS for t in (obj, *(c for c in obj.children if c.dep_ in ("compound", "flat")))):
        return None  # "the Unification Ministry", "Korea Central News Agency"
    if obj.pos_ == "PROPN" and (
        (obj.text.isupper() and len(obj.text) > 1) or any(c.dep_ == "det" and c.lower_ == "the" for c in obj.children)
    ):
        return None  # an acronym or a name with "the": "quoted the NIS as saying", "quoted the Kremlin as saying"
    return obj


def antecedent(subj):
    """The noun a relative pronoun subject stands for ("the president" for "who")."""
    if subj.lower_ in _RELATIVE and subj.head.dep_ == "relcl" and subj.head.head is not subj.head:
        return subj.head.head
    return None


def source_core(p: Parsed, subj) -> tuple[int, int, int]:
    """The core of a source noun phrase (no appositive, no relative clause) and the full phrase end."""
    keep = {subj.i}
    stack = [subj]
    while stack:
        t = stack.pop()
        for c in t.children:
            if c.dep_ in _SOURCE_CORE_DEPS and c.i not in keep:
                if c.dep_ == "punct" and c.text not in ("-", "\u2010", "\u2011", "'", "’"):
                    continue
                keep.add(c.i)
                stack.append(c)
    lo, hi = min(keep), max(keep)
    # A contiguous run around the head only.
    while lo < subj.i and lo not in keep:
        lo += 1
    toks = [p.doc[i] for i in range(lo, hi + 1)]
    while toks and toks[0].pos_ == "PUNCT":
        toks = toks[1:]
    while toks and toks[-1].pos_ == "PUNCT" and toks[-1].text not in (")",):
        toks = toks[:-1]
    if not toks:
        toks = [subj]
    # A short prepositional tail belongs to a description ("ambassador to the DPRK").
    full_end = (
        max(p.e(t) for t in subj.subtree if t.dep_ != "punct" or t.i < subj.i) if subj.n_rights else p.e(toks[-1])
    )
    if subj.pos_ not in ("PROPN", "PRON"):
        preps = [c for c in subj.rights if c.dep_ == "prep"]
        if preps:
            sub = list(preps[0].subtree)
            if len(sub) <= 6 and not any(t.text in ",;" for t in sub):
                toks = toks + [t for t in sub if t.i > toks[-1].i]
    start, end = p.s(toks[0]), p.e(toks[-1])
    return start, end, max(end, full_end)


# Verbs whose object is the person spoken to: `"...?" Obama asked Republican politicians.`
_ADDRESSEE_VERBS = frozenset({"tell", "ask", "warn", "urge", "remind", "assure", "reassure", "inform", "answer"})
_NP_POS = frozenset({"DET", "ADJ", "PROPN", "NOUN", "NUM", "PART", "PRON"})


def _chunks(toks) -> list[list]:
    out: list[list] = [[]]
    for t in toks:
        if t.pos_ == "PUNCT" and t.text in (",", "(", ")", "\u2014", "\u2013", ";"):
            if out[-1]:
                out.append([])
            continue
        out[-1].append(t)
    return [c for c in out if c]


def _nominal(chunk) -> list:
    """``chunk`` trimmed to a noun phrase, or [] when it is not one."""
    for t in chunk:
        if not (
            t.pos_ in _NP_POS
            or (t.pos_ == "PUNCT" and t.text in ("-", ".", "'", "’"))
            or (t.pos_ in ("ADP", "CCONJ") and t.lower_ in ("of", "at", "for", "and", "from", "in", "outside"))
        ):
            return []
    while chunk and chunk[-1].pos_ not in ("PROPN", "NOUN", "PRON", "ADJ"):
        chunk = chunk[:-1]
    while chunk and chunk[0].pos_ in ("PUNCT", "ADP", "CCONJ"):
        chunk = chunk[1:]
    if not chunk or len(chunk) > 10:
        return []
    if not any(t.pos_ in ("PROPN", "NOUN", "PRON") for t in chunk) and not (chunk[0].pos_ == "DET" and len(chunk) > 1):
        return []
    return chunk


def _np_tokens(toks, first: bool = False) -> list:
    """A noun phrase among ``toks`` (consecutive tokens between a quote and its cue): the first
    chunk (``Gene Sperling, a top adviser, said``) or the last (``her adviser, Jake Sullivan, said``)."""
    chunks = _chunks(toks)
    if not chunks:
        return []
    if first:
        return _nominal(chunks[0])
    return _nominal(chunks[-1])


def _np_after(t) -> list:
    """The noun phrase right after an inverted cue (``said David Brock, ...``)."""
    out = []
    for u in t.doc[t.i + 1 : t.i + 12]:
        if u.pos_ in _NP_POS or (u.pos_ == "PUNCT" and u.text in ("-", ".", "’", "'")):
            out.append(u)
        elif u.tag_ == "VBN" and not out and u.i + 1 < len(u.doc) and u.nbor(1).pos_ in ("NOUN", "PROPN", "ADJ"):
            out.append(u)  # "said retired neurosurgeon Ben Carson"
        else:
            break
    if out and out[0].tag_ == "VBN":
        chunk = _nominal(out[1:]) if len(out) > 1 else []
        return [out[0], *chunk] if chunk else []
    return _np_tokens(out)


def _np_before(t) -> list:
    """The noun phrase right before a cue whose subject the parser missed
    (``Sen. Elizabeth Warren (D-MA) said``)."""
    toks = []
    for u in reversed(t.doc[max(0, t.i - 12) : t.i]):
        if u.pos_ in _NP_POS or (u.pos_ == "PUNCT" and u.text in ("-", ".", "’", "'", "(", ")", ",")):
            toks.append(u)
        else:
            break
    toks.reverse()
    depth = 0
    outside = []
    for u in toks:
        if u.text == "(":
            depth += 1
        elif u.text == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            outside.append(u)
    chunks = _chunks(outside)
    return _nominal(chunks[-1]) if chunks else []


def _cue_span(p: Parsed, tok, lemma: str) -> tuple[int, int]:
    start, end = p.s(tok), p.e(tok)
    if lemma == "according to":
        return start, p.e(tok.nbor(1))
    if lemma in ("point out", "go on"):
        for c in tok.children:
            if c.dep_ == "prt":
                end = max(end, p.e(c))
    if lemma in ("tell", "ask"):
        for c in tok.rights:
            if c.dep_ in ("dobj", "dative", "iobj") and c.left_edge.i == tok.i + 1:
                sub = list(c.subtree)
                if len(sub) <= 6:
                    end = max(end, p.e(sub[-1]))
            break
    return start, end


def _misattached_complement(tok):
    """A that-clause the parser hung on the noun of a phrase between the verb and the clause ("suggested
    during a news briefing that Washington was considering sanctions"): "that" is its complementizer (not a
    relative pronoun: it has a subject of its own), so it is the verb's complement."""
    for prep in (c for c in tok.rights if c.dep_ == "prep"):
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            for clause in (c for c in pobj.rights if c.dep_ in ("relcl", "acl", "ccomp")):
                first = clause.left_edge
                if (
                    first.lower_ == "that"
                    and first.dep_ == "mark"
                    and any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ != "that" for c in clause.children)
                ):
                    return clause
    return None


def _content_of(p: Parsed, tok, lemma: str, text: str) -> tuple[int, int] | None:
    """The clausal complement of a cue verb, as a character span."""
    comp = None
    for c in tok.children:
        if c.dep_ == "ccomp" or (c.dep_ == "parataxis" and lemma in SPEECH_VERBS):
            comp = c
            break
    if comp is None and lemma in SPEECH_VERBS and tok.dep_ in ("parataxis",) and tok.head is not tok:
        # "The economy, he said, is weak": the host clause is the content.
        head = tok.head
        toks = [t for t in head.subtree if t.i < tok.left_edge.i or t.i > tok.right_edge.i]
        toks = [t for t in toks if t.dep_ != "punct" or t.i not in (head.left_edge.i, head.right_edge.i)]
        toks = [t for t in toks if t.pos_ != "SPACE"]  # a dateline blanked out before parsing
        if toks:
            return p.span_of(toks)
        return None
    if comp is None and lemma in SPEECH_VERBS and _trailing_conjunct(tok):
        # "North Korea should return to talks, a spokesperson said Sunday": the parser made the reporting
        # clause a conjunct of the clause it reports; that clause, up to the comma, is the content.
        head = tok.head
        toks = [t for t in head.subtree if t.i < tok.left_edge.i and t.pos_ != "SPACE"]
        while toks and toks[-1].pos_ == "PUNCT" and toks[-1].text not in ("”", '"'):
            toks = toks[:-1]
        while toks and toks[0].pos_ == "PUNCT" and toks[0].text not in ("“", '"'):
            toks = toks[1:]
        return p.span_of(toks) if len(toks) >= 3 else None
    if comp is None and lemma in SPEECH_VERBS:
        comp = _misattached_complement(tok)
    if comp is None:
        return _object_content(p, tok, lemma)
    toks = [t for t in comp.subtree if t.pos_ != "SPACE"]  # a dateline blanked out before parsing
    # Drop the complementizer and edge punctuation.
    while toks and (toks[0].dep_ == "mark" and toks[0].lower_ in ("that", "if", "whether") or toks[0].pos_ == "PUNCT"):
        if toks[0].text in ("“", '"'):
            break
        toks = toks[1:]
    while toks and toks[-1].pos_ == "PUNCT" and toks[-1].text not in ("”", '"'):
        toks = toks[:-1]
    if not toks:
        return None
    return p.span_of(toks)


def _trailing_conjunct(tok) -> bool:
    """A reporting verb with its own subject that the parser joined as a conjunct to the clause before it,
    after a comma and with no "and"/"but" between (``X should return, a spokesperson said``)."""
    head = tok.head
    if tok.dep_ != "conj" or head is tok or head.i > tok.i or head.pos_ not in _VERB_POS:
        return False
    subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or subj.i > tok.i:
        return False
    before = tok.doc[subj.left_edge.i - 1] if subj.left_edge.i > 0 else None
    if before is None or before.text != ",":
        return False
    return not any(c.dep_ == "cc" and head.i < c.i < tok.i for c in head.children)


def _object_content(p: Parsed, tok, lemma: str) -> tuple[int, int] | None:
    """What a cue verb reports through its object rather than a that-clause: "described the summit as
    a turning point", "accused Pyongyang of supplying shells", "urged Seoul to return to talks",
    "called on Seoul to return", "vowed to strengthen", "expressed hope that talks resume"."""
    kids = list(tok.children)
    obj = next((c for c in kids if c.dep_ in ("dobj", "obj")), None)
    infinitive = next((c for c in kids if c.dep_ in ("xcomp", "advcl", "ccomp") and _is_to_infinitive(c)), None)
    if lemma in ("express", "voice") and obj is not None and obj.lower_ in EXPRESSED_STATES:
        clause = next((c for c in obj.children if c.dep_ in ("ccomp", "acl", "relcl")), None)
        prep = next(
            (c for c in obj.children if c.dep_ == "prep" and c.lower_ in ("about", "over", "for", "in", "on")), None
        )
        inner = clause or prep
        if inner is None:
            return None
        toks = list(inner.subtree)
        while toks and (toks[0].dep_ == "mark" or toks[0].pos_ == "PUNCT"):
            toks = toks[1:]
        return p.span_of(toks) if toks else None
    if (lemma in INFINITIVE_CUES or lemma == "tell") and infinitive is not None:
        start = obj if obj is not None and obj.i < infinitive.i else None
        if start is None and lemma == "call":
            on = next((c for c in kids if c.dep_ == "prep" and c.lower_ == "on"), None)
            start = next((c for c in on.children if c.dep_ == "pobj"), None) if on is not None else None
        toks = [*(start.subtree if start is not None else ()), *infinitive.subtree]
        if len(toks) < 3 or _ANONYMITY.search(" ".join(t.lower_ for t in infinitive.subtree)):
            return None  # "asked not to be named", "agreed to speak anonymously": no claim
        return p.span_of(sorted(toks, key=lambda t: t.i))
    if obj is None:
        return _prepositional_content(p, tok, lemma)
    for c in kids:
        if c.dep_ == "prep" and (
            (c.lower_ == "as" and lemma in AS_CUES) or (c.lower_ in ("of", "for") and lemma in OF_CUES)
        ):
            toks = [*obj.subtree, c, *c.subtree]
            return p.span_of(sorted(set(toks), key=lambda t: t.i)) if len(toks) >= 4 else None
    for c in obj.children:  # "described the summit as ...", with "as" attached to the object
        if c.dep_ == "prep" and c.lower_ == "as" and lemma in AS_CUES:
            toks = list(obj.subtree)
            return p.span_of(toks) if len(toks) >= 4 else None
    return _noun_phrase_content(p, tok, lemma, obj)


# Cue verbs that report a stance through their object, a noun phrase: "urged full implementation of the
# resolution", "condemned the referendums held in the occupied regions", "reiterated his willingness to ...";
# "called" with the object and what it is called ("called the reports far-fetched", "called the treaty a
# continuation of ..."). The object must be a phrase of some length, not "welcomed the move".
_NP_CONTENT_CUES = frozenset(
    "urge condemn denounce reiterate reject demand praise hail criticize criticise slam".split()
)
MIN_NP_CONTENT_TOKENS = 5
# Cue verbs that report through a prepositional object: "called for a review of ...", "complained about a lack
# of shells", "hinted at proposals in the letter", "warned of a war".
_PREP_CONTENT_CUES = {"call": ("for",), "complain": ("about", "of"), "hint": ("at",), "warn": ("of", "against")}


def _has_own_subject(tok) -> bool:
    return tok.dep_ not in ("amod", "acl", "relcl") and subject_of(tok) is not None


def _noun_phrase_content(p: Parsed, tok, lemma: str, obj) -> tuple[int, int] | None:
    if not _has_own_subject(tok) or obj.pos_ not in ("NOUN", "PROPN"):
        return None
    if lemma == "call":
        what = next((c for c in tok.children if c.dep_ in ("oprd", "xcomp", "acomp") and c.i > obj.i), None)
        if what is None:
            return None
        toks = [*obj.subtree, *what.subtree]
    elif lemma in _NP_CONTENT_CUES:
        toks = list(obj.subtree)
    else:
        return None
    if len(toks) < MIN_NP_CONTENT_TOKENS:
        return None
    return p.span_of(sorted(toks, key=lambda t: t.i))


def _prepositional_content(p: Parsed, tok, lemma: str) -> tuple[int, int] | None:
    preps = _PREP_CONTENT_CUES.get(lemma)
    if not preps or not _has_own_subject(tok):
        return None
    prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in preps), None)
    inner = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None) if prep is not None else None
    if inner is None:
        return None
    toks = list(inner.subtree)
    return p.span_of(toks) if len(toks) >= MIN_NP_CONTENT_TOKENS else None


_ANONYMITY = re.compile(r"\b(?:be (?:named|identified|quoted)|anonymous|anonymously|anonymity|on the record)\b")


def _is_to_infinitive(tok) -> bool:
    return tok.pos_ in ("VERB", "AUX") and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def _according_content(p: Parsed, tok) -> tuple[int, int] | None:
    prep_toks = list(tok.subtree)
    lo, hi = prep_toks[0].i, prep_toks[-1].i
    sent_toks = [t for t in p.doc if t.pos_ != "SPACE"]
    if not sent_toks:
        return None
    head = tok.head if tok.head is not tok else None
    scope = list(head.subtree) if head is not None else sent_toks
    before = [t for t in scope if t.i < lo]
    after = [t for t in scope if t.i > hi]

    def trim(ts):
        while ts and ts[0].pos_ == "PUNCT" and ts[0].text not in ("“", '"'):
            ts = ts[1:]
        while ts and ts[-1].pos_ == "PUNCT" and ts[-1].text not in ("”", '"'):
            ts = ts[:-1]
        return ts

    before, after = trim(before), trim(after)
    side = after if len(after) >= len(before) else before
    if not side:
        return None
    return p.span_of(side)


# ---------------------------------------------------------------------------------------------
# The attribution pass


class _Article:
    def __init__(self, text: str, st: Structure, parsed: dict[int, Parsed]) -> None:
        self.text = text
        self.st = st
        self.parsed = parsed  # sentence index -> Parsed
        self.used_cues: set[int] = set()

    def parsed_at(self, pos: int) -> Parsed | None:
        sent = self.st.sentence_at(pos)
        return self.parsed.get(sent.index) if sent else None

    def outside_quotes(self, p: Parsed, tok) -> bool:
        return not self.st.quoted(p.s(tok), p.e(tok))

    # -- direct quotes ---------------------------------------------------------------------------

    def cue_before(self, q: QuoteSpan, lo: int, hi: int) -> Attribution | None:
        """``He said, "...`` or ``X says <clause> "...`` (mixed).

        Reporting verbs are tried from the nearest back; any other verb only when it is the main
        verb and a comma or colon introduces the quote (``Trump issued a statement: "...``)."""
        p = self.parsed_at(hi - 1) if hi > lo else None
        if p is None:
            return None
        toks = [t for t in p.tokens_in(lo, hi) if self.outside_quotes(p, t)]
        open_at = q.open_mark if q.open_mark is not None else q.start
        # The punctuation right before the opening mark: "said, “" / "said: “".
        k0 = open_at
        while k0 > lo and self.text[k0 - 1].isspace():
            k0 -= 1
        introduced = k0 > lo and self.text[k0 - 1] in ",:"
        for k in range(len(toks) - 1, -1, -1):
            t = toks[k]
            lemma = token_cue(t)
            if lemma is None or (lemma not in DIRECT_CUE_LEMMAS and lemma != "according to") or _infinitive(t):
                continue
            if lemma not in SPEECH_VERBS:
                # "Trump said that he believed ... "...": the reporting verb outside wins over a
                # belief inside its clause.
                outer = self._outer_speech_cue(toks[:k], t)
                if outer is not None:
                    k, t, lemma = outer
            a = self._before_with(q, p, toks, k, lemma, False, introduced, open_at)
            if a is not None:
                return a
        if introduced:
            for k in range(len(toks) - 1, -1, -1):
                t = toks[k]
                if t.pos_ == "VERB" and t.tag_ in ("VBD", "VBZ", "VBP") and token_cue(t) is None:
                    if t.dep_ in ("ROOT", "advcl") or (t.dep_ == "conj" and t.head.dep_ == "ROOT"):
                        return self._before_with(q, p, toks, k, t.lower_, True, introduced, open_at)
                    return None
        return None

    @staticmethod
    def _outer_speech_cue(toks, inner):
        ancestors = {a.i for a in inner.ancestors}
        for k in range(len(toks) - 1, -1, -1):
            u = toks[k]
            lemma = token_cue(u)
            if lemma in SPEECH_VERBS and u.i in ancestors and not _infinitive(u):
                return k, u, lemma
        return None

    def _before_with(self, q, p: Parsed, toks, k: int, lemma: str, generic: bool, introduced: bool, open_at: int):
        t = toks[k]
        subj = subject_of(t)
        fallback = None
        if lemma != "according to" and subj is None and introduced and not generic:
            # "In a statement, her adviser, Jake Sullivan, said: "...": no subject in the parse.
            fallback = _np_tokens([u for u in toks[:k] if u.i >= t.i - 12])
        if lemma != "according to" and not fallback and (subj is None or not self.outside_quotes(p, subj)):
            return None
        if generic and subj is not None and subj.lower_ in ("it", "this", "that", "there", "which", "what"):
            return None
        cue_s, cue_e = _cue_span(p, t, lemma)
        between = [u for u in toks[k + 1 :] if p.s(u) >= cue_e]
        objects = set()
        for c in t.children:
            if c.dep_ not in ("ccomp", "xcomp", "conj", "parataxis", "cc") or (
                generic and c.dep_ in ("attr", "acomp", "oprd")
            ):
                objects.update(u.i for u in c.subtree)
        if subj is not None:
            objects.update(u.i for u in subj.subtree)
        if lemma == "according to":
            objects.update(u.i for u in t.subtree)
        gap = [u for u in between if u.i not in objects and u.pos_ != "PUNCT" and u.lower_ != "that"]
        if fallback and gap:
            return None
        a = Attribution(q.start, q.end, "direct", quote=q, para=q.para, lemma=lemma)
        a.cue, a.cue_start, a.cue_end = self.text[cue_s:cue_e], cue_s, cue_e
        if fallback:
            self._set_source_tokens(a, p, fallback)
        else:
            self._set_source(a, p, subj)
        if not gap:
            a.via = "before"
            self.used_cues.add(cue_s)
            return a
        # Mixed: the quote continues a paraphrase introduced by the cue.
        if generic or lemma == "according to" or lemma in QUOTE_ONLY_VERBS:
            return None
        scope = t
        if not (p.s(t.left_edge) <= open_at <= p.e(t.right_edge)):
            # "As the paper noted, X has "...": the cue hangs off the clause that holds the quote.
            if t.dep_ in ("advcl", "parataxis") and p.s(t.head.left_edge) <= open_at <= p.e(t.head.right_edge):
                scope = t.head
            else:
                return None
        if scope is t:
            content = _content_of(p, t, lemma, self.text)
        else:
            rest = [u for u in scope.subtree if u.i > t.right_edge.i and u.pos_ != "PUNCT"]
            content = p.span_of(rest) if rest else None
        start = content[0] if content and content[0] > cue_e else p.s(gap[0])
        start = min(start, q.start)
        end = max(q.end, content[1] if content else q.end)
        if q.close_mark is None:
            end = q.end
        a.start, a.end, a.kind, a.via = start, end, "mixed", "mixed"
        self.used_cues.add(cue_s)
        return a

    def cue_after(self, q: QuoteSpan, lo: int, hi: int) -> Attribution | None:
        """``"...," Matsegora said`` / ``"..." says Professor Lankov``."""
        lo = _skip_space(self.text, lo)
        if hi <= lo:
            return None
        p = self.parsed_at(lo)
        if p is None:
            return None
        toks = p.tokens_in(lo, hi)
        for k, t in enumerate(toks[:60]):
            if not self.outside_quotes(p, t):
                return None
            lemma = token_cue(t)
            if lemma is None and k > 0 and t.lower_ in FORM_TO_LEMMA and self.text[q.close_mark - 1] in ",?!":
                # A reporting verb the tagger took for a noun: `," Conway notes.`
                if t.i + 1 >= len(t.doc) or t.nbor(1).pos_ in ("PUNCT", "ADP", "ADV", "SPACE"):
                    lemma = FORM_TO_LEMMA[t.lower_]
            if lemma is None:
                if t.pos_ == "VERB" and self._generic_cue(q, p, t, toks[:k]):
                    lemma = t.lower_
                elif t.pos_ in _VERB_POS and t.dep_ not in ("aux", "auxpass", "neg", "advmod", "relcl", "acl", "amod"):
                    # A finite verb that is not a cue: this clause is something else.
                    if not self._inside_subject_of_later_cue(toks[k + 1 : 60], t):
                        return None
                    continue
                else:
                    continue
            elif lemma not in DIRECT_CUE_LEMMAS and lemma != "according to":
                return None
            subj = subject_of(t)
            allowed = set()
            if subj is not None:
                allowed.update(u.i for u in subj.subtree)
            for c in t.children:
                if c.dep_ in ("advmod", "aux", "auxpass", "neg", "npadvmod"):
                    allowed.update(u.i for u in c.subtree)
            before = [u for u in toks[:k] if u.pos_ not in ("PUNCT", "SPACE") and u.i not in allowed]
            fallback = None
            if lemma != "according to" and (subj is None or not self.outside_quotes(p, subj)):
                # The parser missed the subject: take the noun phrase between quote and cue
                # (with its appositives), or right after an inverted cue.
                subj = None
                before = [u for u in toks[:k] if u.pos_ not in ("PUNCT", "SPACE")]
                if before:
                    fallback = _np_tokens(toks[:k], first=True) if len(before) <= 25 else []
                    before = []
                else:
                    fallback = _np_after(t)
                if not fallback or any(not self.outside_quotes(p, u) for u in fallback):
                    return None
            if before:
                return None
            if p.sent.start > q.close_mark and any(
                c.dep_ in ("ccomp", "xcomp", "attr") or (c.dep_ == "dobj" and lemma not in _ADDRESSEE_VERBS)
                for c in t.children
            ):
                return None  # `..." He said the FBI has ...`: a new statement, not this quote's cue
            cue_s, cue_e = _cue_span(p, t, lemma)
            a = Attribution(q.start, q.end, "direct", quote=q, para=q.last_para, lemma=lemma, via="after")
            a.cue, a.cue_start, a.cue_end = self.text[cue_s:cue_e], cue_s, cue_e
            if fallback:
                self._set_source_tokens(a, p, fallback)
            else:
                self._set_source(a, p, subj)
            self.used_cues.add(cue_s)
            return a
        return None

    def _generic_cue(self, q: QuoteSpan, p: Parsed, verb, before) -> bool:
        """Any verb right after a quote cut by a comma is its cue: ``"...," Hannity started.``,
        ``"...!" beamed Donald Hartley``."""
        if q.close_mark is None or self.text[q.close_mark - 1] not in ",?!—–-":
            return False
        if verb.tag_ not in ("VBD", "VBZ", "VBP"):
            return False
        words = _WORD_RE.findall(self.text[q.start : q.end])
        if len(words) < 4 and _title_case(words):
            return False  # a name or title in quotes: `The ad, entitled "Our History," features ...`
        if not [u for u in before if u.pos_ not in ("PUNCT", "SPACE")]:
            return True  # inverted: the speaker follows the verb
        subs = [c for c in verb.children if c.dep_ in ("nsubj",) and c.i < verb.i]
        if not subs or not self.outside_quotes(p, subs[0]):
            return False
        return all(u.pos_ in ("PUNCT", "SPACE") or u.i in {x.i for x in subs[0].subtree} for u in before)

    @staticmethod
    def _inside_subject_of_later_cue(rest, verb) -> bool:
        """Whether ``verb`` sits inside the subject of a cue that follows ("X, who led Y, said")."""
        for t in rest:
            lemma = token_cue(t)
            if lemma is not None:
                subj = subject_of(t)
                return subj is not None and any(u.i == verb.i for u in subj.subtree)
        return False

    def _set_source_tokens(self, a: Attribution, p: Parsed, toks) -> None:
        a.src_start, a.src_end = p.s(toks[0]), p.e(toks[-1])
        a.src_full_end = a.src_end
        heads = [t for t in toks if t.pos_ in ("PROPN", "NOUN", "PRON")]
        a.src_pos = heads[-1].pos_ if heads else toks[-1].pos_
        a.extra["subj_dep"] = "nsubj"

    def _set_source(self, a: Attribution, p: Parsed, subj) -> None:
        if subj is None:
            return
        a.extra["subj_dep"] = subj.dep_
        ante = antecedent(subj)
        if ante is not None:
            s, e, full_e = source_core(p, ante)
            a.extra["antecedent"] = (s, e, full_e, ante.pos_)
            a.src_start, a.src_end, a.src_full_end, a.src_pos = p.s(subj), p.e(subj), p.e(subj), subj.pos_
            return
        s, e, full_e = source_core(p, subj)
        a.src_start, a.src_end, a.src_full_end, a.src_pos = s, e, full_e, _source_pos(subj)

    # -- indirect -------------------------------------------------------------------------------

    def indirect(self, p: Parsed) -> list[Attribution]:
        out = []
        for t in p.doc:
            if not self.outside_quotes(p, t):
                continue
            lemma = token_cue(t)
            if lemma is None or lemma in QUOTE_ONLY_VERBS:
                continue
            cue_s, cue_e = _cue_span(p, t, lemma)
            if cue_s in self.used_cues:
                continue
            if lemma == "according to":
                content = _according_content(p, t)
                via = "according"
            elif lemma in SPEECH_VERBS or lemma in BELIEF_VERBS:
                content = _content_of(p, t, lemma, self.text)
                via = "indirect"
            else:
                continue
            if content is None or content[1] <= content[0]:
                continue
            if lemma in BELIEF_VERBS and lemma not in SPEECH_VERBS and not self._belief_ok(t):
                continue
            subj = subject_of(t)
            a = Attribution(content[0], content[1], "indirect", para=p.sent.para, lemma=lemma, via=via)
            a.cue, a.cue_start, a.cue_end = self.text[cue_s:cue_e], cue_s, cue_e
            fallback = _np_before(t) if subj is None and lemma != "according to" and t.tag_ != "VBG" else []
            if fallback and all(self.outside_quotes(p, u) for u in fallback):
                self._set_source_tokens(a, p, fallback)
            else:
                self._set_source(a, p, subj)
            out.append(a)
        return out

    @staticmethod
    def _belief_ok(t) -> bool:
        """Beliefs need their own subject: "experts expect that", not "Considering that"."""
        subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None or subj.lower_ in ("it", "there", "this", "that", "which", "what"):
            return False
        return True


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i


def _windows(st: Structure, q: QuoteSpan, prev: QuoteSpan | None, nxt: QuoteSpan | None):
    open_at = q.open_mark if q.open_mark is not None else q.start
    s_open = st.sentence_at(open_at)
    bw_lo = s_open.start if s_open else open_at
    if prev is not None and prev.close_mark is not None and prev.close_mark + 1 > bw_lo:
        bw_lo = prev.close_mark + 1
    bw = (bw_lo, open_at)
    aw = None
    if q.close_mark is not None:
        s_close = st.sentence_at(q.close_mark)
        hi = s_close.end if s_close else q.close_mark + 1
        if s_close is not None and hi == q.close_mark + 1 and st.text[q.close_mark - 1] in ".?!":
            # `..?" Pence said.` splits into two sentences; the cue is in the next one.
            nxt_sent = st.sentence_at(_skip_space(st.text, hi))
            if nxt_sent is not None and nxt_sent.para == s_close.para and nxt_sent.index == s_close.index + 1:
                hi = nxt_sent.end
        if nxt is not None and nxt.open_mark is not None and nxt.open_mark < hi:
            hi = nxt.open_mark
        aw = (q.close_mark + 1, hi)
    return bw, aw


# Quotes without a cue are kept when they read like speech: this many words at least.
# A quote governed by a verb but with no reporting verb needs this many words (or a person subject);
# a quote with no speaker at all is kept only when this long (a statement, a document, a tweet) --
# shorter ones are titles, slogans and scare quotes far more often than speech.
MIN_SPEECH_WORDS = 6
MIN_UNATTRIBUTED_WORDS = 20
MIN_INHERITED_WORDS = 3
_WORD_RE = re.compile(r"[^\W_][\w’'-]*")
_LABEL_RE = re.compile(
    r"(?:^|[\s\u2014\u2013-])(?P<np>[A-Z][\w.’'-]*(?:\s+(?:[A-Z][\w.’'-]*|of|de|and|&)){0,6})"
    r"(?:\s*\([^()\n]{1,60}\))?\s*:\s*$"  # an affiliation in brackets: "Prof. Jane Roe (Hanbit Univ.):"
)
_JOINED_RE = re.compile(r"\s*[,;]?\s*(?:and|or|but|as well as)?\s*[,;:]?\s*")
_DASH_RE = re.compile(r"[-\u2012-\u2015]\s*(?P<np>[^\W\d_a-z][\w.’'-]*(?:\s+[^\W\d_a-z][\w.’'-]*){0,4})")


def _n_words(s: str) -> int:
    return len(_WORD_RE.findall(s))


def speechlike(text: str, q: QuoteSpan, min_words: int) -> bool:
    content = text[q.start : q.end]
    n = _n_words(content)
    if n >= min_words:
        return True
    return n >= 3 and bool(re.search(r"[.!?]\W*$", content))


def _label_before(text: str, st: Structure, q: QuoteSpan, bw: tuple[int, int]) -> Attribution | None:
    """``Pew Research: "...`` / ``Michael P. McDonald: "...``: a name and a colon, no verb."""
    lo, hi = bw
    m = _LABEL_RE.search(text, max(lo, hi - 80), hi)
    if not m:
        return None
    np_s, np_e = m.start("np"), m.end("np")
    words = text[np_s:np_e].split()
    if words[0].casefold() in ("the", "a", "an", "here", "here’s", "here's", "update", "note", "editor’s") or (
        words[0].casefold() in _NOT_SPEAKER_LABELS
    ):
        return None
    colon = text.rindex(":", np_e, hi)
    a = Attribution(q.start, q.end, "direct", quote=q, para=q.para, via="label", lemma=":")
    a.cue, a.cue_start, a.cue_end = ":", colon, colon + 1
    a.src_start, a.src_end, a.src_full_end, a.src_pos = np_s, np_e, np_e, "PROPN"
    return a


# A transcript turn: a paragraph opening with a speaker label ("CHUN:", "Georgy Toloraya:",
# "ASSISTANT SECRETARY HILL:") and then the speaker's words, with no quotation marks.
_TURN_RE = re.compile(
    r"(?P<np>[A-Z][\w.’'-]*(?:[ \t]+(?:[A-Z][\w.’'-]*|of|de|van|von)){0,5})"
    # a role in capitals after the name: "DONALD ROE, GOVERNOR OF THE STATE:"
    r"(?:,[ \t]+[A-Z][A-Z.’'&-]*(?:[ \t]+[A-Z][A-Z.’'&-]*){0,8})?"
    r"[ \t]*:[ \t]+(?=\S)"
)
_NOT_SPEAKER_LABELS = frozenset(
    """the a an q question note update editor editor’s editor's photo photograph source sources read watch
    related see also caption credit image video listen subscribe advertisement tags topics share email
    by posted updated published date time correction corrections clarification""".split()
    # Section headings of a news page ("What Happened:", "Why It Matters:", "Background:"), not speakers.
) | frozenset(
    """what why how where when which whats what's what’s background context bottom takeaway takeaways summary
    outlook analysis highlights timeline""".split()
)
MIN_TURN_WORDS = 4


def transcript_turns(text: str, st: Structure, attrs: list[Attribution]) -> list[Attribution]:
    """``attrs`` with the turns of an interview printed as a transcript: each answer is attributed to
    the label's speaker (and the first-person cues inside it, "I think ...", give way to it); what is
    said in a question turn ("QUESTION: ... do you think ...?") is nobody's claim."""
    turns, questions = _turns(text, st, [a for a in attrs if a.quote is not None])
    if not turns and not questions:
        return attrs
    spans = [(t.start, t.end) for t in turns] + questions

    def inside_turn(a: Attribution) -> bool:
        return any(s <= a.start and a.end <= e for s, e in spans)

    kept = [a for a in attrs if a.quote is not None or not inside_turn(a)]
    return kept + turns


def _label_key(label: str) -> str:
    """The word a speaker label is known by across turns: its last word ("WOLF BLITZER", "BLITZER")."""
    return label.split()[-1].strip(".’'").casefold()


# Labels that name the one who asks: "HOST:", "INTERVIEWER:", "MODERATOR:".
_HOST_LABELS = frozenset({"host", "interviewer", "moderator", "anchor", "presenter"})


def _hosts(labelled: list[tuple[str, str]]) -> set[str]:
    """The labels of an interview's hosts among (label key, turn text): a label named so ("HOST:"), or, when two
    or more labels take turns, one whose turns mostly ask (two or more of them hold a question mark, more than
    half of all its turns) while another's mostly do not."""
    turns: dict[str, list[bool]] = {}
    for key, content in labelled:
        turns.setdefault(key, []).append("?" in content)
    askers = {key for key, asks in turns.items() if sum(asks) >= 2 and 2 * sum(asks) > len(asks)}
    answerers = {key for key, asks in turns.items() if 2 * sum(asks) <= len(asks)}
    hosts = {key for key in turns if key in _HOST_LABELS}
    return hosts | (askers if answerers else set())


def _turns(text: str, st: Structure, quoted: list[Attribution]) -> tuple[list[Attribution], list[tuple[int, int]]]:
    out: list[Attribution] = []
    questions: list[tuple[int, int]] = []
    found = []
    for para in st.paragraphs:
        m = _TURN_RE.match(text, para.start, para.end)
        if m is None:
            continue
        start, end = m.end(), para.end
        while end > start and text[end - 1].isspace():
            end -= 1
        found.append((para, m, start, end))
    # The host's turns (an interviewer's greetings, introductions and questions) are nobody's claims either.
    hosts = _hosts([(_label_key(m.group("np")), text[start:end]) for _, m, start, end in found])
    for para, m, start, end in found:
        np_s, np_e = m.start("np"), m.end("np")
        words = text[np_s:np_e].split()
        content = text[start:end]
        if content.endswith(("?", "…", "...")) or _label_key(m.group("np")) in hosts:
            questions.append((start, end))
            continue
        if words[0].casefold().rstrip(".:") in _NOT_SPEAKER_LABELS:
            continue
        if _n_words(content) < MIN_TURN_WORDS:
            continue  # a label of something else ("Tags: ...")
        if any(a.start < end and start < a.end for a in quoted):
            continue  # already quoted and attributed
        if any(q.start <= start and end <= q.end for q in st.quotes):
            continue
        a = Attribution(start, end, "direct", para=para.index, via="transcript", lemma=":")
        colon = text.index(":", np_e)
        a.cue, a.cue_start, a.cue_end = ":", colon, colon + 1
        a.src_start, a.src_end, a.src_full_end, a.src_pos = np_s, np_e, np_e, "PROPN"
        a.extra["transcript"] = True
        out.append(a)
    return out, questions


# A quote signed by a name with no verb: ``"...," Ivan Petrov, a senior fellow at the Institute.``
_SIGNED_RE = re.compile(
    r"\s*(?P<np>(?:[A-Z][\w’'-]*\.?\s+){1,3}[A-Z][\w’'-]*)(?:\s*,\s*(?:a|an|the|former)\s[^“”\"\n]*?)?\.\s*$"
)


def _signed_after(text: str, st: Structure, q: QuoteSpan) -> Attribution | None:
    if q.close_mark is None or text[q.close_mark - 1 : q.close_mark] != ",":
        return None
    sent = st.sentence_at(q.close_mark)
    if sent is None:
        return None
    m = _SIGNED_RE.match(text, q.close_mark + 1, sent.end)
    if m is None or any(_fold_word(w) in _SIGNED_NOT_NAMES for w in m.group("np").split()):
        return None
    a = Attribution(q.start, q.end, "direct", quote=q, para=q.para, via="signed")
    a.src_start, a.src_end, a.src_full_end, a.src_pos = m.start("np"), m.end("np"), m.end(), "PROPN"
    return a


_SIGNED_NOT_NAMES = frozenset({"the", "a", "an", "in", "on", "at", "for", "and", "but", "he", "she", "they", "it"})


def _fold_word(w: str) -> str:
    return w.strip(".,’'").casefold()


# What may follow the name on a signature line: nothing, a full stop, or an appositive.
_SIGNATURE_TAIL = re.compile(r"\s*(?:[,(—–-].*)?\.?\s*")


def _dash_after(text: str, st: Structure, q: QuoteSpan) -> Attribution | None:
    """A signed quote: ``"..." ― Krystal Correa`` on the same line, or a quote closing its
    paragraph and ``- Bernie Sanders.`` on the next."""
    if q.close_mark is None:
        return None
    para = st.paragraphs[q.last_para]
    i = q.close_mark + 1
    while i < para.end and (text[i].isspace() or text[i] in ".,"):
        i += 1
    m = _DASH_RE.match(text, i, para.end)
    if m is None:
        if i < para.end or q.last_para + 1 >= len(st.paragraphs):
            return None
        nxt = st.paragraphs[q.last_para + 1]
        m = _DASH_RE.match(text, nxt.start, nxt.end)
    if not m:
        return None
    line_end = text.find("\n", m.end())
    if not _SIGNATURE_TAIL.fullmatch(text, m.end(), len(text) if line_end < 0 else line_end):
        return None  # "— On June 19, 2024, the agreement ...": a line of text, not a signature
    a = Attribution(q.start, q.end, "direct", quote=q, para=q.last_para, via="dash", lemma="-")
    a.cue, a.cue_start, a.cue_end = text[m.start() : m.start() + 1], m.start(), m.start() + 1
    a.src_start, a.src_end, a.src_full_end, a.src_pos = m.start("np"), m.end("np"), m.end("np"), "PROPN"
    return a


def _governor(art: _Article, q: QuoteSpan, p: Parsed) -> Attribution | None:
    """A quote inside a sentence with no cue: the subject of the clause that holds it
    (``Carson called the political system "rotten to the core."``). Climbing from the quote to the
    top of its clause, a reporting verb wins; otherwise the top-most verb with a subject does."""
    inside = p.tokens_in(q.start, q.end)
    if not inside:
        return None
    tok = inside[0]
    seen = 0
    while seen < 8 and tok.head is not tok and not art.outside_quotes(p, tok):
        tok = tok.head
        seen += 1
    chain = []
    for _ in range(10):
        if tok.pos_ in _VERB_POS and art.outside_quotes(p, tok):
            subj = subject_of(tok)
            if subj is not None and art.outside_quotes(p, subj) and subj.lower_ not in ("it", "there", "this"):
                chain.append((tok, subj))
        if tok.head is tok or tok.dep_ in ("relcl", "acl"):
            break
        tok = tok.head
    if not chain:
        return None
    cues = [(v, sb) for v, sb in chain if token_cue(v) is not None and not _infinitive(v)]
    verb, subj = cues[-1] if cues else chain[-1]
    a = Attribution(q.start, q.end, "direct", quote=q, para=q.para, via="context", lemma=verb.lower_)
    a.cue, a.cue_start, a.cue_end = verb.text, p.s(verb), p.e(verb)
    art._set_source(a, p, subj)
    a.extra["person_subject"] = subj.pos_ in ("PROPN", "PRON")
    a.extra["reporting_verb"] = bool(cues)
    return a


def _title_case(words: list[str]) -> bool:
    caps = [w for w in words if w[:1].isupper()]
    return bool(words) and words[0][:1].isupper() and len(caps) * 2 >= len(words) + (1 if len(words) > 2 else 0)


def _short_quote_ok(text: str, q: QuoteSpan, a: Attribution) -> bool:
    """A short quote inside a sentence is a quote (not a name, a title or a scare quote) when it is
    not in title case and a reporting verb governs it, or a person is the subject of three words or more."""
    words = _WORD_RE.findall(text[q.start : q.end])
    if not words or _title_case(words):
        return False
    if a.extra.get("reporting_verb"):
        return True
    return bool(a.extra.get("person_subject")) and len(words) >= 3


def _previous_subject(art: _Article, q: QuoteSpan, p: Parsed) -> Attribution | None:
    """A quote opening a sentence after a sentence about someone: that sentence's subject."""
    roots = [t for t in p.doc if t.dep_ == "ROOT"]
    for root in roots[-1:]:
        subj = subject_of(root)
        if subj is None or not art.outside_quotes(p, subj) or subj.lower_ in ("it", "there", "this", "that"):
            return None
        a = Attribution(q.start, q.end, "direct", quote=q, para=q.para, via="previous", lemma=None)
        art._set_source(a, p, subj)
        a.extra["person_subject"] = subj.pos_ in ("PROPN", "PRON")
        return a
    return None


def _inherit(q: QuoteSpan, src: Attribution) -> Attribution:
    a = Attribution(q.start, q.end, "direct", quote=q, para=q.para, via="inherit", inherited_from=src)
    a.src_start, a.src_end, a.src_full_end, a.src_pos = src.src_start, src.src_end, src.src_full_end, src.src_pos
    a.extra = dict(src.extra)
    return a


# ---------------------------------------------------------------------------------------------
# The rule table: every way a quote gets its speaker, in the order the rules are tried.


@dataclass(frozen=True)
class Rule:
    """One attribution rule: its name (``Attribution.via``, ``ExtractedQuote.rule``), its order, its
    stage, the function that applies it and its base confidence.

    Stages: ``cue`` rules look for a cue around each quote (the first that finds one wins);
    ``clause`` rules read each parsed sentence (indirect quotes); ``turn`` rules read paragraphs
    (transcripts); ``context`` rules give a quote left without a cue a speaker from its context (the
    first that finds one wins). ``variants`` are other names the same function gives to what it finds,
    with their base confidence; ``stronger`` is a flag in ``Attribution.extra`` that raises the base
    (a reporting verb governing a quote); ``scaled`` says whether how the speaker was resolved scales the
    confidence (pipeline._SPEAKER_FACTOR).
    """

    name: str
    order: int
    stage: str
    find: object  # the function; its signature depends on the stage (see attribute())
    confidence: float
    doc: str
    variants: tuple[tuple[str, float], ...] = ()
    stronger: tuple[str, float] | None = None
    scaled: bool = True


@dataclass
class _QuoteCtx:
    """What the cue rules know about one quote."""

    art: _Article
    q: QuoteSpan
    bw: tuple[int, int]  # the window before the opening mark
    aw: tuple[int, int] | None  # the window after the closing mark
    _after: Attribution | None = None
    _after_done: bool = False

    def lead_in(self) -> tuple[int, int] | None:
        """The last sentence of the paragraph before, when it ends with a colon and the quote opens
        its own paragraph (``Stated Stone:`` / ``He said:``)."""
        q, st = self.q, self.art.st
        if self.bw[1] > self.bw[0] or q.para == 0 or q.open_mark != st.paragraphs[q.para].start:
            return None
        pp = st.paragraphs[q.para - 1]
        if self.art.text[pp.end - 1] != ":":
            return None
        last = st.sentence_at(pp.end - 1)
        return (last.start, pp.end) if last is not None else None

    def after(self) -> Attribution | None:
        if not self._after_done:
            self._after_done = True
            self._after = self.art.cue_after(self.q, *self.aw) if self.aw else None
        return self._after


def _rule_before(c: _QuoteCtx) -> Attribution | None:
    a = c.art.cue_before(c.q, *c.bw)
    if a is not None and a.kind == "mixed" and c.after() is not None:
        c.art.used_cues.discard(a.cue_start)  # a cue after the quote beats a clause running into it
        return None
    return a


def _rule_after(c: _QuoteCtx) -> Attribution | None:
    return c.after()


def _rule_colon(c: _QuoteCtx) -> Attribution | None:
    """``He said:`` closing the paragraph before a paragraph that opens with the quote."""
    lead = c.lead_in()
    a = c.art.cue_before(c.q, *lead) if lead is not None else None
    if a is not None and a.via == "before":
        a.via = "colon"
    return a


def _rule_label(c: _QuoteCtx) -> Attribution | None:
    return _label_before(c.art.text, c.art.st, c.q, c.lead_in() or c.bw)


def _rule_dash(c: _QuoteCtx) -> Attribution | None:
    return _dash_after(c.art.text, c.art.st, c.q)


def _rule_signed(c: _QuoteCtx) -> Attribution | None:
    return _signed_after(c.art.text, c.art.st, c.q)


@dataclass
class _Context:
    """What the context rules know: the attributions so far, by paragraph and by quote."""

    art: _Article
    quotes: list[QuoteSpan]
    by_para: dict[int, list[Attribution]]
    attributed: dict[int, Attribution]
    qindex: dict[int, int]

    def opens_sentence(self, q: QuoteSpan) -> bool:
        open_at = q.open_mark if q.open_mark is not None else q.start
        sent = self.art.st.sentence_at(open_at)
        return sent is None or sent.start >= open_at


def _rule_joined(c: _Context, q: QuoteSpan) -> Attribution | None:
    """``He said, "A," and "B."``: a quote joined to the one before shares its speaker."""
    k = c.qindex[id(q)]
    prev = c.quotes[k - 1] if k > 0 else None
    if prev is None or prev.close_mark is None or id(prev) not in c.attributed:
        return None
    open_at = q.open_mark if q.open_mark is not None else q.start
    if not _JOINED_RE.fullmatch(c.art.text[prev.close_mark + 1 : open_at]):
        return None
    a = _inherit(q, c.attributed[id(prev)])
    a.via = "joined"
    return a


def _rule_context(c: _Context, q: QuoteSpan) -> Attribution | None:
    sent = c.art.st.sentence_at(q.open_mark if q.open_mark is not None else q.start)
    if sent is None or c.opens_sentence(q) or sent.index not in c.art.parsed:
        return None
    a = _governor(c.art, q, c.art.parsed[sent.index])
    text = c.art.text
    if a is not None and not speechlike(text, q, MIN_SPEECH_WORDS) and not _short_quote_ok(text, q, a):
        return None
    return a


def _rule_inherit(c: _Context, q: QuoteSpan) -> Attribution | None:
    if not speechlike(c.art.text, q, MIN_INHERITED_WORDS):
        return None
    open_at = q.open_mark if q.open_mark is not None else q.start
    before = [b for b in c.by_para.get(q.para, []) if b.end <= open_at and b.src_start is not None]
    if not before and q.para > 0 and c.art.st.paragraphs[q.para].start == open_at:
        # A paragraph opening with a quote and no cue continues the previous speaker.
        before = [b for b in c.by_para.get(q.para - 1, []) if b.src_start is not None]
    return _inherit(q, max(before, key=lambda b: b.end)) if before else None


def _rule_previous(c: _Context, q: QuoteSpan) -> Attribution | None:
    st = c.art.st
    sent = st.sentence_at(q.open_mark if q.open_mark is not None else q.start)
    if sent is None or not c.opens_sentence(q) or sent.index - 1 not in c.art.parsed:
        return None
    if st.sentences[sent.index - 1].para != sent.para:
        return None
    a = _previous_subject(c.art, q, c.art.parsed[sent.index - 1])
    if a is not None and not (a.extra.get("person_subject") and speechlike(c.art.text, q, MIN_INHERITED_WORDS)):
        return None
    return a


def _rule_none(c: _Context, q: QuoteSpan) -> Attribution | None:
    if _n_words(c.art.text[q.start : q.end]) < MIN_UNATTRIBUTED_WORDS:
        return None
    return Attribution(q.start, q.end, "direct", quote=q, para=q.para, via="none")


def _rule_indirect(art: _Article, p: Parsed) -> list[Attribution]:
    return art.indirect(p)


def _rule_transcript(text: str, st: Structure, attrs: list[Attribution]) -> list[Attribution]:
    return transcript_turns(text, st, attrs)


# "Kim Yo Jong, vice-department director ..., issued the following press statement on Friday:" and the
# statement's paragraphs after it, printed without quotation marks.
_STATEMENT_LEAD = re.compile(
    r"(?:^|--\s*|[\u2013\u2014]\s*)(?P<np>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){1,3})\s*(?:,[^:]*?)?\s+"
    r"(?:issued|released|published|made|delivered|said\s+in)\s+(?:the\s+following|a|an|this)\s+"
    r"(?:[\w-]+\s+){0,3}(?:statement|message|remarks|speech|commentary|article)\b[^:]*:\s*$"
)
_NARRATION = re.compile(r"(?<![\w-])(?:said|says|added|according to|told|stated|noted)(?![\w-])")


def _rule_statement(text: str, st: Structure, attrs: list[Attribution]) -> list[Attribution]:
    """The paragraphs of a statement introduced by "X issued the following statement:" are X's, up to
    the first paragraph where the narration resumes (a reporting verb)."""
    out: list[Attribution] = []
    spans: list[tuple[int, int]] = []
    paras = st.paragraphs
    if not paras:
        return attrs
    # Where a lead may stand: the end of each paragraph, and the line above the body (a dateline).
    above_end = paras[0].start
    while above_end > 0 and text[above_end - 1].isspace():
        above_end -= 1
    leads = [(max(text.rfind("\n", 0, above_end) + 1, above_end - 600), above_end, 0)]
    for k, para in enumerate(paras[:-1]):
        last = st.sentence_at(para.end - 1)
        leads.append((last.start if last else para.start, para.end, k + 1))
    for lo, hi, k in leads:
        m = _STATEMENT_LEAD.search(text, lo, hi)
        if m is None:
            continue
        para_end = hi
        for nxt in paras[k:]:
            body = text[nxt.start : nxt.end]
            if _NARRATION.search(body) or _n_words(body) < MIN_TURN_WORDS:
                break
            end = nxt.end
            while end > nxt.start and text[end - 1].isspace():
                end -= 1
            a = Attribution(nxt.start, end, "direct", para=nxt.index, via="statement", lemma=":")
            a.cue, a.cue_start, a.cue_end = ":", para_end - 1, para_end
            a.src_start, a.src_end, a.src_full_end, a.src_pos = m.start("np"), m.end("np"), m.end("np"), "PROPN"
            out.append(a)
            spans.append((nxt.start, end))
    if not out:
        return attrs
    kept = [a for a in attrs if not any(s <= a.start and a.end <= e for s, e in spans)]
    return kept + out


# An interview printed as dash turns: "– Has the agreement helped trade?" / "– The agreement has ...".
_DASH_TURN = re.compile(r"[\u2013\u2014-]\s+(?=\S)")


def _rule_interview(text: str, st: Structure, attrs: list[Attribution]) -> list[Attribution]:
    """Answers of an interview printed as dash turns belong to the person the introduction quotes (the
    source of the last attribution before the first turn); a turn that asks is nobody's claim."""
    turns = [p for p in st.paragraphs if _DASH_TURN.match(text, p.start, p.end)]
    asked = [p for p in turns if text[p.start : p.end].rstrip().endswith("?")]
    if len(turns) < 2 or not asked:
        return attrs
    first = turns[0].start
    intro = [a for a in attrs if a.src_start is not None and a.end <= first]
    if not intro:
        return attrs
    source = max(intro, key=lambda a: a.end)
    answers: list[Attribution] = []
    spans: list[tuple[int, int]] = []
    after_question = False
    for p in turns:
        start = _DASH_TURN.match(text, p.start, p.end).end()
        end = p.end
        while end > start and text[end - 1].isspace():
            end -= 1
        spans.append((start, end))
        if p in asked:
            after_question = True
            continue
        if not after_question or _n_words(text[start:end]) < MIN_TURN_WORDS:
            continue
        a = Attribution(start, end, "direct", para=p.index, via="interview", lemma="–", inherited_from=source)
        a.cue, a.cue_start, a.cue_end = text[p.start], p.start, p.start + 1
        a.src_start, a.src_end, a.src_full_end, a.src_pos = (
            source.src_start,
            source.src_end,
            source.src_full_end,
            source.src_pos,
        )
        answers.append(a)

    def inside(a: Attribution) -> bool:
        return any(s <= a.start and a.end <= e for s, e in spans)

    return [a for a in attrs if not inside(a)] + answers


# A question-and-answer page: "Q) ..." / "A) ...", "Q: ..." / "A: ...", "Q. ..." / "A. ...".
_QA_TURN = re.compile(r"(?P<who>[QA])\s*[):.]\s+(?=\S)")
# Who answers, as a line above the questions names them: "Regular Briefing by Spokesperson Jane Roe",
# "Interview with Ambassador Ivan Petrov".
_ANSWERER = re.compile(
    r"(?i:briefing|conference|interview|remarks|conversation|q\s*&\s*a)\s+(?i:by|with)\s+"
    r"(?:(?:[A-Z][\w.’'-]*)\s+){0,4}?(?P<np>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){1,2})\s*[,.:]?\s*$",
    re.M,
)


def _rule_briefing(text: str, st: Structure, attrs: list[Attribution]) -> list[Attribution]:
    """Answers on a question-and-answer page ("Q) ..." then "A) ...") belong to the person a line above
    the first question says is answering ("Briefing by Spokesperson Jane Roe"), or else to the source of
    the last attribution before it; questions are nobody's claims."""
    turns = [(p, m) for p in st.paragraphs if (m := _QA_TURN.match(text, p.start, p.end))]
    if not any(m.group("who") == "Q" for _, m in turns) or not any(m.group("who") == "A" for _, m in turns):
        return attrs
    first = next(p.start for p, m in turns if m.group("who") == "Q")
    named = list(_ANSWERER.finditer(text, 0, first))
    if named:
        src = (named[-1].start("np"), named[-1].end("np"), named[-1].end("np"), "PROPN")
    else:
        intro = [a for a in attrs if a.src_start is not None and a.end <= first and a.src_end is not None]
        if not intro:
            return attrs
        last = max(intro, key=lambda a: a.end)
        src = (last.src_start, last.src_end, last.src_full_end, last.src_pos)
    answers: list[Attribution] = []
    spans: list[tuple[int, int]] = []
    for p, m in turns:
        start, end = m.end(), p.end
        while end > start and text[end - 1].isspace():
            end -= 1
        spans.append((start, end))
        if m.group("who") == "Q" or _n_words(text[start:end]) < MIN_TURN_WORDS:
            continue
        a = Attribution(start, end, "direct", para=p.index, via="briefing", lemma=":")
        a.cue, a.cue_start, a.cue_end = m.group("who"), p.start, p.start + 1
        a.src_start, a.src_end, a.src_full_end, a.src_pos = src
        answers.append(a)

    def inside(a: Attribution) -> bool:
        return any(s <= a.start and a.end <= e for s, e in spans)

    return [a for a in attrs if not inside(a)] + answers


# A headline that says who said what: "Petrov: Talks will resume", "Talks will resume: Petrov", "Petrov says
# talks will resume", "Talks will resume, Petrov says". Verbs in the third person present (a headline's tense).
_HEADLINE_VERBS = "|".join(
    sorted(
        (re.escape(f) for f, lem in FORM_TO_LEMMA.items() if f.endswith("s") and f != lem and lem in SPEECH_VERBS),
        key=len,
        reverse=True,
    )
)
_HEADLINE_SOURCE = r"[A-Z][\w.’'-]*(?:\s+[\w.’'-]+){0,4}"
_HEADLINE_SHAPES = (
    re.compile(rf"(?P<src>{_HEADLINE_SOURCE}?)\s*:\s+(?P<content>\S.*?)\s*$"),
    re.compile(rf"(?P<content>\S.*?)\s*:\s+(?P<src>(?:{_HEADLINE_SOURCE}?|[a-z][\w-]*))\s*$"),
    re.compile(rf"(?P<content>\S.*?),?\s+(?P<src>{_HEADLINE_SOURCE}?)\s+(?i:says|said)\s*$"),
    re.compile(rf"(?P<content>\S.*?[,’'”\"])\s+(?i:says|said)\s+(?P<src>{_HEADLINE_SOURCE}?)\s*$"),
    re.compile(rf"(?P<src>{_HEADLINE_SOURCE}?)\s+(?i:(?P<cue>{_HEADLINE_VERBS}))\s+(?P<content>\S.*?)\s*$"),
)
MAX_HEADLINE_WORDS = 25


def _headline_lines(text: str, st: Structure) -> list[tuple[int, int]]:
    """The lines above the body (title, deck), and a first paragraph that reads as a headline: short, with
    no full stop at its end, and more paragraphs after it."""
    paras = st.paragraphs
    if not paras:
        return []
    out = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text, 0) if m.end() <= paras[0].start][:3]
    first = paras[0]
    line = text[first.start : first.end].rstrip()
    if not out and len(paras) > 1 and _n_words(line) <= MAX_HEADLINE_WORDS and not line.endswith((".", "!")):
        out.append((first.start, first.end))
    return [(s, e) for s, e in out if _n_words(text[s:e]) <= MAX_HEADLINE_WORDS]


def _rule_headline(text: str, st: Structure, attrs: list[Attribution]) -> list[Attribution]:
    """A headline naming who says what ("Petrov: Talks will resume", "Talks will resume, Petrov says",
    "Petrov warns against haste"): the claim of the source, which the pipeline keeps only when it is a
    person of the article (a name, a surname or a description fitting the first person the body names)."""
    out: list[Attribution] = []
    for lo, hi in _headline_lines(text, st):
        if any(a.start < hi and lo < a.end and not a.extra.get("transcript") for a in attrs):
            continue  # already read as a sentence of the body
        line = text[lo:hi]
        for shape in _HEADLINE_SHAPES:
            m = shape.fullmatch(line)
            if m is None or _n_words(m.group("content")) < 3:
                continue
            cs, ce = lo + m.start("content"), lo + m.end("content")
            while ce > cs and text[ce - 1] in " .":
                ce -= 1
            body = text[cs:ce]
            quoted = re.fullmatch(r"[\"“](?P<q>[^\"“”]+)[\"”](?:\s*\[[^\]]*\])?", body)
            kind = "indirect"
            if quoted:
                cs, ce, kind = cs + quoted.start("q"), cs + quoted.end("q"), "direct"
            a = Attribution(cs, ce, kind, via="headline", lemma=(m.groupdict().get("cue") or ":").casefold())
            if m.groupdict().get("cue"):
                a.cue, a.cue_start, a.cue_end = m.group("cue"), lo + m.start("cue"), lo + m.end("cue")
            a.src_start, a.src_end = lo + m.start("src"), lo + m.end("src")
            a.src_full_end, a.src_pos = a.src_end, "PROPN"
            a.extra["headline"] = lo  # the line: the pipeline keeps the first reading whose source is a person
            out.append(a)
    return attrs + out


# A statement reported inside a noun that a person's name owns: "Zelenskiy's remarks that the number of troops could
# grow to 100,000", "On Kim's claim that ...". The content runs to the sentence's end or its first comma.
_NOUN_STATEMENT = re.compile(
    r"(?<![\w’'])(?P<src>(?:[A-Z][\w’'-]*\s+){0,2}[A-Z][\w’'-]*[a-z])['’]s\s+(?:(?:recent|latest|earlier|repeated|"
    r"public)\s+)?(?P<cue>remarks?|comments?|statements?|claims?|warnings?|assertions?|assessments?|predictions?|"
    r"pledges?|promises?|suggestions?|insistence|arguments?|contention|beliefs?|estimates?)\s+that\s+"
    r"(?P<content>(?:[^,;:.!?“”\"]|(?<=\d)[,.](?=\d)){12,}?)(?=\s*(?:,(?!\d)|[;:!?]|\.(?:\s|$)|$))"
)


def _rule_noun_statement(text: str, st: Structure, attrs: list[Attribution]) -> list[Attribution]:
    """A statement reported inside a noun a person owns ("Zelenskiy's remarks that the number of troops could grow"):
    the claim of the owner, which the pipeline keeps only when the owner is a person of the article."""
    out: list[Attribution] = []
    for sent in st.sentences:
        for m in _NOUN_STATEMENT.finditer(text, sent.start, sent.end):
            cs, ce = m.start("content"), m.end("content")
            if _n_words(text[cs:ce]) < 4 or any(a.start < ce and cs < a.end for a in attrs + out):
                continue  # too short to say anything, or read already by another rule
            a = Attribution(cs, ce, "indirect", via="noun", lemma=m.group("cue").casefold().rstrip("s"), para=sent.para)
            a.cue, a.cue_start, a.cue_end = m.group("cue"), m.start("cue"), m.end("cue")
            a.src_start, a.src_end = m.start("src"), m.end("src")
            a.src_full_end, a.src_pos = a.src_end, "PROPN"
            a.extra["person_only"] = True  # an organization's "statement that" is kept by no rule here
            out.append(a)
    return attrs + out


RULES: tuple[Rule, ...] = (
    Rule(
        "before",
        10,
        "cue",
        _rule_before,
        0.9,
        'a reporting verb right before the mark: He said, "...',
        variants=(("mixed", 0.8),),
    ),
    Rule("after", 20, "cue", _rule_after, 0.9, 'a reporting verb right after the mark: "...," Matsegora said'),
    Rule("colon", 30, "cue", _rule_colon, 0.9, '"He said:" closing the paragraph before the quote'),
    Rule("label", 40, "cue", _rule_label, 0.7, 'a name and a colon: Pew Research: "..."'),
    Rule("dash", 50, "cue", _rule_dash, 0.7, '"..." - Maria Lopez'),
    Rule("signed", 60, "cue", _rule_signed, 0.7, '"...," Ivan Petrov, a senior fellow at ...'),
    Rule(
        "indirect",
        70,
        "clause",
        _rule_indirect,
        0.7,
        "a reporting verb with a clausal complement: X said that ...",
        variants=(("according", 0.65),),
    ),
    Rule("transcript", 80, "turn", _rule_transcript, 0.7, "a paragraph opening with a speaker label: CHUN: ..."),
    Rule("statement", 83, "turn", _rule_statement, 0.7, 'the paragraphs after "X issued the following statement:"'),
    Rule("briefing", 84, "turn", _rule_briefing, 0.7, "an answer on a Q/A page: A) ... after Q) ..."),
    Rule("interview", 85, "turn", _rule_interview, 0.7, "an answer printed as a dash turn after a question"),
    Rule("headline", 86, "turn", _rule_headline, 0.6, "a headline: Petrov: Talks will resume / Petrov says ..."),
    Rule("noun", 87, "turn", _rule_noun_statement, 0.55, "a statement in a noun a person owns: Kim's remarks that"),
    Rule("joined", 90, "context", _rule_joined, 0.85, 'He said, "A," and "B."'),
    Rule(
        "context",
        100,
        "context",
        _rule_context,
        0.55,
        "the subject of the clause holding the quote",
        stronger=("reporting_verb", 0.75),
    ),
    Rule("inherit", 110, "context", _rule_inherit, 0.7, "the speaker of the attribution before it in the paragraph"),
    Rule("previous", 120, "context", _rule_previous, 0.45, "the subject of the sentence before"),
    Rule("none", 130, "context", _rule_none, 0.3, "no speaker; kept when 20 words or more", scaled=False),
)
RULES_BY_NAME: dict[str, Rule] = {r.name: r for r in RULES}
# Names of what the rules find (Attribution.via) -> (rule, base confidence).
_VIA: dict[str, tuple[Rule, float]] = {
    **{v: (r, conf) for r in RULES for v, conf in r.variants},
    **{r.name: (r, r.confidence) for r in RULES},
}


def rule_confidence(a: Attribution) -> tuple[float, bool]:
    """The base confidence of the rule that found ``a``, and whether the speaker's resolution scales it."""
    rule, base = _VIA.get(a.via, (None, 0.4))
    if rule is None:
        return base, True
    if rule.stronger is not None and a.extra.get(rule.stronger[0]):
        base = rule.stronger[1]
    return base, rule.scaled


def _stage(stage: str) -> list[Rule]:
    return sorted((r for r in RULES if r.stage == stage), key=lambda r: r.order)


def attribute(text: str, st: Structure, parsed: dict[int, Parsed], parse_more=None) -> list[Attribution]:
    """All attributions in the body: direct and mixed quotes, indirect ones, and quotes that
    inherit or borrow a speaker from their context, by the rules of ``RULES`` in their order.
    ``parse_more(sentences)`` parses sentences that were not parsed up front (a dict like ``parsed``)."""
    art = _Article(text, st, parsed)
    quotes = st.quotes
    direct: list[Attribution] = []
    unattributed: list[QuoteSpan] = []
    cue_rules = _stage("cue")
    for i, q in enumerate(quotes):
        prev = quotes[i - 1] if i > 0 and quotes[i - 1].last_para == q.para else None
        nxt = quotes[i + 1] if i + 1 < len(quotes) and quotes[i + 1].para == q.last_para else None
        ctx = _QuoteCtx(art, q, *_windows(st, q, prev, nxt))
        a = next((found for r in cue_rules if (found := r.find(ctx)) is not None), None)
        if a is None:
            unattributed.append(q)
        else:
            direct.append(a)

    indirect: list[Attribution] = []
    for r in _stage("clause"):
        for idx in sorted(parsed):
            indirect.extend(r.find(art, parsed[idx]))

    # Indirect attributions repeating a direct one are dropped; an unattributed quote inside an
    # indirect attribution's content makes it mixed.
    kept: list[Attribution] = []
    covered: set[int] = set()
    for a in indirect:
        if any(d.start <= a.start and a.end <= d.end for d in direct):
            continue
        if a.via == "according" and any(
            d.cue_start is not None and a.start <= d.cue_start < a.end and d.cue_start < (a.cue_start or 0)
            for d in direct
        ):
            continue  # "“...,” said Ivan Petrov, according to the news agency": the agency relays Petrov's words
        inner = [q for q in unattributed if a.start <= q.start < a.end or q.start <= a.start < q.end]
        if inner:
            a.kind = "mixed"
            a.start = min(a.start, *(q.start for q in inner))
            a.end = max(a.end, *(q.end for q in inner))
            covered.update(id(q) for q in inner)
        elif any(a.start <= q.start < a.end for q in quotes):
            a.kind = "mixed"  # the content holds quoted words (attributed again by an inner cue)
        kept.append(a)
    attrs = direct + kept
    for r in _stage("turn"):
        attrs = r.find(text, st, attrs)
    pending = [q for q in unattributed if id(q) not in covered]

    ctx = _Context(
        art,
        quotes,
        {},
        {id(a.quote): a for a in attrs if a.quote is not None},
        {id(q): i for i, q in enumerate(quotes)},
    )
    # Context: parse what the remaining quotes need.
    need = set()
    for q in pending:
        sent = st.sentence_at(q.open_mark if q.open_mark is not None else q.start)
        if sent is None:
            continue
        if not ctx.opens_sentence(q):
            need.add(sent.index)
        elif sent.index > 0 and st.sentences[sent.index - 1].para == sent.para:
            need.add(sent.index - 1)
    need -= set(parsed)
    if need and parse_more is not None:
        parsed.update(parse_more([st.sentences[i] for i in sorted(need)]))

    for a in attrs:
        ctx.by_para.setdefault(a.para, []).append(a)
    context_rules = _stage("context")
    for q in pending:
        a = next((found for r in context_rules if (found := r.find(ctx, q)) is not None), None)
        if a is not None:
            attrs.append(a)
            ctx.by_para.setdefault(a.para, []).append(a)
            ctx.attributed[id(q)] = a
    return attrs
