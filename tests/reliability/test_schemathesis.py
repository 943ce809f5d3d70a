"""The API keeps its OpenAPI contract: schemathesis with every check (`--checks all`), anonymous and as a curator.

Every check runs: no server error, status codes, content types, headers and bodies as documented,
schema-violating requests refused and schema-valid ones accepted, required headers, unsupported
methods (405 with Allow), authentication not ignored, object-level authorization, and the
stateful phase (links followed from created resources: use after free, resource availability).
Phases: coverage, fuzzing, stateful (the schema has no examples). The run goes against a live
server on the test database, exactly as `schemathesis run` would against a deployment.

The budget is bounded: FUZZ_EXAMPLES examples per operation (default 3 in the suite; about 3 minutes a
run on 2 cores, most of it the coverage phase, which does not depend on FUZZ_EXAMPLES; `make fuzz`
runs 500). The counts of responses by status code are printed and written
to artifacts/schemathesis-<database>-<client>.json.

positive_data_acceptance is configured (schemathesis.toml) with the answers a schema-valid request
may still get because of data the schema cannot describe: 400 (an id that does not exist, end before
start, a cursor not taken from a link) and 412 (a well-formed but stale ETag).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from rest_framework.authtoken.models import Token
from rest_framework.throttling import AnonRateThrottle

from tests import factories

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
CONFIG = ROOT / "tests" / "reliability" / "schemathesis.toml"
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")

# The live server reads in its own thread, so the data is committed (transaction=True), and the
# database is flushed afterwards (the data migrations' Curators group with it): one test runs both
# clients, so that no test of this module needs the group after a flush. pytest-django runs
# transactional tests last. One run at a time: on SQLite the live server shares the test's
# in-memory connection.
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _no_internet(settings):
    """POST /api/articles/ingest fetches the addresses it is given: here every fetch answers 404, offline."""
    settings.INGEST_FETCHER = {"transport": httpx.MockTransport(lambda request: httpx.Response(404)), "host_delay": 0}


@pytest.fixture
def data(db):
    """A little of everything, so that ids in generated requests sometimes exist."""
    lankov = factories.ExpertFactory(name="Andrei Lankov")
    topic = factories.TopicFactory(slug="sanctions", name="Sanctions")
    for status in ("approved", "extracted", "rejected"):
        claim = factories.ClaimFactory(
            expert=lankov, status=status, reviewed_at=None if status == "extracted" else "2024-01-01T00:00:00Z"
        )
        claim.topics.add(topic)
    prediction = factories.PredictionFactory()
    event = factories.EvidenceLinkFactory().event
    prediction.events.add(event)
    factories.AffiliationFactory(expert=lankov)
    factories.OrganizationFactory()
    factories.OutletFactory()


def _statuses(har: Path) -> Counter[str]:
    entries = json.loads(har.read_text())["log"]["entries"]
    return Counter(str(entry["response"]["status"]) for entry in entries)


@pytest.fixture
def writer(db):
    """A curator's rights given directly: an earlier transactional test may have flushed the data
    migrations' Curators group (its flush re-creates permissions, not groups)."""
    user = factories.UserFactory(username="schemathesis-curator", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="claims"))
    return user


def test_api_keeps_its_contract_under_every_check(live_server, data, writer, tmp_path, monkeypatch):
    # The throttle is tested on its own (tests/reliability/test_limits_and_headers.py); here it would
    # turn most anonymous requests into 429s after the first 120.
    monkeypatch.setattr(AnonRateThrottle, "rate", "1000000/min", raising=False)
    clients = {
        "anonymous": [],
        "curator": ["--header", f"Authorization: Token {Token.objects.create(user=writer).key}"],
    }
    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    ARTIFACTS.mkdir(exist_ok=True)
    failed = {}
    for client, headers in clients.items():
        har = tmp_path / f"{client}.har"
        command = [
            str(SCHEMATHESIS),
            "--config-file",
            str(CONFIG),
            "run",
            f"{live_server.url}/api/schema/",
            "--checks",
            "all",
            "--phases",
            "examples,coverage,fuzzing,stateful",
            "--max-examples",
            str(EXAMPLES),
            "--workers",
            "1",
            "--seed",
            os.environ.get("FUZZ_SEED", "14"),
            "--generation-database",
            "none",
            "--no-color",
            "--report",
            "har",
            "--report-har-path",
            str(har),
            *headers,
        ]
        run = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=900, check=False)
        statuses = _statuses(har)
        summary = {"database": database, "client": client, "responses": sum(statuses.values()), "statuses": statuses}
        print(f"\nschemathesis ({database}, {client}): {json.dumps(dict(sorted(statuses.items())))}")
        (ARTIFACTS / f"schemathesis-{database}-{client}.json").write_text(json.dumps(summary, indent=2, sort_keys=True))
        assert statuses, f"schemathesis sent no request as {client}"
        if run.returncode != 0:
            failed[client] = run.stdout[-20000:] + run.stderr[-5000:]
    assert not failed, "\n\n".join(f"--- {client} ---\n{output}" for client, output in failed.items())
