"""When the database or the cache fails, the API still answers in JSON, and says what to do."""

import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.test import RequestFactory
from django.urls import reverse

from accounts.views import auth
from config.exceptions import server_error

from .utils import PASSWORD, post_json

pytestmark = pytest.mark.django_db


def test_a_database_that_cannot_be_reached_is_a_503_with_retry_after(api_client, user, monkeypatch, caplog):
    def unreachable(**kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(auth, "start_session", unreachable)

    response = post_json(api_client, "login", {"email": user.email, "password": PASSWORD})

    assert response.status_code == 503
    assert response.json() == {"detail": "The service is unavailable for a moment. Try again in a few seconds."}
    assert response["Retry-After"] == "5"
    assert "The database cannot be reached: connection to server" in caplog.text


def test_a_cache_that_cannot_count_lets_requests_through_and_says_so(api_client, user, monkeypatch, caplog):
    def down(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(cache, "add", down)

    answers = [post_json(api_client, "login", {"email": user.email, "password": "wrong-guess"}) for _ in range(12)]

    # The login limit, 10 a minute, counts nothing while the cache is down.
    assert {answer.status_code for answer in answers} == {400}
    assert "The login rate limit is not counted, the cache fails: Error 111" in caplog.text


def test_an_error_no_view_answered_is_json_under_the_api_and_html_elsewhere():
    api = server_error(RequestFactory().get(reverse("accounts:user")))
    admin = server_error(RequestFactory().get("/admin/"))

    assert (api.status_code, api["Content-Type"], api.content) == (
        500,
        "application/json",
        b'{"detail": "A server error occurred."}',
    )
    assert admin["Content-Type"].startswith("text/html")
