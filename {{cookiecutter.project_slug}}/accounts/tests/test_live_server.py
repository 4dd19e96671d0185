"""The API behind a real server: gunicorn with several worker processes, on the project's database.

Django's test client sends one request at a time, in one process. Two requests
racing for one row, writers queueing for SQLite's lock, and rate limits that
every process must count in one shared cache only show up here.
"""

import time
from collections import Counter
from functools import partial

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import LoginSession, User
from accounts.serializers import verification_is_mandatory
from accounts.tokens import SessionRefreshToken

from .live_server import PASSWORD_RESET_LIMIT, all_at_once, browser, cookies_sent_to, log_in, refresh_token_of
from .utils import DAY, PASSWORD, access_cookie_name, create_user, refresh_cookie_name

pytestmark = pytest.mark.django_db(transaction=True)


def test_only_one_of_simultaneous_sign_ups_with_one_email_succeeds(server):
    refusal = {"email": ["A user is already registered with this email address."]}

    # Each round is a new chance for several requests to find the email free before any of them saves it.
    for number in range(10):
        data = {"email": f"racer{number}@example.com", "password1": PASSWORD, "password2": PASSWORD}

        answers = all_at_once(*[partial(server.post, "register", data)] * 20)

        assert User.objects.filter(email=data["email"]).count() == 1
        if verification_is_mandatory():
            # No answer may tell that the address was taken.
            assert Counter(answer.status for answer in answers) == {201: 20}
        else:
            assert Counter(answer.status for answer in answers) == {201: 1, 400: 19}
            assert [answer.json() for answer in answers if answer.status == 400] == [refusal] * 19


def test_a_burst_of_simultaneous_logins_and_refreshes_all_succeed(server):
    user = create_user("ada@example.com")
    # Each refresh sends the token of its own session, once.
    tokens = [log_in(server, user) for _ in range(50)]
    refreshes = [partial(server.post, "token_refresh", {"refresh": token}) for token in tokens]
    logins = [partial(server.post, "login", {"email": user.email, "password": PASSWORD})] * 50
    log_before = server.log()

    answers = all_at_once(*refreshes, *logins)

    # Should a request fail, the log says why.
    log = server.log().removeprefix(log_before)
    assert "database is locked" not in log
    assert "Traceback" not in log
    assert Counter(answer.status for answer in answers) == {200: 100}


def test_a_refresh_token_sent_twice_at_once_is_rotated_only_once(server):
    user = create_user("ada@example.com")

    # Each round is a new chance for both requests to read the session before either rotates its token.
    for _ in range(10):
        token = log_in(server, user)

        answers = all_at_once(*[partial(server.post, "token_refresh", {"refresh": token})] * 2)

        assert sorted(answer.status for answer in answers) == [200, 401]
        rotated = next(answer for answer in answers if answer.status == 200)
        assert refresh_token_of(rotated) != token


def test_rate_limits_are_counted_across_worker_processes(server):
    log_before = server.log()

    answers = []
    for _ in range(8):
        answers.append(server.post("password_reset", {"email": "nobody@example.com"}))
        # Right after answering, a worker tends to win the next connection too; a pause lets all of them compete.
        time.sleep(0.05)

    assert [answer.status for answer in answers] == [200] * PASSWORD_RESET_LIMIT + [429] * 5
    assert all(0 < int(answer.headers["Retry-After"]) <= DAY for answer in answers[PASSWORD_RESET_LIMIT:])
    # Counted per process, the limit would let through requests that reached another worker.
    workers = server.workers_that_answered("password_reset", len(answers), log_before)
    assert len(workers) == len(answers)
    assert len(set(workers)) > 1, "gunicorn gave every request to one worker, which proves nothing"


def test_logout_ends_the_session_of_the_refresh_cookie_a_browser_sends(server):
    create_user("ada@example.com")
    opener, jar = browser()

    assert server.post("login", {"email": "ada@example.com", "password": PASSWORD}, opener).status == 200

    refresh_cookie = next(cookie for cookie in jar if cookie.name == refresh_cookie_name())
    assert refresh_cookie.path == settings.REST_AUTH["JWT_AUTH_REFRESH_COOKIE_PATH"]
    assert cookies_sent_to(jar, server.url + reverse("schema")) == {access_cookie_name()}
    assert refresh_cookie_name() in cookies_sent_to(jar, server.url + reverse("accounts:logout"))

    assert server.post("logout", opener=opener).status == 200

    assert [cookie.name for cookie in jar] == []
    refused = server.post("token_refresh", {"refresh": refresh_cookie.value})
    assert refused.status == 401
    assert refused.json()["detail"] == "This session has ended. Log in again."
    session_id = SessionRefreshToken(refresh_cookie.value)["sid"]  # type: ignore[arg-type]
    assert LoginSession.objects.get(pk=session_id).ended_at is not None
