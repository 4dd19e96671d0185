"""The OpenAPI schema describes the API as it is, and the docs page serves it."""

import json
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.urls import urlpatterns


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
