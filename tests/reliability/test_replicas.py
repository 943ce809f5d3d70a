"""Reads on replicas (project/replicas.py): who reads from a replica, who from the primary.

Two kinds of replica. "replica" (tests/conftest.py) is a second connection to the primary's own test database,
declared as DATABASE_REPLICA_URLS declares a replica: it shows where each request's queries go, on SQLite and
PostgreSQL alike. The configured replicas (CI: DATABASE_REPLICA_URLS names the hot standby scripts/replica.sh
starts, and REQUIRE_REPLICA=1 makes its absence a failure) are real standbys: their alias is a TEST MIRROR of
"default", which in Django keeps the standby's HOST and PORT and takes the test database's NAME, so it reads the
standby's copy of the test database, which physical replication makes of the whole cluster.

A replica, real or not, never sees a test's open transaction: the data the tests read through one (`published`)
is committed once for the module and removed after it, leaving every table as it was; each test then runs in
the usual rolled-back transaction. (Transactional tests would flush the database after each test, and a
flush breaks the serialized rollback of transactional tests that follow another module's flush.)
"""

from __future__ import annotations

import time
from contextlib import ExitStack, contextmanager
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import DatabaseError, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from claims.models import Topic
from project.replicas import PIN_COOKIE, ReplicaRouter
from tests import factories
from tests.conftest import CONFIGURED_REPLICAS, MIRROR_REPLICA, server_connection
from tests.factories import claim_with_text

pytestmark = pytest.mark.django_db(databases="__all__")

TEXT = "The reactor will restart within two years"


@contextmanager
def queries_on(*aliases: str):
    """The queries each alias ran inside the block, by alias."""
    captures = {alias: CaptureQueriesContext(connections[alias]) for alias in aliases}
    with ExitStack() as stack:
        for capture in captures.values():
            stack.enter_context(capture)
        yield captures


def data_queries(capture: CaptureQueriesContext) -> list[str]:
    """The queries that read or wrote the project's own tables (not the cache, the sessions or the users)."""
    return [query["sql"] for query in capture.captured_queries if '"claims_' in query["sql"]]


@pytest.fixture
def replica(settings):
    """Public reads routed to the "replica" alias (a second connection to the test database)."""
    settings.DATABASE_REPLICAS = [MIRROR_REPLICA]
    yield MIRROR_REPLICA
    connections[MIRROR_REPLICA].close()


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


@pytest.fixture(scope="module")
def published(django_db_setup, django_db_blocker):
    """An approved claim (with its article, outlet and expert) and a topic, committed before the module's tests."""
    with django_db_blocker.unblock():
        before = row_counts()
        history = [model for model in apps.get_models() if model._meta.object_name.startswith("Historical")]
        last_history = {
            model: model._base_manager.order_by("-pk").values_list("pk", flat=True).first() or 0 for model in history
        }
        claim = claim_with_text(TEXT, expert=factories.ExpertFactory(name="Ana Replica", slug="ana-replica"))
        topic = factories.TopicFactory(name="Grid", slug="grid")
        yield SimpleNamespace(claim=claim, topic=topic)
        article, expert = claim.article, claim.expert
        for row in (claim, article, article.outlet, expert, topic):
            row.delete()
        for model, last in last_history.items():
            model._base_manager.filter(pk__gt=last).delete()
        assert row_counts() == before, "the published rows were not all removed"


@pytest.fixture
def claim(published):
    return published.claim


