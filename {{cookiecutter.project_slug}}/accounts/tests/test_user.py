import pytest
from django.urls import reverse

from .utils import access_cookie_name, access_token, expired_access_token, tampered_access_token

pytestmark = pytest.mark.django_db

USER_URL = reverse("accounts:user")


def test_the_access_cookie_authenticates(logged_in_client, user):
    response = logged_in_client.get(USER_URL)

    assert response.status_code == 200
    assert response.json() == {"id": user.pk, "email": user.email, "first_name": "", "last_name": ""}


def test_a_bearer_header_authenticates_without_cookies(api_client, user):
    token = access_token(user)

    response = api_client.get(USER_URL, HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 200
    assert response.json()["email"] == user.email


def test_anonymous_requests_are_refused(api_client):
    response = api_client.get(USER_URL)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("make_token", [expired_access_token, tampered_access_token])
def test_expired_or_tampered_tokens_are_refused(api_client, user, make_token):
    api_client.cookies[access_cookie_name()] = make_token(user)

    response = api_client.get(USER_URL)

    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_a_deleted_users_token_is_refused(logged_in_client, user):
    user.delete()

    assert logged_in_client.get(USER_URL).status_code == 401


def test_the_user_can_change_their_name_but_not_their_email(logged_in_client, user):
    response = logged_in_client.patch(
        USER_URL, {"first_name": "Ada", "last_name": "Lovelace", "email": "other@example.com"}, format="json"
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.email) == ("Ada", "Lovelace", "ada@example.com")
