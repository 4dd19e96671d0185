"""The OpenAPI schema describes the API as it is, and the docs page serves it."""

import json
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.urls import urlpatterns

API = "/api/accounts/v1/"


@pytest.fixture(scope="module")
def schema():
    response = APIClient().get(reverse("schema"), {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_the_schema_validates_without_warnings(tmp_path):
    # Fails on any warning of drf-spectacular, and on an invalid OpenAPI document.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


def test_every_account_endpoint_is_described(schema):
    described = {path.removeprefix("/api/accounts/v1/") for path in schema["paths"]}

    # The URLconf's <uuid:session_id> is OpenAPI's {session_id}.
    assert described == {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern)) for pattern in urlpatterns}


def test_no_username_appears_anywhere(schema):
    assert "username" not in json.dumps(schema)


def test_cookie_and_bearer_authentication_are_documented(schema):
    schemes = schema["components"]["securitySchemes"]

    assert schemes["jwtHeaderAuth"] == {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    access_cookie = settings.REST_AUTH["JWT_AUTH_COOKIE"]
    assert schemes["jwtCookieAuth"] == {"type": "apiKey", "in": "cookie", "name": access_cookie}
    user_endpoint = schema["paths"]["/api/accounts/v1/user/"]["get"]
    assert user_endpoint["security"] == [{"jwtHeaderAuth": []}, {"jwtCookieAuth": []}]


def test_sign_up_and_login_take_an_email_and_never_answer_a_refresh_token(schema):
    components = schema["components"]["schemas"]

    assert components["RegisterRequest"]["required"] == ["email", "password1", "password2"]
    assert components["LoginRequest"]["required"] == ["email", "password"]
    assert "refresh" not in components["JWTResponse"]["properties"]


@pytest.mark.django_db
def test_the_docs_page_loads_the_schema_and_swagger_ui_from_this_site(client):
    response = client.get(reverse("docs"))

    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("schema") in page
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn.jsdelivr.net" not in page


@pytest.mark.parametrize("version", ["\x00", "a\nb", '";x'])
def test_a_version_parameter_cannot_reach_the_response_headers(version):
    response = APIClient().get(reverse("schema"), {"version": version})

    assert response.status_code == 200
    assert version not in response.get("Content-Disposition", "")


# The error statuses of each operation, as its view's authentication,
# permissions, rate limits and body allow them; any may meet a database outage (503).
ERROR_STATUSES = {
    ("GET", ""): {406, 503},
    ("GET", "csrf/"): {406, 503},
    ("POST", "registration/"): {400, 406, 413, 415, 429, 503},
    ("POST", "login/"): {400, 406, 413, 415, 429, 503},
    ("POST", "logout/"): {401, 403, 406, 503},
    ("POST", "logout/all/"): {401, 403, 406, 503},
    ("GET", "user/"): {401, 406, 503},
    ("PUT", "user/"): {400, 401, 403, 406, 413, 415, 503},
    ("PATCH", "user/"): {400, 401, 403, 406, 413, 415, 503},
    ("GET", "sessions/"): {401, 406, 503},
    ("DELETE", "sessions/{session_id}/"): {401, 403, 404, 406, 503},
    ("POST", "password/change/"): {400, 401, 403, 406, 413, 415, 429, 503},
    ("POST", "password/reset/"): {400, 406, 413, 415, 429, 503},
    ("POST", "password/reset/confirm/"): {400, 406, 413, 415, 503},
    ("POST", "token/verify/"): {400, 401, 406, 413, 415, 503},
    ("POST", "token/refresh/"): {400, 401, 403, 406, 413, 415, 429, 503},
}


def operations(schema):
    """Each operation of the schema, as (method, path, operation)."""
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield method.upper(), path, operation


def errors_of(operation):
    return {int(status): response for status, response in operation["responses"].items() if status >= "400"}


def component(schema, reference):
    return schema["components"]["schemas"][reference.removeprefix("#/components/schemas/")]


@pytest.mark.parametrize(("method", "path"), ERROR_STATUSES, ids=[" ".join(key) for key in ERROR_STATUSES])
def test_each_operation_lists_exactly_the_errors_it_can_answer(schema, method, path):
    operation = schema["paths"][API + path][method.lower()]

    assert errors_of(operation).keys() == ERROR_STATUSES[method, path]


def test_every_operation_lists_its_errors_with_a_json_body(schema):
    for method, path, operation in operations(schema):
        errors = errors_of(operation)
        expected = {406}
        if "requestBody" in operation:
            expected |= {400, 413, 415}
        if {"jwtHeaderAuth": []} in operation.get("security", []):
            expected |= {401}
        if "{" in path:
            expected |= {404}
        assert expected <= errors.keys(), (method, path)
        for status, response in errors.items():
            assert response["description"], (method, path, status)
            assert response["content"]["application/json"]["schema"]["$ref"], (method, path, status)


def test_a_400_is_a_detail_or_the_field_errors_of_the_body(schema):
    bad_request = schema["paths"][API + "login/"]["post"]["responses"]["400"]["content"]["application/json"]["schema"]

    # ErrorDetail first, which a client that tries each in turn cannot mistake for field errors.
    detail, field_errors = component(schema, bad_request["$ref"])["oneOf"]
    assert component(schema, detail["$ref"]) == schema["components"]["schemas"]["ErrorDetail"]
    assert field_errors == {"$ref": "#/components/schemas/LoginValidationError"}
    login_errors = component(schema, field_errors["$ref"])
    messages = {"type": "array", "items": {"type": "string"}}
    assert login_errors["properties"] == {"email": messages, "password": messages, "non_field_errors": messages}
    # Closed, so that no detail answer passes for field errors, and never empty.
    assert login_errors["additionalProperties"] is False
    assert login_errors["minProperties"] == 1


def test_the_details_of_an_error_are_described(schema):
    components = schema["components"]["schemas"]

    assert components["ErrorDetail"]["required"] == ["detail"]
    assert components["AuthenticationError"]["required"] == ["detail"]
    assert components["AuthenticationError"]["properties"]["messages"]["items"] == {
        "$ref": "#/components/schemas/TokenErrorMessage"
    }
    assert sorted(components["TokenErrorMessage"]["required"]) == ["message", "token_class", "token_type"]


def test_the_401_of_an_authenticated_operation_says_how_to_authenticate(schema):
    unauthorized = schema["paths"][API + "user/"]["get"]["responses"]["401"]

    assert unauthorized["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/AuthenticationError"
    }
    assert unauthorized["headers"]["WWW-Authenticate"]["required"] is True
    assert 'Bearer realm="api"' in unauthorized["headers"]["WWW-Authenticate"]["description"]


def test_every_401_promises_www_authenticate(schema):
    unauthorized = {
        (method, path.removeprefix(API)): errors_of(operation)[401]
        for method, path, operation in operations(schema)
        if 401 in errors_of(operation)
    }

    assert unauthorized.keys() >= {("POST", "logout/"), ("POST", "token/refresh/"), ("GET", "user/")}
    error = {"$ref": "#/components/schemas/AuthenticationError"}
    for response in unauthorized.values():
        assert response["headers"]["WWW-Authenticate"]["required"] is True
        assert response["content"]["application/json"]["schema"] == error


def test_every_429_says_when_to_retry(schema):
    limited = {
        (method, path.removeprefix(API)): errors_of(operation)[429]
        for method, path, operation in operations(schema)
        if 429 in errors_of(operation)
    }

    assert limited.keys() >= {
        ("POST", "registration/"),
        ("POST", "login/"),
        ("POST", "password/change/"),
        ("POST", "password/reset/"),
        ("POST", "token/refresh/"),
    }
    for response in limited.values():
        assert response["headers"]["Retry-After"] == {
            "schema": {"type": "integer"},
            "description": "Seconds until the limit lets requests through again.",
            "required": True,
        }