class TestPublicReadsGoToTheReplica:
    def test_anonymous_api_list_reads_from_the_replica_and_counts_its_throttle_on_the_primary(self, replica, claim):
        with queries_on("default", replica) as q:
            response = APIClient().get("/api/claims")
        assert response.status_code == 200
        assert TEXT in response.content.decode()
        assert any('"claims_claim"' in sql for sql in data_queries(q[replica]))
        assert data_queries(q["default"]) == []
        # The anonymous throttle's counter (the database cache) is read and written on the primary only.
        assert any("django_cache" in query["sql"] for query in q["default"].captured_queries)
        assert not any("django_cache" in query["sql"] for query in q[replica].captured_queries)

    def test_reads_in_raw_sql_go_to_the_replica_too(self, replica, claim):
        # The bulk lists and the expert filter run compiled SQL on a cursor of their own (claims.selectors).
        with queries_on("default", replica) as q:
            experts = APIClient().get("/api/experts")
            by_name = APIClient().get("/api/claims", {"expert": "ana replica"})
        assert "Ana Replica" in experts.content.decode()
        assert TEXT in by_name.content.decode()
        assert data_queries(q[replica])
        assert data_queries(q["default"]) == []

    def test_public_page_reads_from_the_replica(self, replica, client, claim):
        with queries_on("default", replica) as q:
            response = client.get(reverse("pages:expert", args=["ana-replica"]))
        assert response.status_code == 200
        assert TEXT in response.content.decode()
        assert data_queries(q[replica])
        assert data_queries(q["default"]) == []

    def test_streamed_csv_reads_from_the_replica_while_it_is_sent(self, replica, claim):
        with queries_on("default", replica) as q:
            response = APIClient().get("/api/claims", {"format": "csv"})
            body = b"".join(response.streaming_content).decode()
        assert TEXT in body
        assert data_queries(q[replica])
        assert data_queries(q["default"]) == []


class TestTheRestStaysOnThePrimary:
    def test_signed_in_curator_reads_from_the_primary_on_pages_and_in_the_admin(self, replica, client, curator, claim):
        client.force_login(curator)
        with queries_on("default", replica) as q:
            page = client.get(reverse("pages:expert", args=["ana-replica"]))
            admin = client.get(reverse("admin:claims_claim_changelist"), {"status__exact": "all"})
        assert page.status_code == admin.status_code == 200
        assert TEXT in admin.content.decode()
        assert data_queries(q["default"])
        assert q[replica].captured_queries == []

    def test_token_request_reads_from_the_primary(self, replica, curator_token, claim):
        client = APIClient(HTTP_AUTHORIZATION=f"Token {curator_token}")
        with queries_on("default", replica) as q:
            response = client.get("/api/claims")
        assert response.status_code == 200
        assert data_queries(q["default"])
        assert q[replica].captured_queries == []

    def test_a_curators_write_and_their_next_read_go_to_the_primary(self, replica, curator):
        client = APIClient()
        client.force_login(curator)
        with queries_on("default", replica) as q:
            created = client.post("/api/topics", {"slug": "grid-outages", "name": "Grid outages"})
            read = client.get(created.json()["url"])
        assert created.status_code == 201, created.content
        assert read.json()["name"] == "Grid outages"
        assert q[replica].captured_queries == []

    def test_a_write_pins_the_browser_to_the_primary_after_sign_out(self, replica, settings, client, curator):
        # A curator changes a topic, signs out, and looks at the public page at once: the cookie the write set
        # keeps that browser on the primary for DATABASE_REPLICA_PIN_SECONDS, so it sees its change.
        client.force_login(curator)
        response = client.post(reverse("admin:logout"))
        assert response.status_code == 200
        assert response.cookies[PIN_COOKIE]["max-age"] == settings.DATABASE_REPLICA_PIN_SECONDS
        with queries_on("default", replica) as q:
            client.get(reverse("pages:claims"))
        assert data_queries(q["default"])
        assert q[replica].captured_queries == []
        # Once the cookie has expired, the same browser reads from the replica again.
        del client.cookies[PIN_COOKIE]
        with queries_on("default", replica) as q:
            client.get(reverse("pages:claims"))
        assert data_queries(q[replica])
        assert data_queries(q["default"]) == []

    def test_an_object_read_from_the_replica_is_saved_to_the_primary(self, replica, published):
        topic = Topic.objects.using(replica).get(pk=published.topic.pk)
        topic.name = "Power grid"
        with queries_on("default", replica) as q:
            topic.save()
        assert q[replica].captured_queries == []
        assert Topic.objects.using("default").get(pk=topic.pk).name == "Power grid"

    def test_replicas_are_never_migrated(self, replica):
        router = ReplicaRouter()
        assert router.allow_migrate(replica, "claims") is False
        assert router.allow_migrate("default", "claims") is None

    def test_without_replicas_nothing_is_routed_and_no_cookie_is_set(self, settings, client, curator, claim):
        assert settings.DATABASE_REPLICAS == []
        with queries_on("default", MIRROR_REPLICA) as q:
            page = client.get(reverse("pages:expert", args=["ana-replica"]))
            client.force_login(curator)
            write = client.post(reverse("admin:logout"))
        assert TEXT in page.content.decode()
        assert q[MIRROR_REPLICA].captured_queries == []
        assert PIN_COOKIE not in write.cookies


