import pytest
from django.urls import reverse

ENDPOINTS = {
    "register": "/api/accounts/v1/registration/",
    "login": "/api/accounts/v1/login/",
    "logout": "/api/accounts/v1/logout/",
    "user": "/api/accounts/v1/user/",
    "password_change": "/api/accounts/v1/password/change/",
    "password_reset": "/api/accounts/v1/password/reset/",
    "password_reset_confirm": "/api/accounts/v1/password/reset/confirm/",
    "token_verify": "/api/accounts/v1/token/verify/",
    "token_refresh": "/api/accounts/v1/token/refresh/",
}


@pytest.mark.parametrize(("name", "path"), ENDPOINTS.items())
def test_endpoint_paths(name, path):
    assert reverse(f"accounts:{name}") == path


@pytest.mark.django_db
def test_an_unknown_path_under_the_prefix_is_not_found(api_client):
    # dj-rest-auth's own URLconf matches any path that merely ends in login/.
    assert api_client.post("/api/accounts/v1/not-a-login/", {}, format="json").status_code == 404
