"""Ingestion maps an extraction onto rows: one transaction per article, idempotent, curator-safe.

These tests feed hand-written extraction results, so they pin the mapping
itself; tests/test_ingest_command.py runs the real extractor on the seeds.
"""

from __future__ import annotations

import dataclasses
import datetime
import io

import pytest
from django.core.management import call_command

from claims.domain.names import name_match_key
from claims.domain.textfiles import NotAnArticle, decode_article, normalize_text
from claims.extraction.types import ArticleExtraction, ArticleMeta, ExtractedAffiliation, ExtractedQuote
from claims.models import (
    Affiliation,
    Alias,
    Article,
    Claim,
    Expert,
    Organization,
    Outlet,
    Prediction,
    PublicTrackRecord,
    TrackRecordCount,
)
from claims.services.claims import claim_update
from claims.services.ingestion import article_ingest, articles_ingest
from claims.services.track_records import public_track_record_keep
from tests import factories

pytestmark = pytest.mark.django_db

TEXT = normalize_text(
    "Moscow and Pyongyang draw closer\n\n"
    "Experts are divided on what the envoy's visit to Moscow means for the region and for sanctions.\n\n"
    '"I expect it is hard for Kim Jong Un to visit Russia in May," Cho Han-bum, senior research fellow at the '
    "Korea Institute for National Unification (KINU), told NK News.\n\n"
    "Choe Ryong Hae explained that the visit is about economic ties.\n"
)


def span(text: str, fragment: str) -> tuple[int, int]:
    start = text.index(fragment)
    return start, start + len(fragment)


KINU = ExtractedAffiliation(
    text="senior research fellow at the Korea Institute for National Unification (KINU)",
    role="senior research fellow",
    organization="Korea Institute for National Unification",
    acronym="KINU",
)


def extraction(text: str = TEXT, *, cho_name="Cho Han-bum", choe_name="Choe Ryong Hae") -> ArticleExtraction:
    prediction = span(text, "I expect it is hard for Kim Jong Un to visit Russia in May")
    indirect = span(text, "the visit is about economic ties")
    return ArticleExtraction(
        meta=ArticleMeta(
            title="Moscow and Pyongyang draw closer",
            outlet="NK News",
            outlet_domain="nknews.org",
            authors=("Leo Byrne",),
            published_on=datetime.date(2015, 2, 13),
            date_precision="day",
            body_start=0,
            body_end=len(text),
        ),
        quotes=(
            ExtractedQuote(
                start=prediction[0],
                end=prediction[1],
                text=text[prediction[0] : prediction[1]],
                kind="direct",
                speaker=cho_name,
                speaker_mention="Cho Han-bum",
                cue="told NK News",
                affiliation=KINU,
                confidence=0.9,
                claim_kind="prediction",
                hedge="I expect",
            ),
            ExtractedQuote(
                start=indirect[0],
                end=indirect[1],
                text=text[indirect[0] : indirect[1]],
                kind="indirect",
                speaker=choe_name,
                cue="explained",
                confidence=0.6,
                claim_kind="assessment",
            ),
        ),
    )


def ingest(text=TEXT, **kwargs):
    result_extraction = kwargs.pop("extraction_result", None) or extraction(text)
    return article_ingest(text=text, source="test.txt", extraction=result_extraction, **kwargs)


