"""A deployment loses its cache or restarts its database now and then: the API stays honest.

The everything-on bake (PostgreSQL, a Redis cache) runs under gunicorn with
its production settings, on a Redis and a PostgreSQL that the test owns, stops
and starts.
"""

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any

import pytest

from .helpers import SOCIAL_PRODUCTION_ENV, SUPERUSER_PASSWORD, manage, post, project_env
from .servers import PrivatePostgres, PrivateRedis, gunicorn_serving

pytestmark = pytest.mark.xdist_group("everything-on")

API = "/api/accounts/v1"
LOGIN_LIMIT = 3


def api(deployment: "Deployment", path: str, data: dict[str, str]) -> tuple[int, Message, Any]:
    """POST JSON to the deployment; the status, headers and JSON body (a body that is not JSON fails the test)."""
    return post(f"{deployment.url}{API}/{path}", data)


def sign_up(deployment: "Deployment", email: str) -> tuple[int, Message, Any]:
    data = {"email": email, "password1": SUPERUSER_PASSWORD, "password2": SUPERUSER_PASSWORD}
    return api(deployment, "registration/", data)


@dataclass
class Deployment:
    project: Path
    url: str
    log: Path
    redis: PrivateRedis
    postgres: PrivatePostgres
    env: dict[str, str]


@pytest.fixture(scope="module")
def deployment(everything_on_project: Path) -> Iterator[Deployment]:
    """The everything-on bake, migrated, served by gunicorn on a Redis and a PostgreSQL of its own."""
    redis = PrivateRedis()
    postgres = PrivatePostgres()
    redis.start()
    postgres.create()
    postgres.start()
    try:
        postgres.create_database("faults")
        env = {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "a-secret-for-the-fault-tests-only-7c1d9e2f4a6b8c0d",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "False",
            "DJANGO_NUM_PROXIES": "0",
            "EMAIL_URL": "smtp://127.0.0.1:25",
            "FRONTEND_URL": "https://app.example.com",
            "DATABASE_URL": postgres.url("faults"),
            "CACHE_URL": redis.url,
            "RATE_LIMIT_LOGIN": f"{LOGIN_LIMIT}/day",
            "RATE_LIMIT_REGISTRATION": "10000/day",
            **SOCIAL_PRODUCTION_ENV,
        }
        manage(everything_on_project, "migrate", "--no-input", env=project_env(**env))
        with gunicorn_serving(everything_on_project, env) as (url, log):
            yield Deployment(everything_on_project, url, log, redis, postgres, env)
    finally:
        redis.stop()
        postgres.stop()
        postgres.remove()


def test_with_the_cache_down_every_answer_is_json_and_limits_let_requests_through(deployment):
    wrong = {"email": "nobody@example.com", "password": "wrong-guess"}
    counted = [api(deployment, "login/", wrong)[0] for _ in range(LOGIN_LIMIT + 1)]
    assert counted == [400] * LOGIN_LIMIT + [429]

    deployment.redis.stop()
    try:
        answers = [
            sign_up(deployment, "cache-down@example.com"),
            *(api(deployment, "login/", {**wrong, "email": "other@example.com"}) for _ in range(LOGIN_LIMIT + 2)),
        ]
    finally:
        deployment.redis.start()

    # post() reads each body as JSON: none is an HTML error page.
    assert [status for status, _headers, _body in answers] == [201] + [400] * (LOGIN_LIMIT + 2)
    assert "rate limit is not counted, the cache fails" in deployment.log.read_text()
    # The Redis that came back is empty, and counts from the first request, with no restart.
    again = [api(deployment, "login/", wrong)[0] for _ in range(LOGIN_LIMIT + 1)]
    assert again == [400] * LOGIN_LIMIT + [429]


def test_while_the_database_restarts_answers_are_json_and_no_sign_up_answered_201_is_lost(deployment):
    answered: list[tuple[str, tuple[int, Message, Any]]] = []
    stop = threading.Event()

    def keep_signing_up(worker: int) -> None:
        number = 0
        while not stop.is_set():
            email = f"restart-{worker}-{number}@example.com"
            answered.append((email, sign_up(deployment, email)))
            number += 1

    threads = [threading.Thread(target=keep_signing_up, args=(worker,)) for worker in range(3)]
    for thread in threads:
        thread.start()
    try:
        deployment.postgres.stop()
        stopped_at = len(answered)
        time.sleep(2)
        during = [answer for _email, answer in answered[stopped_at:]]
        deployment.postgres.start()
        # The instances recover by themselves: a few seconds on, sign-ups work again.
        time.sleep(3)
    finally:
        stop.set()
        for thread in threads:
            thread.join()

    # post() reads each body as JSON: none is an HTML error page.
    statuses = [status for _email, (status, _headers, _body) in answered]
    assert set(statuses) <= {201, 503}, statuses
    unavailable = [(headers, body) for status, headers, body in during if status == 503]
    assert unavailable, "no request met the outage"
    headers, body = unavailable[0]
    assert headers["Retry-After"] == "5"
    assert body == {"detail": "The service is unavailable for a moment. Try again in a few seconds."}
    assert statuses[-1] == 201
    signed_up = [email for email, (status, _headers, _body) in answered if status == 201]
    code = (
        "import json, os; from accounts.models import User; "
        "print(User.objects.filter(email__in=json.loads(os.environ['SIGNED_UP'])).count())"
    )
    env = project_env(**deployment.env, SIGNED_UP=json.dumps(signed_up))
    kept = manage(deployment.project, "shell", "--verbosity", "0", "--command", code, env=env).stdout
    assert int(kept) == len(signed_up) > 0
