"""The fast path of the hot anonymous reads (claims.api.fastpath) answers exactly what Django's path answers.

Every request goes through ``FastListReads(WSGIHandler())`` (what project/wsgi.py serves) and through Django's
handler alone; status, every header in order, and the body must be the same bytes. On PostgreSQL the hot URLs
must be answered by the fast path (so that it cannot silently stop being taken); on SQLite every request falls
through.
"""

from __future__ import annotations

import base64
import datetime
import itertools
import json

import pytest
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from rest_framework import throttling as drf_throttling

from claims.api.fastpath import KNOWN_MIDDLEWARE, FastListReads
from claims.models import Expert
from tests import factories

# The claims and experts URLs of the list tests, then generated combinations.
COLLECTED = [
    "/api/claims",
    "/api/claims/",
    "/api/claims/?expert=Lankov",
    "/api/claims?expert=Lankov",
    "/api/claims?expert=Lankov&limit=5",
    "/api/claims?expert=Quorrington",
    "/api/claims?expert=kim",
    "/api/claims?expert=kim+test&limit=2",
    "/api/claims?expert=lankov&outlet=bbc",
    "/api/claims?expert=lankov&outlet=bbc&format=csv",
    "/api/claims?format=api",
    "/api/claims?format=csv",
    "/api/claims?format=csv&limit=1",
    "/api/claims?format=json",
    "/api/claims?format=xml",
    "/api/claims?limit=1",
    "/api/claims?limit=2",
    "/api/claims?q=sanctions",
    "/api/claims?speker=Lankov",
    "/api/claims?status=extracted",
    "/api/experts",
    "/api/experts?limit=1",
    "/api/experts?limit=2",
    "/api/experts?name=cho",
    "/api/experts?name=kim",
    "/api/experts?name=lankov",
    "/api/experts?ordering=-claim_count&limit=1",
]
NAMES = ["", "Lankov", "lankov", "andrei lankov", "Choi", "ryong hae choi", "nobody", "  ", "a b c d e f g h i j k l m"]
LIMITS = [None, "1", "2", "50", "200", "0", "201", "-1", "x", "1.5", ""]
BAD = [
    "?cursor=",
    "?cursor=not-base64!",
    "?cursor=" + base64.urlsafe_b64encode(b'{"o": "-id", "v": 1, "id": 1, "r": false}').decode(),
    "?cursor=" + base64.urlsafe_b64encode(b'{"o": "-published_on", "v": "x", "id": 1, "r": false}').decode(),
    "?limit=1&limit=2",
    "?expert=a&expert=b",
    "?offset=10",
    "?format=json&format=json",
    "?format=csv-excel",
    "?format=jsonld",
    "?format=",
    "?ordering=id",
    "?%ff=1",
    "?expert=%00",
    "?name=%00",
    "?limit=%00",
]
ACCEPTS = [
    None,
    "*/*",
    "application/json",
    "application/json; indent=2",
    "application/json;q=0.9, */*;q=0.1",
    "text/csv",
    "text/html",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "application/xml",
    "image/png",
]


def generated_urls() -> list[str]:
    urls = []
    for name, limit in itertools.product(NAMES, LIMITS):
        query = "&".join(
            part for part in (f"expert={name}" if name else "", f"limit={limit}" if limit is not None else "") if part
        )
        urls.append(f"/api/claims?{query}" if query else "/api/claims")
        urls.append(f"/api/experts?{query.replace('expert=', 'name=')}" if query else "/api/experts/")
    for list_path, bad in itertools.product(("/api/claims", "/api/experts"), BAD):
        urls.append(list_path + bad)
    return urls


def environ(path: str, *, method: str = "GET", accept: str | None = "application/json", **headers) -> dict:
    """A WSGI environ for ``path`` with exactly the headers given (RequestFactory adds a Cookie header: removed)."""
    meta = dict(headers)
    if accept is not None:
        meta["HTTP_ACCEPT"] = accept
    env = RequestFactory().generic(method, path, **meta).environ
    if "HTTP_COOKIE" not in headers:
        env.pop("HTTP_COOKIE", None)
    return env


def call(application, env: dict) -> tuple[str, list, bytes]:
    answer = []
    result = application(dict(env), lambda status, headers, exc_info=None: answer.append((status, headers)))
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return answer[0][0], answer[0][1], body


LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-fastpath"}}


@pytest.fixture
def unthrottled(monkeypatch):
    """A rate that the many requests of a test never reach (the throttle itself is compared below)."""
    monkeypatch.setattr(drf_throttling.AnonRateThrottle, "rate", "1000000/min", raising=False)