class TestNewArticle:
    def test_stores_article_outlet_experts_affiliation_claims_and_prediction(self):
        result = ingest()
        assert (result.status, result.claims, result.experts_new, result.experts_matched) == ("new", 2, 2, 0)
        article = Article.objects.get()
        assert article.body == TEXT and article.title == "Moscow and Pyongyang draw closer"
        assert article.outlet == Outlet.objects.get(name="NK News", domain="nknews.org")
        assert article.authors == "Leo Byrne" and article.published_on == datetime.date(2015, 2, 13)
        assert article.source_file == "test.txt"

        claims = list(Claim.objects.order_by("start"))
        assert all(article.body[c.start : c.end] == c.text for c in claims)
        assert all(c.status == "extracted" for c in claims)
        cho = Expert.objects.get(name="Cho Han-bum")
        assert claims[0].expert == cho and claims[0].cue == "told NK News" and claims[0].kind == "prediction"
        assert claims[0].affiliation.role == "senior research fellow"
        assert claims[0].affiliation.organization == Organization.objects.get(acronym="KINU")
        assert claims[1].quote_type == "indirect" and claims[1].affiliation is None
        assert claims[0].sort_date == datetime.date(2015, 2, 13)

        prediction = Prediction.objects.get()
        assert prediction.claim == claims[0]
        assert (prediction.hedge, prediction.hedge_category, prediction.scale) == ("I expect", "likely", "extended")
        assert prediction.low_confidence and prediction.probability == pytest.approx(0.675)
        assert prediction.horizon_text == "in May"
        assert (prediction.horizon_start, prediction.horizon_end) == (
            datetime.date(2015, 5, 1),
            datetime.date(2015, 5, 31),
        )
        assert prediction.outcome == "pending"

    def test_unknown_speaker_is_kept_without_an_expert(self):
        base = extraction()
        quotes = (base.quotes[0], ExtractedQuote(**{**base.quotes[1].__dict__, "speaker": None}))
        result = ingest(extraction_result=ArticleExtraction(meta=base.meta, quotes=quotes))
        assert result.claims == 2
        assert Claim.objects.filter(expert__isnull=True).count() == 1


class TestIdempotence:
    def test_the_same_text_creates_nothing_new(self):
        first = ingest()
        counts = [m.objects.count() for m in (Article, Claim, Expert, Alias, Affiliation, Prediction)]
        second = ingest()
        assert second.status == "unchanged" and second.article_id == first.article_id
        assert [m.objects.count() for m in (Article, Claim, Expert, Alias, Affiliation, Prediction)] == counts

    def test_crlf_and_bom_variants_are_the_same_text(self):
        ingest()
        variant = "\ufeff" + TEXT.replace("\n", "\r\n")
        assert decode_article(variant.encode()) == TEXT
        assert article_ingest(text=variant, source="again.txt", extraction=extraction()).status == "unchanged"

    def test_a_known_text_is_not_extracted_again(self):
        ingest()

        def extractor(text):
            raise AssertionError("the extractor ran for a text already stored")

        variant = "\ufeff" + TEXT.replace("\n", "\r\n")
        assert article_ingest(text=variant, source="again.txt", extractor=extractor).status == "unchanged"

    def test_reingesting_never_overwrites_a_curator_change(self):
        ingest()
        claim = Claim.objects.get(quote_type="indirect")
        claim_update(claim=claim, data={"cue": "argued", "notes": "checked against the original"})
        ingest()
        claim.refresh_from_db()
        assert (claim.cue, claim.notes) == ("argued", "checked against the original")


