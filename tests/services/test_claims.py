"""Claim services: validation against the article, review, bulk review, versions."""

import pytest
from django.core.exceptions import ValidationError

from claims.models import Claim
from claims.services.claims import claim_create, claim_review, claim_update, claims_review_bulk
from claims.services.errors import StaleVersionError
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return factories.ArticleFactory()


class TestClaimCreate:
    def test_text_defaults_to_the_article_text(self, article):
        claim = claim_create(article=article, start=0, end=9)
        assert claim.text == article.body[:9]
        assert claim.sort_date == article.published_on

    def test_mismatching_text_is_refused(self, article):
        with pytest.raises(ValidationError) as error:
            claim_create(article=article, start=0, end=9, text="Not this!")
        assert "text" in error.value.message_dict
        assert not Claim.objects.exists()

    @pytest.mark.parametrize(("start", "end"), [(-1, 5), (5, 5), (9, 3), (0, 10**6)])
    def test_bad_offsets_are_refused(self, article, start, end):
        with pytest.raises(ValidationError):
            claim_create(article=article, start=start, end=end)

    def test_approving_at_creation_records_the_reviewer(self, article):
        user = factories.UserFactory()
        claim = claim_create(
            article=article, start=0, end=9, expert=factories.ExpertFactory(), status="approved", reviewer=user
        )
        assert claim.reviewed_by == user and claim.reviewed_at


class TestClaimUpdate:
    def test_changing_expert_drops_an_affiliation_of_the_previous_one(self):
        affiliation = factories.AffiliationFactory()
        claim = factories.ClaimFactory(expert=affiliation.expert, affiliation=affiliation)
        updated = claim_update(claim=claim, data={"expert": factories.ExpertFactory()})
        assert updated.affiliation is None

    def test_unknown_fields_are_a_programming_error(self):
        with pytest.raises(ValueError):
            claim_update(claim=factories.ClaimFactory(), data={"status": "approved"})

    def test_stale_version(self):
        claim = factories.ClaimFactory()
        claim_update(claim=claim, data={"notes": "first"}, expected_version=1)
        with pytest.raises(StaleVersionError):
            claim_update(claim=claim, data={"notes": "second"}, expected_version=1)
        claim.refresh_from_db()
        assert claim.notes == "first" and claim.version == 2


class TestReview:
    def test_review_and_requeue(self):
        user = factories.UserFactory()
        claim = factories.ClaimFactory(status="extracted", reviewed_at=None)
        claim = claim_review(claim=claim, status="rejected", user=user)
        assert claim.status == "rejected" and claim.reviewed_by == user
        claim = claim_review(claim=claim, status="extracted", user=user)
        assert claim.reviewed_by is None and claim.reviewed_at is None

    def test_unknown_status(self):
        with pytest.raises(ValidationError):
            claim_review(claim=factories.ClaimFactory(), status="maybe", user=None)

    def test_bulk_skips_claims_without_speaker_on_approval(self):
        user = factories.UserFactory()
        with_speaker = [factories.ClaimFactory(status="extracted", reviewed_at=None) for _ in range(3)]
        without = factories.ClaimFactory(status="extracted", reviewed_at=None, expert=None)
        changed, skipped = claims_review_bulk(claims=[*with_speaker, without], status="approved", user=user)
        assert (changed, skipped) == (3, 1)
        assert set(Claim.objects.filter(status="approved").values_list("pk", flat=True)) == {c.pk for c in with_speaker}
        assert all(c.history.first().history_user == user for c in Claim.objects.filter(status="approved"))
        assert Claim.objects.get(pk=without.pk).status == "extracted"

    def test_bulk_leaves_claims_already_in_the_status_untouched(self):
        first, second = factories.UserFactory(), factories.UserFactory()
        claim = factories.ClaimFactory(status="extracted", reviewed_at=None)
        claims_review_bulk(claims=[claim], status="approved", user=first)
        stamped = Claim.objects.get(pk=claim.pk)
        assert claims_review_bulk(claims=[claim], status="approved", user=second) == (0, 0)
        again = Claim.objects.get(pk=claim.pk)
        assert (again.reviewed_by, again.reviewed_at, again.version) == (first, stamped.reviewed_at, stamped.version)
