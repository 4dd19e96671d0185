"""Login sessions: what starts them, what ends them, and what their tokens can do meanwhile."""

from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.exceptions import InvalidToken

from accounts.models import LoginSession, User
from accounts.services import refresh_session
from config.settings import base

from .utils import (
    NEW_PASSWORD,
    PASSWORD,
    access_cookie_name,
    confirm,
    create_user,
    link_parts,
    new_session,
    post_json,
    refresh_cookie_name,
    request_reset,
    with_verified_email,
)

pytestmark = pytest.mark.django_db

USER_URL = reverse("accounts:user")
SESSIONS_URL = reverse("accounts:sessions")


def log_in(user, password=PASSWORD, **headers):
    """A new client, as another browser or device, logged in as user."""
    client = APIClient()
    response = post_json(client, "login", {"email": user.email, "password": password}, **headers)
    assert response.status_code == 200, response.content
    return client


def can_refresh(client):
    return post_json(client, "token_refresh").status_code == 200


def is_authenticated(client):
    return client.get(USER_URL).status_code == 200


def session_id(client):
    """The id of the session whose access cookie the client holds."""
    [current] = [session for session in client.get(SESSIONS_URL).json() if session["current"]]
    return current["id"]


def test_a_login_starts_a_session_that_both_tokens_name(user):
    client = log_in(user, HTTP_USER_AGENT="Firefox on a laptop", REMOTE_ADDR="203.0.113.5")

    session = LoginSession.objects.get(user=user)
    assert (session.user_agent, session.ip_address, session.ended_at) == ("Firefox on a laptop", "203.0.113.5", None)
    for cookie in access_cookie_name(), refresh_cookie_name():
        assert client.cookies[cookie].value
    [listed] = client.get(SESSIONS_URL).json()
    assert listed["id"] == str(session.pk)


def test_password_change_ends_every_session_of_the_user(user):
    laptop, phone = log_in(user), log_in(user)
    someone_else = log_in(create_user("grace@example.com"))
    data = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}

    response = post_json(laptop, "password_change", data)

    assert response.status_code == 200
    # This browser's cookies are deleted: its session ended with the others.
    assert response.cookies[access_cookie_name()].value == ""
    assert response.cookies[refresh_cookie_name()].value == ""
    assert not can_refresh(phone)
    # The access tokens stop at once, not when they expire.
    assert not is_authenticated(phone)
    assert can_refresh(someone_else)


def test_password_reset_ends_every_session_of_the_user(api_client, user):
    laptop = log_in(user)
    request_reset(api_client, user.email)

    assert confirm(api_client, **link_parts(mail.outbox[0])).status_code == 200

    assert not can_refresh(laptop)
    assert not is_authenticated(laptop)
    assert can_refresh(log_in(user, NEW_PASSWORD))


def test_a_password_set_anywhere_else_ends_the_sessions_too(user):
    # The admin, `manage.py changepassword` and the shell all end with set_password() and save().
    laptop = log_in(user)

    user.set_password(NEW_PASSWORD)
    user.save()

    assert not can_refresh(laptop)
    assert not is_authenticated(laptop)


def test_saving_a_user_without_a_new_password_ends_nothing(user):
    laptop = log_in(user)

    user.first_name = "Ada"
    user.save()

    assert can_refresh(laptop)


