"""The API never answers 500 to bad input: a bounded Schemathesis run over every operation of the OpenAPI schema.

Schemathesis generates valid and invalid requests (wrong types, missing and extra fields, odd strings) for
each operation from the schema the server itself publishes, and sends them in-process (WSGI) as a signed-in
administrator with a read-write token, so every endpoint is reached past its permissions. The only check is
the one the quality bar asks for: no response is a server error. ``RENFANG_SCHEMATHESIS_EXAMPLES`` sets the
examples per operation (default 8; CI runs on SQLite and on PostgreSQL).
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig

EXAMPLES = int(os.environ.get("RENFANG_SCHEMATHESIS_EXAMPLES", "8"))


def _schema() -> Any:
    raw = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    config = SchemathesisConfig.from_dict(
        {"generation": {"mode": "all", "max-examples": EXAMPLES, "deterministic": True, "no-shrink": True},
         "phases": {"coverage": {"enabled": os.environ.get("RENFANG_SCHEMATHESIS_COVERAGE", "0") == "1"}}}
    )
    loaded = schemathesis.openapi.from_dict(raw, config=config)
    loaded.app = get_wsgi_application()
    return loaded


schema = _schema()


@pytest.fixture(autouse=True)
def _one_connection() -> Any:
    """The WSGI app would close the database connection after each request (as in production); the test's
    transaction lives on it, so keep it open, as Django's own test client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(users: Any, city: Any) -> str:
    """A read-write token of the administrator, and a few rows for the operations that read one."""
    from renfang.core.services import issue_token
    from renfang.works.tests.factories import make_river_city

    make_river_city(city)
    _token, key = issue_token(user=users["admin"], name="schemathesis", scope="write", days=1)
    return key


@pytest.mark.django_db
@schema.parametrize()
# the fixture's rows and token serve every example of an operation (they are read, never relied on unchanged)
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)
def test_no_request_gets_a_server_error(case: Any, admin_token: str) -> None:
    response = case.call(headers={"Authorization": f"Token {admin_token}"})
    case.validate_response(response, checks=[not_a_server_error])
