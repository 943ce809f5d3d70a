"""The anonymous throttle on Redis decides, and suggests waits, as DRF's does on any cache, in one round trip."""

from __future__ import annotations

import uuid

import pytest
from django.core.cache import caches
from django.test import RequestFactory, override_settings
from rest_framework import throttling as drf_throttling

from claims.api.throttling import AnonRateThrottle

REDIS_URL = "redis://127.0.0.1:6379/9"


@pytest.fixture
def redis_cache():
    prefix = f"test-throttle-{uuid.uuid4().hex}"
    config = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    config["default"]["KEY_PREFIX"] = prefix
    with override_settings(CACHES=config):
        cache = caches["default"]
        try:
            cache.get("ping")
        except Exception as error:  # noqa: BLE001 - no server here: nothing to test against
            pytest.skip(f"no Redis at {REDIS_URL}: {error}")
        yield cache
        client = cache._cache.get_client(write=True)
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)


LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-throttle"}}


@pytest.fixture
def locmem_cache():
    with override_settings(CACHES=LOCMEM):
        caches["default"].clear()
        yield caches["default"]


def decisions(throttle_class, times, *, rate="3/min", address="192.0.2.7"):
    """(allowed, wait) for one request at each of ``times`` (seconds), from one address."""
    clock = [0.0]

    class Throttle(throttle_class):
        timer = staticmethod(lambda: clock[0])

    Throttle.rate = rate
    request = RequestFactory().get("/api/topics", REMOTE_ADDR=address)
    request.user = None
    out = []
    for moment in times:
        clock[0] = moment
        throttle = Throttle()
        allowed = throttle.allow_request(request, None)
        out.append((allowed, None if allowed else throttle.wait()))
    return out


TIMES = [1000.0, 1000.5, 1001.25, 1002.0, 1030.0, 1060.0, 1060.5, 1061.3, 1061.3, 1200.0, 1200.0, 1200.0, 1200.0]


def test_redis_window_decides_and_waits_as_drf(redis_cache):
    ours = decisions(AnonRateThrottle, TIMES)
    # The reference: DRF's own throttle, on a local-memory cache.
    with override_settings(CACHES=LOCMEM):
        reference = decisions(drf_throttling.AnonRateThrottle, TIMES)
    assert ours == reference
    assert [allowed for allowed, _ in ours].count(False) >= 4  # the sequence does test refusals


def test_redis_window_is_one_script_call_not_a_cache_read_and_write(redis_cache, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the history went through the cache API")

    monkeypatch.setattr(type(redis_cache), "get", refuse)
    monkeypatch.setattr(type(redis_cache), "set", refuse)
    assert decisions(AnonRateThrottle, [1.0, 2.0, 3.0], rate="2/min") == [(True, None), (True, None), (False, 58.0)]


def test_addresses_have_separate_windows_on_redis(redis_cache):
    assert decisions(AnonRateThrottle, [1.0, 2.0], rate="1/min", address="192.0.2.1")[1][0] is False
    assert decisions(AnonRateThrottle, [2.0], rate="1/min", address="192.0.2.2") == [(True, None)]


def test_other_caches_take_drfs_path(locmem_cache):
    assert decisions(AnonRateThrottle, TIMES) == decisions(drf_throttling.AnonRateThrottle, TIMES, address="192.0.2.8")


@pytest.mark.throttling
@pytest.mark.django_db
def test_the_api_answers_429_with_retry_after_on_redis(api_client, redis_cache, monkeypatch):
    monkeypatch.setattr(drf_throttling.AnonRateThrottle, "rate", "2/min", raising=False)
    responses = [api_client.get("/api/topics") for _ in range(3)]
    assert [response.status_code for response in responses] == [200, 200, 429]
    assert int(responses[-1]["Retry-After"]) > 0
    assert "throttled" in responses[-1].json()["detail"].lower()
