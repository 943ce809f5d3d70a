"""Limits (413, capped pages, 429 with Retry-After) and security headers."""

from __future__ import annotations

import pytest
from rest_framework.throttling import AnonRateThrottle

from tests import factories
from tests.conftest import PRODUCTION, run_manage

pytestmark = pytest.mark.django_db


class TestRequestBodyLimit:
    def test_oversized_body_is_413_with_a_message(self, curator_client, settings):
        body = "x" * (settings.MAX_REQUEST_BODY_BYTES + 1)
        response = curator_client.post("/api/topics", body, content_type="application/json")
        assert response.status_code == 413
        assert "too large" in response.json()["detail"]

    def test_body_under_the_limit_is_processed(self, curator_client):
        response = curator_client.post("/api/topics", {"slug": "energy", "name": "Energy"})
        assert response.status_code == 201

    def test_non_numeric_content_length_is_400(self, client):
        response = client.post("/api/topics", data=b"{}", content_type="application/json", CONTENT_LENGTH="lots")
        assert response.status_code == 400


class TestPageSizeCap:
    @pytest.mark.parametrize("url", ["/api/claims", "/api/articles", "/api/experts", "/api/topics"])
    def test_limit_above_the_cap_is_refused(self, api_client, url):
        response = api_client.get(url, {"limit": 10_000})
        assert response.status_code == 400
        assert response.json()["parameter"] == "limit"

    def test_claims_cap_is_200(self, api_client):
        article = factories.ArticleFactory(body="word " * 500)
        for i in range(205):
            factories.ClaimFactory(article=article, start=i * 2, end=i * 2 + 1, text=article.body[i * 2])
        assert len(api_client.get("/api/claims", {"limit": 200}).json()["results"]) == 200


@pytest.mark.throttling
class TestThrottling:
    def test_anonymous_requests_beyond_the_rate_get_429_with_retry_after(self, api_client, monkeypatch):
        monkeypatch.setattr(AnonRateThrottle, "rate", "3/min", raising=False)
        statuses = [api_client.get("/api/topics").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        response = api_client.get("/api/topics")
        assert response.status_code == 429
        assert int(response["Retry-After"]) > 0
        assert "throttled" in response.json()["detail"].lower()

    def test_curators_are_not_throttled_as_anonymous(self, curator_client, monkeypatch):
        monkeypatch.setattr(AnonRateThrottle, "rate", "3/min", raising=False)
        assert {curator_client.get("/api/topics").status_code for _ in range(6)} == {200}


class TestSecurityHeaders:
    @pytest.mark.parametrize("url", ["/api/", "/api/claims", "/admin/login/", "/api/docs/"])
    def test_headers_on_every_kind_of_page(self, client, url):
        response = client.get(url)
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-eval" not in csp
        assert "Strict-Transport-Security" not in response  # HTTPS switch off

    def test_hsts_when_the_https_switch_is_on(self, client, settings):
        settings.SECURE_HSTS_SECONDS = 31536000
        settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
        response = client.get("/api/", secure=True)
        assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"

    def test_the_switch_sets_hsts_redirects_and_secure_cookies(self):
        code = (
            "from django.conf import settings as s; "
            "print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
        )
        on = run_manage("shell", "-c", code, env=PRODUCTION)
        assert on.stdout.split()[-4:] == ["31536000", "True", "True", "True"], on.stderr
        off = run_manage("shell", "-c", code, env={**PRODUCTION, "DJANGO_SECURE": "0"})
        assert off.stdout.split()[-4:] == ["0", "False", "False", "False"], off.stderr
