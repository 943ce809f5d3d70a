"""Anonymous requests that made PostgreSQL (or the process) fail answer 200 or 400 in the JSON error shape."""

from __future__ import annotations

import pytest

from claims.domain.names import MAX_QUERY_PARTS
from claims.selectors.search import _alias_ids_sql

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("dashes", [40, 400, 4000])
@pytest.mark.parametrize("url", ["/api/claims", "/api/articles"])
def test_a_search_of_many_dashes_is_no_server_error(world, api_client, url, dashes):
    response = api_client.get(url, {"q": "sanctions " + "-" * dashes})
    assert response.status_code in (200, 400), response.content
    if response.status_code == 400:
        assert "detail" in response.json()


def test_csv_ordered_by_claim_count_with_a_distinct_filter(world, api_client):
    response = api_client.get("/api/experts", {"format": "csv", "ordering": "claim_count", "organization": "zzz"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[0].startswith("id,")
    response = api_client.get("/api/experts", {"format": "csv", "ordering": "-claim_count", "organization": "KINU"})
    rows = b"".join(response.streaming_content).decode().splitlines()
    assert len(rows) >= 2 and "Cho Han-bum" in rows[1]


def test_name_searches_keep_a_bounded_number_of_compiled_statements(world, api_client):
    """The statement cache of the name filters is keyed by the number of parts, which the filters cap."""
    _alias_ids_sql.cache_clear()
    for parts in range(1, 3 * MAX_QUERY_PARTS):
        api_client.get("/api/claims", {"expert": " ".join(["lankov"] * parts)})
    assert _alias_ids_sql.cache_info().currsize <= MAX_QUERY_PARTS
    assert _alias_ids_sql.cache_info().maxsize is not None
