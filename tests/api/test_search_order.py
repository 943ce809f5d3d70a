"""``q``: the same answers, in the same order, whichever way the keys are read.

A visitor's search by words alone is answered on PostgreSQL from the public search table
(claims.selectors.search.public_search_keys); a curator's, or one with another filter, from the claims
themselves (text_search). Both must give the approved matches by ts_rank, then id, descending, page after
page, forwards and backwards, across ties of rank (the cursor carries the rank as the exact double).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from claims.choices import ReviewStatus
from claims.models import Claim
from claims.selectors.search import PUBLIC_SEARCH_TABLE
from claims.services.claims import claim_review, claim_update
from tests import factories
from tests.factories import claim_with_text

pytestmark = pytest.mark.django_db

URL = "/api/claims"

TEXTS = [
    # ties: one "sanctions" each
    *(f"Sanctions will hold in round {n}" for n in range(7)),
    # higher ranks: the word twice, three times
    "Sanctions upon sanctions, said the minister",
    "Sanctions, sanctions and more sanctioned trade",
    "Sanctions and sanctions again on the regime",
    # unicode, accents and a Cyrillic word
    "Les sanctions contre l'élite — «sévères», dit-il",
    "Санкции: sanctions named in Russian",
    # the words of other searches
    "The regime will survive the talks for years",
    "Talks about talks about sanctions relief",
]
QUERIES = ["sanctions", "sanction", "the sanctions", "sanctions -relief", '"sanctions relief"', "talks", "санкции"]


@pytest.fixture
def corpus(db):
    expert = factories.ExpertFactory(name="Andrei Lankov")
    claims = [claim_with_text(text, expert=expert) for text in TEXTS]
    hidden = [
        claim_with_text("Sanctions awaiting review", expert=expert, status=ReviewStatus.EXTRACTED),
        claim_with_text("Sanctions sanctions rejected", expert=expert, status=ReviewStatus.REJECTED),
    ]
    return claims, hidden


def expected(query: str) -> list[int]:
    """The approved matches by rank and id, descending, computed on claims_claim (the promised order)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.id FROM claims_claim c, websearch_to_tsquery('english', %s) q "
            "WHERE c.text_search @@ q AND c.status = 'approved' ORDER BY ts_rank(c.text_search, q) DESC, c.id DESC",
            [query],
        )
        return [row[0] for row in cursor.fetchall()]


def local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def walk(client, params: dict) -> tuple[list[int], list[int]]:
    """Every page forwards (following next), then backwards from the last (following previous)."""
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    pages = [response.json()]
    most = len(TEXTS) + 3  # pages, at one row a page: a cursor that goes round in circles fails, never hangs
    while pages[-1]["next"] and len(pages) < most:
        pages.append(client.get(local(pages[-1]["next"])).json())
    forwards = [r["id"] for page in pages for r in page["results"]]
    backwards, page = [], pages[-1]
    for _ in range(most):
        backwards[:0] = [r["id"] for r in page["results"]]
        if not page["previous"]:
            break
        page = client.get(local(page["previous"])).json()
    return forwards, backwards


@pytest.mark.postgres
@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("limit", [1, 2, 3, 50])
def test_visitors_and_curators_get_the_promised_order_page_after_page(corpus, curator, query, limit):
    want = expected(query)
    if query in ("sanctions", "sanction"):
        assert len(want) == 13  # the ties, the higher ranks and the unicode texts; not the hidden claims
    visitor = APIClient()
    assert walk(visitor, {"q": query, "limit": limit}) == (want, want)
    curator_client = APIClient()
    curator_client.force_authenticate(curator)
    # A curator's search (every status, so filtered to the approved here) reads the claims themselves.
    assert walk(curator_client, {"q": query, "limit": limit, "status": "approved"}) == (want, want)


@pytest.mark.postgres
def test_relevance_ranks_repeated_words_first_then_ties_by_id(corpus):
    claims, _ = corpus
    ids = [r["id"] for r in APIClient().get(URL, {"q": "sanctions"}).json()["results"]]
    by_text = {c.pk: c.text for c in claims}
    assert by_text[ids[0]] == "Sanctions, sanctions and more sanctioned trade"
    ties = [pk for pk in ids if by_text[pk].startswith("Sanctions will hold")]
    assert ties == sorted(ties, reverse=True) and len(ties) == 7


@pytest.mark.postgres
def test_stop_words_alone_match_nothing(corpus):
    assert APIClient().get(URL, {"q": "the"}).json()["results"] == []
    assert APIClient().get(URL, {"q": "the and"}).json()["results"] == []


@pytest.mark.postgres
def test_reviews_and_edits_show_at_once(corpus, curator):
    claims, (awaiting, rejected) = corpus
    visitor = APIClient()

    def found(query):
        return walk(visitor, {"q": query})[0]

    assert awaiting.pk not in found("sanctions")
    claim_review(claim=awaiting, status=ReviewStatus.APPROVED, user=curator)
    claim_review(claim=Claim.objects.get(pk=claims[0].pk), status=ReviewStatus.REJECTED, user=curator)
    assert awaiting.pk in found("sanctions") and claims[0].pk not in found("sanctions")
    assert found("sanctions") == expected("sanctions")
    edited = claims[6]
    article = edited.article
    start = article.body.index("the expert said")
    claim_update(claim=edited, data={"start": start, "end": start + len("the expert said")}, user=curator)
    assert edited.pk not in found("sanctions") and found("expert") == [edited.pk] == expected("expert")


def reads(queries) -> list[str]:
    """The statements that read claims (not the throttle's cache, nor the savepoints of the test's transaction)."""
    return [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT") and "django_cache" not in q["sql"]
    ]


@pytest.mark.postgres
def test_a_visitors_search_reads_the_public_table_in_two_statements(corpus):
    client = APIClient()
    client.get(URL, {"q": "sanctions"})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"q": "sanctions", "limit": 2})
    assert response.status_code == 200
    keys, records = reads(queries)
    assert PUBLIC_SEARCH_TABLE in keys and "claims_claim" not in keys
    assert PUBLIC_SEARCH_TABLE not in records
    with CaptureQueriesContext(connection) as queries:
        assert client.get(local(response.json()["next"])).status_code == 200
    keys, _ = reads(queries)
    assert PUBLIC_SEARCH_TABLE in keys


@pytest.mark.postgres
def test_other_filters_and_curators_read_the_claims(corpus, curator):
    client = APIClient()
    for params in ({"q": "sanctions", "expert": "lankov"}, {"q": "sanctions", "ordering": "-published_on"}):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, params).status_code == 200
        assert not any(PUBLIC_SEARCH_TABLE in q["sql"] for q in queries.captured_queries), params
    client.force_authenticate(curator)
    with CaptureQueriesContext(connection) as queries:
        results = client.get(URL, {"q": "sanctions"}).json()["results"]
    assert not any(PUBLIC_SEARCH_TABLE in q["sql"] for q in queries.captured_queries)
    assert len(results) == 15  # the awaiting and the rejected claims too


def test_sqlite_and_postgres_agree_on_who_matches(corpus):
    """SQLite has no ranking (every word must occur); the set of matches is the same for plain words."""
    claims, _ = corpus
    found = {r["id"] for r in APIClient().get(URL, {"q": "talks", "limit": 50}).json()["results"]}
    assert found == {c.pk for c in claims if "talks" in c.text.lower()}
