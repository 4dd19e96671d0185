"""Every message the API can answer comes in Korean to a client that asks for it, or from a project that speaks it.

The tests walk each error path of each endpoint (test_verification.py and the
social login tests walk those of their options) and find no English left.
"""

from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest
from django.core import mail
from django.db import OperationalError
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import User
from accounts.views import auth
from accounts.views.user import EndpointListView

from .korean import assert_korean, assert_korean_email, english_words
from .utils import (
    NEW_PASSWORD,
    PASSWORD,
    access_cookie_name,
    access_token,
    confirm,
    expired_access_token,
    link_parts,
    new_session,
    post_json,
    refresh_cookie_name,
    tampered,
    tampered_access_token,
)

pytestmark = pytest.mark.django_db

OTHER_ORIGIN = "https://evil.example.net"
SIGN_UP = {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD}


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("Token is invalid", ["Token is invalid"]),
        ("유효하지 않은 token입니다.", ["token"]),
        ("이 필드는 blank일 수 없습니다.", ["blank"]),
        ("code와 access_token 중 하나만 보내세요.", []),
        ("'utf-8' 코덱으로 0번 위치의 바이트 0xff를 읽을 수 없습니다", []),
        ("Origin 검사 실패 - https://evil.example.net은(는) 신뢰하는 출처가 아닙니다.", []),
        ("슈퍼유저는 is_staff=True여야 합니다.", ["is_staff", "True"]),
    ],
)
def test_english_is_found_but_names_and_what_the_request_sent_are_not(text, english):
    assert english_words(text) == english


def assert_refused_in_korean(response: Any, status: int) -> None:
    assert response.status_code == status, response.content
    assert_korean(response)


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def expired_refresh_token(user: User) -> str:
    token = new_session(user)
    token.set_exp(lifetime=-timedelta(seconds=1))
    return str(token)


def ended_session_token(user: User) -> str:
    """The refresh token of a session that a new password has ended."""
    session = new_session(user)
    user.set_password(NEW_PASSWORD)
    user.save()
    return str(session)


def rotated_refresh_token(user: User) -> str:
    """A refresh token that a refresh has rotated away, just now."""
    token = str(new_session(user))
    assert post_json(APIClient(), "token_refresh", {"refresh": token}).status_code == 200
    return token


# Refresh tokens that do not work, each in its own way.
BAD_REFRESH_TOKENS = {
    "tampered": lambda user: tampered(new_session(user)),
    "expired": expired_refresh_token,
    "an-access-token": access_token,
    "rotated": rotated_refresh_token,
    "of-an-ended-session": ended_session_token,
}
# Access tokens that do not authenticate.
BAD_ACCESS_TOKENS = {
    "tampered": tampered_access_token,
    "expired": expired_access_token,
    "a-refresh-token": lambda user: str(new_session(user)),
    "of-an-ended-session": ended_session_token,
}


@pytest.mark.parametrize(
    "body",
    [
        {},
        {**SIGN_UP, "email": ""},
        {**SIGN_UP, "email": "ada@@example.com"},
        {**SIGN_UP, "email": ["ada@example.com"]},
        {**SIGN_UP, "password2": NEW_PASSWORD},
        {**SIGN_UP, "password1": "12345", "password2": "12345"},
        {**SIGN_UP, "password1": "new@example.com", "password2": "new@example.com"},
        {**SIGN_UP, "password1": "x" * 200, "password2": "x" * 200},
        {**SIGN_UP, "email": "ada@example.com"},
    ],
    ids=["empty", "blank", "invalid", "a-list", "mismatch", "weak", "like-the-email", "too-long", "taken"],
)
def test_registration_refusals(korean_client, user, without_verification, body):
    assert_refused_in_korean(post_json(korean_client, "register", body), 400)


@pytest.mark.parametrize(
    "body",
    [{}, {"email": "", "password": ""}, {"email": "ada", "password": PASSWORD}, {"email": "ada@example.com"}],
    ids=["empty", "blank", "invalid", "no-password"],
)
def test_login_refusals(korean_client, user, body):
    assert_refused_in_korean(post_json(korean_client, "login", body), 400)


def test_a_wrong_password(korean_client, user):
    response = post_json(korean_client, "login", {"email": user.email, "password": "wrong-guess"})

    assert_refused_in_korean(response, 400)


