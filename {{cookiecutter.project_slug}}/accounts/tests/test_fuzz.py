"""Schemathesis sends every endpoint of the schema generated requests, valid and not.

Whatever it sends, no answer may be a server error or contradict the schema:
its status, headers, content type and body must all be documented. The errors
that generated requests never provoke are provoked on purpose below, and
checked the same way.
"""

import json
import uuid

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import (
    allow_header_conformance,
    content_type_conformance,
    ignored_auth,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from .utils import access_cookie_name, access_token, expired_access_token

CHECKS = [
    not_a_server_error,
    # Every status, header, content type and body is the one the schema documents.
    status_code_conformance,
    response_headers_conformance,
    content_type_conformance,
    response_schema_conformance,
    # Operations that document authentication refuse requests without it.
    ignored_auth,
    # Methods the schema does not list get a 405, and OPTIONS lists the ones it does.
    unsupported_method,
    allow_header_conformance,
]

API = "/api/accounts/v1/"

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

NO_RATE_LIMITS = dict.fromkeys(SimpleRateThrottle.THROTTLE_RATES, None)


@pytest.fixture(autouse=True)
def fuzzable_server(db, monkeypatch, settings):
    # Schemathesis calls the WSGI application as host localhost.
    settings.ALLOWED_HOSTS = ["localhost"]
    # Rate limits would soon answer everything with 429.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", NO_RATE_LIMITS)
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
    # A request before may have ended every session of the user (logout/all/),
    # which moved the user's session epoch on: sessions start from the current one.
    user.refresh_from_db()
    case.call_and_validate(headers={"Authorization": f"Bearer {access_token(user)}"}, checks=CHECKS)


def call_and_validate(method, path, *, path_parameters=None, **kwargs):
    """Send one request of our own to an operation of the schema, and check its answer as a generated one's."""
    case = schema[API + path][method].Case(path_parameters=path_parameters)
    return case.call_and_validate(checks=CHECKS, **kwargs)


def test_a_body_that_is_not_json_is_a_documented_400():
    response = call_and_validate("POST", "login/", data=b'{"email": ', headers={"Content-Type": "application/json"})

    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")


def test_a_body_of_another_media_type_is_a_documented_415():
    form = {"Content-Type": "application/x-www-form-urlencoded"}

    response = call_and_validate("POST", "registration/", data=b"email=ada%40example.com", headers=form)

    assert response.status_code == 415


def test_a_body_over_the_limit_is_a_documented_413(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"email": "a" * 1000 + "@example.com"}).encode()

    response = call_and_validate("POST", "password/reset/", data=body, headers={"Content-Type": "application/json"})

    assert response.status_code == 413


def test_asking_for_anything_but_json_is_a_documented_406():
    response = call_and_validate("GET", "csrf/", headers={"Accept": "application/xml"})

    assert response.status_code == 406


def test_an_expired_access_token_is_a_documented_401_that_says_why(user):
    bearer = {"Authorization": f"Bearer {expired_access_token(user)}"}

    response = call_and_validate("GET", "user/", headers=bearer)

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == ['Bearer realm="api"']
    assert response.json()["messages"][0]["message"] == "Token is expired"


def test_a_cookie_authenticated_write_without_the_csrf_token_is_a_documented_403(user):
    cookies = {access_cookie_name(): access_token(user)}

    response = call_and_validate("PATCH", "user/", cookies=cookies, json={"first_name": "Ada"})

    assert response.status_code == 403
    assert response.json()["detail"].startswith("CSRF Failed")


@pytest.mark.parametrize("session_id", [str(uuid.uuid4()), "not-a-uuid"], ids=["unknown", "not-a-uuid"])
def test_ending_a_session_the_user_does_not_have_is_a_documented_404(user, session_id):
    bearer = {"Authorization": f"Bearer {access_token(user)}"}

    response = call_and_validate(
        "DELETE", "sessions/{session_id}/", path_parameters={"session_id": session_id}, headers=bearer
    )

    assert response.status_code == 404


def test_a_rate_limit_is_a_documented_429_with_retry_after(monkeypatch):
    # A day's window, so that both requests fall in one: a minute's could end between them.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {**NO_RATE_LIMITS, "password_reset": "1/day"})
    body, json_body = json.dumps({"email": "ada@example.com"}).encode(), {"Content-Type": "application/json"}

    assert call_and_validate("POST", "password/reset/", data=body, headers=json_body).status_code == 200
    response = call_and_validate("POST", "password/reset/", data=body, headers=json_body)

    assert response.status_code == 429
    assert 0 <= int(response.headers["retry-after"][0]) <= 24 * 60 * 60
