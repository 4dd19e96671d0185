"""Schemathesis sends every endpoint of the schema generated requests, valid and not.

Whatever it sends, no answer may be a server error or contradict the schema.
"""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import content_type_conformance, not_a_server_error, response_schema_conformance

from .utils import access_token

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]

# The schema that /api/schema/ serves, made without a request so it is ready at collection.
schema = schemathesis.openapi.from_dict(json.loads(json.dumps(SchemaGenerator().get_schema(public=True), default=str)))
schema.app = get_wsgi_application()

# The same examples on every run, so that a failure in CI happens again on your machine.
fuzz_settings = hypothesis_settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def fuzzable_server(db, monkeypatch, settings):
    # Schemathesis calls the WSGI application as host localhost.
    settings.ALLOWED_HOSTS = ["localhost"]
    # Rate limits would soon answer everything with 429.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", dict.fromkeys(SimpleRateThrottle.THROTTLE_RATES, None))
    # As Django's test client does: requests must not close the test's database connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@fuzz_settings
def test_anonymous_requests(case):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@fuzz_settings
def test_authenticated_requests(case, user):
    case.call_and_validate(headers={"Authorization": f"Bearer {access_token(user)}"}, checks=CHECKS)
