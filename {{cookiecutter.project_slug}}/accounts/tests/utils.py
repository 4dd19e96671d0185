from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

# Long and unusual enough for Django's password validators.
PASSWORD = "quiet-harbor-lantern-42"


def access_cookie_name():
    return settings.REST_AUTH["JWT_AUTH_COOKIE"]


def refresh_cookie_name():
    return settings.REST_AUTH["JWT_AUTH_REFRESH_COOKIE"]


def post_json(client, name, data=None, **extra):
    return client.post(reverse(f"accounts:{name}"), data or {}, format="json", **extra)


def assert_logged_in(response, user):
    """The response logs `user` in: both JWTs in HttpOnly cookies, no refresh token in the body, no session."""
    access, refresh = response.cookies[access_cookie_name()], response.cookies[refresh_cookie_name()]
    for cookie in access, refresh:
        assert cookie.value
        assert cookie["httponly"] is True
        assert cookie["samesite"] == settings.REST_AUTH["JWT_AUTH_SAMESITE"]
    assert RefreshToken(refresh.value)["user_id"] == str(user.pk)
    assert settings.SESSION_COOKIE_NAME not in response.cookies

    body = response.json()
    assert body["access"] == access.value
    assert body["user"] == {"id": user.pk, "email": user.email, "first_name": "", "last_name": ""}
    assert {"access_expiration", "refresh_expiration"} <= body.keys()
    assert "refresh" not in body
    assert refresh.value not in response.content.decode()


def expired_access_token(user):
    token = AccessToken.for_user(user)
    token.set_exp(lifetime=-timedelta(seconds=1))
    return str(token)


def tampered(token):
    """The token with its signature reversed, so that it no longer matches."""
    header, payload, signature = str(token).split(".")
    return ".".join([header, payload, signature[::-1]])


def tampered_access_token(user):
    return tampered(AccessToken.for_user(user))
