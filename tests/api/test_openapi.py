"""The OpenAPI schema validates without warnings and the committed openapi.yaml is current."""

from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_schema_validates_and_matches_the_committed_file(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(generated))
    committed = (ROOT / "openapi.yaml").read_text()
    assert generated.read_text() == committed, "openapi.yaml is out of date: run `make schema` and commit it"


@pytest.mark.django_db
def test_schema_endpoint_serves_openapi_3(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    params = {p["name"] for p in schema["paths"]["/api/claims/"]["get"]["parameters"]}
    assert {"expert", "organization", "q", "ordering", "cursor", "limit", "published_after"} <= params


@pytest.mark.django_db
def test_every_operation_documents_its_errors_with_the_error_shape():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    shared = schema["components"]["responses"]
    assert shared["Error429"]["headers"]["Retry-After"]["required"] is True
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            expected = {"400", "401", "406", "414", "429"}
            if "{" in path:
                expected.add("404")
            if method in ("post", "patch"):
                expected |= {"403", "409", "413", "415"}
            if any(p["name"] == "If-Match" for p in operation.get("parameters", [])):
                expected.add("412")
            assert expected <= set(responses), (method, path, expected - set(responses))
            for status in expected:
                ref = responses[status]["$ref"].rsplit("/", 1)[-1]
                assert shared[ref]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
            if method == "get":
                assert {} in operation["security"], (method, path)  # anonymous reads are allowed