@pytest.fixture(autouse=True)
def _connections_kept():
    """As the test client does: the request signals do not close the test's connection (inside its transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def both():
    """(the served application, Django's alone)."""
    return FastListReads(WSGIHandler()), WSGIHandler()


def comparable(answer):
    """An answer as compared: the browsable API's HTML page carries a new CSRF token (and cookie) each time, so
    of an HTML answer (always Django's: the fast path answers JSON only) the status and header names count."""
    status, headers, body = answer
    if dict(headers).get("Content-Type", "").startswith("text/html"):
        return status, sorted(name for name, _ in headers)
    return answer


def assert_same(both, env):
    fast, django = both
    expected = call(django, env)
    first = call(fast, env)  # may be Django's answer (the first 200 of a list teaches the fast path its headers)
    second = call(fast, env)
    where = env["PATH_INFO"] + "?" + env["QUERY_STRING"]
    assert comparable(first) == comparable(expected), where
    assert comparable(second) == comparable(expected), where
    return expected


def next_links(body: bytes) -> list[str]:
    try:
        data = json.loads(body)
    except ValueError:
        return []
    if not isinstance(data, dict):
        return []
    return [link.split("testserver", 1)[1] for link in (data.get("next"), data.get("previous")) if link]


@pytest.mark.django_db
def test_every_collected_and_generated_url_answers_the_same(world, unthrottled, both):
    seen = set()
    queue = [*COLLECTED, *generated_urls()]
    while queue:
        url = queue.pop()
        if url in seen or len(seen) > 400:
            continue
        seen.add(url)
        status, _, body = assert_same(both, environ(url))
        if status.startswith("200"):
            queue += next_links(body)  # every page reached by next and previous links, cursors included
    if connection.vendor == "postgresql":
        assert both[0].answered > 150  # most of the 200s were the fast path's


TRACK_RECORD_QUERIES = [
    "",
    "/",
    "?format=json",
    "?format=csv",
    "?format=api",
    "?format=",
    "?bogus=1",
    "?format=json&format=json",
]


@pytest.mark.django_db
def test_track_records_answer_the_same_computed_stored_and_after_a_write(forecasts, curator, unthrottled, both):
    """Django's path computes and stores each record first; the fast path then serves the stored one."""
    from claims.services.predictions import prediction_resolve

    fast, _ = both
    experts = [forecasts.lankov, forecasts.cho, forecasts.park]
    paths = [f"/api/experts/{expert.pk}/track-record" for expert in experts]
    unknown = ["999999", "0", "1x", "99999999999999999999999"]
    paths += [f"/api/experts/{pk}/track-record" for pk in unknown]
    for path, query in itertools.product(paths, TRACK_RECORD_QUERIES):
        assert_same(both, environ(path + query))
    for path, accept in itertools.product(paths[:2], ACCEPTS):
        assert_same(both, environ(path, accept=accept))
    answered = fast.answered
    pending = factories.make_prediction(
        "Lankov expects a thaw", expert=forecasts.lankov, made=datetime.date(2020, 1, 1), hedge="likely"
    )
    before = call(fast, environ(paths[0]))  # stored again by the fast path, after the new forecast
    prediction_resolve(prediction=pending, outcome="came_true", events=[forecasts.veto], user=curator, note="Thaw.")
    after = assert_same(both, environ(paths[0]))
    assert json.loads(after[2])["overall"]["came_true"] == json.loads(before[2])["overall"]["came_true"] + 1
    if connection.vendor == "postgresql":
        assert answered >= 3 * (2 * 3 + len(ACCEPTS[:3]))  # most of the 200s were the fast path's
        assert fast.answered - answered == 3  # before, and after twice
    else:
        assert fast.answered == 0


@pytest.mark.django_db
def test_pages_walked_by_cursor_answer_the_same(unthrottled, both):
    expert = factories.ExpertFactory(name="Paged Person", aliases=["Pagey"])
    for n in range(7):
        day = datetime.date(2020, 1, 1 + n % 3)  # equal dates: the id breaks the ties
        factories.claim_with_text(f"Claim {n} \u2028 q \u00e9 \U0001f600", expert=expert, published_on=day)
    for list_path in ("/api/claims?expert=paged&limit=2", "/api/experts?limit=1", "/api/claims?limit=3"):
        url, pages = list_path, 0
        while url and pages < 12:
            _, _, body = assert_same(both, environ(url))
            links = json.loads(body)
            for link in (links["previous"],):
                if link:
                    assert_same(both, environ(link.split("testserver", 1)[1]))
            url = links["next"] and links["next"].split("testserver", 1)[1]
            pages += 1


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ACCEPTS)
@pytest.mark.parametrize("path", ["/api/claims", "/api/claims?format=json", "/api/experts?name=lankov&limit=1"])
def test_every_accept_header_answers_the_same(world, unthrottled, both, path, accept):
    assert_same(both, environ(path, accept=accept))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_COOKIE": "unrelated=1"},
        {"HTTP_COOKIE": "sessionid=nonsense"},
        {"HTTP_AUTHORIZATION": "Token wrong"},
        {"HTTP_AUTHORIZATION": "Bearer wrong"},
        {"HTTP_AUTHORIZATION": ""},
        {"HTTP_HOST": "evil.example"},
        {"HTTP_X_FORWARDED_FOR": "192.0.2.1"},
        {"CONTENT_LENGTH": "5", "wsgi.input": None},
        {"wsgi.url_scheme": "https"},
    ],
)
def test_cookies_credentials_hosts_and_schemes_answer_the_same(world, unthrottled, both, headers):
    import io

    headers = dict(headers)
    if "wsgi.input" in headers:
        headers["wsgi.input"] = io.BytesIO(b"hello")
    for path in ("/api/claims", "/api/experts?name=lankov"):
        env = environ(path, **{k: v for k, v in headers.items() if k.startswith("HTTP_")})
        env.update({k: v for k, v in headers.items() if not k.startswith("HTTP_")})
        fast, django = both
        expected = call(django, dict(env, **({"wsgi.input": io.BytesIO(b"hello")} if "CONTENT_LENGTH" in env else {})))
        for _ in range(2):
            if "CONTENT_LENGTH" in env:
                env["wsgi.input"] = io.BytesIO(b"hello")
            assert call(fast, env) == expected


