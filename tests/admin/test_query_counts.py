"""The changelists of claims, experts and articles run the same number of queries for 1 row as for 12.

On failure the assertion prints every statement of both runs.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.choices import ReviewStatus
from tests import factories

pytestmark = pytest.mark.django_db

MANY = 12


def _claim(topic):
    expert = factories.ExpertFactory()
    affiliation = factories.AffiliationFactory(expert=expert)
    return factories.ClaimFactory(
        expert=expert, affiliation=affiliation, status=ReviewStatus.EXTRACTED, reviewed_at=None, topics=[topic]
    )


def _queries(client, url, params=None) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def _assert_constant(client, url, params=None) -> int:
    topic = factories.TopicFactory()
    _claim(topic)
    client.get(url, params or {})  # warm caches (content types, session) outside the measurement
    one = _queries(client, url, params)
    for _ in range(MANY - 1):
        _claim(topic)
    many = _queries(client, url, params)
    listing = "\n".join(f"  {sql}" for sql in many)
    assert len(one) == len(many), f"{len(one)} queries for 1 row, {len(many)} for {MANY}:\n{listing}"
    print(f"{url} {params or ''}: {len(many)} queries")
    return len(many)


def test_claims_changelist(admin_ui):
    _assert_constant(admin_ui, reverse("admin:claims_claim_changelist"))


def test_claims_review_queue(admin_ui):
    _assert_constant(admin_ui, reverse("admin:claims_claim_changelist"), {"status__exact": "extracted"})


def test_claims_search_by_alias(admin_ui):
    _assert_constant(admin_ui, reverse("admin:claims_claim_changelist"), {"q": "Number"})


def test_experts_changelist(admin_ui):
    _assert_constant(admin_ui, reverse("admin:claims_expert_changelist"))


def test_articles_changelist(admin_ui):
    _assert_constant(admin_ui, reverse("admin:claims_article_changelist"))


def test_article_change_page_with_its_claims(admin_ui):
    """The change page of an article lists its claims: constant in their number too."""
    article = factories.ArticleFactory()
    body = article.body

    def add_claim(n):
        factories.ClaimFactory(
            article=article, start=n, end=n + 1, text=body[n : n + 1], expert=factories.ExpertFactory()
        )

    add_claim(0)
    url = reverse("admin:claims_article_change", args=[article.pk])
    admin_ui.get(url)
    one = _queries(admin_ui, url)
    for n in range(2, 2 * MANY, 2):
        add_claim(n)
    many = _queries(admin_ui, url)
    assert len(one) == len(many), "\n".join(many)


def test_expert_change_page(admin_ui):
    expert = factories.ExpertFactory()
    url = reverse("admin:claims_expert_change", args=[expert.pk])
    factories.AffiliationFactory(expert=expert)
    expert.possible_duplicates.add(factories.ExpertFactory())
    admin_ui.get(url)
    one = _queries(admin_ui, url)
    for _ in range(MANY):
        factories.AffiliationFactory(expert=expert, role=f"role {_}")
        factories.AliasFactory(expert=expert)
        expert.possible_duplicates.add(factories.ExpertFactory())
    many = _queries(admin_ui, url)
    assert len(one) == len(many), "\n".join(many)


def test_ingest_jobs_changelist(admin_ui):
    url = reverse("admin:claims_ingestjob_changelist")
    factories.IngestJobFactory(state="done", article=factories.ArticleFactory())
    admin_ui.get(url)
    one = _queries(admin_ui, url)
    for _ in range(MANY - 1):
        factories.IngestJobFactory(state="done", article=factories.ArticleFactory())
    many = _queries(admin_ui, url)
    assert len(one) == len(many), "\n".join(many)