class TestExpertResolution:
    def test_a_romanization_variant_matches_the_existing_expert(self):
        choi = factories.ExpertFactory(name="Choi Ryong-hae")
        result = ingest()
        assert (result.experts_new, result.experts_matched) == (1, 1)
        assert Claim.objects.get(quote_type="indirect").expert == choi
        assert set(choi.aliases.values_list("name", flat=True)) == {"Choi Ryong-hae", "Choe Ryong Hae"}

    def test_different_people_sharing_syllables_are_not_merged(self):
        il = factories.ExpertFactory(name="Kim Jong Il")
        ingest(extraction_result=extraction(choe_name="Kim Jong Un"))
        un = Expert.objects.get(name="Kim Jong Un")
        assert un.pk != il.pk and not un.possible_duplicates.exists()

    def test_a_resembling_name_creates_a_new_expert_flagged_as_possible_duplicate(self):
        existing = factories.ExpertFactory(name="Cho Han-bom")
        ingest()
        new = Expert.objects.get(name="Cho Han-bum")
        assert new.pk != existing.pk
        assert list(new.possible_duplicates.all()) == [existing]
        assert list(existing.possible_duplicates.all()) == [new]

    def test_a_family_name_alone_that_fits_one_known_person_is_that_person(self):
        obama = factories.ExpertFactory(name="Barack Obama")
        factories.ExpertFactory(name="Michelle Robinson")
        result = ingest(extraction_result=extraction(choe_name="Obama"))
        assert Claim.objects.get(quote_type="indirect").expert == obama
        assert result.experts_matched == 1
        assert "Obama" in set(obama.aliases.values_list("name", flat=True))

    def test_a_family_name_alone_that_fits_several_people_is_new_and_flagged_with_them(self):
        first, second = factories.ExpertFactory(name="Kim Jong Un"), factories.ExpertFactory(name="Kim Yo Jong")
        ingest(extraction_result=extraction(choe_name="Kim"))
        kim = Expert.objects.get(name="Kim")
        assert set(kim.possible_duplicates.all()) == {first, second}

    def test_a_given_name_is_not_a_family_name(self):
        podesta = factories.ExpertFactory(name="John D. Podesta")
        ingest(extraction_result=extraction(choe_name="John"))
        assert Claim.objects.get(quote_type="indirect").expert != podesta

    def test_a_full_name_after_the_family_name_alone_is_flagged_not_merged(self):
        alone = factories.ExpertFactory(name="Obama")
        ingest(extraction_result=extraction(choe_name="Barack Obama"))
        full = Expert.objects.get(name="Barack Obama")
        assert full.pk != alone.pk
        assert list(full.possible_duplicates.all()) == [alone]

    def test_different_people_sharing_a_name_word_stay_apart(self):
        warren = factories.ExpertFactory(name="Elizabeth Warren")
        ingest(extraction_result=extraction(choe_name="Warren E. Buffett"))
        buffett = Expert.objects.get(name="Warren E. Buffett")
        assert buffett.pk != warren.pk and warren not in buffett.possible_duplicates.all()

    def test_the_same_affiliation_is_reused_across_articles(self):
        ingest()
        other = TEXT.replace("draw closer", "grow closer")
        ingest(text=other, extraction_result=extraction(other))
        assert Affiliation.objects.filter(role="senior research fellow").count() == 1
        assert Organization.objects.filter(acronym="KINU").count() == 1
        assert Expert.objects.filter(name="Cho Han-bum").count() == 1


class TestAtomicity:
    def test_a_failure_midway_leaves_no_half_written_article(self, monkeypatch):
        from claims.services import ingestion

        original = ingestion.bulk_create_with_history

        def fail_on_predictions(objs, model, **kwargs):
            if model is Prediction:  # the claims are already in: everything must still roll back
                raise RuntimeError("database went away")
            return original(objs, model, **kwargs)

        monkeypatch.setattr(ingestion, "bulk_create_with_history", fail_on_predictions)
        with pytest.raises(RuntimeError):
            ingest()
        assert not Article.objects.exists() and not Claim.objects.exists() and not Expert.objects.exists()
        monkeypatch.setattr(ingestion, "bulk_create_with_history", original)
        assert ingest().status == "new"  # a rerun completes it
        assert Claim.objects.count() == 2 and Prediction.objects.count() == 1

    def test_claims_and_predictions_get_a_history_record(self):
        ingest()
        assert all(claim.history.count() == 1 for claim in Claim.objects.all())
        assert Prediction.objects.get().history.count() == 1

    def test_the_history_records_name_the_ingest_run_and_the_file(self):
        ingest()
        records = [
            Article.objects.get().history.get(),
            *(claim.history.get() for claim in Claim.objects.all()),
            Prediction.objects.get().history.get(),
        ]
        reasons = {record.history_change_reason for record in records}
        assert len(reasons) == 1
        (reason,) = reasons
        assert reason.startswith("ingest run ") and reason.endswith(": test.txt")
        assert all(record.history_user is None for record in records)

    def test_dry_run_stores_nothing(self):
        result = ingest(dry_run=True)
        assert result.status == "would-add" and result.claims == 2
        assert not Article.objects.exists() and not Expert.objects.exists()

    def test_offsets_outside_the_text_are_dropped_not_stored(self):
        base = extraction()
        bad = ExtractedQuote(start=len(TEXT) - 2, end=len(TEXT) + 40, text="x", kind="direct", speaker="A B")
        result = ingest(extraction_result=ArticleExtraction(meta=base.meta, quotes=(*base.quotes, bad)))
        assert result.claims == 2