@pytest.mark.django_db
def test_a_token_reads_as_its_curator_not_through_the_fast_path(world, curator_token, unthrottled, both):
    fast, _ = both
    env = environ("/api/claims", HTTP_AUTHORIZATION=f"Token {curator_token}")
    assert_same(both, env)
    assert fast.answered == 0


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["HEAD", "OPTIONS", "POST"])
def test_other_methods_answer_the_same(world, unthrottled, both, method):
    fast, _ = both
    assert_same(both, environ("/api/claims", method=method))
    assert fast.answered == 0


@pytest.mark.django_db
def test_the_hot_urls_take_the_fast_path_on_postgres(world, unthrottled, both):
    fast, _ = both
    hot = ["/api/claims", "/api/claims?expert=Lankov", "/api/experts?name=lankov", "/api/claims?limit=2&format=json"]
    for url in hot:
        assert_same(both, environ(url))
        assert_same(both, environ(url, accept=None))
    if connection.vendor == "postgresql":
        assert fast.enabled()
        # Per list and scheme, the first answer is Django's (its headers are kept); all the others are the fast path's.
        assert fast.answered == 2 * 2 * len(hot) - 2
    else:
        assert not fast.enabled() and fast.answered == 0


def test_the_fast_path_knows_the_served_middleware():
    """A change to MIDDLEWARE turns the fast path off until its checks (claims.api.fastpath) are reviewed."""
    from django.conf import settings

    assert tuple(settings.MIDDLEWARE) == KNOWN_MIDDLEWARE


@pytest.mark.django_db
def test_other_middleware_turns_the_fast_path_off(world, unthrottled, settings):
    settings.MIDDLEWARE = [*KNOWN_MIDDLEWARE[:-1]]
    fast = FastListReads(WSGIHandler())
    for _ in range(3):
        assert call(fast, environ("/api/claims"))[0] == "200 OK"
    assert fast.answered == 0


@pytest.mark.django_db
@pytest.mark.throttling
def test_throttling_counts_and_answers_the_same(world, monkeypatch, settings, both):
    settings.CACHES = LOCMEM
    monkeypatch.setattr(drf_throttling.AnonRateThrottle, "rate", "4/min", raising=False)
    fast, django = both
    answers = {}
    for name, application in (("django", django), ("fast", fast)):
        cache.clear()
        answers[name] = [call(application, environ("/api/claims?limit=1")) for _ in range(6)]
        answers[name].append(call(application, environ("/api/claims?limit=zero")))
    for expected, got in zip(answers["django"], answers["fast"], strict=True):
        assert got[0] == expected[0]
        # Retry-After and the message count seconds from the first request: equal up to a second's rounding.
        assert [h for h in got[1] if h[0] != "Retry-After"] == [h for h in expected[1] if h[0] != "Retry-After"]
    assert [a[0] for a in answers["fast"]] == ["200 OK"] * 4 + ["429 Too Many Requests"] * 3
    if connection.vendor == "postgresql":
        assert fast.answered == 3  # the first was Django's, which taught the headers


