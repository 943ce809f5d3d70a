"""Permissions, walked from the live OpenAPI schema so that every endpoint is covered, new ones too.

- Every write operation (POST, PUT, PATCH, DELETE) refuses anonymous clients (401) and logged-in
  users without curation rights (403), and changes nothing.
- No GET operation shows an unapproved claim's text, or an expert known only from unreviewed claims, to
  anonymous clients, in JSON, CSV or JSON-LD.
- The admin is for staff only.
"""

from __future__ import annotations

import json
import re

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from claims.models import Expert
from tests import factories

pytestmark = pytest.mark.django_db

SECRET = "Unapproved remark that only curators may read"
UNREVIEWED_EXPERT = "Nobody Knows-Yet"
PROPOSITION = "A forecast of an unapproved claim"
WRITE_METHODS = ("post", "put", "patch", "delete")


def operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in ("get", *WRITE_METHODS):
                yield path, method, operation


def without_bodies(value):
    if isinstance(value, dict):
        return {k: without_bodies(v) for k, v in value.items() if k not in ("body", "articleBody")}
    if isinstance(value, list):
        return [without_bodies(v) for v in value]
    return value


def fill(path: str, ids: dict[str, int]) -> str:
    resource = path.split("/")[2]
    return re.sub(r"\{[^}]+\}", str(ids.get(resource, 1)), path)


@pytest.fixture
def ids():
    """One row of everything, plus the secret in an extracted claim and a rejected one."""
    approved = factories.ClaimFactory()
    hidden = factories.ClaimFactory(
        article=factories.ArticleFactory(body=f'Intro. "{SECRET}," the official said.'),
        expert=approved.expert,
        status="extracted",
        reviewed_at=None,
        start=8,
        end=8 + len(SECRET),
        text=SECRET,
    )
    factories.ClaimFactory(
        article=factories.ArticleFactory(body=f'Intro. "{SECRET} again," the official said.'),
        expert=factories.ExpertFactory(name=UNREVIEWED_EXPERT, slug="unreviewed-only"),
        status="rejected",
        start=8,
        end=8 + len(SECRET) + 6,
        text=SECRET + " again",
    )
    factories.PredictionFactory(claim=hidden, proposition=PROPOSITION)
    prediction = factories.PredictionFactory(claim=factories.ClaimFactory(kind="prediction"))
    event = factories.EvidenceLinkFactory().event
    factories.AffiliationFactory(expert=approved.expert)
    topic = factories.TopicFactory()
    return {
        "claims": approved.pk,
        "articles": hidden.article_id,
        "experts": approved.expert_id,
        "organizations": factories.OrganizationFactory().pk,
        "outlets": approved.article.outlet_id,
        "topics": topic.pk,
        "predictions": prediction.pk,
        "events": event.pk,
    }


def test_every_write_operation_refuses_anonymous_and_non_curators(ids):
    anonymous = APIClient()
    user = APIClient()
    user.force_authenticate(factories.UserFactory(username="reader"))
    checked = 0
    for path, method, _ in operations():
        if method not in WRITE_METHODS:
            continue
        url = fill(path, ids)
        response = getattr(anonymous, method)(url, {}, format="json")
        assert response.status_code == 401, f"anonymous {method.upper()} {url}: {response.status_code}"
        response = getattr(user, method)(url, {}, format="json")
        assert response.status_code == 403, f"non-curator {method.upper()} {url}: {response.status_code}"
        checked += 1
    assert checked >= 12, f"only {checked} write operations found in the schema"


# Reads for curators only: anonymous clients get 401 there (file names, URLs and failures of ingestion).
CURATOR_READS = ("/api/ingest-jobs",)


def test_no_get_operation_shows_unapproved_claims_to_anonymous_clients(ids):
    client = APIClient()
    checked = 0
    for path, method, operation in operations():
        if method != "get":
            continue
        if path.startswith(CURATOR_READS):
            response = client.get(fill(path, ids))
            assert response.status_code == 401, f"anonymous GET {path}: {response.status_code}"
            continue
        url = fill(path, ids)
        formats = ["json"]
        if "{" not in path and "results" in str(operation.get("responses", {})):
            formats.append("csv")
        if path.startswith("/api/predictions"):
            formats.append("jsonld")
        for fmt in formats:
            response = client.get(url, {"format": fmt})
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert response.status_code in (200, 404), f"{url}?format={fmt}: {response.status_code}"
            if fmt != "csv":
                # An article's text is public; what must not show is the claim made of it.
                body = json.dumps(without_bodies(json.loads(body or b"null"))).encode()
            assert SECRET.encode() not in body, f"{url}?format={fmt} shows an unapproved claim"
            assert PROPOSITION.encode() not in body, f"{url}?format={fmt} shows an unapproved prediction"
            assert UNREVIEWED_EXPERT.encode() not in body, f"{url}?format={fmt} shows a non-public expert"
            checked += 1
    assert checked >= 15


def test_curators_do_see_unapproved_claims(ids, curator_client):
    assert SECRET in curator_client.get("/api/claims", {"status": "extracted"}).content.decode()


def test_an_expert_known_only_from_unreviewed_claims_is_not_public(ids, curator, curator_client):
    hidden = Expert.objects.get(slug="unreviewed-only")
    anonymous = APIClient()
    curator_client.force_login(curator)  # the pages go by the session
    for url in (f"/api/experts/{hidden.pk}", f"/api/experts/{hidden.pk}/track-record", "/experts/unreviewed-only/"):
        assert anonymous.get(url).status_code == 404, url
        assert curator_client.get(url).status_code == 200, url
    for query in ({"name": "Nobody Knows"}, {"slug": "unreviewed-only"}, {"ordering": "claim_count"}):
        assert UNREVIEWED_EXPERT not in anonymous.get("/api/experts", query).content.decode(), query
    csv_body = b"".join(anonymous.get("/api/experts", {"format": "csv"}).streaming_content).decode()
    assert UNREVIEWED_EXPERT not in csv_body
    assert UNREVIEWED_EXPERT not in anonymous.get("/experts/names.json", {"q": "Nobody"}).content.decode()
    names = [e["name"] for e in curator_client.get("/api/experts", {"name": "Nobody Knows"}).json()["results"]]
    assert names == [UNREVIEWED_EXPERT]


def test_the_admin_is_for_staff_only(client, ids):
    reader = factories.UserFactory(username="reader2", is_staff=False)
    client.force_login(reader)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    response = client.get("/admin/claims/claim/")
    assert response.status_code == 302
