"""Requests authenticated by the access cookie need the CSRF token; Bearer clients do not."""

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from .utils import PASSWORD, access_cookie_name, access_token, expired_access_token, post_json, refresh_cookie_name

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(user):
    """A client that checks CSRF as a real server does, holding the cookies of a login."""
    client = APIClient(enforce_csrf_checks=True)
    assert post_json(client, "login", {"email": user.email, "password": PASSWORD}).status_code == 200
    return client


def rename(client, **extra):
    return client.patch(reverse("accounts:user"), {"first_name": "Ada"}, format="json", **extra)


def test_a_cookie_authenticated_write_without_the_token_is_forbidden(browser, user):
    response = rename(browser)

    assert response.status_code == 403
    assert response.json()["detail"].startswith("CSRF Failed")
    user.refresh_from_db()
    assert user.first_name == ""


def test_the_token_from_the_csrf_endpoint_lets_the_write_through(browser, user):
    response = browser.get(reverse("accounts:csrf"))
    token = response.json()["csrf_token"]
    assert browser.cookies[settings.CSRF_COOKIE_NAME].value

    response = rename(browser, HTTP_X_CSRFTOKEN=token)

    assert response.status_code == 200, response.content
    user.refresh_from_db()
    assert user.first_name == "Ada"


def test_reading_with_the_cookie_needs_no_token(browser):
    assert browser.get(reverse("accounts:user")).status_code == 200


def test_bearer_clients_are_not_asked_for_a_token(user):
    client = APIClient(enforce_csrf_checks=True)

    response = rename(client, HTTP_AUTHORIZATION=f"Bearer {access_token(user)}")

    assert response.status_code == 200, response.content


@pytest.mark.parametrize("access_cookie", ["garbage", "expired"])
def test_stale_cookies_never_lock_a_browser_out(user, access_cookie):
    """Sign-up, login, password reset and logout need neither a valid cookie nor a CSRF token."""
    client = APIClient(enforce_csrf_checks=True)
    stale = "not-a-jwt" if access_cookie == "garbage" else expired_access_token(user)
    client.cookies[access_cookie_name()] = stale
    client.cookies[refresh_cookie_name()] = stale
    credentials = {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD}

    assert post_json(client, "register", credentials).status_code == 201
    client.cookies[access_cookie_name()] = stale
    assert post_json(client, "login", {"email": user.email, "password": PASSWORD}).status_code == 200
    client.cookies[access_cookie_name()] = stale
    assert post_json(client, "password_reset", {"email": user.email}).status_code == 200
    assert post_json(client, "logout").status_code == 200
