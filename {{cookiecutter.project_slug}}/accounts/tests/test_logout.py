import pytest

from accounts.models import LoginSession

from .utils import access_cookie_name, post_json, refresh_cookie_name

pytestmark = pytest.mark.django_db


def test_logout_ends_the_session_and_clears_the_cookies(logged_in_client, user):
    refresh = logged_in_client.cookies[refresh_cookie_name()].value
    access = logged_in_client.cookies[access_cookie_name()].value

    response = post_json(logged_in_client, "logout")

    assert response.status_code == 200
    assert response.json() == {"detail": "Successfully logged out."}
    for name in access_cookie_name(), refresh_cookie_name():
        assert response.cookies[name].value == ""
        assert response.cookies[name]["max-age"] == 0
    refused = post_json(logged_in_client, "token_refresh", {"refresh": refresh})
    assert refused.status_code == 401
    assert refused.json()["detail"] == "This session has ended. Log in again."
    # The access token is refused at once too, not only once it expires.
    assert logged_in_client.get("/api/accounts/v1/user/", HTTP_AUTHORIZATION=f"Bearer {access}").status_code == 401
    assert LoginSession.objects.get(user=user).ended_at is not None


def test_logout_without_a_refresh_cookie_says_so_and_writes_nothing(api_client):
    response = post_json(api_client, "logout")

    assert response.status_code == 401
    assert response.json() == {"detail": "Refresh token was not included in cookie data."}
    # As token/refresh/ challenges for the refresh token it lacks.
    assert response["WWW-Authenticate"] == post_json(api_client, "token_refresh")["WWW-Authenticate"]
    assert response["WWW-Authenticate"].startswith("Bearer ")
    assert not LoginSession.objects.exists()


def test_logout_with_a_broken_refresh_cookie_still_deletes_the_cookies(api_client):
    api_client.cookies[refresh_cookie_name()] = "not-a-jwt"

    response = post_json(api_client, "logout")

    assert response.status_code == 401
    assert response.has_header("WWW-Authenticate")
    assert response.cookies[refresh_cookie_name()].value == ""


def test_a_broken_access_cookie_does_not_block_logout(logged_in_client):
    logged_in_client.cookies[access_cookie_name()] = "not-a-jwt"

    assert post_json(logged_in_client, "logout").status_code == 200
