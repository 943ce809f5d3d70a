"""The hot anonymous list reads answered in front of Django's request cycle, by the views' own code.

``FastListReads`` wraps the WSGI application (project/wsgi.py). A request it recognizes as a cookieless,
credential-free GET of a list whose view declares ``fast_list_parameters`` (the claims and experts lists),
with only those parameters (each once), asking for compact JSON, on PostgreSQL, is answered by that view's
own ``list()``: the same FilterSet, paginator, keys statement and records written by PostgreSQL, the same
content negotiation, permissions and throttle (the same counters), and the same renderer. A plain view
(not a viewset) that declares ``fast_get_parameters`` (an expert's track record) is answered the same way
by its own ``get()``, with the arguments the URLconf found in the path. What it leaves
out is the machinery around them that such a request does not need: Django's handler and its fourteen
middleware, URL resolving, DRF's dispatch, authentication (no Authorization header and no cookie: the
user is anonymous, as the authenticators would find) and response finalizing.

The headers are Django's own: the first such request of each list (and each of http/https) goes through
Django's path, and its headers (all but Content-Length, which is the body's) are kept for the next ones. They
depend on the route and the scheme alone: Content-Type, Vary, Allow and the security headers.

Everything else goes to Django's path, which keeps producing every error: another method, path, parameter,
format or Accept header, a cookie, credentials, a body, an over-long URL, a host not allowed, a redirect
to https, a throttled client, and any exception the view raises (a 400 for a malformed value, a database
error). A request the fast path had counted before handing it over is not counted again (claims.api.throttling
``COUNTED``). The request-phase checks below mirror the middleware of ``MIDDLEWARE``; with any other list of
middleware the fast path stays off (``KNOWN_MIDDLEWARE``), as it does on SQLite, whose rows the views
shape in Python. tests/api/test_fastpath.py sends many requests through both paths and compares status,
headers and bodies.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import DisallowedHost, TooManyFieldsSent
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest, get_script_name
from django.core.signals import request_finished, request_started
from django.db import connection
from django.urls import Resolver404, resolve, set_script_prefix
from rest_framework.request import Request

from claims.api.renderers import FastJSONRenderer
from claims.api.throttling import COUNTED, AnonRateThrottle
from project.replicas import public_read_replica, reads_from

__all__ = ["KNOWN_MIDDLEWARE", "FastListReads"]

# The middleware whose effect on a fast request the checks of FastListReads._gate reproduce: on such a request
# they only add headers (kept from Django's answer) or answer themselves in the cases the gate sends to Django.
KNOWN_MIDDLEWARE = (
    "django.middleware.security.SecurityMiddleware",
    "project.middleware.SecurityHeadersMiddleware",
    "project.middleware.RequestBodyLimitMiddleware",
    "project.middleware.RequestURLLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "project.middleware.LeanSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "project.middleware.LeanAuthenticationMiddleware",
    "project.replicas.ReplicaReadsMiddleware",
    "claims.pages.limits.PageThrottleMiddleware",
    "project.middleware.LeanMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "project.middleware.LeanHistoryRequestMiddleware",
)
# Authentication classes that find no user in a request without an Authorization header and without cookies.
KNOWN_AUTHENTICATION = ("BearerTokenAuthentication", "SessionAuthentication")
_ROUTES_MAX = 256


class _Route:
    """A view the fast path may answer, as the URLconf routes a path to it: a list (a viewset's ``list``), or a
    plain view's ``get`` with the path's arguments (``kwargs``)."""

    def __init__(self, callback, kwargs: dict):
        self.view_class = callback.cls
        self.initkwargs = callback.initkwargs
        self.actions = dict(getattr(callback, "actions", None) or {})
        self.kwargs = kwargs
        self.is_list = bool(self.actions)
        self.parameters = self.view_class.fast_list_parameters if self.is_list else self.view_class.fast_get_parameters


class FastListReads:
    """WSGI middleware: the hot anonymous list reads by the views' own code, everything else by ``application``."""

    def __init__(self, application):
        self.application = application
        self._routes: dict[str, _Route | None] = {}
        # (view class, https) -> Django's headers for a 200 of that list, Content-Length's place kept as None.
        self._headers: dict[tuple, list] = {}
        self.answered = 0  # requests answered here (tests/api/test_fastpath.py checks the hot ones are)

    @staticmethod
    def enabled() -> bool:
        return connection.vendor == "postgresql" and tuple(settings.MIDDLEWARE) == KNOWN_MIDDLEWARE

    def __call__(self, environ, start_response):
        route = self._candidate(environ)
        if route is not None:
            request = WSGIRequest(environ)
            if self._gate(request, route):
                key = (route.view_class, request.is_secure())
                headers = self._headers.get(key)
                if headers is None:
                    return self.application(environ, self._keeping_headers(key, start_response))
                body = self._answer(request, route)
                if body is not None:
                    self.answered += 1
                    start_response(
                        "200 OK",
                        [(name, str(len(body))) if value is None else (name, value) for name, value in headers],
                    )
                    return [body]
        return self.application(environ, start_response)

    def _candidate(self, environ) -> _Route | None:
        """The route of a cookieless, credential-free GET without a body of a fast list, else None (no parsing)."""
        if (
            environ.get("REQUEST_METHOD") != "GET"
            or "HTTP_COOKIE" in environ
            or "HTTP_AUTHORIZATION" in environ
            or environ.get("CONTENT_LENGTH") not in (None, "", "0")
            or "HTTP_TRANSFER_ENCODING" in environ
        ):
            return None
        path = environ.get("PATH_INFO", "")
        try:
            return self._routes[path]
        except KeyError:
            pass
        route = None
        if path.startswith("/api/") and self.enabled():
            try:
                match = resolve(path)
            except Resolver404:
                match = None
            callback = getattr(match, "func", None)
            cls = getattr(callback, "cls", None)
            actions = getattr(callback, "actions", None)
            fast_list = actions and actions.get("get") == "list" and getattr(cls, "fast_list_parameters", None)
            fast_get = not actions and getattr(cls, "fast_get_parameters", None)
            if (
                match is not None
                and not match.args
                and "format" not in match.kwargs  # /api/claims.json: a format suffix
                and ((fast_list and not match.kwargs) or fast_get)
                and tuple(c.__name__ for c in cls.authentication_classes) == KNOWN_AUTHENTICATION
                and len(cls.throttle_classes) <= 1  # one throttle: allowed or not, never counted by half
                and all(issubclass(c, AnonRateThrottle) for c in cls.throttle_classes)
            ):
                route = _Route(callback, dict(match.kwargs))
        if len(self._routes) >= _ROUTES_MAX:  # one path per expert's track record: cleared when full
            self._routes.clear()
        self._routes[path] = route
        return route

    def _gate(self, request: WSGIRequest, route: _Route) -> bool:
        """Whether no middleware would answer ``request`` itself and its query string is one the fast path takes."""
        if settings.SECURE_SSL_REDIRECT and not request.is_secure():  # SecurityMiddleware: a redirect
            return False
        if len(request.get_full_path().encode()) > settings.MAX_URL_BYTES:  # RequestURLLimitMiddleware: 414
            return False
        try:
            query = request.GET  # RequestURLLimitMiddleware: 400 for too many fields
            request.get_host()  # CommonMiddleware: 400 for a host not allowed
        except (TooManyFieldsSent, DisallowedHost):
            return False
        if settings.DISALLOWED_USER_AGENTS or settings.PREPEND_WWW:  # CommonMiddleware: 403, redirect
            return False
        accept = request.META.get("HTTP_ACCEPT", "")
        if "html" in accept:  # the browsable API, and the middleware's full path (project.middleware.is_lean_read)
            return False
        parameters = route.parameters
        for name, values in query.lists():
            if name not in parameters or len(values) != 1:
                return False
        return query.get("format", "json") == "json"

    def _answer(self, request: WSGIRequest, route: _Route) -> bytes | None:
        """The body the view answers, or None: Django's path answers instead."""
        set_script_prefix(get_script_name(request.META))
        request_started.send(sender=WSGIHandler, environ=request.META)
        try:
            return self._render(request, route)
        except Exception:  # noqa: BLE001 - Django's path answers it again, with its own error response
            return None
        finally:
            request_finished.send(sender=WSGIHandler)

    def _render(self, request: WSGIRequest, route: _Route) -> bytes | None:
        from claims.api.views.base import read_transaction

        view = route.view_class(**route.initkwargs)
        if route.is_list:
            view.action_map = route.actions
            view.action = "list"
        view.args, view.kwargs = (), route.kwargs
        view.format_kwarg = None
        view.headers = {}
        drf_request = Request(request, parsers=[], authenticators=[], negotiator=view.get_content_negotiator())
        drf_request._user, drf_request._auth = AnonymousUser(), None  # what the authenticators find here
        view.request = drf_request
        try:
            renderer, media_type = view.perform_content_negotiation(drf_request)
        except Exception:  # noqa: BLE001 - Django's path answers the error
            return None
        if type(renderer) is not FastJSONRenderer or renderer.get_indent(media_type, {}) is not None:
            return None
        drf_request.accepted_renderer, drf_request.accepted_media_type = renderer, media_type
        if not all(permission.has_permission(drf_request, view) for permission in view.get_permissions()):
            return None
        if not all(throttle.allow_request(drf_request, view) for throttle in view.get_throttles()):
            return None  # nothing was counted for it: Django's path throttles it again and answers 429
        request.META[COUNTED] = True
        try:
            with reads_from(public_read_replica()), read_transaction():
                response = view.list(drf_request) if route.is_list else view.get(drf_request, **route.kwargs)
                if response.status_code != 200:
                    return None
                return renderer.render(response.data, media_type, view.get_renderer_context())
        except Exception:  # noqa: BLE001 - Django's path answers it again, with its own error response
            return None

    def _keeping_headers(self, key, start_response):
        def keep(status, headers, exc_info=None):
            names = [name.lower() for name, _ in headers]
            if (
                status.startswith("200 ")
                and "set-cookie" not in names
                and dict((n.lower(), v) for n, v in headers).get("content-type") == FastJSONRenderer.media_type
            ):
                self._headers[key] = [
                    (name, None if name.lower() == "content-length" else value) for name, value in headers
                ]
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        return keep
