"""No 5xx and no response that breaks the schema, for every operation in the live OpenAPI schema,
anonymous and authenticated (schemathesis, property-based).

CI runs a bounded number of examples per operation (FUZZ_EXAMPLES, default 10);
`make fuzz` runs a longer session (FUZZ_EXAMPLES=500). Status-code counts are
written to artifacts/schemathesis-<db>.json for the record.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import httpx
import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from project.wsgi import application
from tests import factories

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
STATUSES: Counter[str] = Counter()


def _live_schema() -> dict:
    """The schema /api/schema/ serves, generated in-process (no request, so no database, at collection)."""
    from drf_spectacular.generators import SchemaGenerator

    return json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str))


schema = schemathesis.openapi.from_dict(_live_schema())
schema.app = application

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", autouse=True)
def _report_statuses():
    yield
    if STATUSES:
        ARTIFACTS.mkdir(exist_ok=True)
        db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        total = sum(STATUSES.values())
        (ARTIFACTS / f"schemathesis-{db}.json").write_text(
            json.dumps({"examples": total, "statuses": dict(sorted(STATUSES.items()))}, indent=2)
        )


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Calls go straight into the WSGI app, whose request signals would close the test's
    connection (and its transaction) on PostgreSQL; Django's own test client detaches them too."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


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


@pytest.fixture(params=["anonymous", "curator"])
def headers(request, data, curator):
    if request.param == "anonymous":
        return {}
    return {"Authorization": f"Token {Token.objects.create(user=curator).key}"}


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_never_errors_and_keeps_its_schema(case, headers):
    response = case.call_and_validate(
        headers=headers,
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )
    STATUSES[str(response.status_code)] += 1