class TestNotAnArticle:
    @pytest.mark.parametrize(
        ("data", "reason"),
        [
            (b"", "empty file"),
            (b"   \n\t ", "empty file"),
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
            ("Caf\u00e9 au lait, s'il vous pla\u00eet. ".encode("latin-1") * 5, "not UTF-8"),
            (b"Just a title\n\nAnd two lines.", "no article in it"),
            (b"\x01\x02\x03\x04" * 50 + b"words words", "binary file"),
        ],
    )
    def test_bad_input_gets_a_clear_reason(self, data, reason):
        with pytest.raises(NotAnArticle, match=reason):
            decode_article(data)

    def test_too_large(self, monkeypatch):
        monkeypatch.setattr("claims.domain.textfiles.MAX_ARTICLE_BYTES", 100)
        with pytest.raises(NotAnArticle, match="file too large"):
            decode_article(b"word " * 40)

    def test_article_ingest_refuses_a_non_article(self):
        with pytest.raises(NotAnArticle):
            article_ingest(text="Too short.", extraction=extraction())
        assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("first_line", "title"),
    [
        ("North Korea sends special envoy to Russia", "North Korea sends special envoy to Russia"),
        (
            "Korea\u2019s World Ilbo reported that North Korea has dispatched an envoy. " + "More words follow. " * 20,
            "Korea\u2019s World Ilbo reported that North Korea has dispatched an envoy.",
        ),
        ("word " * 60, ("word " * 30).strip() + "\u2026"),
    ],
)
def test_articles_without_a_headline_get_their_first_sentence_as_title(first_line, title):
    from claims.services.ingestion import _title

    assert _title(first_line) == title


class TestIdentityKey:
    def test_the_key_extraction_carries_is_stored_without_being_worked_out_again(self, monkeypatch):
        def recompute(name):
            raise AssertionError(f"name_match_key({name!r}) ran again during ingestion")

        monkeypatch.setattr("claims.services.ingestion.name_match_key", recompute)
        monkeypatch.setattr("claims.services.people.name_match_key", recompute)
        base = extraction()
        quotes = tuple(dataclasses.replace(q, speaker_key=name_match_key(q.speaker)) for q in base.quotes if q.speaker)
        assert ingest(extraction_result=dataclasses.replace(base, quotes=quotes)).experts_new == 2
        cho = Alias.objects.get(name="Cho Han-bum")
        assert cho.match_key == name_match_key("Cho Han-bum")

    def test_a_result_without_keys_gets_them_worked_out(self):
        ingest()
        assert {a.match_key for a in Alias.objects.all()} == {
            name_match_key("Cho Han-bum"),
            name_match_key("Choe Ryong Hae"),
        }


