"""Two instances of the API, as behind a load balancer: separate gunicorns on one database and one cache.

Nothing an instance knows is its own: sessions, rate limits and accounts live
in the database and the cache that every instance shares.
"""

from collections import Counter
from collections.abc import Iterator
from functools import partial

import pytest

from accounts.models import User
from accounts.serializers import verification_is_mandatory

from .live_server import (
    PASSWORD_RESET_LIMIT,
    Server,
    all_at_once,
    browser,
    gunicorn,
    refresh_token_of,
    shared_cache_url,
)
from .utils import PASSWORD, create_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def instances(django_db_setup, tmp_path_factory) -> Iterator[tuple[Server, Server]]:
    """Two gunicorns, four workers each, on the test database and one cache."""
    folder = tmp_path_factory.mktemp("scale-out")
    cache_url = shared_cache_url(folder / "cache")
    with gunicorn(folder / "first", cache_url) as first, gunicorn(folder / "second", cache_url) as second:
        yield first, second


def log_in(server: Server, email: str) -> tuple[str, str]:
    """A new session on server: its access and refresh tokens."""
    answer = server.post("login", {"email": email, "password": PASSWORD})
    assert answer.status == 200, answer.body
    return answer.json()["access"], refresh_token_of(answer)


def test_a_login_on_one_instance_authenticates_on_the_other(instances):
    first, second = instances
    create_user("ada@example.com")

    access, _refresh = log_in(first, "ada@example.com")

    assert second.get("user", access).json()["email"] == "ada@example.com"


def test_logout_on_one_instance_stops_a_refresh_on_the_other_at_once(instances):
    first, second = instances
    create_user("ada@example.com")
    opener, _jar = browser()
    login = second.post("login", {"email": "ada@example.com", "password": PASSWORD}, opener)
    refresh = refresh_token_of(login)

    assert second.post("logout", opener=opener).status == 200

    assert first.post("token_refresh", {"refresh": refresh}).status == 401
    assert first.get("user", login.json()["access"]).status == 401


def test_logout_all_on_one_instance_ends_the_sessions_the_other_started(instances):
    first, second = instances
    create_user("ada@example.com")
    on_the_second = [log_in(second, "ada@example.com") for _ in range(3)]
    access, _refresh = log_in(first, "ada@example.com")

    assert first.post("logout_all", token=access).status == 200

    assert [second.get("user", access).status for access, _refresh in on_the_second] == [401] * 3
    assert [second.post("token_refresh", {"refresh": refresh}).status for _access, refresh in on_the_second] == [
        401
    ] * 3


def test_a_rate_limit_counts_the_requests_of_both_instances(instances):
    first, second = instances
    reset = {"email": "nobody@example.com"}

    answers = [(first if number % 2 else second).post("password_reset", reset) for number in range(5)]

    assert [answer.status for answer in answers] == [200] * PASSWORD_RESET_LIMIT + [429] * 2


def test_simultaneous_sign_ups_with_one_address_on_both_instances_make_one_account(instances):
    first, second = instances
    data = {"email": "racer@example.com", "password1": PASSWORD, "password2": PASSWORD}

    answers = all_at_once(*[partial(server.post, "register", data) for server in (first, second) * 10])

    assert User.objects.filter(email="racer@example.com").count() == 1
    # With mandatory verification no answer may tell that the address was taken.
    expected = {201: 20} if verification_is_mandatory() else {201: 1, 400: 19}
    assert Counter(answer.status for answer in answers) == expected
