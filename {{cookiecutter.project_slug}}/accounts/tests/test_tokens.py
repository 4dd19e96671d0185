import pytest
from django.urls import reverse

from .utils import (
    PASSWORD,
    access_cookie_name,
    access_token,
    expired_access_token,
    new_session,
    post_json,
    refresh_cookie_name,
    tampered,
    tampered_access_token,
)

pytestmark = pytest.mark.django_db


def test_verify_accepts_a_token_in_the_body(api_client, user):
    response = post_json(api_client, "token_verify", {"token": access_token(user)})

    assert response.status_code == 200


def test_verify_reads_the_access_cookie(logged_in_client):
    assert post_json(logged_in_client, "token_verify").status_code == 200


@pytest.mark.parametrize("make_token", [expired_access_token, tampered_access_token])
def test_verify_refuses_an_expired_or_tampered_token(api_client, user, make_token):
    response = post_json(api_client, "token_verify", {"token": make_token(user)})

    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_verify_without_any_token_says_so(api_client):
    response = post_json(api_client, "token_verify")

    assert response.status_code == 401
    assert response.json()["detail"] == "No token in the request body or the access cookie."


def test_refresh_works_from_the_cookie_alone(logged_in_client):
    old_access = logged_in_client.cookies[access_cookie_name()].value
    old_refresh = logged_in_client.cookies[refresh_cookie_name()].value

    response = post_json(logged_in_client, "token_refresh")

    assert response.status_code == 200, response.content
    new_access = response.cookies[access_cookie_name()]
    new_refresh = response.cookies[refresh_cookie_name()]
    assert response.json()["access"] == new_access.value != old_access
    assert new_refresh.value != old_refresh
    assert new_access["httponly"] is True
    assert new_refresh["httponly"] is True
    assert "refresh" not in response.json()


def test_a_refresh_token_is_refused_once_it_has_been_rotated(logged_in_client):
    old_refresh = logged_in_client.cookies[refresh_cookie_name()].value
    post_json(logged_in_client, "token_refresh")

    response = post_json(logged_in_client, "token_refresh", {"refresh": old_refresh})

    assert response.status_code == 401


def test_refresh_refuses_a_tampered_token(api_client, user):
    api_client.cookies[refresh_cookie_name()] = tampered(new_session(user))

    response = post_json(api_client, "token_refresh")

    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_refresh_without_a_token_is_refused(api_client):
    response = post_json(api_client, "token_refresh")

    assert response.status_code == 401
    assert response.json()["detail"] == "No valid refresh token found."


def test_refresh_for_a_deleted_user_is_refused(logged_in_client, user):
    user.delete()

    response = post_json(logged_in_client, "token_refresh")

    assert response.status_code == 401


def test_verify_refuses_a_refresh_token(api_client, user):
    response = post_json(api_client, "token_verify", {"token": str(new_session(user))})

    assert response.status_code == 401


@pytest.mark.parametrize("end", ["logout", "deactivate", "delete"])
def test_verify_refuses_what_user_refuses(api_client, user, end):
    session = new_session(user)
    token = str(session.access_token)
    if end == "logout":
        api_client.cookies[refresh_cookie_name()] = str(session)
        assert post_json(api_client, "logout").status_code == 200
    elif end == "deactivate":
        user.is_active = False
        user.save()
    else:
        user.delete()

    verified = post_json(api_client, "token_verify", {"token": token})
    read = api_client.get("/api/accounts/v1/user/", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert verified.status_code == read.status_code == 401


@pytest.mark.parametrize("name", ["register", "login", "token_refresh", "user", "sessions", "csrf", "token_verify"])
def test_answers_that_carry_tokens_or_user_data_are_never_stored(logged_in_client, name):
    if name == "register":
        data = {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD}
        response = post_json(logged_in_client, name, data)
    elif name == "login":
        response = post_json(logged_in_client, name, {"email": "ada@example.com", "password": PASSWORD})
    elif name in {"token_refresh", "token_verify"}:
        response = post_json(logged_in_client, name)
    else:
        response = logged_in_client.get(reverse(f"accounts:{name}"))

    assert response.status_code in {200, 201}, response.content
    assert "no-store" in response.get("Cache-Control", "")
