"""Writing claims through the API: validation, review actions, permissions, optimistic concurrency."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims.models import Claim
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/claims"


@pytest.fixture
def article():
    return factories.ArticleFactory()


def quote_span(article):
    start = article.body.index('"') + 1
    end = article.body.index('," said')
    return start, end


class TestClaimCreate:
    def test_curator_creates_a_claim_taking_the_text_from_the_article(self, curator_client, article):
        expert = factories.ExpertFactory()
        start, end = quote_span(article)
        response = curator_client.post(
            URL, {"article": article.pk, "expert": expert.pk, "start": start, "end": end, "cue": "said"}
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["text"] == article.body[start:end]
        assert body["status"] == "extracted"
        assert response["ETag"] == '"1"'
        claim = Claim.objects.get(pk=body["id"])
        assert claim.sort_date == article.published_on

    def test_text_that_is_not_the_article_text_is_400(self, curator_client, article):
        start, end = quote_span(article)
        response = curator_client.post(
            URL, {"article": article.pk, "start": start, "end": end, "text": "x" * (end - start)}
        )
        assert response.status_code == 400
        assert "text" in response.json()["errors"]

    def test_offsets_outside_the_article_are_400(self, curator_client, article):
        response = curator_client.post(URL, {"article": article.pk, "start": 5, "end": len(article.body) + 10})
        assert response.status_code == 400
        assert "outside the article" in response.json()["detail"]

    def test_reversed_offsets_are_400(self, curator_client, article):
        assert curator_client.post(URL, {"article": article.pk, "start": 10, "end": 5}).status_code == 400

    def test_unknown_expert_is_400(self, curator_client, article):
        start, end = quote_span(article)
        response = curator_client.post(URL, {"article": article.pk, "expert": 999999, "start": start, "end": end})
        assert response.status_code == 400
        assert "expert" in response.json()["errors"]

    def test_unknown_article_is_400(self, curator_client):
        assert curator_client.post(URL, {"article": 999999, "start": 0, "end": 5}).status_code == 400

    def test_affiliation_of_another_expert_is_400(self, curator_client, article):
        start, end = quote_span(article)
        other = factories.AffiliationFactory()
        response = curator_client.post(
            URL,
            {
                "article": article.pk,
                "expert": factories.ExpertFactory().pk,
                "affiliation": other.pk,
                "start": start,
                "end": end,
            },
        )
        assert response.status_code == 400

    def test_the_same_span_twice_is_409(self, curator_client, article):
        start, end = quote_span(article)
        assert curator_client.post(URL, {"article": article.pk, "start": start, "end": end}).status_code == 201
        response = curator_client.post(URL, {"article": article.pk, "start": start, "end": end})
        assert response.status_code in (400, 409)
        assert Claim.objects.filter(article=article).count() == 1

    def test_malformed_json_is_400_not_500(self, curator_client):
        response = curator_client.generic("POST", URL, "{not json", content_type="application/json")
        assert response.status_code == 400


class TestClaimUpdate:
    def test_patch_changes_the_speaker_and_bumps_the_version(self, curator_client):
        claim = factories.ClaimFactory(status="extracted", reviewed_at=None)
        other = factories.ExpertFactory(name="Someone Else")
        response = curator_client.patch(f"{URL}/{claim.pk}", {"expert": other.pk})
        assert response.status_code == 200, response.json()
        assert response.json()["expert"]["id"] == other.pk
        assert response["ETag"] == '"2"'
        claim.refresh_from_db()
        assert claim.expert == other and claim.version == 2
        assert claim.history.count() == 2

    def test_stale_if_match_is_412_and_changes_nothing(self, curator_client):
        claim = factories.ClaimFactory(status="extracted", reviewed_at=None)
        etag = curator_client.get(f"{URL}/{claim.pk}")["ETag"]
        first = curator_client.patch(f"{URL}/{claim.pk}", {"cue": "told NK News"}, HTTP_IF_MATCH=etag)
        assert first.status_code == 200
        second = curator_client.patch(f"{URL}/{claim.pk}", {"cue": "explained"}, HTTP_IF_MATCH=etag)
        assert second.status_code == 412
        assert "changed by someone else" in second.json()["detail"]
        claim.refresh_from_db()
        assert claim.cue == "told NK News"

    def test_current_if_match_succeeds(self, curator_client):
        claim = factories.ClaimFactory()
        response = curator_client.patch(f"{URL}/{claim.pk}", {"notes": "checked"}, HTTP_IF_MATCH=f'"{claim.version}"')
        assert response.status_code == 200

    @pytest.mark.parametrize("header", ["yesterday", "", '"F@di", "3"'])
    def test_malformed_if_match_is_400_naming_it(self, curator_client, header):
        claim = factories.ClaimFactory()
        response = curator_client.patch(f"{URL}/{claim.pk}", {"notes": "x"}, HTTP_IF_MATCH=header)
        assert response.status_code == 400
        assert "If-Match" in response.json()["detail"]

    def test_changing_the_span_rereads_the_text(self, curator_client):
        claim = factories.ClaimFactory()
        response = curator_client.patch(f"{URL}/{claim.pk}", {"start": claim.start, "end": claim.start + 5})
        assert response.status_code == 200
        assert response.json()["text"] == claim.article.body[claim.start : claim.start + 5]

    def test_span_outside_article_is_400(self, curator_client):
        claim = factories.ClaimFactory()
        response = curator_client.patch(f"{URL}/{claim.pk}", {"end": 10**6})
        assert response.status_code == 400

    def test_topics_by_slug(self, curator_client):
        claim = factories.ClaimFactory()
        topic = factories.TopicFactory(slug="sanctions", name="Sanctions")
        response = curator_client.patch(f"{URL}/{claim.pk}", {"topics": ["sanctions"]}, format="json")
        assert response.json()["topics"] == ["sanctions"]
        assert list(claim.topics.all()) == [topic]
        assert curator_client.patch(f"{URL}/{claim.pk}", {"topics": ["nope"]}, format="json").status_code == 400


class TestClaimReview:
    def test_approve_records_reviewer_and_time(self, curator_client, curator):
        claim = factories.ClaimFactory(status="extracted", reviewed_at=None)
        response = curator_client.post(f"{URL}/{claim.pk}/approve")
        assert response.status_code == 200
        assert response.json()["status"] == "approved"
        claim.refresh_from_db()
        assert claim.reviewed_by == curator and claim.reviewed_at is not None

    def test_reject_and_requeue(self, curator_client):
        claim = factories.ClaimFactory(status="extracted", reviewed_at=None)
        assert (
            curator_client.post(f"{URL}/{claim.pk}/reject", {"notes": "misattributed"}).json()["status"] == "rejected"
        )
        claim.refresh_from_db()
        assert claim.notes == "misattributed"
        assert curator_client.post(f"{URL}/{claim.pk}/requeue").json()["status"] == "extracted"
        claim.refresh_from_db()
        assert claim.reviewed_at is None and claim.reviewed_by is None

    def test_approving_a_claim_without_speaker_is_400(self, curator_client):
        claim = factories.ClaimFactory(status="extracted", reviewed_at=None, expert=None)
        response = curator_client.post(f"{URL}/{claim.pk}/approve")
        assert response.status_code == 400
        assert "speaker is unknown" in response.json()["detail"]

    def test_token_authenticated_approve(self, curator_token):
        claim = factories.ClaimFactory(status="extracted", reviewed_at=None)
        client = APIClient()
        response = client.post(f"{URL}/{claim.pk}/approve", HTTP_AUTHORIZATION=f"Token {curator_token}")
        assert response.status_code == 200
        bearer = client.post(f"{URL}/{claim.pk}/reject", HTTP_AUTHORIZATION=f"Bearer {curator_token}")
        assert bearer.status_code == 200

    def test_revoked_token_is_refused(self, curator_token):
        claim = factories.ClaimFactory(status="extracted", reviewed_at=None)
        Token.objects.filter(key=curator_token).delete()
        response = APIClient().post(f"{URL}/{claim.pk}/approve", HTTP_AUTHORIZATION=f"Token {curator_token}")
        assert response.status_code == 401


class TestClaimWritePermissions:
    @pytest.mark.parametrize("action", ["approve", "reject", "requeue"])
    def test_anonymous_cannot_review(self, api_client, action):
        claim = factories.ClaimFactory()
        assert api_client.post(f"{URL}/{claim.pk}/{action}").status_code in (401, 403)
        claim.refresh_from_db()
        assert claim.version == 1

    def test_anonymous_cannot_create_or_patch(self, api_client):
        claim = factories.ClaimFactory()
        assert api_client.post(URL, {"article": claim.article_id, "start": 0, "end": 3}).status_code in (401, 403)
        assert api_client.patch(f"{URL}/{claim.pk}", {"notes": "x"}).status_code in (401, 403)
        assert Claim.objects.count() == 1

    def test_logged_in_user_without_curation_rights_cannot_write(self):
        user = factories.UserFactory()
        client = APIClient()
        client.force_authenticate(user)
        claim = factories.ClaimFactory()
        assert client.patch(f"{URL}/{claim.pk}", {"notes": "x"}).status_code == 403
        assert client.post(f"{URL}/{claim.pk}/approve").status_code == 403

    def test_delete_is_not_offered(self, curator_client):
        claim = factories.ClaimFactory()
        assert curator_client.delete(f"{URL}/{claim.pk}").status_code == 405

    def test_curators_group_grants_writes(self):
        user = factories.UserFactory()
        user.groups.add(Group.objects.get(name="Curators"))
        client = APIClient()
        client.force_authenticate(user)
        claim = factories.ClaimFactory()
        assert client.patch(f"{URL}/{claim.pk}", {"notes": "x"}).status_code == 200


class TestClaimReviewPermission:
    """Reviewing changes a claim: it needs ``change_claim``; ``add_claim`` alone is not enough."""

    @staticmethod
    def client_with(codename):
        from django.contrib.auth.models import Permission

        user = factories.UserFactory()
        user.user_permissions.add(Permission.objects.get(content_type__app_label="claims", codename=codename))
        client = APIClient()
        client.force_authenticate(user)
        return client

    @pytest.mark.parametrize("action", ["approve", "reject", "requeue"])
    def test_add_permission_alone_cannot_review(self, action):
        claim = factories.ClaimFactory(status="extracted", reviewed_at=None)
        assert self.client_with("add_claim").post(f"{URL}/{claim.pk}/{action}").status_code == 403
        claim.refresh_from_db()
        assert claim.version == 1 and claim.status == "extracted"

    @pytest.mark.parametrize(("action", "status"), [("approve", "approved"), ("reject", "rejected")])
    def test_change_permission_alone_may_review(self, action, status):
        claim = factories.ClaimFactory(status="extracted", reviewed_at=None)
        response = self.client_with("change_claim").post(f"{URL}/{claim.pk}/{action}")
        assert response.status_code == 200, response.content
        claim.refresh_from_db()
        assert claim.status == status
