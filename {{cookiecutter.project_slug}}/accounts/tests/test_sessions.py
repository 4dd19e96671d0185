"""A session is a refresh token: what ends it, and what keeps the blacklist small."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from rest_framework.test import APIClient
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import User
from accounts.tokens import SingleUseRefreshToken

from .utils import (
    NEW_PASSWORD,
    PASSWORD,
    access_cookie_name,
    confirm,
    link_parts,
    post_json,
    refresh_cookie_name,
    request_reset,
)

pytestmark = pytest.mark.django_db


def log_in(user, password=PASSWORD):
    """A new client, as another browser or device, logged in as user."""
    client = APIClient()
    response = post_json(client, "login", {"email": user.email, "password": password})
    assert response.status_code == 200, response.content
    return client


def can_refresh(client):
    return post_json(client, "token_refresh").status_code == 200


def test_password_change_ends_every_session_of_the_user(user):
    laptop, phone = log_in(user), log_in(user)
    someone_else = log_in(User.objects.create_user(email="grace@example.com", password=PASSWORD))
    data = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}

    response = post_json(laptop, "password_change", data)

    assert response.status_code == 200
    # This browser's cookies are deleted: its refresh token died with the others.
    assert response.cookies[access_cookie_name()].value == ""
    assert response.cookies[refresh_cookie_name()].value == ""
    assert not can_refresh(phone)
    assert can_refresh(someone_else)


def test_password_reset_ends_every_session_of_the_user(api_client, user):
    laptop = log_in(user)
    request_reset(api_client, user.email)

    assert confirm(api_client, **link_parts(mail.outbox[0])).status_code == 200

    assert not can_refresh(laptop)
    assert can_refresh(log_in(user, NEW_PASSWORD))


def test_a_password_set_anywhere_else_ends_the_sessions_too(user):
    # The admin, `manage.py changepassword` and the shell all end with set_password() and save().
    laptop = log_in(user)

    user.set_password(NEW_PASSWORD)
    user.save()

    assert not can_refresh(laptop)


def test_saving_a_user_without_a_new_password_ends_nothing(user):
    laptop = log_in(user)

    user.first_name = "Ada"
    user.save()

    assert can_refresh(laptop)


def test_a_refresh_token_can_be_rotated_only_once(user):
    token = RefreshToken.for_user(user)
    # simplejwt annotates the encoded token as a Token; it takes the string.
    SingleUseRefreshToken(str(token)).blacklist()  # type: ignore[arg-type]

    # Two requests that both passed the blacklist check: only the first inserted the row.
    with pytest.raises(TokenError):
        SingleUseRefreshToken(str(token), verify=False).blacklist()  # type: ignore[arg-type]


def test_flushexpiredtokens_deletes_only_expired_tokens(user):
    expired = RefreshToken.for_user(user)
    OutstandingToken.objects.filter(jti=expired["jti"]).update(expires_at=expired.current_time - timedelta(seconds=1))
    expired.blacklist()
    valid = RefreshToken.for_user(user)

    call_command("flushexpiredtokens")

    assert list(OutstandingToken.objects.values_list("jti", flat=True)) == [valid["jti"]]
    assert not BlacklistedToken.objects.exists()