# The real thing: a hot standby (PostgreSQL only; CI starts one with scripts/replica.sh).


@pytest.fixture
def standby(settings):
    if not CONFIGURED_REPLICAS:
        pytest.skip("no replica configured (DATABASE_REPLICA_URLS; scripts/replica.sh starts a hot standby)")
    alias = CONFIGURED_REPLICAS[0]
    settings.DATABASE_REPLICAS = [alias]
    yield alias
    connections[alias].close()


def wait_for_replay(alias: str, timeout: float = 15.0) -> None:
    """Wait until the standby has replayed everything the primary has written so far (by WAL position)."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (target,) = cursor.fetchone()
    deadline = time.monotonic() + timeout
    with server_connection(connections[alias].settings_dict) as standby:
        while True:
            replayed, lag = standby.execute(
                "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn, pg_wal_lsn_diff(%s::pg_lsn, pg_last_wal_replay_lsn())",
                [target, target],
            ).fetchone()
            if replayed:
                return
            assert time.monotonic() < deadline, f"{alias} has not replayed {target} after {timeout}s ({lag} bytes)"
            time.sleep(0.02)


@pytest.mark.postgres
class TestHotStandby:
    def test_the_replica_alias_reads_the_standbys_copy_of_the_test_database(self, standby):
        wait_for_replay(standby)
        with connections[standby].cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery(), current_database(), current_setting('port')")
            in_recovery, database, port = cursor.fetchone()
        assert in_recovery is True
        assert database == connections["default"].settings_dict["NAME"]
        assert port == str(connections[standby].settings_dict["PORT"])
        with pytest.raises(DatabaseError, match="read-only"):
            Topic.objects.using(standby).create(name="Never", slug="never")

    def test_a_committed_write_is_read_through_the_router_from_the_standby_once_replayed(self, standby, claim):
        wait_for_replay(standby)
        with queries_on("default", standby) as q:
            response = APIClient().get("/api/claims")
            with connections[standby].cursor() as cursor:  # the connection the request's reads used
                cursor.execute("SELECT pg_is_in_recovery()")
                (in_recovery,) = cursor.fetchone()
        assert in_recovery is True
        assert TEXT in response.content.decode()
        assert data_queries(q[standby])
        assert data_queries(q["default"]) == []

    def test_public_page_is_served_from_the_standby(self, standby, client, claim):
        wait_for_replay(standby)
        with queries_on("default", standby) as q:
            response = client.get(reverse("pages:expert", args=["ana-replica"]))
        assert TEXT in response.content.decode()
        assert data_queries(q[standby])
        assert data_queries(q["default"]) == []

    def test_a_curators_write_and_immediate_read_go_to_the_primary(self, standby, curator):
        # Not even committed: only the primary's connection, the one that wrote, can read it.
        client = APIClient()
        client.force_login(curator)
        with queries_on("default", standby) as q:
            created = client.post("/api/topics", {"slug": "grid-outages", "name": "Grid outages"})
            read = client.get(created.json()["url"])
        assert read.json()["name"] == "Grid outages"
        assert q[standby].captured_queries == []
