"""Helpers shared by the test modules: the clients' side of the API."""

import re
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import EmailMessage
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import Token

from accounts.models import User
from accounts.services import start_session
from accounts.tokens import SessionRefreshToken

# Long and unusual enough for Django's password validators.
PASSWORD = "quiet-harbor-lantern-42"
NEW_PASSWORD = "amber-compass-orchard-77"
# The tests' rate limits count per day: a window of a minute could end between
# two requests of a test, and start the count again.
DAY = 24 * 60 * 60


def access_cookie_name() -> str:
    return str(settings.REST_AUTH["JWT_AUTH_COOKIE"])


def refresh_cookie_name() -> str:
    return str(settings.REST_AUTH["JWT_AUTH_REFRESH_COOKIE"])


def post_json(client: APIClient | Client, name: str, data: dict[str, Any] | None = None, **extra: Any) -> Any:
    """POST data as JSON to accounts:<name>; the test client's response."""
    return client.post(reverse(f"accounts:{name}"), data or {}, format="json", **extra)


def assert_logged_in(response: Any, user: User) -> None:
    """The response logs `user` in: both JWTs in HttpOnly cookies, no refresh token in the body, no session."""
    access, refresh = response.cookies[access_cookie_name()], response.cookies[refresh_cookie_name()]
    for cookie in access, refresh:
        assert cookie.value
        assert cookie["httponly"] is True
        assert cookie["samesite"] == settings.REST_AUTH["JWT_AUTH_SAMESITE"]
    assert SessionRefreshToken(refresh.value)["user_id"] == str(user.pk)
    assert settings.SESSION_COOKIE_NAME not in response.cookies

    body = response.json()
    assert body["access"] == access.value
    assert body["user"] == {"id": user.pk, "email": user.email, "first_name": "", "last_name": ""}
    assert {"access_expiration", "refresh_expiration"} <= body.keys()
    assert "refresh" not in body
    assert refresh.value not in response.content.decode()


def create_user(email: str, password: str = PASSWORD, *, superuser: bool = False) -> User:
    """A user who can log in: with the address verified, as mandatory email verification requires."""
    create = User.objects.create_superuser if superuser else User.objects.create_user
    return with_verified_email(create(email=email, password=password))


def with_verified_email(user: User) -> User:
    """The user, whose address allauth now knows as verified."""
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user


def new_session(user: User) -> SessionRefreshToken:
    """A new login session of user, as a login starts it: its refresh token, whose .access_token goes with it."""
    return start_session(user=user, request=RequestFactory().post("/", HTTP_USER_AGENT="Test browser"))


def access_token(user: User) -> str:
    """The access token of a new login session of user."""
    return str(new_session(user).access_token)


def expired_access_token(user: User) -> str:
    token = new_session(user).access_token
    token.set_exp(lifetime=-timedelta(seconds=1))
    return str(token)


def tampered(token: Token) -> str:
    """The token with its signature reversed, so that it no longer matches."""
    header, payload, signature = str(token).split(".")
    return ".".join([header, payload, signature[::-1]])


def tampered_access_token(user: User) -> str:
    return tampered(new_session(user).access_token)


def request_reset(client: APIClient, email: str) -> None:
    """Ask for a password reset email, which the test outbox receives if a user has the address."""
    response = post_json(client, "password_reset", {"email": email})
    assert response.status_code == 200, response.content
    assert response.json() == {"detail": "Password reset e-mail has been sent."}


def link_parts(message: EmailMessage) -> dict[str, str]:
    """The uid and token from the link in a reset email built from PASSWORD_RESET_CONFIRM_URL."""
    pattern = re.escape(settings.PASSWORD_RESET_CONFIRM_URL).replace(r"\{uid\}", "(?P<uid>[0-9a-z]+)")
    pattern = pattern.replace(r"\{token\}", "(?P<token>[0-9a-z]+-[0-9a-f]+)")
    link = re.search(pattern, str(message.body))
    assert link, message.body
    return link.groupdict()


def confirm(
    client: APIClient, uid: str, token: str, new_password1: str = NEW_PASSWORD, new_password2: str = NEW_PASSWORD
) -> Any:
    """Post a new password with the uid and token of a reset link; the test client's response."""
    data = {"uid": uid, "token": token, "new_password1": new_password1, "new_password2": new_password2}
    return post_json(client, "password_reset_confirm", data)
