"""The database enforces the model's rules: each constraint is proven by a write it refuses."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from claims.models import Alias, Article, ArticleSource, Claim, Expert
from tests import factories

pytestmark = pytest.mark.django_db


def update(model, pk, **fields):
    with transaction.atomic():
        model.objects.filter(pk=pk).update(**fields)


class TestChoiceConstraints:
    @pytest.mark.parametrize(
        ("factory", "field"),
        [
            (factories.ClaimFactory, "status"),
            (factories.ClaimFactory, "kind"),
            (factories.ClaimFactory, "quote_type"),
            (factories.OrganizationFactory, "kind"),
            (factories.ArticleFactory, "date_precision"),
            (factories.EventFactory, "date_precision"),
            (factories.PredictionFactory, "outcome"),
            (factories.PredictionFactory, "scale"),
            (factories.PredictionFactory, "hedge_category"),
            (factories.AliasFactory, "origin"),
            (factories.ExpertFactory, "kind"),
        ],
    )
    def test_values_outside_the_choices_are_refused(self, factory, field):
        row = factory()
        with pytest.raises(IntegrityError):
            update(type(row), row.pk, **{field: "bogus"})


class TestClaimConstraints:
    def test_text_is_the_article_text_at_the_offsets(self):
        claim = factories.ClaimFactory()
        assert claim.article.body[claim.start : claim.end] == claim.text

    def test_start_must_be_before_end(self):
        claim = factories.ClaimFactory()
        with pytest.raises(IntegrityError):
            update(Claim, claim.pk, start=claim.end, end=claim.start)

    def test_span_length_must_equal_text_length(self):
        claim = factories.ClaimFactory()
        with pytest.raises(IntegrityError):
            update(Claim, claim.pk, end=claim.end + 3)

    def test_confidence_between_zero_and_one(self):
        claim = factories.ClaimFactory()
        with pytest.raises(IntegrityError):
            update(Claim, claim.pk, confidence=1.5)

    def test_reviewed_claims_record_when(self):
        claim = factories.ClaimFactory(status="approved")
        with pytest.raises(IntegrityError):
            update(Claim, claim.pk, reviewed_at=None)

    def test_approved_claims_need_an_expert(self):
        claim = factories.ClaimFactory(status="approved")
        with pytest.raises(IntegrityError):
            update(Claim, claim.pk, expert=None)

    def test_one_claim_per_span(self):
        claim = factories.ClaimFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            factories.ClaimFactory(article=claim.article, start=claim.start, end=claim.end)

    def test_deleting_an_article_with_claims_is_refused(self):
        claim = factories.ClaimFactory()
        with pytest.raises(ProtectedError):
            claim.article.delete()
        assert Claim.objects.filter(pk=claim.pk).exists()

    def test_deleting_an_expert_with_claims_is_refused(self):
        claim = factories.ClaimFactory()
        with pytest.raises(ProtectedError):
            claim.expert.delete()

    def test_deleting_an_expert_without_claims_takes_aliases_and_affiliations(self):
        affiliation = factories.AffiliationFactory()
        expert = affiliation.expert
        expert.delete()
        assert not Alias.objects.filter(expert_id=expert.pk).exists()

    def test_deleting_an_organization_with_affiliations_is_refused(self):
        affiliation = factories.AffiliationFactory()
        with pytest.raises(ProtectedError):
            affiliation.organization.delete()

    def test_deleting_an_affiliation_cited_by_a_claim_is_refused(self):
        affiliation = factories.AffiliationFactory()
        factories.ClaimFactory(expert=affiliation.expert, affiliation=affiliation)
        with pytest.raises(ProtectedError):
            affiliation.delete()


class TestArticleConstraints:
    def test_the_same_text_is_never_stored_twice(self):
        article = factories.ArticleFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            factories.ArticleFactory(body=article.body, content_hash=article.content_hash)

    def test_a_date_needs_a_precision_and_unknown_precision_no_date(self):
        article = factories.ArticleFactory()
        with pytest.raises(IntegrityError):
            update(Article, article.pk, date_precision="unknown")
        with pytest.raises(IntegrityError):
            update(Article, article.pk, published_on=None)
        update(Article, article.pk, published_on=None, date_precision="unknown")

    def test_hash_is_sha256_length(self):
        article = factories.ArticleFactory()
        with pytest.raises(IntegrityError):
            update(Article, article.pk, content_hash="abc")

    def test_body_cannot_be_blank(self):
        article = factories.ArticleFactory()
        with pytest.raises(IntegrityError):
            update(Article, article.pk, body="")


class TestExpertAndAliases:
    def test_alias_normalized_forms_are_derived_on_save(self):
        expert = factories.ExpertFactory(name="Choi Ryong-hae")
        alias = Alias.objects.create(expert=expert, name="Ryong-Hae Choé")
        assert alias.normalized == "choe hae ryong"
        assert alias.match_key == "choi hae ryong"

    def test_alias_unique_per_expert_by_normalized_form(self):
        expert = factories.ExpertFactory(name="Choi Ryong-hae")
        with pytest.raises(IntegrityError), transaction.atomic():
            Alias.objects.create(expert=expert, name="Ryong Hae CHOI")

    def test_two_experts_may_share_a_spelling(self):
        a, b = factories.ExpertFactory(name="Kim Seung"), factories.ExpertFactory(name="Kim Seung")
        assert Alias.objects.filter(normalized="kim seung").count() == 2
        assert a.pk != b.pk

    def test_wikidata_id_unique_when_set(self):
        factories.ExpertFactory(wikidata_id="Q42")
        factories.ExpertFactory(wikidata_id="")
        factories.ExpertFactory(wikidata_id="")
        with pytest.raises(IntegrityError), transaction.atomic():
            factories.ExpertFactory(wikidata_id="Q42")

    def test_expert_name_cannot_be_blank(self):
        expert = factories.ExpertFactory()
        with pytest.raises(IntegrityError):
            update(Expert, expert.pk, name="")


class TestAffiliationConstraints:
    def test_end_not_before_start(self):
        affiliation = factories.AffiliationFactory()
        with pytest.raises(IntegrityError):
            update(
                type(affiliation),
                affiliation.pk,
                start_date=datetime.date(2020, 1, 1),
                end_date=datetime.date(2019, 1, 1),
            )

    def test_needs_a_role_or_an_organization(self):
        affiliation = factories.AffiliationFactory()
        with pytest.raises(IntegrityError):
            update(type(affiliation), affiliation.pk, role="", organization=None)

    def test_same_role_at_same_organization_once(self):
        affiliation = factories.AffiliationFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            factories.AffiliationFactory(
                expert=affiliation.expert, organization=affiliation.organization, role=affiliation.role
            )

    def test_same_role_without_organization_once(self):
        affiliation = factories.AffiliationFactory(organization=None, role="former ambassador to Russia")
        with pytest.raises(IntegrityError), transaction.atomic():
            factories.AffiliationFactory(expert=affiliation.expert, organization=None, role=affiliation.role)


class TestPredictionConstraints:
    def test_probabilities_ordered_within_zero_and_one(self):
        prediction = factories.PredictionFactory()
        with pytest.raises(IntegrityError):
            update(type(prediction), prediction.pk, probability=0.99)  # above probability_high
        with pytest.raises(IntegrityError):
            update(type(prediction), prediction.pk, probability_high=1.2)

    def test_a_scale_implies_a_probability(self):
        prediction = factories.PredictionFactory()
        with pytest.raises(IntegrityError):
            update(type(prediction), prediction.pk, probability=None, probability_low=None, probability_high=None)

    def test_resolved_needs_a_resolver_and_a_time(self):
        prediction = factories.PredictionFactory()
        with pytest.raises(IntegrityError):
            update(type(prediction), prediction.pk, outcome="came_true")

    def test_horizon_ordered(self):
        prediction = factories.PredictionFactory()
        with pytest.raises(IntegrityError):
            update(
                type(prediction),
                prediction.pk,
                horizon_start=datetime.date(2015, 6, 1),
                horizon_end=datetime.date(2015, 5, 1),
            )

    def test_event_date_must_be_known(self):
        event = factories.EventFactory()
        with pytest.raises(IntegrityError):
            update(type(event), event.pk, date_precision="unknown")


class TestStrings:
    def test_str_of_each_model(self):
        claim = factories.ClaimFactory()
        assert str(claim).startswith(claim.expert.name + ": ")
        assert str(claim.article) == claim.article.title
        affiliation = factories.AffiliationFactory(role="senior research fellow")
        assert str(affiliation) == f"senior research fellow, {affiliation.organization.name}"
        former = factories.AffiliationFactory(organization=None, role="ambassador to Russia", is_former=True)
        assert str(former) == "former ambassador to Russia"
        assert str(factories.OrganizationFactory(name="Korea Institute", acronym="KINU")) == "Korea Institute (KINU)"
        event = factories.EventFactory(title="Summit", occurred_on=datetime.date(2019, 4, 25))
        assert str(event) == "2019-04-25: Summit"


class TestArticleSources:
    def source(self, article, **fields):
        values = {"article": article, "kind": "url", "url": "https://news.example/1"} | fields
        with transaction.atomic():
            return ArticleSource.objects.create(**values)

    def test_an_address_is_a_source_of_an_article_once(self):
        article = factories.ArticleFactory()
        self.source(article)
        with pytest.raises(IntegrityError):
            self.source(article)
        self.source(factories.ArticleFactory())  # another article (the page changed since) may have it too

    def test_files_without_an_address_may_repeat(self):
        article = factories.ArticleFactory()
        self.source(article, kind="text", url="", file_name="a.txt")
        self.source(article, kind="text", url="", file_name="a.txt")

    @pytest.mark.parametrize(
        "fields",
        [
            {"kind": "pigeon"},
            {"url": "", "file_name": ""},
            {"http_status": 42},
            {"http_status": 600},
            {"snapshot_sha256": "abc"},
        ],
        ids=["kind", "no-origin", "status-low", "status-high", "sha256"],
    )
    def test_refused(self, fields):
        with pytest.raises(IntegrityError):
            self.source(factories.ArticleFactory(), **fields)

    def test_str(self):
        article = factories.ArticleFactory()
        assert str(self.source(article)) == "https://news.example/1"
        assert str(self.source(article, url="", file_name="a.html")) == "a.html"