def test_a_rehash_at_login_is_no_password_change(settings):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    user = with_verified_email(
        User.objects.create(email="old@example.com", password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    )
    # A session from before Argon2 came first.
    laptop = APIClient()
    laptop.credentials(HTTP_AUTHORIZATION=f"Bearer {new_session(user).access_token}")

    # This login upgrades the stored hash.
    log_in(user)

    assert User.objects.get(pk=user.pk).password.startswith("argon2$")
    assert is_authenticated(laptop)


def test_a_session_that_a_login_in_flight_started_under_the_old_password_is_over(user):
    # The login read the user, and checked the old password, before the change.
    seen_by_the_login = User.objects.get(pk=user.pk)
    user.set_password(NEW_PASSWORD)
    user.save()

    late = new_session(seen_by_the_login)

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {late.access_token}")
    assert client.get(USER_URL).status_code == 401
    with pytest.raises(InvalidToken):
        refresh_session(token=str(late))


def test_logout_all_ends_every_session_and_clears_this_ones_cookies(user):
    laptop, phone = log_in(user), log_in(user)

    response = laptop.post(reverse("accounts:logout_all"))

    assert response.status_code == 200
    assert response.json() == {"detail": "Every session has ended."}
    assert response.cookies[access_cookie_name()].value == ""
    for client in laptop, phone:
        assert not is_authenticated(client)
        assert not can_refresh(client)


def test_logout_all_needs_a_login(api_client):
    assert api_client.post(reverse("accounts:logout_all")).status_code == 401


def test_sessions_lists_the_live_sessions_of_the_user_and_marks_this_one(user):
    laptop = log_in(user, HTTP_USER_AGENT="Laptop")
    phone = log_in(user, HTTP_USER_AGENT="Phone")
    post_json(log_in(user, HTTP_USER_AGENT="Logged out"), "logout")
    log_in(create_user("grace@example.com"))

    listed = laptop.get(SESSIONS_URL).json()

    assert sorted((session["user_agent"], session["current"]) for session in listed) == [
        ("Laptop", True),
        ("Phone", False),
    ]
    assert set(listed[0]) == {"id", "current", "created_at", "last_used_at", "user_agent", "ip_address"}
    assert session_id(phone) != session_id(laptop)


def test_deleting_a_session_ends_it(user):
    laptop, phone = log_in(user), log_in(user)

    response = laptop.delete(reverse("accounts:session", args=[session_id(phone)]))

    assert response.status_code == 204
    assert access_cookie_name() not in response.cookies
    assert not is_authenticated(phone)
    assert not can_refresh(phone)
    assert is_authenticated(laptop)


def test_deleting_this_session_clears_its_cookies(user):
    laptop = log_in(user)

    response = laptop.delete(reverse("accounts:session", args=[session_id(laptop)]))

    assert response.status_code == 204
    assert response.cookies[access_cookie_name()].value == ""
    assert not is_authenticated(laptop)


def test_another_users_session_cannot_be_deleted(user):
    laptop = log_in(user)
    grace = log_in(create_user("grace@example.com"))

    response = laptop.delete(reverse("accounts:session", args=[session_id(grace)]))

    assert response.status_code == 404
    assert is_authenticated(grace)


def test_a_refresh_records_when_the_session_was_last_used(user):
    laptop = log_in(user)
    session = LoginSession.objects.get(user=user)
    LoginSession.objects.filter(pk=session.pk).update(last_used_at=session.last_used_at - timedelta(hours=1))

    assert can_refresh(laptop)

    session.refresh_from_db()
    assert timezone.now() - session.last_used_at < timedelta(minutes=1)
    assert session.generation == 1


def test_a_rotated_token_within_the_grace_window_is_refused_and_ends_nothing(user):
    first = new_session(user)
    second = refresh_session(token=str(first))

    with pytest.raises(InvalidToken, match="used already"):
        refresh_session(token=str(first))

    # Two tabs refreshed at once: the tab that won goes on.
    assert refresh_session(token=str(second))


def test_a_rotated_token_after_the_grace_window_ends_the_session(user, settings):
    first = new_session(user)
    stolen_successor = refresh_session(token=str(first))
    rotated_at = timezone.now() - settings.JWT_REFRESH_REUSE_GRACE - timedelta(seconds=1)
    LoginSession.objects.update(rotated_at=rotated_at)

    with pytest.raises(InvalidToken):
        refresh_session(token=str(first))

    # Either holder may be the thief: the whole session is over.
    with pytest.raises(InvalidToken, match="session has ended"):
        refresh_session(token=str(stolen_successor))
    assert LoginSession.objects.get().ended_at is not None


def test_clearloginsessions_deletes_only_sessions_that_are_over(user, capsys):
    live = new_session(user)
    ended = new_session(user)
    browser = APIClient()
    browser.cookies[refresh_cookie_name()] = str(ended)
    assert post_json(browser, "logout").status_code == 200
    expired = new_session(user)
    LoginSession.objects.filter(pk=expired["sid"]).update(expires_at=timezone.now() - timedelta(seconds=1))

    call_command("clearloginsessions")

    assert list(LoginSession.objects.values_list("pk", flat=True)) == [LoginSession.objects.get(pk=live["sid"]).pk]
    assert capsys.readouterr().out == "Deleted 2 login sessions that can no longer be used.\n"
