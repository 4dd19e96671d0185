import pytest
from django.urls import reverse

from accounts.models import User
from accounts.serializers import RegisterSerializer

from .utils import PASSWORD, access_cookie_name, assert_logged_in, post_json

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_verification")]


def register(client, email="new@example.com", password1=PASSWORD, password2=PASSWORD):
    return post_json(client, "register", {"email": email, "password1": password1, "password2": password2})


def test_registration_creates_the_user_and_logs_them_in(api_client):
    response = register(api_client, email="New.User@Example.com")

    assert response.status_code == 201, response.content
    user = User.objects.get()
    assert user.email == "new.user@example.com"
    assert user.check_password(PASSWORD)
    assert user.last_login is not None
    assert_logged_in(response, user)


def test_the_new_users_cookie_opens_the_user_endpoint(api_client):
    register(api_client)

    response = api_client.get(reverse("accounts:user"))

    assert response.status_code == 200
    assert response.json()["email"] == "new@example.com"


@pytest.mark.parametrize("email", ["ada@example.com", "Ada@Example.com", "ADA@EXAMPLE.COM"])
def test_an_email_already_registered_in_any_case_is_refused(api_client, user, email):
    response = register(api_client, email=email)

    assert response.status_code == 400
    assert response.json() == {"email": ["A user is already registered with this email address."]}
    assert User.objects.count() == 1


def test_a_sign_up_that_loses_a_race_for_its_email_is_a_400(api_client, user, monkeypatch):
    # As if another request created the account between this one's validation and its save.
    monkeypatch.setattr(RegisterSerializer, "validate_email", lambda _self, email: email.lower())

    response = register(api_client, email="Ada@example.com")

    assert response.status_code == 400
    assert response.json() == {"email": ["A user is already registered with this email address."]}
    assert User.objects.count() == 1


def test_mismatched_passwords_are_refused(api_client):
    response = register(api_client, password2=PASSWORD + "-typo")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["The two password fields didn't match."]}
    assert not User.objects.exists()


def test_a_common_password_is_refused(api_client):
    response = register(api_client, password1="password123", password2="password123")

    assert response.status_code == 400
    assert "password1" in response.json()
    assert not User.objects.exists()


def test_missing_fields_are_named(api_client):
    response = post_json(api_client, "register", {})

    assert response.status_code == 400
    assert set(response.json()) == {"email", "password1", "password2"}


def test_no_username_is_asked_for(api_client):
    response = post_json(api_client, "register", {"email": "x@example.com"})

    assert "username" not in response.json()


def test_an_email_longer_than_the_column_is_refused_not_cut(api_client):
    response = register(api_client, email=f"{'a' * 64}@{'b' * 63}.{'c' * 63}.{'d' * 63}.example")

    assert response.status_code == 400
    assert response.json() == {"email": ["Ensure this field has no more than 254 characters."]}
    assert not User.objects.exists()


def test_an_invalid_email_is_refused(api_client):
    response = register(api_client, email="not-an-email")

    assert response.status_code == 400
    assert "email" in response.json()


def test_malformed_json_is_a_400(api_client):
    response = api_client.post(reverse("accounts:register"), '{"email": ', content_type="application/json")

    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_a_broken_access_cookie_does_not_block_registration(api_client):
    api_client.cookies[access_cookie_name()] = "not-a-jwt"

    assert register(api_client).status_code == 201
