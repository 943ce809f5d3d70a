"""GET /api/ingest-jobs: curators follow the ingestion jobs; nobody else sees them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/ingest-jobs"


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_anonymous_clients_are_refused(api_client):
    factories.IngestJobFactory()
    assert api_client.get(URL).status_code in (401, 403)


def test_a_user_without_the_view_permission_is_refused(api_client):
    api_client.force_authenticate(factories.UserFactory())
    assert api_client.get(URL).status_code == 403


def test_curators_see_state_article_reason_and_retries_newest_first(curator_client):
    article = factories.ArticleFactory()
    done = factories.IngestJobFactory(state="done", article=article, created_article=True, attempts=1)
    failed = factories.IngestJobFactory(state="failed", reason="404 Not Found", attempts=1)
    rows = results(curator_client.get(URL))
    assert [row["id"] for row in rows] == [failed.pk, done.pk]
    assert rows[1]["state"] == "done" and rows[1]["article_id"] == article.pk
    assert rows[1]["article"].endswith(f"/api/articles/{article.pk}")
    assert rows[0]["reason"] == "404 Not Found" and rows[0]["article"] is None
    assert "spec" not in rows[0]
    detail = curator_client.get(f"{URL}/{done.pk}")
    assert detail.status_code == 200 and detail.json()["created_article"] is True


def test_a_job_queued_by_another_names_its_parent_and_can_be_filtered_by_it(curator_client):
    poll = factories.IngestJobFactory(kind="feed", state="done", reason="2 new entries queued as jobs")
    entry = factories.IngestJobFactory(kind="entry", parent=poll)
    factories.IngestJobFactory()
    rows = results(curator_client.get(URL, {"parent_id": poll.pk}))
    assert [(row["id"], row["kind"], row["parent_id"]) for row in rows] == [(entry.pk, "entry", poll.pk)]
    assert results(curator_client.get(URL, {"kind": "feed"}))[0]["parent_id"] is None


def test_filter_by_state(curator_client):
    factories.IngestJobFactory(state="done")
    failed = factories.IngestJobFactory(state="failed")
    factories.IngestJobFactory(state="queued")
    assert [row["id"] for row in results(curator_client.get(URL, {"state": "failed"}))] == [failed.pk]


def test_unknown_parameters_and_bad_states_are_400(curator_client):
    assert curator_client.get(URL, {"stat": "failed"}).status_code == 400
    assert curator_client.get(URL, {"state": "lost"}).status_code == 400


def test_jobs_are_read_only(curator_client):
    job = factories.IngestJobFactory()
    assert curator_client.post(URL, {"kind": "file"}).status_code == 405
    assert curator_client.patch(f"{URL}/{job.pk}", {"state": "done"}).status_code == 405


def test_constant_queries(curator_client):
    factories.IngestJobFactory(state="done", article=factories.ArticleFactory())
    curator_client.get(URL)  # warm-up: permissions are cached after the first request
    with CaptureQueriesContext(connection) as one:
        assert len(results(curator_client.get(URL, {"limit": 1}))) == 1
    for _ in range(20):
        factories.IngestJobFactory(state="done", article=factories.ArticleFactory())
    with CaptureQueriesContext(connection) as twenty:
        assert len(results(curator_client.get(URL, {"limit": 20}))) == 20
    assert len(one) == len(twenty), "\n".join(q["sql"] for q in twenty.captured_queries)
