"""Fixtures and helpers of the admin tests: a logged-in curator, and the POST a browser would send."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def admin_ui(curator) -> Client:
    """A browser-like client logged in as the Curators-group staff user (not a superuser)."""
    assert not curator.is_superuser
    client = Client()
    client.force_login(curator)
    return client
