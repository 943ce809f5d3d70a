"""The anonymous throttle: DRF's sliding window, counted in one round trip when the shared cache is Redis.

DRF's ``AnonRateThrottle`` reads the client's history (a list of timestamps) from the cache, drops the
expired ones, and writes the list back: two round trips, a pickled list of up to ``rate`` floats each
way, and on the database cache (the default) about six statements in a transaction. On Redis
(``CACHE_URL``/``REDIS_URL``, Django's RedisCache) this throttle keeps the same window as a sorted set
and does the same steps in one Lua script, so a request costs one round trip whatever the rate; the
decisions and the suggested wait (Retry-After) are DRF's (tests/api/test_throttling.py). Any other
cache takes DRF's path unchanged.
"""

from __future__ import annotations

import itertools
import os

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache import cache as default_cache
from django.core.cache.backends.redis import RedisCache
from rest_framework import throttling

__all__ = ["COUNTED", "AnonRateThrottle"]

# Set in the WSGI environ by claims.api.fastpath when it has counted (and allowed) a request that it then hands
# to Django's path after all: that request is not counted twice. (Not a header: a client cannot send it.)
COUNTED = "claims.throttle_counted"

# KEYS[1]: the window; ARGV: now, duration (s), limit, a unique member. Returns {allowed, count, oldest}:
# count and oldest describe the window after the request, as DRF's history does (len, history[-1]).
WINDOW_SCRIPT = """
local now = tonumber(ARGV[1])
local duration = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - duration)
local count = redis.call('ZCARD', KEYS[1])
local allowed = 0
if count < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
  redis.call('EXPIRE', KEYS[1], math.ceil(duration))
  count = count + 1
  allowed = 1
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2] or ARGV[1]
return {allowed, count, oldest}
"""

# Members of one window must differ even when two requests share a timestamp.
_members = itertools.count()
_scripts: dict[int, object] = {}


def _window_script(client):
    script = _scripts.get(id(client))
    if script is None:
        script = _scripts[id(client)] = client.register_script(WINDOW_SCRIPT)
    return script


def _backend(cache):
    """The cache behind a throttle's ``cache`` attribute (DRF's is a proxy to the default cache)."""
    return caches[DEFAULT_CACHE_ALIAS] if cache is default_cache else cache


class AnonRateThrottle(throttling.AnonRateThrottle):
    def allow_request(self, request, view):
        if request.META.get(COUNTED):
            return True
        backend = _backend(self.cache)
        if not isinstance(backend, RedisCache):
            return super().allow_request(request, view)
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        key = backend.make_and_validate_key(f"{self.key}:window")
        client = backend._cache.get_client(key, write=True)
        member = f"{self.now!r}:{os.getpid()}:{next(_members)}"
        allowed, count, oldest = _window_script(client)(
            keys=[key], args=[repr(self.now), self.duration, self.num_requests, member]
        )
        self._window = (int(count), float(oldest))
        return bool(allowed)

    def wait(self):
        window = getattr(self, "_window", None)
        if window is None:
            return super().wait()
        count, oldest = window
        # DRF's formula, with its history's length and oldest entry.
        remaining_duration = self.duration - (self.now - oldest) if count else self.duration
        available_requests = self.num_requests - count + 1
        if available_requests <= 0:
            return None
        return remaining_duration / float(available_requests)