# One request of each limited kind.
LIMITED_REQUESTS = {
    "login": lambda client, user: post_json(client, "login", {"email": user.email}),
    "login_account": lambda client, user: post_json(client, "login", {"email": user.email}),
    "registration": lambda client, user: post_json(client, "register", {"email": user.email}),
    "password_reset": lambda client, user: post_json(client, "password_reset", {"email": user.email}),
    "token_refresh": lambda client, user: post_json(client, "token_refresh", {"refresh": str(new_session(user))}),
}


@pytest.mark.parametrize("scope", LIMITED_REQUESTS)
def test_rate_limits(korean_client, user, monkeypatch, scope):
    rates = {**SimpleRateThrottle.THROTTLE_RATES, scope: "1/day"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    LIMITED_REQUESTS[scope](korean_client, user)

    assert_refused_in_korean(LIMITED_REQUESTS[scope](korean_client, user), 429)


def test_the_admin_login_limit(korean_client, user, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, "login": "1/day"})
    guess = {"username": user.email, "password": "wrong-guess"}
    korean_client.post(reverse("admin:login"), guess, format="multipart")

    refused = korean_client.post(reverse("admin:login"), guess, format="multipart")

    assert refused.status_code == 429
    assert english_words(refused.content.decode()) == []


def test_password_change_limit(korean_client, user, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, "login": "1/day"})
    token = access_token(user)
    post_json(korean_client, "password_change", {}, **bearer(token))

    assert_refused_in_korean(post_json(korean_client, "password_change", {}, **bearer(token)), 429)


@pytest.mark.parametrize("cookie", ["none", "not-a-jwt", "expired"])
def test_logout_refusals(korean_client, user, cookie):
    if cookie == "not-a-jwt":
        korean_client.cookies[refresh_cookie_name()] = "not-a-jwt"
    elif cookie == "expired":
        korean_client.cookies[refresh_cookie_name()] = expired_refresh_token(user)

    assert_refused_in_korean(post_json(korean_client, "logout"), 401)


@pytest.mark.parametrize("name", ["logout", "token_refresh"])
def test_requests_from_other_origins(korean_client, name):
    assert_refused_in_korean(post_json(korean_client, name, HTTP_ORIGIN=OTHER_ORIGIN), 403)


@pytest.mark.parametrize(
    ("method", "name"),
    [("post", "logout_all"), ("get", "user"), ("patch", "user"), ("get", "sessions"), ("post", "password_change")],
)
def test_requests_that_need_a_login(korean_client, method, name):
    assert_refused_in_korean(getattr(korean_client, method)(reverse(f"accounts:{name}")), 401)


@pytest.mark.parametrize("token", BAD_ACCESS_TOKENS)
def test_access_tokens_that_do_not_authenticate(korean_client, user, token):
    response = korean_client.get(reverse("accounts:user"), **bearer(BAD_ACCESS_TOKENS[token](user)))

    assert_refused_in_korean(response, 401)


def test_an_access_cookie_that_is_no_token(korean_client):
    korean_client.cookies[access_cookie_name()] = "not-a-jwt"

    assert_refused_in_korean(korean_client.get(reverse("accounts:user")), 401)


def test_an_authorization_header_of_three_parts(korean_client):
    response = korean_client.get(reverse("accounts:user"), HTTP_AUTHORIZATION="Bearer two parts")

    assert_refused_in_korean(response, 401)


def test_a_name_too_long(korean_client, user):
    response = korean_client.patch(
        reverse("accounts:user"), {"first_name": "x" * 200}, format="json", **bearer(access_token(user))
    )

    assert_refused_in_korean(response, 400)


def test_a_method_an_endpoint_has_not(korean_client, user):
    assert_refused_in_korean(korean_client.delete(reverse("accounts:user"), **bearer(access_token(user))), 405)


def test_an_accept_header_without_json(korean_client, user):
    response = korean_client.get(reverse("accounts:user"), HTTP_ACCEPT="text/html", **bearer(access_token(user)))

    assert_refused_in_korean(response, 406)


