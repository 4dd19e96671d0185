"""Login, registration, password reset and token refresh are rate limited per client address; login per account too."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.request import Request
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from accounts.throttling import AtomicScopedRateThrottle

from .utils import DAY, PASSWORD, create_user, new_session, post_json

pytestmark = pytest.mark.django_db


def limit_to(monkeypatch, scope, rate):
    # DRF reads the rates once, at import, into the class every throttle inherits them from.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, scope: rate})


def refresh_token(user):
    return str(new_session(user))


# One request of each limited kind; whether it succeeds does not matter, only that it counts.
REQUESTS = {
    "login": lambda client, user: post_json(client, "login", {"email": user.email, "password": "wrong-guess"}),
    "registration": lambda client, user: post_json(client, "register", {"email": user.email}),
    "password_reset": lambda client, user: post_json(client, "password_reset", {"email": user.email}),
    "token_refresh": lambda client, user: post_json(client, "token_refresh", {"refresh": refresh_token(user)}),
}


@pytest.mark.parametrize("scope", REQUESTS)
def test_requests_past_the_limit_get_429_with_retry_after(api_client, user, monkeypatch, scope):
    limit_to(monkeypatch, scope, "2/day")
    send = REQUESTS[scope]

    answers = [send(api_client, user) for _ in range(3)]

    assert all(answer.status_code != 429 for answer in answers[:2])
    assert answers[2].status_code == 429
    assert 0 < int(answers[2]["Retry-After"]) <= DAY
    assert answers[2].json()["detail"].startswith("Request was throttled.")


def test_password_change_counts_against_the_login_limit_of_the_user(logged_in_client, monkeypatch):
    limit_to(monkeypatch, "login", "2/day")
    guess = {"old_password": "wrong-guess", "new_password1": "x", "new_password2": "x"}

    answers = [post_json(logged_in_client, "password_change", guess) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [400, 400, 429]


class LoginLimitedView(APIView):
    throttle_scope = "login"


def test_a_burst_of_simultaneous_requests_gets_exactly_the_limit(monkeypatch):
    limit_to(monkeypatch, "login", "10/day")
    view = LoginLimitedView()
    request = Request(RequestFactory().post("/", REMOTE_ADDR="203.0.113.9"))

    with ThreadPoolExecutor(max_workers=20) as threads:
        allowed = list(threads.map(lambda _: AtomicScopedRateThrottle().allow_request(request, view), range(100)))

    assert allowed.count(True) == 10


def test_each_scope_counts_on_its_own(api_client, user, monkeypatch):
    limit_to(monkeypatch, "login", "1/day")
    post_json(api_client, "login", {"email": user.email, "password": PASSWORD})

    assert post_json(api_client, "password_reset", {"email": user.email}).status_code == 200


def test_a_forged_forwarded_for_header_does_not_reset_the_count(api_client, user, monkeypatch, settings):
    # Without a proxy in front, as in development.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 0}
    limit_to(monkeypatch, "login", "2/day")
    credentials = {"email": user.email, "password": "wrong-guess"}

    answers = [post_json(api_client, "login", credentials, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}") for n in range(3)]

    assert answers[2].status_code == 429


def test_an_unreadable_rate_fails_the_system_checks(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"login": "ten per minute"}}

    with pytest.raises(SystemCheckError, match=r"accounts\.E004"):
        call_command("check")


def test_logins_to_one_account_are_limited_from_every_address_together(api_client, user, monkeypatch):
    limit_to(monkeypatch, "login_account", "3/day")
    guess = {"email": user.email, "password": "wrong-guess"}

    answers = [post_json(api_client, "login", guess, REMOTE_ADDR=f"198.51.100.{n}") for n in range(3)]
    # Another spelling of the same mailbox counts for the same account.
    refused = post_json(api_client, "login", {**guess, "email": "ADA@example.com"}, REMOTE_ADDR="198.51.100.99")

    assert [answer.status_code for answer in answers] == [400, 400, 400]
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= DAY
    other_account = {"email": "grace@example.com", "password": "wrong-guess"}
    assert post_json(api_client, "login", other_account, REMOTE_ADDR="198.51.100.99").status_code == 400


def test_the_admins_password_change_form_counts_with_the_apis_password_changes(client, monkeypatch):
    limit_to(monkeypatch, "login", "2/day")
    admin = create_user("root@example.com", superuser=True)
    client.force_login(admin)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {new_session(admin).access_token}")
    guess = {"old_password": "wrong-guess", "new_password1": "x", "new_password2": "x"}

    through_the_api = post_json(api, "password_change", guess)
    through_the_admin = client.post(reverse("admin:password_change"), guess)
    refused = client.post(reverse("admin:password_change"), guess)

    assert (through_the_api.status_code, through_the_admin.status_code) == (400, 200)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= DAY
