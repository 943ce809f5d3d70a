"""Query plans on PostgreSQL: no benchmark scenario reads the claims table sequentially.

A few thousand generated rows, analyzed, are enough for the planner to pick
between an index and a sequential scan the way it does at a million rows when
the query gives it an index to use; the planner settings are left alone.
"""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Expert
from claims.services.synthetic import POPULAR_EXPERT, SyntheticSpec, synthetic_generate

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

SPEC = SyntheticSpec(experts=400, organizations=40, articles=1500, claims=6000, outlets=10, seed=3)


def plan_nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", ()):
        yield from plan_nodes(child)


def claim_table_scans(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        (document,) = cursor.fetchone()
    plan = (json.loads(document) if isinstance(document, str) else document)[0]["Plan"]
    return [node["Node Type"] for node in plan_nodes(plan) if node.get("Relation Name") == "claims_claim"]


@pytest.fixture
def analyzed(db):
    synthetic_generate(spec=SPEC)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def scenario_paths(client) -> list[str]:
    """The API scenarios but the track record (it reads no claim: test_the_track_record_reads_the_stored_counts)."""
    deep = "/api/claims?expert=Lankov&limit=5"
    for _ in range(5):  # a few pages in: the keyset condition must keep the index
        deep = client.get(deep).json()["next"]
    return [
        "/api/claims?expert=Lankov",
        "/api/claims?expert=Quorrington",
        deep,
        "/api/claims",
        # Not "/api/claims?q=sanctions": since ranking reads a stored tsvector
        # (migration 0005), scanning a few thousand rows is cheaper than the GIN
        # index and the planner rightly scans them; at 1,000,000 claims it takes
        # the bitmap index scan (docs/performance.md), and
        # test_name_and_text_filters_use_their_indexes checks the index serves it.
        "/api/claims?expert=kim",  # several experts: one index scan each
        "/api/experts?name=kim",
    ]


def page_paths() -> list[str]:
    """The public pages of the benchmark (the claims search by name: by words, as above, the planner rightly scans
    a table this small). /predictions/ is no scenario: its count of every visible prediction joins the claims."""
    slug = Expert.objects.get(name=POPULAR_EXPERT).slug
    return ["/", f"/experts/{slug}/", "/claims/?expert=Lankov"]


def test_no_scenario_scans_the_claims_table(api_client, analyzed):
    for path in scenario_paths(api_client):
        with CaptureQueriesContext(connection) as queries:
            response = api_client.get(path)
        assert response.status_code == 200, path
        touched = [q["sql"] for q in queries.captured_queries if '"claims_claim"' in q["sql"]]
        assert touched, path
        for sql in touched:
            scans = claim_table_scans(sql)
            assert "Seq Scan" not in scans, f"{path}: {scans}\n{sql}"


def test_no_page_scans_the_claims_table(client, analyzed):
    for path in page_paths():
        client.get(path)  # the home page caches its counts (five minutes): measured as served, warm
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, path
        for sql in (q["sql"] for q in queries.captured_queries if '"claims_claim"' in q["sql"]):
            scans = claim_table_scans(sql)
            assert "Seq Scan" not in scans, f"{path}: {scans}\n{sql}"


def plan_of(sql: str) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        (document,) = cursor.fetchone()
    return (json.loads(document) if isinstance(document, str) else document)[0]["Plan"]


def test_the_track_record_reads_the_stored_counts_by_index(api_client, analyzed):
    popular = Expert.objects.get(name=POPULAR_EXPERT).pk
    with CaptureQueriesContext(connection) as queries:
        assert api_client.get(f"/api/experts/{popular}/track-record").status_code == 200
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    counted = [sql for sql in reads if '"claims_trackrecordcount"' in sql]
    assert counted, reads
    # Never the predictions: a few rows of counts, whatever the number of forecasts (the claims only to find
    # whether the expert is public, by index).
    assert not [sql for sql in reads if '"claims_prediction"' in sql], reads
    for sql in (sql for sql in reads if '"claims_claim"' in sql):
        assert "Seq Scan" not in claim_table_scans(sql), sql
    for sql in counted:
        nodes = [n for n in plan_nodes(plan_of(sql)) if n.get("Relation Name") == "claims_trackrecordcount"]
        assert nodes and all(n["Node Type"] != "Seq Scan" for n in nodes), [n["Node Type"] for n in nodes]


def test_name_and_text_filters_use_their_indexes(analyzed):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # on a table this small only the index's existence is checked
        cursor.execute("EXPLAIN SELECT expert_id FROM claims_alias WHERE match_key LIKE '%lankov%'")
        alias_plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(
            "EXPLAIN SELECT id FROM claims_claim WHERE text_search "
            "@@ websearch_to_tsquery('english'::regconfig, 'sanctions')"
        )
        text_plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'claims_alias'")
        alias_indexes = {row[0] for row in cursor.fetchall()}
    # At 25,000 aliases the trigram index serves the name (docs/performance.md); at 500 any index may.
    assert "claims_alias_match_key_trgm" in alias_indexes and "Seq Scan" not in alias_plan
    assert "claims_claim_text_search" in text_plan


def test_the_expert_pages_forecasts_are_planned_for_their_expert(client, analyzed):
    """The forecasts statement carries the expert's id in its text, not as a parameter: once psycopg prepares it,
    PostgreSQL's plan for any value (the generic plan) assumed an expert of average size, and for the most quoted
    read all their claims and sorted them (50 ms for Andrei Lankov at 1,000,000 claims, against 2 ms walking his
    claims newest first; docs/performance.md). At this size both plans are the same, so the text is checked."""
    expert = Expert.objects.get(name=POPULAR_EXPERT)
    sent = []

    def record(execute, sql, params, many, context):
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert client.get(f"/experts/{expert.slug}/").status_code == 200
    (sql, params), *others = [(sql, params) for sql, params in sent if sql.startswith('SELECT "claims_prediction"')]
    assert not others
    assert f'"claims_claim"."expert_id" = ({expert.pk}))' in sql, sql
    assert expert.pk not in params and str(expert.pk) not in map(str, params), params
