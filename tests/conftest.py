"""Shared fixtures and the database/browser requirements of the suite.

REQUIRE_POSTGRES=1 makes the run fail at once (never skip) unless it is on a
reachable PostgreSQL; REQUIRE_BROWSER=1 does the same for headless Chromium.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "seeds"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def pytest_report_header(config):
    db = settings.DATABASES["default"]
    where = f"{db['ENGINE'].rsplit('.', 1)[-1]} {db.get('HOST') or ''} {db.get('NAME')}".strip()
    return [f"database: {where}"]


# Every settings override the suite needs, in one place: applied once, before any test runs.
TEST_SETTINGS = {
    # Users are made in many tests; PBKDF2 would spend much of the suite's time hashing their passwords.
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
}


def pytest_configure(config):
    for name, value in TEST_SETTINGS.items():
        setattr(settings, name, value)


def pytest_sessionstart(session):
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        if not _on_postgres():
            pytest.exit("REQUIRE_POSTGRES=1 but DATABASE_URL does not point at PostgreSQL.", returncode=3)
        import psycopg

        db = settings.DATABASES["default"]
        try:
            psycopg.connect(
                host=db.get("HOST") or None,
                port=db.get("PORT") or None,
                user=db.get("USER") or None,
                password=db.get("PASSWORD") or None,
                dbname="postgres",
                connect_timeout=5,
            ).close()
        except psycopg.Error as exc:
            pytest.exit(f"REQUIRE_POSTGRES=1 but PostgreSQL is unreachable: {exc}", returncode=3)


def pytest_collection_modifyitems(config, items):
    on_postgres = _on_postgres()
    require_browser = os.environ.get("REQUIRE_BROWSER") == "1"
    have_browser = Path(CHROMIUM).exists()
    if require_browser and not have_browser:
        raise pytest.UsageError(f"REQUIRE_BROWSER=1 but {CHROMIUM} does not exist (apt-get install chromium).")
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL=postgres://...)")
    skip_browser = pytest.mark.skip(reason=f"needs headless Chromium at {CHROMIUM}")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)
        if "browser" in item.keywords and not have_browser:
            item.add_marker(skip_browser)


@pytest.fixture(autouse=True)
def _clear_cache(request):
    """Throttle counters live in the cache (a database table): each test that uses the database starts
    with a full allowance."""
    from django.core.cache import cache

    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames)
    if not uses_db:
        yield
        return
    request.getfixturevalue("_django_db_helper")  # the test's database is set up before the cache is cleared
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS_DIR


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def curator(db):
    user = factories.UserFactory(username="curator", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    return user


@pytest.fixture
def curator_client(curator) -> APIClient:
    client = APIClient()
    client.force_authenticate(curator)
    return client


@pytest.fixture
def curator_token(curator) -> str:
    return Token.objects.create(user=curator).key


@pytest.fixture
def tmp_copy_of_seeds(tmp_path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, target)
    return target


@pytest.fixture(scope="session", autouse=True)
def _close_stray_postgres_sessions(django_db_setup, django_db_blocker):
    """Close connections the browser tests leave behind before the test database is dropped.

    Playwright's sync API runs the test body in a greenlet, where Django's
    context-local connection handler opens a second connection that persistent
    connections (CONN_MAX_AGE) keep open and nothing else can reach.
    """
    yield
    if not _on_postgres():
        return
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
