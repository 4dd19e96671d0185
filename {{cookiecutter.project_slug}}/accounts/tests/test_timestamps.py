"""Every time an answer gives is in UTC, written with a Z, whatever TIME_ZONE says."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework_simplejwt.settings import api_settings as jwt_settings

from .utils import PASSWORD, post_json

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def seoul(settings):
    """A project whose TIME_ZONE is nine hours ahead of UTC."""
    settings.TIME_ZONE = "Asia/Seoul"


def utc_time(value: str) -> datetime:
    """The time a timestamp of an answer gives; it must be UTC's, with a Z."""
    assert value.endswith("Z"), value
    return datetime.fromisoformat(value)


def assert_from_now(value: str, lifetime: timedelta) -> None:
    expected = timezone.now() + lifetime
    assert abs(utc_time(value) - expected) < timedelta(minutes=1), (value, expected)


def test_login_and_refresh_give_expirations_alike(api_client, user):
    login = post_json(api_client, "login", {"email": user.email, "password": PASSWORD}).json()
    refresh = post_json(api_client, "token_refresh").json()

    assert_from_now(login["access_expiration"], jwt_settings.ACCESS_TOKEN_LIFETIME)
    assert_from_now(login["refresh_expiration"], jwt_settings.REFRESH_TOKEN_LIFETIME)
    assert_from_now(refresh["access_expiration"], jwt_settings.ACCESS_TOKEN_LIFETIME)


def test_registration_gives_expirations_in_utc(api_client, without_verification):
    data = {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD}

    body = post_json(api_client, "register", data).json()

    assert_from_now(body["access_expiration"], jwt_settings.ACCESS_TOKEN_LIFETIME)
    assert_from_now(body["refresh_expiration"], jwt_settings.REFRESH_TOKEN_LIFETIME)


def test_sessions_give_their_times_in_utc(logged_in_client):
    [session] = logged_in_client.get(reverse("accounts:sessions")).json()

    assert_from_now(session["created_at"], timedelta(0))
    assert_from_now(session["last_used_at"], timedelta(0))
