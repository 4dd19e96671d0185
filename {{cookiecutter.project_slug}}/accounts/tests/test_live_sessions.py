"""Sessions end when they should, against gunicorn with several workers and requests in flight.

Each race runs ten times: a session that outlives what should end it counts as
a survivor, and there must be none.
"""

import re
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from functools import partial
from urllib.error import HTTPError
from urllib.request import OpenerDirector

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.db.models import F
from django.urls import reverse

from accounts.models import LoginSession, User
from accounts.serializers import verification_is_mandatory

from .live_server import Answer, Server, all_at_once, browser, closed_port, gunicorn, refresh_token_of
from .utils import NEW_PASSWORD, PASSWORD, create_user

pytestmark = pytest.mark.django_db(transaction=True)

TRIALS = 10
CHANGE = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
# The strict server's limits: enough for a test's own logins, reached on purpose.
ACCOUNT_LOGIN_LIMIT = 5
LOGIN_LIMIT = 10


@pytest.fixture(scope="module")
def strict_server(django_db_setup, tmp_path_factory) -> Iterator[Server]:
    """A server behind one proxy, with a per-account login limit in reach, and a mail server that is down."""
    variables = {
        "DJANGO_NUM_PROXIES": "1",
        "RATE_LIMIT_LOGIN": f"{LOGIN_LIMIT}/day",
        "RATE_LIMIT_LOGIN_ACCOUNT": f"{ACCOUNT_LOGIN_LIMIT}/day",
        "EMAIL_URL": f"smtp://127.0.0.1:{closed_port()}",
    }
    with gunicorn(tmp_path_factory.mktemp("gunicorn"), **variables) as running:
        yield running


def tokens_of(answer: Answer) -> tuple[str, str]:
    """The access and refresh tokens of a login or refresh."""
    assert answer.status == 200, answer.body
    return answer.json()["access"], refresh_token_of(answer)


def survives(server: Server, access: str, refresh: str) -> bool:
    """Whether either token of a session still works."""
    return server.get("user", access).status == 200 or server.post("token_refresh", {"refresh": refresh}).status == 200


def keep_sending(request: Callable[[], Answer], stop: threading.Event) -> list[Answer]:
    """Send the request over and over until stop is set; every answer."""
    answers = []
    while not stop.is_set():
        answers.append(request())
    return answers


def while_looping(
    requests: Sequence[Callable[[], Answer]], action: Callable[[], Answer]
) -> tuple[Answer, list[Answer]]:
    """Run action while each request is sent over and over from a thread of its own; its answer, and theirs.

    The loops start before the action and stop just after it, so that some of
    their requests are in flight while it runs.
    """
    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=len(requests)) as threads:
        running = [threads.submit(keep_sending, request, stop) for request in requests]
        time.sleep(0.05)
        answer = action()
        time.sleep(0.02)
        stop.set()
        return answer, [answer for loop in running for answer in loop.result()]


class RefreshChain:
    """Refreshes one session back to back, each time with the token the last refresh gave."""

    def __init__(self, server: Server, refresh: str) -> None:
        self.server, self.refresh = server, refresh

    def __call__(self) -> Answer:
        answer = self.server.post("token_refresh", {"refresh": self.refresh})
        if answer.status == 200:
            self.refresh = refresh_token_of(answer)
        return answer


def test_no_login_in_flight_outlives_a_password_change(server):
    survivors, logged_in = [], 0
    for trial in range(TRIALS):
        user = create_user(f"changer{trial}@example.com")
        credentials = {"email": user.email, "password": PASSWORD}
        access, _refresh = tokens_of(server.post("login", credentials))

        changed, logins = while_looping(
            [partial(server.post, "login", credentials)] * 4,
            partial(server.post, "password_change", CHANGE, token=access),
        )

        assert changed.status == 200, changed.body
        succeeded = [tokens_of(login) for login in logins if login.status == 200]
        logged_in += len(succeeded)
        survivors += [tokens for tokens in succeeded if survives(server, *tokens)]
    assert survivors == []
    assert logged_in, "no login succeeded while the password changed: the race never ran"


def test_no_refresh_in_flight_outlives_a_password_change(server):
    survivors, raced = [], 0
    for trial in range(TRIALS):
        user = create_user(f"refresher{trial}@example.com")
        credentials = {"email": user.email, "password": PASSWORD}
        access, _refresh = tokens_of(server.post("login", credentials))
        chains = [RefreshChain(server, tokens_of(server.post("login", credentials))[1]) for _ in range(4)]

        changed, refreshes = while_looping(chains, partial(server.post, "password_change", CHANGE, token=access))

        assert changed.status == 200, changed.body
        minted = [tokens_of(refresh) for refresh in refreshes if refresh.status == 200]
        # On a loaded machine the change may, now and then, end every session before a refresh gets through.
        raced += bool(minted)
        survivors += [tokens for tokens in minted if survives(server, *tokens)]
    assert survivors == []
    assert raced >= TRIALS // 2, f"refreshes succeeded around only {raced} password changes: too few to mean anything"