def post_raw(client, body, content_type="application/json"):
    return client.generic("POST", reverse("accounts:login"), body, content_type=content_type)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{", "application/json"),
        (b'{"email": }', "application/json"),
        (b'{"email" 1}', "application/json"),
        (b'{"a": 1 "b": 2}', "application/json"),
        (b'{"a": 1,}', "application/json"),
        (b'{"a": "b', "application/json"),
        (b'{"a": "\x01"}', "application/json"),
        (b'{"a": "\\q"}', "application/json"),
        (b'{"a": "\\u12"}', "application/json"),
        (b"{} {}", "application/json"),
        (b"\xff\xfe not utf-8", "application/json"),
        (b'{"a": "\xe2\x28\xa1"}', "application/json"),
        (b'"caf\xc3\xa9"', "application/json; charset=ascii"),
        (b'{"email": NaN}', "application/json"),
        (b'{"n": 1' + b"0" * 10_000 + b"}", "application/json"),
        (b"[" * 100_000 + b"]" * 100_000, "application/json"),
        (b'{"email": "\\ud800@example.com"}', "application/json"),
        (b"[]", "application/json"),
    ],
    ids=[
        "truncated",
        "no-value",
        "no-colon",
        "no-comma",
        "trailing-comma",
        "unterminated-string",
        "control-character",
        "bad-escape",
        "bad-unicode-escape",
        "extra-data",
        "not-utf8",
        "bad-utf8-sequence",
        "not-ascii",
        "nan",
        "huge-number",
        "deeply-nested",
        "lone-surrogate",
        "no-object",
    ],
)
def test_bodies_that_are_no_json_object(korean_client, body, content_type):
    assert_refused_in_korean(post_raw(korean_client, body, content_type), 400)


def test_a_body_that_is_not_json(korean_client):
    assert_refused_in_korean(post_raw(korean_client, b"email=a@example.com", "application/x-www-form-urlencoded"), 415)


def test_a_body_too_large(korean_client, settings):
    body = b'{"email": "' + b"a" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE + b'"}'

    assert_refused_in_korean(post_raw(korean_client, body), 413)


def test_a_session_the_user_has_not(korean_client, user):
    response = korean_client.delete(reverse("accounts:session", args=[uuid4()]), **bearer(access_token(user)))

    assert_refused_in_korean(response, 404)


@pytest.mark.parametrize("path", ["/api/accounts/v1/sessions/not-a-uuid/", "/api/no-such-endpoint/"])
def test_urls_that_no_endpoint_has(korean_client, path):
    assert_refused_in_korean(korean_client.delete(path), 404)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"old_password": "wrong-guess", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": PASSWORD},
        {"old_password": PASSWORD, "new_password1": "password", "new_password2": "password"},
    ],
    ids=["empty", "wrong-old-password", "mismatch", "weak"],
)
def test_password_change_refusals(korean_client, user, body):
    response = post_json(korean_client, "password_change", body, **bearer(access_token(user)))

    assert_refused_in_korean(response, 400)


@pytest.mark.parametrize("body", [{}, {"email": "ada"}], ids=["empty", "invalid"])
def test_password_reset_refusals(korean_client, body):
    assert_refused_in_korean(post_json(korean_client, "password_reset", body), 400)


def test_the_password_reset_email(korean_client, user):
    response = post_json(korean_client, "password_reset", {"email": user.email})

    assert response.status_code == 200
    assert_korean(response)
    [message] = mail.outbox
    assert_korean_email(message)


