import pytest
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from .utils import access_cookie_name, post_json, refresh_cookie_name

pytestmark = pytest.mark.django_db


def test_logout_blacklists_the_refresh_token_and_clears_the_cookies(logged_in_client):
    refresh = logged_in_client.cookies[refresh_cookie_name()].value

    response = post_json(logged_in_client, "logout")

    assert response.status_code == 200
    assert response.json() == {"detail": "Successfully logged out."}
    for name in access_cookie_name(), refresh_cookie_name():
        assert response.cookies[name].value == ""
        assert response.cookies[name]["max-age"] == 0
    refused = post_json(logged_in_client, "token_refresh", {"refresh": refresh})
    assert refused.status_code == 401
    assert refused.json()["detail"] == "Token is blacklisted"


def test_logout_without_a_refresh_cookie_says_so_and_writes_nothing(api_client):
    response = post_json(api_client, "logout")

    assert response.status_code == 401
    assert response.json() == {"detail": "Refresh token was not included in cookie data."}
    assert not OutstandingToken.objects.exists()
    assert not BlacklistedToken.objects.exists()


def test_a_broken_access_cookie_does_not_block_logout(logged_in_client):
    logged_in_client.cookies[access_cookie_name()] = "not-a-jwt"

    assert post_json(logged_in_client, "logout").status_code == 200
