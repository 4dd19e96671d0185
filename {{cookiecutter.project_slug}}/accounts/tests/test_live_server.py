"""The API behind a real server: gunicorn with several worker processes, on the project's database.

Django's test client sends one request at a time, in one process. Two requests
racing for one row, writers queueing for SQLite's lock, and rate limits that
every process must count in one shared cache only show up here.
"""

import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.message import Message
from functools import partial
from http.cookiejar import CookieJar
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlsplit
from uuid import uuid4

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import User
from config.settings.base import env

from .utils import PASSWORD, access_cookie_name, refresh_cookie_name

pytestmark = pytest.mark.django_db(transaction=True)

WORKERS = 4
# Reached in a few requests; the other scopes get limits no test reaches.
PASSWORD_RESET_LIMIT = 3


@dataclass
class Answer:
    status: int
    headers: Message
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class Server:
    url: str
    log_path: Path

    def post(self, name, data=None, opener=None):
        """POST data as JSON to accounts:<name> on a new connection, which any worker may accept."""
        request = urllib.request.Request(
            self.url + reverse(f"accounts:{name}"),
            data=json.dumps(data or {}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with (opener or urllib.request.build_opener()).open(request, timeout=30) as response:
                return Answer(response.status, response.headers, response.read())
        except HTTPError as error:
            return Answer(error.code, error.headers, error.read())

    def log(self):
        """All that gunicorn and Django have written: start-up, one line per request, any traceback."""
        return self.log_path.read_text()


def all_at_once(*requests):
    """Send each request from its own thread, all released together; the answers come back in order."""
    start = threading.Barrier(len(requests), timeout=10)

    def send(request):
        start.wait()
        return request()

    with ThreadPoolExecutor(max_workers=len(requests)) as threads:
        return list(threads.map(send, requests))


def refresh_token_of(answer):
    """The refresh token in the answer's cookie, the only place it travels."""
    cookies = SimpleCookie()
    for header in answer.headers.get_all("Set-Cookie", []):
        cookies.load(header)
    return cookies[refresh_cookie_name()].value


def log_in(server, user):
    """A new session of user: its refresh token."""
    answer = server.post("login", {"email": user.email, "password": PASSWORD})
    assert answer.status == 200, answer.body
    return refresh_token_of(answer)


def cookies_sent_to(jar, url):
    """The names of the cookies the jar would send with a request to url."""
    request = urllib.request.Request(url)
    jar.add_cookie_header(request)
    return set(SimpleCookie(request.get_header("Cookie", "")))


def workers_that_answered(server, name, count, log_before):
    """The pids of the workers that answered the last `count` requests to accounts:<name>.

    A worker logs each request just after answering it, so the last lines may take a moment.
    """
    line = re.compile(rf"^<(\d+)> POST {re.escape(reverse(f'accounts:{name}'))} ", re.MULTILINE)
    deadline = time.monotonic() + 5
    while True:
        pids = line.findall(server.log().removeprefix(log_before))
        if len(pids) >= count or time.monotonic() > deadline:
            return pids
        time.sleep(0.05)


def url_of_the_test_database():
    """The project's database URL, pointed at the test database that pytest-django created."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    return urlsplit(env.str("DATABASE_URL"))._replace(path=f"/{name}").geturl()


def shared_cache_url(folder):
    """The project's cache if it sets one, else a folder; either way a key prefix keeps this run's counts apart."""
    url = env.str("CACHE_URL", default="") or f"filecache://{folder}"
    return f"{url}{'&' if '?' in url else '?'}key_prefix=live-server-test-{uuid4().hex}"


def wait_until_listening(process, log_path):
    """The server's URL, once gunicorn has booted every worker."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        log = log_path.read_text()
        address = re.search(r"Listening at: (http://\S+)", log)
        if address and log.count("Booting worker") == WORKERS:
            return address[1]
        time.sleep(0.1)
    pytest.fail(f"gunicorn did not start:\n{log_path.read_text()}")


@pytest.fixture(scope="module")
def server(django_db_setup, tmp_path_factory):
    """gunicorn serving the project from the test database, with its log in a file the tests read."""
    folder = tmp_path_factory.mktemp("gunicorn")
    log_path = folder / "server.log"
    unreachable = "10000/min"
    environment = {
        **os.environ,
        # config/wsgi.py would otherwise pick the production settings.
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": url_of_the_test_database(),
        "TEST_CACHE_URL": shared_cache_url(folder / "cache"),
        # The address the tests call, whatever .env lists.
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "RATE_LIMIT_LOGIN": unreachable,
        "RATE_LIMIT_REGISTRATION": unreachable,
        "RATE_LIMIT_TOKEN_REFRESH": unreachable,
        "RATE_LIMIT_PASSWORD_RESET": f"{PASSWORD_RESET_LIMIT}/min",
    }
    command = [
        *(sys.executable, "-m", "gunicorn", "config.wsgi:application"),
        *("--workers", str(WORKERS), "--bind", "127.0.0.1:0"),
        # Load Django once, before forking, so that every worker is ready as soon as it boots.
        "--preload",
        # One line per request, naming the worker that answered it.
        *("--access-logfile", "-", "--access-logformat", "%(p)s %(m)s %(U)s %(s)s"),
    ]
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=environment, stdout=log, stderr=log)
    try:
        yield Server(wait_until_listening(process, log_path), log_path)
    finally:
        # gunicorn lets the requests in progress finish, for 30 seconds at most.
        process.terminate()
        process.wait()


def test_only_one_of_simultaneous_sign_ups_with_one_email_succeeds(server):
    refusal = {"email": ["A user is already registered with this email address."]}

    # Each round is a new chance for several requests to find the email free before any of them saves it.
    for number in range(10):
        data = {"email": f"racer{number}@example.com", "password1": PASSWORD, "password2": PASSWORD}

        answers = all_at_once(*[partial(server.post, "register", data)] * 20)

        assert Counter(answer.status for answer in answers) == {201: 1, 400: 19}
        assert [answer.json() for answer in answers if answer.status == 400] == [refusal] * 19
        assert User.objects.filter(email=data["email"]).count() == 1


def test_a_burst_of_simultaneous_logins_and_refreshes_all_succeed(server):
    user = User.objects.create_user(email="ada@example.com", password=PASSWORD)
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
    user = User.objects.create_user(email="ada@example.com", password=PASSWORD)

    # Each round is a new chance for both requests to pass the blacklist check before either adds the token.
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
    assert all(0 < int(answer.headers["Retry-After"]) <= 60 for answer in answers[PASSWORD_RESET_LIMIT:])
    # Counted per process, the limit would let through requests that reached another worker.
    workers = workers_that_answered(server, "password_reset", len(answers), log_before)
    assert len(workers) == len(answers)
    assert len(set(workers)) > 1, "gunicorn gave every request to one worker, which proves nothing"


def test_logout_blacklists_the_refresh_token_a_browser_sends_in_its_cookie(server):
    User.objects.create_user(email="ada@example.com", password=PASSWORD)
    jar = CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    assert server.post("login", {"email": "ada@example.com", "password": PASSWORD}, browser).status == 200

    refresh_cookie = next(cookie for cookie in jar if cookie.name == refresh_cookie_name())
    assert refresh_cookie.path == settings.REST_AUTH["JWT_AUTH_REFRESH_COOKIE_PATH"]
    assert cookies_sent_to(jar, server.url + reverse("schema")) == {access_cookie_name()}
    assert refresh_cookie_name() in cookies_sent_to(jar, server.url + reverse("accounts:logout"))

    assert server.post("logout", opener=browser).status == 200

    assert [cookie.name for cookie in jar] == []
    refused = server.post("token_refresh", {"refresh": refresh_cookie.value})
    assert refused.status == 401
    assert refused.json()["detail"] == "Token is blacklisted"
    jti = RefreshToken(refresh_cookie.value, verify=False)["jti"]
    assert BlacklistedToken.objects.filter(token__jti=jti).exists()
