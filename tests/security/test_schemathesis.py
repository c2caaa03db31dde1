"""Property-based fuzzing of every operation in the OpenAPI schema, through the ASGI app.

Each generated request is sent once per role (patient, clinician, compliance, admin). No response
may be a 500, and every response must conform to the schema: a documented status code (or a generic
auth / validation / rate-limit answer), the declared content type and, for documented codes, the
declared body shape.
"""

import pytest
import schemathesis
from auth_helpers import auth_header
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from backend.db.migrate import upgrade
from backend.llm import FakeChatModel
from backend.main import create_app
from backend.settings import ModelSettings, Settings

ROLES = ("patient", "clinician", "compliance", "admin")
# Answers every protected operation may give without documenting them one by one.
GENERIC_STATUSES = {401, 403, 404, 405, 409, 413, 422, 429}
MAX_EXAMPLES = 5

_SPEC = create_app(Settings(environment="test", model=ModelSettings(backend="fake"))).openapi()
OPERATIONS = [
    (method.upper(), path)
    for path, item in _SPEC["paths"].items()
    for method in item
    if method != "parameters"
]


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory, redactor, prebuilt):
    """One app for the whole module (each operation's examples share it), one user per role."""
    folder = tmp_path_factory.mktemp("fuzz")
    url = f"sqlite:///{folder / 'triage.db'}"
    upgrade(url)
    settings = Settings(
        environment="test",
        database_url=url,
        checkpoint_url=f"sqlite:///{folder / 'ckpt.sqlite'}",
        model=ModelSettings(backend="fake"),
    )
    app = create_app(settings, chat_model=FakeChatModel(), redactor=redactor, prebuilt=prebuilt)
    with TestClient(app) as client:
        headers = {role: auth_header(client, role) for role in ROLES}
        yield app, headers


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_no_server_errors_and_schema_conformance(fuzzed, method, path):
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

    app, headers = fuzzed
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operation = schema[path][method]
    documented = {str(code) for code in operation.definition.raw.get("responses", {})}

    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
    )
    def check(case):
        for role in ROLES:
            response = case.call(headers=headers[role])
            where = (role, method, path, response.status_code, response.text[:300])
            assert response.status_code < 500, where
            case.validate_response(response, checks=(not_a_server_error, content_type_conformance))
            if str(response.status_code) in documented:
                case.validate_response(response, checks=(response_schema_conformance,))
            else:
                assert response.status_code in GENERIC_STATUSES, where

    check()
