"""Fetching pages and feeds over HTTP, politely: I/O only, no models.

    fetcher = Fetcher()                      # one per run: it caches robots.txt and paces hosts
    fetched = fetcher.fetch(url)             # -> Fetched, or raises FetchError
    page = read_webpage(fetched.content, url=fetched.url, content_type=fetched.content_type)

Every failure is a ``FetchError`` with a plain reason and whether trying again later may
help (``transient``): DNS and connection errors, timeouts, 429/503 (with Retry-After)
and 5xx are transient; 404, not HTML, too large, disallowed by robots.txt and too many
redirects are not.
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import socket
import threading
import time
import tomllib
import urllib.robotparser
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from functools import cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

__all__ = ["FEED_TYPES", "HTML_TYPES", "FetchError", "Fetched", "Fetcher", "fetch", "user_agent"]

HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = (
    "application/rss+xml",
    "application/x-rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
    "application/rdf+xml",
)
PROJECT_URL = "https://github.com/expert-claims/expert-claims"


@cache
def user_agent() -> str:
    """``expert-claims/0.1.0 (+https://...)``: the name and version come from pyproject.toml."""
    try:
        project = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())["project"]
        name, version = project["name"], project["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        name, version = "expert-claims", "0"
    return f"{name}/{version} (+{PROJECT_URL})"


class FetchError(Exception):
    """A fetch that failed, with the reason in plain words and whether it may work later."""

    def __init__(
        self, reason: str, *, url: str, transient: bool, status: int | None = None, retry_after: float | None = None
    ):
        super().__init__(reason)
        self.reason = reason
        self.url = url
        self.transient = transient
        self.status = status
        self.retry_after = retry_after  # seconds, when the server said


@dataclass(frozen=True)
class Fetched:
    url: str  # the final address, after redirects
    requested_url: str
    status: int
    content_type: str
    content: bytes
    fetched_at: datetime.datetime
    sha256: str
    redirects: tuple[str, ...] = ()
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        """A conditional request answered 304: nothing new since the ETag or date sent."""
        return self.status == 304

    @property
    def is_feed(self) -> bool:
        return _mime(self.content_type) in FEED_TYPES


def _mime(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, (when - datetime.datetime.now(datetime.UTC)).total_seconds())


@dataclass
class Fetcher:
    """Fetches with timeouts, a size cap, bounded redirects, robots.txt and a per-host delay."""

    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    host_delay: float = 1.0  # seconds between two requests to one host
    accept: tuple[str, ...] = HTML_TYPES + FEED_TYPES
    respect_robots: bool = True
    # False for addresses given by web users (the admin, the API): loopback, private, link-local and
    # reserved addresses (this server, its network, cloud metadata) are refused, at every redirect too.
    allow_private: bool = True
    transport: httpx.BaseTransport | None = None
    _robots: dict[str, urllib.robotparser.RobotFileParser] = field(default_factory=dict, repr=False)
    _last_request: dict[str, float] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _client(self) -> httpx.Client:
        return httpx.Client(
            timeout=httpx.Timeout(self.read_timeout, connect=self.connect_timeout),
            follow_redirects=False,
            headers={"User-Agent": user_agent(), "Accept": ", ".join(self.accept) + ", */*;q=0.1"},
            transport=self.transport,
        )

    def _wait_turn(self, host: str) -> None:
        with self._lock:
            last = self._last_request.get(host)
            now = time.monotonic()
            wait = 0.0 if last is None else max(0.0, last + self.host_delay - now)
            self._last_request[host] = now + wait
        if wait:
            time.sleep(wait)

    def _check_robots(self, client: httpx.Client, url: str) -> None:
        """Raise unless robots.txt lets us fetch ``url``. It is read once per scheme and host; a missing
        one (4xx) allows everything; one that cannot be read (5xx, network error) allows nothing,
        as a transient failure, and is asked again next time."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            robots_url = origin + "/robots.txt"
            parser = urllib.robotparser.RobotFileParser(robots_url)
            self._wait_turn(parts.netloc)
            try:
                response = client.get(robots_url, follow_redirects=True)
            except httpx.HTTPError as exc:
                raise FetchError(
                    f"robots.txt cannot be read ({exc.__class__.__name__})", url=url, transient=True
                ) from None
            if response.status_code >= 500:
                raise FetchError(f"robots.txt cannot be read ({response.status_code})", url=url, transient=True)
            if response.status_code >= 400:
                parser.allow_all = True
            else:
                parser.parse(response.text[:500_000].splitlines())
            self._robots[origin] = parser
        if not self._robots[origin].can_fetch(user_agent(), url):
            raise FetchError("disallowed by robots.txt", url=url, transient=False)

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """GET ``url`` (following at most ``max_redirects`` redirects); raise ``FetchError`` on any failure.

        With ``etag`` or ``last_modified`` (from an earlier fetch) the request is conditional, and an
        unchanged resource comes back as a ``Fetched`` with status 304 and no content.
        """
        conditional = {}
        if etag:
            conditional["If-None-Match"] = etag
        if last_modified:
            conditional["If-Modified-Since"] = last_modified
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"not a web address: {url!r}", url=url, transient=False)
        redirects: list[str] = []
        current = url
        with self._client() as client:
            while True:
                if not self.allow_private:
                    _check_public(current)
                if self.respect_robots:
                    self._check_robots(client, current)
                self._wait_turn(urlsplit(current).netloc)
                response, content = self._get(client, current, conditional)
                if response.is_redirect and response.status_code != 304:  # 304 Not Modified is no redirect
                    location = response.headers.get("Location")
                    if not location:
                        raise FetchError("a redirect with no Location", url=current, transient=False)
                    if len(redirects) >= self.max_redirects:
                        raise FetchError(
                            f"too many redirects (more than {self.max_redirects})", url=url, transient=False
                        )
                    current = urljoin(current, location)
                    if urlsplit(current).scheme not in ("http", "https"):
                        raise FetchError(f"redirected to a non-web address: {current!r}", url=url, transient=False)
                    redirects.append(current)
                    continue
                break
        return self._result(url, current, response, content, tuple(redirects))

    def _get(self, client: httpx.Client, url: str, headers: dict | None = None) -> tuple[httpx.Response, bytes]:
        try:
            with client.stream("GET", url, headers=headers) as response:
                if response.is_redirect or response.status_code != 200:
                    return response, b""
                declared = response.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > self.max_bytes:
                    raise self._too_large(url)
                if _mime(response.headers.get("Content-Type")) not in self.accept:
                    return response, b""
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise self._too_large(url)
                    chunks.append(chunk)
                return response, b"".join(chunks)
        except httpx.ConnectTimeout:
            raise FetchError("timed out connecting", url=url, transient=True) from None
        except httpx.TimeoutException:
            raise FetchError("timed out reading the response", url=url, transient=True) from None
        except httpx.ConnectError as exc:
            reason = "DNS lookup failed" if _is_dns_error(exc) else f"cannot connect ({exc})"
            raise FetchError(reason, url=url, transient=True) from None
        except httpx.HTTPError as exc:
            raise FetchError(f"network error ({exc.__class__.__name__}: {exc})", url=url, transient=True) from None

    def _too_large(self, url: str) -> FetchError:
        return FetchError(f"too large (over {self.max_bytes:,} bytes)", url=url, transient=False)

    def _result(
        self, requested: str, url: str, response: httpx.Response, content: bytes, redirects: tuple[str, ...]
    ) -> Fetched:
        status = response.status_code
        if status == 304:
            return Fetched(
                url=url,
                requested_url=requested,
                status=status,
                content_type="",
                content=b"",
                fetched_at=datetime.datetime.now(datetime.UTC),
                sha256=hashlib.sha256(b"").hexdigest(),
                redirects=redirects,
                etag=response.headers.get("ETag"),
                last_modified=response.headers.get("Last-Modified"),
            )
        if status in (429, 503):
            wait = _retry_after(response.headers.get("Retry-After"))
            after = f", retry after {wait:.0f} s" if wait is not None else ""
            raise FetchError(
                f"{status} {response.reason_phrase}{after}", url=url, transient=True, status=status, retry_after=wait
            )
        if status != 200:
            raise FetchError(f"{status} {response.reason_phrase}", url=url, transient=status >= 500, status=status)
        content_type = response.headers.get("Content-Type", "")
        if _mime(content_type) not in self.accept:
            raise FetchError(
                f"not HTML or a feed (the content type is {_mime(content_type) or 'missing'})",
                url=url,
                transient=False,
                status=status,
            )
        return Fetched(
            url=url,
            requested_url=requested,
            status=status,
            content_type=content_type,
            content=content,
            fetched_at=datetime.datetime.now(datetime.UTC),
            sha256=hashlib.sha256(content).hexdigest(),
            redirects=redirects,
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
        )


def _check_public(url: str) -> None:
    """Raise unless every address the host name resolves to is a public one."""
    host = urlsplit(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchError("DNS lookup failed", url=url, transient=True) from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global or address.is_multicast:
            raise FetchError(
                f"a private or local address ({address}): not fetched for web users", url=url, transient=False
            )


def _is_dns_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return any(
        s in text for s in ("name or service not known", "nodename nor servname", "getaddrinfo", "name resolution")
    )


def fetch(url: str, **options) -> Fetched:
    """Fetch one address with a fresh ``Fetcher(**options)``; for many, keep one ``Fetcher``."""
    return Fetcher(**options).fetch(url)
