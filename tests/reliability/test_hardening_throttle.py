"""The anonymous throttle counts by the connecting address (not a header the client picks) in a cache every
worker shares."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from rest_framework.throttling import AnonRateThrottle

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.throttling
@pytest.mark.django_db
def test_rotating_x_forwarded_for_does_not_reset_the_count(api_client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "rate", "3/min", raising=False)
    statuses = [api_client.get("/api/topics", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code for i in range(1, 6)]
    assert statuses == [200, 200, 200, 429, 429]


@pytest.mark.throttling
@pytest.mark.django_db
def test_with_one_proxy_the_address_it_appends_is_counted(api_client, monkeypatch, settings):
    from rest_framework.settings import api_settings

    monkeypatch.setattr(AnonRateThrottle, "rate", "2/min", raising=False)
    monkeypatch.setattr(api_settings, "NUM_PROXIES", 1)
    first = [api_client.get("/api/topics", HTTP_X_FORWARDED_FOR="spoofed, 198.51.100.1").status_code for _ in "abc"]
    other = api_client.get("/api/topics", HTTP_X_FORWARDED_FOR="spoofed, 198.51.100.2").status_code
    assert first == [200, 200, 429] and other == 200


def test_num_proxies_defaults_to_zero():
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == 0


def test_the_cache_is_not_per_process():
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend == "django.core.cache.backends.db.DatabaseCache"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_processes_see_one_count():
    """A second process (another gunicorn worker) reads and adds to the count the first one wrote."""
    cache.set("throttle_anon_test", 1)
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    code = (
        "from django.core.cache import cache; "
        "cache.set('throttle_anon_test', cache.get('throttle_anon_test', 0) + 1); "
        "print(cache.get('throttle_anon_test'))"
    )
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SECRET_KEY": "test"}
    env.pop("CACHE_URL", None)
    env.pop("REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2"
    assert cache.get("throttle_anon_test") == 2


@pytest.mark.parametrize(
    ("variables", "backend"),
    [
        ({}, "django.core.cache.backends.db.DatabaseCache"),
        ({"REDIS_URL": "redis://cache:6379/0"}, "django.core.cache.backends.redis.RedisCache"),
        ({"CACHE_URL": "locmemcache://"}, "django.core.cache.backends.locmem.LocMemCache"),
    ],
)
def test_cache_url_picks_the_backend(variables, backend):
    env = {k: v for k, v in os.environ.items() if k not in ("CACHE_URL", "REDIS_URL")}
    env.update(variables, DJANGO_SECRET_KEY="test")
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout.strip() == backend, done.stderr


# -- the HTML pages ------------------------------------------------------------------------------------------------


def _page_urls(expert_slug: str, article_id: int, prediction_id: int) -> list[str]:
    """One address of every public page route (a new route must be added here, or the test below fails)."""
    from claims.pages import site_urls, urls

    routes = {f"{module.app_name}:{pattern.name}" for module in (site_urls, urls) for pattern in module.urlpatterns}
    addresses = {
        "pages:home": "/",
        "pages:claims": "/claims/",
        "pages:expert-names": "/experts/names.json?q=lan",
        "pages:expert": f"/experts/{expert_slug}/",
        "pages:article": f"/articles/{article_id}/",
        "predictions:index": "/predictions/",
        "predictions:detail": f"/predictions/{prediction_id}/",
    }
    assert routes == set(addresses), "every public page is throttled: name the new route here"
    return list(addresses.values())


@pytest.mark.throttling
@pytest.mark.django_db
def test_every_page_is_throttled_like_the_api(client, monkeypatch):
    from tests import factories

    claim = factories.ClaimFactory(kind="prediction")
    prediction = factories.PredictionFactory(claim=claim)
    monkeypatch.setattr(AnonRateThrottle, "rate", "2/min", raising=False)
    for url in _page_urls(claim.expert.slug, claim.article_id, prediction.pk):
        cache.clear()
        statuses = [client.get(url).status_code for _ in range(3)]
        assert statuses == [200, 200, 429], (url, statuses)
        response = client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.9")
        assert response.status_code == 429 and int(response["Retry-After"]) > 0
        assert response["Content-Type"].startswith("text/html")


@pytest.mark.throttling
@pytest.mark.django_db
def test_pages_and_the_api_share_one_allowance(client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "rate", "3/min", raising=False)
    assert [client.get("/api/topics").status_code for _ in range(2)] == [200, 200]
    assert client.get("/claims/").status_code == 200
    assert client.get("/claims/").status_code == 429
    assert client.get("/api/topics").status_code == 429


@pytest.mark.throttling
@pytest.mark.django_db
def test_curators_are_not_throttled_on_pages(client, curator, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "rate", "2/min", raising=False)
    client.force_login(curator)
    assert {client.get("/claims/").status_code for _ in range(4)} == {200}