class TestBatch:
    """articles_ingest: hash first, extract only the texts not stored yet."""

    OTHER = TEXT.replace("draw closer", "drift apart")

    @staticmethod
    def recording_extractor(calls: list[str], errors: dict[str, str] | None = None):
        def extract(texts):
            for text in texts:
                calls.append(text)
                if errors and text in errors:
                    yield None, errors[text]
                else:
                    yield extraction(text), None

        return extract

    def test_reingesting_does_not_call_the_extractor_for_known_texts(self):
        items = [("a.txt", None, TEXT.encode()), ("b.txt", None, self.OTHER.encode())]
        calls: list[str] = []
        first = list(articles_ingest(items=items, extract=self.recording_extractor(calls)))
        assert [r.status for r in first] == ["new", "new"] and calls == [TEXT, self.OTHER]

        calls.clear()
        again = [*items, ("c.txt", None, TEXT.replace("Moscow and", "Seoul and").encode())]
        second = list(articles_ingest(items=again, extract=self.recording_extractor(calls)))
        assert [r.status for r in second] == ["unchanged", "unchanged", "new"]
        assert [r.article_id for r in second[:2]] == [r.article_id for r in first]
        assert calls == [TEXT.replace("Moscow and", "Seoul and")]  # only the new text was extracted

    def test_known_texts_are_answered_with_one_query_per_batch(self, django_assert_num_queries):
        items = [(f"{n}.txt", None, text.encode()) for n, text in enumerate((TEXT, self.OTHER))]
        list(articles_ingest(items=items, extract=self.recording_extractor([])))
        with django_assert_num_queries(1):
            results = list(articles_ingest(items=items * 3, extract=self.recording_extractor([]), batch_size=10))
        assert [r.status for r in results] == ["unchanged"] * 6

    def test_unreadable_inputs_and_extraction_errors_are_reported_and_the_rest_goes_in(self):
        items = [
            ("short.txt", None, b"Too short."),
            ("a.txt", None, TEXT.encode()),
            ("b.txt", None, self.OTHER.encode()),
        ]
        calls: list[str] = []
        results = list(
            articles_ingest(items=items, extract=self.recording_extractor(calls, {TEXT: "extraction failed: boom"}))
        )
        assert [(r.source, r.status) for r in results] == [
            ("short.txt", "failed"),
            ("a.txt", "failed"),
            ("b.txt", "new"),
        ]
        assert results[0].error.startswith("no article in it") and results[1].error == "extraction failed: boom"
        assert calls == [TEXT, self.OTHER]  # the unreadable input never reached the extractor
        assert list(Article.objects.values_list("body", flat=True)) == [self.OTHER]


class TestTrackRecordCounts:
    def test_ingested_predictions_empty_the_stored_public_record(self):
        ingest()
        cho = Expert.objects.get(name="Cho Han-bum")
        revision = PublicTrackRecord.objects.get(expert=cho).revision
        assert public_track_record_keep(
            expert_id=cho.pk, revision=revision, overall="{}", topics="[]", computed_by="test"
        )
        second = TEXT.replace("Moscow and Pyongyang draw closer", "Pyongyang and Moscow, closer still")
        ingest(second, extraction_result=extraction(second))
        assert PublicTrackRecord.objects.filter(expert=cho).values_list("revision", "overall").get() == (
            revision + 1,
            None,
        )

    def test_ingested_predictions_are_counted_in_by_increment(self):
        ingest()
        second = TEXT.replace("Moscow and Pyongyang draw closer", "Pyongyang and Moscow, closer still")
        ingest(second, extraction_result=extraction(second))
        base = extraction(TEXT.replace("draw closer", "drew closer"))
        unattributed = (ExtractedQuote(**{**base.quotes[0].__dict__, "speaker": None}), base.quotes[1])
        ingest(
            TEXT.replace("draw closer", "drew closer"),
            extraction_result=ArticleExtraction(meta=base.meta, quotes=unattributed),
        )
        cho = Expert.objects.get(name="Cho Han-bum")
        rows = {
            (r.expert_id, r.topic_id, r.status, r.outcome, round(r.probability, 3), r.count)
            for r in TrackRecordCount.objects.all()
        }
        pending = ("extracted", "pending", 0.675)
        assert rows == {(cho.pk, None, *pending, 2), (None, None, *pending, 1)}
        call_command("track_records", "--rebuild", stdout=io.StringIO())
        recounted = {
            (r.expert_id, r.topic_id, r.status, r.outcome, round(r.probability, 3), r.count)
            for r in TrackRecordCount.objects.all()
        }
        assert recounted == rows