def test_no_login_in_flight_outlives_a_password_reset(server):
    survivors, confirmed = [], 0
    for trial in range(TRIALS * 2):
        user = create_user(f"resetter{trial}@example.com")
        credentials = {"email": user.email, "password": PASSWORD}
        # The link the reset email would hold; a login updates last_login, which
        # ends the link: only a confirmation that reads the user first succeeds.
        link = {"uid": user_pk_to_url_str(user), "token": default_token_generator.make_token(user)}
        confirmation = {**link, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}

        confirmation_answer, *logins = all_at_once(
            partial(server.post, "password_reset_confirm", confirmation),
            *[partial(server.post, "login", credentials)] * 4,
        )

        if confirmation_answer.status == 200:
            confirmed += 1
            succeeded = [tokens_of(login) for login in logins if login.status == 200]
            survivors += [tokens for tokens in succeeded if survives(server, *tokens)]
    assert survivors == []
    assert confirmed >= TRIALS // 2, f"only {confirmed} resets raced logins: too few to mean anything"


def test_no_refresh_racing_logout_outlives_it(server):
    survivors = []
    user = create_user("ada@example.com")
    for _ in range(TRIALS):
        opener, _jar = browser()
        login = server.post("login", {"email": user.email, "password": PASSWORD}, opener)
        _access, refresh = tokens_of(login)

        refreshed, logged_out = all_at_once(
            partial(server.post, "token_refresh", {"refresh": refresh}), partial(server.post, "logout", opener=opener)
        )

        assert logged_out.status == 200
        if refreshed.status == 200 and survives(server, *tokens_of(refreshed)):
            survivors.append(refreshed)
    assert survivors == []


def test_access_tokens_stop_at_once_on_logout_and_password_change(server):
    user = create_user("ada@example.com")
    credentials = {"email": user.email, "password": PASSWORD}
    opener, _jar = browser()
    access, _refresh = tokens_of(server.post("login", credentials, opener))
    assert server.get("user", access).status == 200

    assert server.post("logout", opener=opener).status == 200

    assert server.get("user", access).status == 401
    phone, _refresh = tokens_of(server.post("login", credentials))
    laptop, _refresh = tokens_of(server.post("login", credentials))
    assert server.post("password_change", CHANGE, token=laptop).status == 200
    assert server.get("user", phone).status == 401


def test_logout_all_ends_the_sessions_of_every_device(server):
    user = create_user("ada@example.com")
    sessions = [tokens_of(server.post("login", {"email": user.email, "password": PASSWORD})) for _ in range(3)]

    assert server.post("logout_all", token=sessions[0][0]).status == 200

    assert [survives(server, *tokens) for tokens in sessions] == [False] * 3


def test_a_stolen_refresh_token_used_after_the_grace_window_ends_the_thiefs_session(server):
    user = create_user("ada@example.com")
    _access, stolen = tokens_of(server.post("login", {"email": user.email, "password": PASSWORD}))
    # The thief refreshes first, and goes on with the successor.
    thief_access, thief_refresh = tokens_of(server.post("token_refresh", {"refresh": stolen}))
    assert server.get("user", thief_access).status == 200
    LoginSession.objects.update(rotated_at=F("rotated_at") - settings.JWT_REFRESH_REUSE_GRACE - timedelta(seconds=1))

    # The user comes back with the token the thief rotated away.
    replayed = server.post("token_refresh", {"refresh": stolen})

    assert replayed.status == 401
    assert not survives(server, thief_access, thief_refresh)


def test_two_tabs_refreshing_at_once_keep_the_session(server):
    user = create_user("ada@example.com")
    for _ in range(TRIALS):
        _access, refresh = tokens_of(server.post("login", {"email": user.email, "password": PASSWORD}))

        answers = all_at_once(*[partial(server.post, "token_refresh", {"refresh": refresh})] * 2)

        assert sorted(answer.status for answer in answers) == [200, 401]
        [winner] = [answer for answer in answers if answer.status == 200]
        assert survives(server, *tokens_of(winner))


def test_verify_answers_as_user_does(server):
    user = create_user("ada@example.com")
    opener, _jar = browser()
    access, refresh = tokens_of(server.post("login", {"email": user.email, "password": PASSWORD}, opener))
    assert server.post("token_verify", {"token": access}).status == 200

    assert server.post("token_verify", {"token": refresh}).status == 401
    server.post("logout", opener=opener)
    assert server.post("token_verify", {"token": access}).status == server.get("user", access).status == 401
    other, _refresh = tokens_of(server.post("login", {"email": user.email, "password": PASSWORD}))
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert server.post("token_verify", {"token": other}).status == server.get("user", other).status == 401


