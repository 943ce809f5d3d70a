"""generate_synthetic: deterministic, valid against every constraint, and careful with curated data."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from claims.choices import ReviewStatus
from claims.domain.names import name_match_key, normalize_name
from claims.models import UNKNOWN_SORT_DATE, Alias, Article, Claim, Expert, Prediction
from claims.services.synthetic import (
    POPULAR_EXPERT,
    RARE_EXPERT,
    CuratedDataError,
    SyntheticSpec,
    synthetic_generate,
)
from tests import factories
from tests.factories import SMALL

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    """Everything that must come out the same for the same seed (ids included)."""
    return {
        "experts": list(Expert.objects.order_by("id").values_list("id", "name", "slug", "sort_name")),
        "aliases": list(Alias.objects.order_by("id").values_list("expert_id", "name", "normalized", "match_key")),
        "articles": list(Article.objects.order_by("id").values_list("id", "content_hash", "published_on", "outlet_id")),
        "claims": list(
            Claim.objects.order_by("id").values_list(
                "id", "article_id", "expert_id", "affiliation_id", "start", "end", "status", "kind", "sort_date"
            )
        ),
        "topics": list(Claim.topics.through.objects.order_by("id").values_list("claim_id", "topic_id")),
        "predictions": list(Prediction.objects.order_by("id").values_list("claim_id", "probability", "outcome")),
    }


class TestSyntheticGenerate:
    def test_same_seed_same_rows_and_a_rerun_replaces_them(self, synthetic):
        first = snapshot()
        again = synthetic_generate(spec=SMALL)
        assert again.replaced
        assert snapshot() == first

    def test_another_seed_gives_other_rows(self, synthetic):
        first = snapshot()
        synthetic_generate(spec=SyntheticSpec(**{**SMALL.__dict__, "seed": 8}))
        assert snapshot()["claims"] != first["claims"]

    def test_counts_match_the_spec(self, synthetic):
        assert Claim.objects.count() == SMALL.claims
        assert Article.objects.count() == SMALL.articles
        assert Expert.objects.count() == SMALL.experts
        assert synthetic.counts["claims"] == SMALL.claims

    def test_claims_are_spans_of_their_article_dated_like_it(self, synthetic):
        for claim in Claim.objects.select_related("article"):
            assert claim.article.body[claim.start : claim.end] == claim.text
            assert claim.end == claim.start + len(claim.text)
            assert claim.sort_date == (claim.article.published_on or UNKNOWN_SORT_DATE)
            if claim.affiliation_id:
                assert claim.affiliation.expert_id == claim.expert_id

    def test_every_row_passes_model_validation(self, synthetic):
        for model in (Claim, Article, Expert, Prediction):
            for row in model.objects.all()[:200]:
                row.full_clean(exclude=["topics"] if model is Claim else None)

    def test_aliases_are_normalized_as_the_model_does(self, synthetic):
        for alias in Alias.objects.all():
            assert alias.normalized == normalize_name(alias.name)
            assert alias.match_key == name_match_key(alias.name)

    def test_claims_per_expert_are_skewed_popular_first_rare_last(self, synthetic):
        counts = Counter(Claim.objects.values_list("expert__name", flat=True))
        assert counts.most_common(1)[0][0] == POPULAR_EXPERT
        assert 1 <= counts[RARE_EXPERT] < counts[POPULAR_EXPERT] / 5

    def test_mostly_approved_about_a_tenth_predictions(self, synthetic):
        approved = Claim.objects.filter(status=ReviewStatus.APPROVED).count()
        assert approved > 0.8 * SMALL.claims
        assert 0.05 * SMALL.claims < Prediction.objects.count() < 0.15 * SMALL.claims


class TestCuratedData:
    def test_refuses_a_database_with_a_curated_article_and_says_why(self, db):
        factories.ArticleFactory()
        with pytest.raises(CommandError, match="article"):
            call_command("generate_synthetic", "--experts=5", "--articles=5", "--claims=10", "--organizations=2")
        with pytest.raises(CuratedDataError):
            synthetic_generate(spec=SMALL)

    def test_refuses_a_claim_reviewed_by_a_real_user(self, synthetic):
        claim = Claim.objects.first()
        claim.reviewed_by = factories.UserFactory()
        claim.save()
        with pytest.raises(CuratedDataError, match="reviewed by a real user"):
            synthetic_generate(spec=SMALL)

    def test_force_adds_beside_curated_data_without_touching_it(self, db):
        article = factories.ArticleFactory()
        synthetic_generate(spec=SMALL, force=True)
        assert Article.objects.filter(pk=article.pk).exists()
        assert Claim.objects.count() == SMALL.claims

    def test_command_prints_a_summary(self, db, capsys):
        call_command("generate_synthetic", "--experts=5", "--articles=5", "--claims=10", "--organizations=2")
        assert "10 claims" in capsys.readouterr().out


def test_predictions_and_hashes_follow_the_projects_own_rules(synthetic):
    """The same hedge -> probability rule and content hash as ingestion (issue 11, item 4)."""
    from claims.domain.forecasts import hedge_fields
    from claims.domain.textfiles import content_hash

    fields = ["hedge_category", "scale", "probability_low", "probability_high", "probability", "low_confidence"]
    predictions = list(Prediction.objects.values("hedge", "hedge_inverted", *fields))
    assert {p["hedge_category"] for p in predictions} > {"unhedged"}
    for p in predictions:
        assert {name: p[name] for name in fields} == hedge_fields(p["hedge"], inverted=p["hedge_inverted"])
    for body, digest in Article.objects.values_list("body", "content_hash"):
        assert digest == content_hash(body)
