"""Whatever a client sends, the answer is a 4xx with a message, never a server error."""

import pytest
from django.urls import reverse

from accounts.models import User

from .utils import PASSWORD

pytestmark = pytest.mark.django_db

ENDPOINTS = ["register", "login", "password_reset", "password_reset_confirm", "token_verify", "token_refresh"]


def post_raw(client, name, body, content_type="application/json"):
    return client.generic("POST", reverse(f"accounts:{name}"), body, content_type=content_type)


def assert_refused(response, status=400):
    assert response.status_code == status, response.content
    assert response.json()["detail"]


@pytest.mark.parametrize("name", ENDPOINTS)
@pytest.mark.parametrize(
    "body",
    [
        b"{",
        b'{"email": }',
        b"\xff\xfe not utf-8",
        b'{"email": NaN}',
        b"[" * 100_000 + b"]" * 100_000,
        b'{"email": "\\ud800@example.com", "password": "\\udfff"}',
        b'{"n": 1' + b"0" * 10_000 + b"}",
    ],
    ids=["truncated", "invalid", "not-utf8", "nan", "deeply-nested", "lone-surrogates", "huge-number"],
)
def test_malformed_json_is_a_400(api_client, name, body):
    assert_refused(post_raw(api_client, name, body))


@pytest.mark.parametrize("name", ENDPOINTS)
def test_other_content_types_are_a_415(api_client, name):
    response = post_raw(api_client, name, b"email=a@example.com", "application/x-www-form-urlencoded")

    assert_refused(response, 415)


def test_a_body_over_the_upload_limit_is_a_413(api_client, settings):
    body = b'{"email": "' + b"a" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE + b'"}'

    assert_refused(post_raw(api_client, "login", body), 413)


@pytest.mark.parametrize(
    "email",
    [
        "a" * 250 + "@example.com",
        "ada\x00@example.com",
        "ada@exa\x00mple.com",
        "\u202eada@example.com",
        "\uff41\uff44\uff41@example.com",
        "ada@@example.com",
        "",
        "😀@example.com",
    ],
    ids=["too-long", "nul", "nul-domain", "rtl-override", "fullwidth", "two-ats", "empty", "emoji"],
)
def test_odd_emails_are_refused_everywhere(api_client, email):
    register = {"email": email, "password1": PASSWORD, "password2": PASSWORD}

    for name, data in [("register", register), ("login", {"email": email, "password": PASSWORD})]:
        response = api_client.post(reverse(f"accounts:{name}"), data, format="json")
        assert response.status_code == 400, (name, response.content)
        assert response.json()
    assert not User.objects.exists()


@pytest.mark.parametrize("password", ["nul\x00byte-password-42", "x" * 10_000], ids=["nul", "too-long"])
def test_odd_passwords_are_refused(api_client, password):
    data = {"email": "new@example.com", "password1": password, "password2": password}

    response = api_client.post(reverse("accounts:register"), data, format="json")

    assert response.status_code == 400
    assert response.json()["password1"]
    assert not User.objects.exists()


def test_a_nul_byte_in_a_login_password_is_a_400(api_client, user):
    data = {"email": user.email, "password": "quiet\x00harbor"}

    response = api_client.post(reverse("accounts:login"), data, format="json")

    assert response.status_code == 400
    assert response.json()["password"]
