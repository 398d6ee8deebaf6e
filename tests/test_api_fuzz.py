"""Fuzz the JSON API from its own OpenAPI document: no 5xx, and every response matches the schema."""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

pytestmark = pytest.mark.slow


def operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def test_api_conforms_to_its_openapi_document(app):
    found = operations(app)
    documented = app.test_client().get("/api/openapi.json").get_json()["paths"]
    assert {o.label.split(" ", 1)[1] for o in found} == set(documented) - {
        "/api/openapi.json"
    }  # it skips its own schema
    for operation in found:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=int(os.environ.get("KB_API_FUZZ_EXAMPLES", 30)),
            deadline=None,
            database=None,
            derandomize="KB_API_FUZZ_EXAMPLES" not in os.environ,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            case.call_and_validate()

        run()