@pytest.mark.parametrize(
    "change",
    [
        {"uid": "zz", "token": "bad-token"},
        {"token": "bad-token"},
        {"new_password2": PASSWORD},
        {"new_password1": "abc", "new_password2": "abc"},
        {"uid": None, "token": None, "new_password1": None, "new_password2": None},
    ],
    ids=["bad-uid", "bad-token", "mismatch", "weak", "empty"],
)
def test_password_reset_confirm_refusals(korean_client, user, change):
    assert post_json(korean_client, "password_reset", {"email": user.email}).status_code == 200
    link = {**link_parts(mail.outbox[-1]), "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, **change}

    response = post_json(korean_client, "password_reset_confirm", {k: v for k, v in link.items() if v is not None})

    assert_refused_in_korean(response, 400)


def test_the_answers_that_say_what_was_done(korean_client, user):
    post_json(korean_client, "password_reset", {"email": user.email})
    answers = [confirm(korean_client, **link_parts(mail.outbox[-1]))]
    # The new password ended every session: these are new ones.
    user.refresh_from_db()
    answers.append(post_json(korean_client, "logout_all", None, **bearer(access_token(user))))
    korean_client.cookies[refresh_cookie_name()] = str(new_session(user))
    answers.append(post_json(korean_client, "logout"))
    change = {"old_password": NEW_PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD}
    user.refresh_from_db()
    answers.append(post_json(korean_client, "password_change", change, **bearer(access_token(user))))

    for answer in answers:
        assert answer.status_code == 200, answer.content
        assert_korean(answer)


@pytest.mark.parametrize("token", BAD_ACCESS_TOKENS)
def test_verify_refusals(korean_client, user, token):
    response = post_json(korean_client, "token_verify", {"token": BAD_ACCESS_TOKENS[token](user)})

    assert_refused_in_korean(response, 401)


def test_verify_without_a_token(korean_client):
    assert_refused_in_korean(post_json(korean_client, "token_verify"), 401)


def test_verify_read_with_get(korean_client):
    assert_refused_in_korean(korean_client.get(reverse("accounts:token_verify")), 405)


@pytest.mark.parametrize("token", BAD_REFRESH_TOKENS)
def test_refresh_refusals(korean_client, user, token):
    response = post_json(korean_client, "token_refresh", {"refresh": BAD_REFRESH_TOKENS[token](user)})

    assert_refused_in_korean(response, 401)


def test_refresh_without_a_token(korean_client):
    assert_refused_in_korean(post_json(korean_client, "token_refresh"), 401)


def test_a_database_that_cannot_be_reached(korean_client, user, monkeypatch):
    def unreachable(**kwargs: Any) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(auth, "start_session", unreachable)

    response = post_json(korean_client, "login", {"email": user.email, "password": PASSWORD})

    assert_refused_in_korean(response, 503)


def test_an_error_no_view_answered(korean_client, monkeypatch):
    def fail(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(EndpointListView, "get", fail)
    korean_client.raise_request_exception = False

    assert_refused_in_korean(korean_client.get(reverse("accounts:root")), 500)


# Each reason Django's CSRF check can give, for a write authenticated by the
# access cookie: what the browser sends (its CSRF cookie, the X-CSRFToken
# header, its Origin and Referer, over HTTPS). A form's csrfmiddlewaretoken
# never gets that far: the API parses no forms, and answers them 415.
VALID = "valid"
CSRF_FAILURES: dict[str, dict[str, Any]] = {
    "no-cookie": {"cookie": None, "header": VALID},
    "cookie-of-wrong-length": {"cookie": "abc", "header": VALID},
    "cookie-with-bad-characters": {"cookie": "!" * 32, "header": VALID},
    "token-missing": {},
    "token-incorrect": {"header": "a" * 64},
    "token-of-wrong-length": {"header": "abc"},
    "token-with-bad-characters": {"header": "!" * 64},
    "other-origin": {"header": VALID, "HTTP_ORIGIN": OTHER_ORIGIN},
    "no-referer": {"header": VALID, "secure": True},
    "other-referer": {"header": VALID, "secure": True, "HTTP_REFERER": OTHER_ORIGIN + "/"},
    "malformed-referer": {"header": VALID, "secure": True, "HTTP_REFERER": "not a url"},
    "insecure-referer": {"header": VALID, "secure": True, "HTTP_REFERER": "http://testserver/"},
}


def refused_write(client: APIClient, *, cookie: str | None = VALID, header: str | None = None, **extra: Any) -> Any:
    """logout/all/ from a browser holding the access cookie, with the CSRF cookie and token given."""
    client.handler.enforce_csrf_checks = True
    token = client.get(reverse("accounts:csrf")).json()["csrf_token"]
    if cookie is None:
        del client.cookies["csrftoken"]
    elif cookie != VALID:
        client.cookies["csrftoken"] = cookie
    if header is not None:
        extra["HTTP_X_CSRFTOKEN"] = token if header == VALID else header
    return client.post(reverse("accounts:logout_all"), **extra)


@pytest.mark.parametrize("failure", CSRF_FAILURES)
def test_csrf_refusals(korean_client, user, failure):
    assert post_json(korean_client, "login", {"email": user.email, "password": PASSWORD}).status_code == 200

    assert_refused_in_korean(refused_write(korean_client, **CSRF_FAILURES[failure]), 403)