@pytest.mark.django_db
@pytest.mark.throttling
def test_a_request_handed_over_after_counting_is_counted_once(world, monkeypatch, settings, both):
    """An invalid cursor is found by the view after the throttle counted it: Django's path answers the 400.

    (On a local-memory cache: in a test's transaction, an error response rolls back the savepoint around the view,
    and with it the database cache's counter, which autocommit keeps in service.)
    """
    settings.CACHES = LOCMEM
    monkeypatch.setattr(drf_throttling.AnonRateThrottle, "rate", "3/min", raising=False)
    fast, _ = both
    cache.clear()
    statuses = [call(fast, environ(url))[0] for url in ["/api/claims", "/api/claims?cursor=bad", "/api/claims"]]
    statuses.append(call(fast, environ("/api/claims"))[0])
    assert statuses == ["200 OK", "400 Bad Request", "200 OK", "429 Too Many Requests"]


@pytest.mark.django_db
def test_query_counts(world, unthrottled, both):
    """The fast path runs the view's statements and nothing else (the throttle's counters aside)."""
    fast, django = both
    lankov = Expert.objects.get(name="Andrei Lankov").pk
    for url, expected in [
        ("/api/claims", 2),
        ("/api/claims?expert=Lankov", 3),
        ("/api/experts?name=lankov", 2),
        (f"/api/experts/{lankov}/track-record", 1),  # stored by the first request
    ]:
        call(fast, environ(url))  # Django's answer, which teaches the headers
        counts = []
        for application in (django, fast):
            with CaptureQueriesContext(connection) as queries:
                call(application, environ(url))
            # The statements but the throttle's counters (the cache table) and savepoints (named afresh each time).
            counts.append([q["sql"] for q in queries if "cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]])
        assert counts[0] == counts[1]
        if connection.vendor == "postgresql":
            assert len(counts[1]) == expected, counts[1]


@pytest.mark.django_db
def test_key_plans_are_kept_per_query_string_and_used_while_their_lookups_agree(world, unthrottled, both):
    """BulkListMixin.page_keys: a query string whose FilterSet read nothing but recorded lookups (the expert's ids)
    is planned once (PostgreSQL); its next request answers the same without a FilterSet while the lookups give the
    same results, and with one when they do not (a new expert matches the name); a 400 is never kept."""
    from claims.api.views import base
    from claims.filtersets import ClaimFilterSet

    fast, django = both
    for url in ["/api/claims?limit=2", "/api/experts?name=lankov", "/api/claims?expert=Lankov", "/api/claims?limit=0"]:
        assert_same(both, environ(url))
    kept = sorted(query for (_, _, _, query) in base._KEY_PLANS)
    if connection.vendor != "postgresql":
        assert kept == []
        return
    assert kept == [(("expert", ("Lankov",)),), (("limit", ("2",)),), (("name", ("lankov",)),)]  # not limit=0
    built = []
    original = ClaimFilterSet.__init__

    def spy(self, *args, **kwargs):
        built.append(self)
        original(self, *args, **kwargs)

    ClaimFilterSet.__init__ = spy
    try:
        planned = call(django, environ("/api/claims?expert=Lankov"))
        assert built == []
        newcomer = factories.ExpertFactory(name="Lankova Newcomer")
        factories.claim_with_text("A newcomer's claim.", expert=newcomer, published_on=datetime.date(2030, 1, 1))
        changed = call(django, environ("/api/claims?expert=Lankov"))
        assert len(built) == 1  # the ids looked up differ: the FilterSet filters again
    finally:
        ClaimFilterSet.__init__ = original
    assert b"A newcomer" in changed[2] and b"A newcomer" not in planned[2]
    base._KEY_PLANS.clear()
    assert call(django, environ("/api/claims?expert=Lankov")) == changed
    assert call(fast, environ("/api/claims?expert=Lankov")) == changed


@pytest.mark.django_db
def test_an_exception_before_the_view_answers_as_django_answers_it(world, unthrottled, monkeypatch, both):
    """A throttle whose cache fails (here: raises) is Django's to answer (its JSON 500), on both paths."""
    from claims.api.throttling import AnonRateThrottle

    assert_same(both, environ("/api/claims"))  # the headers are known: the next request is the fast path's

    def broken(self, request, view):
        raise RuntimeError("cache down")

    monkeypatch.setattr(AnonRateThrottle, "allow_request", broken)
    fast, django = both
    expected = call(django, environ("/api/claims"))
    assert expected[0].startswith("500")
    assert call(fast, environ("/api/claims")) == expected
