import pytest
from dj_rest_auth.app_settings import api_settings

from accounts.checks import (
    check_jwt_cookie_samesite,
    check_password_reset_confirm_url,
    check_rate_limits,
    check_refresh_cookie_path,
)


def test_the_default_reset_url_passes():
    assert check_password_reset_confirm_url(None) == []


@pytest.mark.parametrize(
    "url",
    [
        "https://app.example.com/reset/",
        "https://app.example.com/reset/{uid}/",
        "https://app.example.com/reset/{uid}/{token}/{extra}/",
        "https://app.example.com/reset/{uid/{token}",
    ],
)
def test_a_reset_url_without_exactly_uid_and_token_is_an_error(settings, url):
    settings.PASSWORD_RESET_CONFIRM_URL = url

    [error] = check_password_reset_confirm_url(None)

    assert error.id == "accounts.E001"
    assert "{uid} and {token}" in error.msg


@pytest.fixture
def rest_auth_settings(monkeypatch):
    """dj-rest-auth reads its settings once; tests change them where it keeps them."""

    def change(**values):
        for name, value in values.items():
            monkeypatch.setattr(api_settings, name, value)

    return change


@pytest.mark.parametrize("path", ["/", "/api/", "/api/accounts/v1/"])
def test_refresh_cookie_paths_that_reach_refresh_and_logout_pass(rest_auth_settings, path):
    rest_auth_settings(JWT_AUTH_REFRESH_COOKIE_PATH=path)

    assert check_refresh_cookie_path(None) == []


def test_a_refresh_cookie_path_that_misses_logout_is_an_error(rest_auth_settings):
    rest_auth_settings(JWT_AUTH_REFRESH_COOKIE_PATH="/api/accounts/v1/token/refresh/")

    [error] = check_refresh_cookie_path(None)

    assert error.id == "accounts.E002"
    assert "/api/accounts/v1/logout/" in error.msg


@pytest.mark.parametrize(
    ("samesite", "secure", "ok"),
    [
        ("Lax", False, True),
        ("Strict", False, True),
        ("None", True, True),
        ("None", False, False),
        ("lax ", True, False),
    ],
)
def test_samesite_must_be_a_value_browsers_keep(rest_auth_settings, samesite, secure, ok):
    rest_auth_settings(JWT_AUTH_SAMESITE=samesite, JWT_AUTH_SECURE=secure)

    errors = check_jwt_cookie_samesite(None)

    assert (errors == []) is ok
    assert all(error.id == "accounts.E003" for error in errors)


def test_the_default_rate_limits_pass():
    assert check_rate_limits(None) == []