def test_one_mailbox_gets_one_account_however_it_is_spelled(server):
    spellings = [
        "dave@example.com",
        "dave@ex\uff41mple.com",
        "dave@\uff25\uff38\uff21\uff2d\uff30\uff2c\uff25.\uff23\uff2f\uff2d",
        "dave@exam\u00adple.com",
        "dave@exa\u200bmple.com",
    ]
    sign_ups = [{"email": email, "password1": PASSWORD, "password2": PASSWORD} for email in spellings]

    answers = all_at_once(*[partial(server.post, "register", data) for data in sign_ups])

    assert list(User.objects.values_list("email", flat=True)) == ["dave@example.com"]
    # The two with invisible characters are refused; with mandatory verification
    # no answer to the others may tell that the address was taken.
    expected = {201: 3, 400: 2} if verification_is_mandatory() else {201: 1, 400: 4}
    assert Counter(answer.status for answer in answers) == expected
    unreachable = {"email": "x@exa\ufffdmple.com", "password1": PASSWORD, "password2": PASSWORD}
    assert server.post("register", unreachable).status == 400


def test_with_the_mail_server_down_a_reset_answers_as_for_an_unknown_address(strict_server):
    create_user("ada@example.com")
    log_before = strict_server.log()

    known = strict_server.post("password_reset", {"email": "ada@example.com"})
    unknown = strict_server.post("password_reset", {"email": "nobody@example.com"})

    assert (known.status, known.body) == (unknown.status, unknown.body)
    assert known.status == 200
    log = strict_server.log().removeprefix(log_before)
    assert "The email '[example.com] Password Reset Email' could not be sent." in log
    assert " 500 " not in log


def test_logins_to_one_account_are_limited_across_client_addresses(strict_server):
    user = create_user("ada@example.com")
    guess = {"email": user.email, "password": "wrong-guess"}

    answers = [
        strict_server.send(
            "POST", reverse("accounts:login"), guess, headers={"X-Forwarded-For": f"198.51.100.{number}"}
        )
        for number in range(ACCOUNT_LOGIN_LIMIT + 1)
    ]

    assert [answer.status for answer in answers] == [400] * ACCOUNT_LOGIN_LIMIT + [429]
    assert int(answers[-1].headers["Retry-After"]) > 0


def test_the_admins_password_change_form_counts_with_the_apis(strict_server):
    admin = create_user("root@example.com", superuser=True)
    opener, _jar = browser()
    logged_in = post_admin_form(strict_server, opener, "admin:login", {"username": admin.email, "password": PASSWORD})
    assert logged_in.status == 200, logged_in.body
    guess = {"old_password": "wrong-guess", "new_password1": "x", "new_password2": "x"}
    access, _refresh = tokens_of(strict_server.post("login", {"email": admin.email, "password": PASSWORD}))

    through_the_api = [strict_server.post("password_change", guess, token=access) for _ in range(LOGIN_LIMIT - 1)]
    through_the_admin = post_admin_form(strict_server, opener, "admin:password_change", guess)
    refused = post_admin_form(strict_server, opener, "admin:password_change", guess)

    assert [answer.status for answer in through_the_api] == [400] * (LOGIN_LIMIT - 1)
    assert through_the_admin.status == 200
    assert refused.status == 429


def test_token_and_user_answers_are_never_stored(server):
    create_user("ada@example.com")
    login = server.post("login", {"email": "ada@example.com", "password": PASSWORD})
    access, refresh = tokens_of(login)

    answers = [login, server.get("user", access), server.post("token_refresh", {"refresh": refresh})]

    assert [answer.headers.get("Cache-Control", "") for answer in answers] == [
        "max-age=0, no-cache, no-store, must-revalidate, private"
    ] * 3


def post_admin_form(server: Server, opener: OpenerDirector, name: str, data: dict[str, str]) -> Answer:
    """POST a form of the admin as a browser does, with the hidden fields of its page: the CSRF token, `next`."""
    path = reverse(name)
    page = server.send("GET", path, opener=opener).body.decode()
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page))
    assert "csrfmiddlewaretoken" in hidden, page
    request = urllib.request.Request(
        server.url + path,
        data=urllib.parse.urlencode({**hidden, **data}).encode(),
        headers={"Referer": server.url + path},
        method="POST",
    )
    try:
        with opener.open(request, timeout=30) as response:
            return Answer(response.status, response.headers, response.read())
    except HTTPError as error:
        return Answer(error.code, error.headers, error.read())
