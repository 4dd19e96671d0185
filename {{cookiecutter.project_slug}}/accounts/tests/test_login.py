import pytest
from django.urls import reverse

from .utils import PASSWORD, access_cookie_name, assert_logged_in, post_json

pytestmark = pytest.mark.django_db

BAD_CREDENTIALS = {"non_field_errors": ["Unable to log in with provided credentials."]}


def test_login_sets_the_jwt_cookies(api_client, user):
    response = post_json(api_client, "login", {"email": user.email, "password": PASSWORD})

    assert response.status_code == 200, response.content
    user.refresh_from_db()
    assert user.last_login is not None
    assert_logged_in(response, user)


def test_login_ignores_the_case_of_the_email(api_client, user):
    response = post_json(api_client, "login", {"email": "ADA@Example.Com", "password": PASSWORD})

    assert response.status_code == 200


def test_a_wrong_password_is_refused(api_client, user):
    response = post_json(api_client, "login", {"email": user.email, "password": "wrong-password"})

    assert response.status_code == 400
    assert response.json() == BAD_CREDENTIALS
    assert access_cookie_name() not in response.cookies


def test_an_unknown_email_is_refused_like_a_wrong_password(api_client, user):
    response = post_json(api_client, "login", {"email": "nobody@example.com", "password": PASSWORD})

    assert response.status_code == 400
    assert response.json() == BAD_CREDENTIALS


def test_an_inactive_user_cannot_log_in(api_client, user):
    user.is_active = False
    user.save()

    response = post_json(api_client, "login", {"email": user.email, "password": PASSWORD})

    assert response.status_code == 400


def test_a_missing_password_is_named(api_client, user):
    response = post_json(api_client, "login", {"email": user.email})

    assert response.status_code == 400
    assert response.json() == {"password": ["This field is required."]}


def test_malformed_json_is_a_400(api_client):
    response = api_client.post(reverse("accounts:login"), "{not json", content_type="application/json")

    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_a_broken_access_cookie_does_not_block_login(api_client, user):
    api_client.cookies[access_cookie_name()] = "not-a-jwt"

    response = post_json(api_client, "login", {"email": user.email, "password": PASSWORD})

    assert response.status_code == 200
