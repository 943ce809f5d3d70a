"""Cookieless anonymous API reads skip the session, authentication, messages and history middleware, and answer
exactly what the full path answers: status, every header, body."""

from __future__ import annotations

import pytest
from django.core.handlers.wsgi import WSGIRequest
from django.test import RequestFactory
from django.test.client import ClientHandler

from project import middleware

PATHS = [
    "/api/claims",
    "/api/claims?expert=Lankov",
    "/api/claims?format=csv",
    "/api/claims?speker=Lankov",  # 400: unknown parameter
    "/api/claims?format=xml",  # 400: unknown format, raised before authentication
    "/api/claims?limit=1",
    "/api/experts?name=cho",
    "/api/topics",
    "/api/nothing-here",  # the API's JSON 404, not a DRF view
    "/api/claims/999999",
]


def answer(path: str, *, method: str = "GET", cookie: str | None = None, **headers):
    """The response to ``path`` through the whole WSGI stack, with or without a Cookie header at all
    (the test client always sends one, which would keep every request off the lean path)."""
    environ = RequestFactory().generic(method, path, HTTP_ACCEPT="application/json", **headers).environ
    environ.pop("HTTP_COOKIE", None)
    if cookie is not None:
        environ["HTTP_COOKIE"] = cookie
    seen = []
    original = middleware.is_lean_read

    def spy(request):
        lean = original(request)
        seen.append(lean)
        return lean

    middleware.is_lean_read = spy
    try:
        response = ClientHandler(enforce_csrf_checks=True)(environ)
    finally:
        middleware.is_lean_read = original
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, sorted(response.headers.items()), body, any(seen)


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])
def test_the_lean_path_answers_what_the_full_path_answers(world, path, method):
    lean = answer(path, method=method)
    full = answer(path, method=method, cookie="unrelated=1")
    assert lean[3] is True and full[3] is False
    assert lean[:3] == full[:3]


@pytest.mark.django_db
def test_a_token_is_still_authenticated_on_the_lean_path(world, curator_token):
    token = f"Token {curator_token}"
    anonymous = answer("/api/claims")
    curator = answer("/api/claims", HTTP_AUTHORIZATION=token)
    assert curator[3] is True  # no cookie: lean, and DRF authenticates the token in the view
    assert curator[0] == 200 and len(curator[2]) > len(anonymous[2])  # the curator sees unreviewed claims too
    assert curator[:3] == answer("/api/claims", cookie="unrelated=1", HTTP_AUTHORIZATION=token)[:3]
    assert answer("/api/claims", HTTP_AUTHORIZATION="Token wrong")[0] == 401


@pytest.mark.django_db
def test_a_signed_in_curator_with_a_session_cookie_takes_the_full_path(world, curator, client):
    client.force_login(curator)
    response = client.get("/api/claims?status=extracted")
    assert response.status_code == 200 and response.json()["results"]  # the session was read: a curator
    assert response.wsgi_request._lean_read is False


@pytest.mark.parametrize(
    ("method", "path", "meta", "lean"),
    [
        ("GET", "/api/claims", {}, True),
        ("HEAD", "/api/claims", {}, True),
        ("POST", "/api/claims", {}, False),
        ("PATCH", "/api/claims/1", {}, False),
        ("GET", "/api/claims", {"HTTP_COOKIE": "sessionid=x"}, False),
        ("GET", "/api/claims", {"HTTP_ACCEPT": "text/html,application/xhtml+xml"}, False),
        ("GET", "/api/claims?format=api", {}, False),
        ("GET", "/api/auth/login/", {}, False),
        ("GET", "/api/docs/", {}, False),
        ("GET", "/api/schema/", {}, False),
        ("GET", "/claims/", {}, False),
        ("GET", "/admin/", {}, False),
    ],
)
def test_which_requests_are_lean(method, path, meta, lean):
    """(CSRF stays Django's own middleware: ``check --deploy`` looks for it by name, tests/project/test_foundation.)"""
    environ = RequestFactory().generic(method, path, **meta).environ
    if "HTTP_COOKIE" not in meta:
        environ.pop("HTTP_COOKIE", None)
    assert middleware.is_lean_read(WSGIRequest(environ)) is lean
