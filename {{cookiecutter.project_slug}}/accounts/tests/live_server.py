"""A harness for tests against a real server: gunicorn with several worker processes.

The `server` fixture (conftest.py) starts one on the test database; these are
the pieces it is made of, and the clients that talk to it.
"""

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from http.cookiejar import CookieJar
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urlsplit
from urllib.request import OpenerDirector
from uuid import uuid4

from django.db import connection
from django.urls import reverse

from accounts.models import User
from config.env import BASE_DIR, env

from .utils import PASSWORD, refresh_cookie_name

WORKERS = 4
# Reached in a few requests; the other limits are out of any test's reach.
PASSWORD_RESET_LIMIT = 3
RATE_LIMITS = {
    "RATE_LIMIT_LOGIN": "10000/min",
    "RATE_LIMIT_LOGIN_ACCOUNT": "10000/min",
    "RATE_LIMIT_REGISTRATION": "10000/min",
    "RATE_LIMIT_TOKEN_REFRESH": "10000/min",
    "RATE_LIMIT_PASSWORD_RESET": f"{PASSWORD_RESET_LIMIT}/day",
}


@dataclass
class Answer:
    status: int
    headers: Message
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Server:
    url: str
    log_path: Path

    def send(
        self,
        method: str,
        path: str,
        data: dict[str, Any] | None = None,
        opener: OpenerDirector | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        """Send a request on a new connection, which any worker may accept; data goes as JSON."""
        request = urllib.request.Request(
            self.url + path,
            data=None if data is None else json.dumps(data).encode(),
            headers={"Content-Type": "application/json", **(headers or {})},
            method=method,
        )
        try:
            with (opener or urllib.request.build_opener()).open(request, timeout=30) as response:
                return Answer(response.status, response.headers, response.read())
        except HTTPError as error:
            return Answer(error.code, error.headers, error.read())

    def post(
        self, name: str, data: dict[str, Any] | None = None, opener: OpenerDirector | None = None, token: str = ""
    ) -> Answer:
        """POST data as JSON to accounts:<name>, with the access token, if given, as Bearer."""
        return self.send("POST", reverse(f"accounts:{name}"), data or {}, opener, bearer(token))

    def get(self, name: str, token: str = "") -> Answer:
        """GET accounts:<name>, with the access token, if given, as Bearer."""
        return self.send("GET", reverse(f"accounts:{name}"), headers=bearer(token))

    def log(self) -> str:
        """All that gunicorn and Django have written: start-up, one line per request, any traceback."""
        return self.log_path.read_text()

    def workers_that_answered(self, name: str, count: int, log_before: str) -> list[str]:
        """The pids of the workers that answered the last `count` requests to accounts:<name>.

        A worker logs each request just after answering it, so the last lines may take a moment.
        """
        line = re.compile(rf"^<(\d+)> POST {re.escape(reverse(f'accounts:{name}'))} ", re.MULTILINE)
        deadline = time.monotonic() + 5
        while True:
            pids = line.findall(self.log().removeprefix(log_before))
            if len(pids) >= count or time.monotonic() > deadline:
                return pids
            time.sleep(0.05)


def bearer(token: str) -> dict[str, str]:
    """The header that authenticates with an access token; none without one."""
    return {"Authorization": f"Bearer {token}"} if token else {}


def browser() -> tuple[OpenerDirector, CookieJar]:
    """A client that keeps cookies as a browser does, paths and expiry included; and its cookie jar."""
    jar = CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), jar


def all_at_once(*requests: Callable[[], Answer]) -> list[Answer]:
    """Send each request from its own thread, all released together; the answers come back in order."""
    start = threading.Barrier(len(requests), timeout=10)

    def send(request: Callable[[], Answer]) -> Answer:
        start.wait()
        return request()

    with ThreadPoolExecutor(max_workers=len(requests)) as threads:
        return list(threads.map(send, requests))


def refresh_token_of(answer: Answer) -> str:
    """The refresh token in the answer's cookie, the only place it travels."""
    cookies: SimpleCookie = SimpleCookie()
    for header in answer.headers.get_all("Set-Cookie", []):
        cookies.load(header)
    return cookies[refresh_cookie_name()].value


def log_in(server: Server, user: User) -> str:
    """A new session of user: its refresh token."""
    answer = server.post("login", {"email": user.email, "password": PASSWORD})
    assert answer.status == 200, answer.body
    return refresh_token_of(answer)


def cookies_sent_to(jar: CookieJar, url: str) -> set[str]:
    """The names of the cookies the jar would send with a request to url."""
    request = urllib.request.Request(url)
    jar.add_cookie_header(request)
    return set(SimpleCookie(request.get_header("Cookie", "")))


def closed_port() -> int:
    """A port nothing listens on: the one the system picked for a socket, which is closed again."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def url_of_the_test_database() -> str:
    """The project's database URL, pointed at the test database that pytest-django created."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    return urlsplit(env.str("DATABASE_URL"))._replace(path=f"/{name}").geturl()


def shared_cache_url(folder: Path) -> str:
    """The project's cache if it sets one, else a folder; either way a key prefix keeps this run's counts apart."""
    url = env.str("CACHE_URL", default="") or f"filecache://{folder}"
    return f"{url}{'&' if '?' in url else '?'}key_prefix=live-server-test-{uuid4().hex}"


def wait_until_listening(process: subprocess.Popen[bytes], log_path: Path) -> str:
    """The server's URL, once gunicorn has booted every worker."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        log = log_path.read_text()
        address = re.search(r"Listening at: (http://\S+)", log)
        if address and log.count("Booting worker") == WORKERS:
            return address[1]
        time.sleep(0.1)
    raise AssertionError(f"gunicorn did not start:\n{log_path.read_text()}")


@contextmanager
def gunicorn(folder: Path, cache_url: str | None = None, **variables: str) -> Iterator[Server]:
    """gunicorn serving the project from the test database, its log in folder; `variables` add to its environment.

    Its cache is a new one, unless cache_url names one that other servers share.
    """
    folder.mkdir(parents=True, exist_ok=True)
    log_path = folder / "server.log"
    environment = {
        **os.environ,
        # config/wsgi.py would otherwise pick the production settings.
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": url_of_the_test_database(),
        "TEST_CACHE_URL": cache_url or shared_cache_url(folder / "cache"),
        # The address the tests call, whatever .env lists.
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        **RATE_LIMITS,
        **variables,
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
        process = subprocess.Popen(command, cwd=BASE_DIR, env=environment, stdout=log, stderr=log)
    try:
        yield Server(wait_until_listening(process, log_path), log_path)
    finally:
        # gunicorn lets the requests in progress finish, for 30 seconds at most.
        process.terminate()
        process.wait()
