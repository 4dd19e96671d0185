import inspect
import re

import pytest
from dj_rest_auth.app_settings import api_settings

from accounts import checks
from accounts.checks import (
    check_email_verification_url,
    check_jwt_cookie_names,
    check_jwt_cookie_samesite,
    check_password_change_ends_sessions,
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


def test_the_default_verification_url_passes():
    assert check_email_verification_url(None) == []


@pytest.mark.parametrize(
    "url", ["https://app.example.com/verify/", "https://app.example.com/verify/{key}/{uid}/", "https://x/{key"]
)
def test_a_verification_url_without_exactly_key_is_an_error(settings, url):
    settings.EMAIL_VERIFICATION_URL = url

    [error] = check_email_verification_url(None)

    assert error.id == "accounts.E007"
    assert "{key}" in error.msg


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
    ("samesite", "secure", "error_ids"),
    [
        ("Lax", False, []),
        ("Strict", False, []),
        ("None", True, []),
        ("None", False, ["accounts.E005"]),
        ("lax ", True, ["accounts.E003"]),
    ],
)
def test_samesite_must_be_a_value_browsers_keep(rest_auth_settings, samesite, secure, error_ids):
    rest_auth_settings(JWT_AUTH_SAMESITE=samesite, JWT_AUTH_SECURE=secure)

    errors = check_jwt_cookie_samesite(None)

    assert [error.id for error in errors] == error_ids


def test_the_default_cookie_names_pass():
    assert check_jwt_cookie_names(None) == []


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("my cookie", "is not a cookie name"),
        ("tök", "is not a cookie name"),
        ("", "is not a cookie name"),
        ("sessionid", "a cookie that Django sets itself"),
        ("csrftoken", "a cookie that Django sets itself"),
        ("messages", "a cookie that Django sets itself"),
        ("Path", "the name of a cookie attribute"),
        ("__Secure-access", "only on Secure cookies"),
        ("__Host-access", "only on Secure cookies"),
    ],
)
@pytest.mark.parametrize("variable", ["JWT_AUTH_COOKIE", "JWT_AUTH_REFRESH_COOKIE"])
def test_a_cookie_name_that_browsers_python_or_django_would_mishandle_is_an_error(
    rest_auth_settings, variable, name, problem
):
    rest_auth_settings(**{variable: name})

    [error] = check_jwt_cookie_names(None)

    assert error.id == "accounts.E008"
    assert error.msg.startswith(f"{variable} is {name!r}, which ")
    assert problem in error.msg


def test_secure_cookies_may_take_the_prefixes_that_need_them(rest_auth_settings):
    rest_auth_settings(
        JWT_AUTH_SECURE=True,
        JWT_AUTH_COOKIE="__Host-access",
        JWT_AUTH_REFRESH_COOKIE="__Secure-refresh",
        JWT_AUTH_COOKIE_DOMAIN=None,
    )

    assert check_jwt_cookie_names(None) == []


def test_the_host_prefix_needs_the_path_slash_and_no_domain(rest_auth_settings):
    rest_auth_settings(JWT_AUTH_SECURE=True, JWT_AUTH_REFRESH_COOKIE="__Host-refresh", JWT_AUTH_COOKIE_DOMAIN=None)

    [error] = check_jwt_cookie_names(None)

    assert error.id == "accounts.E008"
    assert "without a domain and with the path /" in error.msg


def test_the_two_cookies_need_two_names(rest_auth_settings):
    rest_auth_settings(JWT_AUTH_COOKIE="token", JWT_AUTH_REFRESH_COOKIE="token")

    [error] = check_jwt_cookie_names(None)

    assert error.id == "accounts.E008"
    assert "are both 'token'" in error.msg


def test_ending_sessions_on_a_password_change_cannot_be_dropped_unnoticed(settings):
    assert check_password_change_ends_sessions(None) == []
    settings.AUTH_PASSWORD_VALIDATORS = [
        validator
        for validator in settings.AUTH_PASSWORD_VALIDATORS
        if not validator["NAME"].endswith("EndSessionsOnPasswordChange")
    ]

    [error] = check_password_change_ends_sessions(None)

    assert error.id == "accounts.E006"


def test_every_check_has_its_own_error_id():
    source = inspect.getsource(checks)

    ids = re.findall(r'"(accounts\.[EW]\d{3})"', source)

    assert len(ids) == len(set(ids)) >= 8


def test_the_default_rate_limits_pass():
    assert check_rate_limits(None) == []
