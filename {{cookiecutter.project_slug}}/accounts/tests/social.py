"""What every social provider's login must do, against a provider simulated in-process.

Each provider's test module subclasses SocialLoginContract with a FakeProvider
of its own, which answers as that provider's endpoints do. No test ever reaches
a provider: in every test (conftest.py uses `provider_network`), each provider
has a test app, and refuses every code and token, unless the test's
FakeProvider says otherwise.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import parse_qs

import pytest
import requests
import responses
from allauth.account.models import EmailAddress
from allauth.account.signals import user_signed_up
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.signals import pre_social_login
from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import LoginSession, User
from accounts.tokens import SESSION_CLAIM

from .korean import assert_korean
from .utils import PASSWORD, access_cookie_name, assert_logged_in, new_session, post_json

CLIENT_ID = "test-client-id"
CLIENT_SECRET = "test-client-secret"
CODE = "4/0AfJohXn-the-code"
ACCESS_TOKEN = "ya29.the-access-token"


@pytest.fixture(autouse=True)
def provider_network(settings) -> Iterator[responses.RequestsMock]:
    """Providers with a test app each, which refuse every code (400) and token (401) sent to them."""
    settings.SOCIALACCOUNT_PROVIDERS = {
        provider: {**configuration, "APPS": [{"client_id": CLIENT_ID, "secret": CLIENT_SECRET}]}
        for provider, configuration in settings.SOCIALACCOUNT_PROVIDERS.items()
    }
    with responses.RequestsMock(assert_all_requests_are_fired=False) as network:
        network.post(re.compile("https://.*"), status=400, json={"error": "invalid_grant"})
        network.get(re.compile("https://.*"), status=401, json={"error": "invalid_token"})
        yield network


@dataclass
class ProviderAccount:
    """A user's account at the provider, as its user info endpoint describes it."""

    uid: str = "1029384756"
    email: str | None = "grace@example.com"
    verified: bool = True


class FakeProvider:
    """A provider's endpoints, answering on `network` as the real ones would; subclasses say how each looks."""

    id: ClassVar[str]
    name: ClassVar[str]
    token_url: ClassVar[str]
    user_info_url: ClassVar[str]

    def __init__(self, network: responses.RequestsMock) -> None:
        # From now on the network answers exactly as the test says, and refuses to connect otherwise.
        network.reset()
        self.network = network

    def user_info(self, account: ProviderAccount) -> dict[str, Any]:
        raise NotImplementedError

    def token_answer(self) -> dict[str, Any]:
        return {"access_token": ACCESS_TOKEN, "token_type": "Bearer", "expires_in": 3599}

    def accept_code(self, account: ProviderAccount) -> None:
        """Exchange CODE for ACCESS_TOKEN, which reads `account`."""
        self.network.post(self.token_url, json=self.token_answer())
        self.accept_token(account)

    def accept_token(self, account: ProviderAccount) -> None:
        """Answer ACCESS_TOKEN's user info requests with `account`."""
        self.network.get(self.user_info_url, json=self.user_info(account))

    def refuse_code(self) -> None:
        self.network.post(self.token_url, status=400, json={"error": "invalid_grant"})

    def refuse_token(self) -> None:
        self.network.get(self.user_info_url, status=401, json={"error": "invalid_token"})

    def token_request(self) -> dict[str, list[str]]:
        """The form the code exchange posted to the token endpoint."""
        [call] = [call for call in self.network.calls if call.request.url == self.token_url]
        body = call.request.body
        return parse_qs(body.decode() if isinstance(body, bytes) else str(body))


# Each way a social login is refused: what the provider (and the project) does, then what the client sends.


def refuses_the_code(provider: FakeProvider, monkeypatch: pytest.MonkeyPatch, settings: Any) -> dict[str, str]:
    provider.refuse_code()
    return {"code": CODE}


def refuses_the_token(provider: FakeProvider, monkeypatch: pytest.MonkeyPatch, settings: Any) -> dict[str, str]:
    provider.refuse_token()
    return {"access_token": ACCESS_TOKEN}


def cannot_be_reached(provider: FakeProvider, monkeypatch: pytest.MonkeyPatch, settings: Any) -> dict[str, str]:
    provider.network.post(provider.token_url, body=requests.ConnectionError("refused"))
    return {"code": CODE}


def fails(provider: FakeProvider, monkeypatch: pytest.MonkeyPatch, settings: Any) -> dict[str, str]:
    provider.network.post(provider.token_url, status=500, body="Internal error")
    return {"code": CODE}


def answers_unreadably(provider: FakeProvider, monkeypatch: pytest.MonkeyPatch, settings: Any) -> dict[str, str]:
    provider.network.post(provider.token_url, json=provider.token_answer())
    provider.network.get(provider.user_info_url, body="[]", content_type="application/json")
    return {"code": CODE}


def has_no_app(provider: FakeProvider, monkeypatch: pytest.MonkeyPatch, settings: Any) -> dict[str, str]:
    settings.SOCIALACCOUNT_PROVIDERS = {provider.id: {"APPS": [{"client_id": "", "secret": ""}]}}
    return {"code": CODE}


def shares_no_address(provider: FakeProvider, monkeypatch: pytest.MonkeyPatch, settings: Any) -> dict[str, str]:
    provider.accept_code(ProviderAccount(email=None))
    return {"code": CODE}


def has_not_verified_it(provider: FakeProvider, monkeypatch: pytest.MonkeyPatch, settings: Any) -> dict[str, str]:
    provider.accept_code(ProviderAccount(verified=False))
    return {"code": CODE}


def finds_it_taken(provider: FakeProvider, monkeypatch: pytest.MonkeyPatch, settings: Any) -> dict[str, str]:
    settings.SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
    User.objects.create_user(email=ProviderAccount().email, password=PASSWORD)
    provider.accept_code(ProviderAccount())
    return {"code": CODE}


def finds_it_disabled(provider: FakeProvider, monkeypatch: pytest.MonkeyPatch, settings: Any) -> dict[str, str]:
    provider.accept_code(ProviderAccount())
    assert post_json(APIClient(), f"social_{provider.id}", {"code": CODE}).status_code == 200
    User.objects.update(is_active=False)
    provider.accept_code(ProviderAccount())
    return {"code": CODE}


def is_refused_by_the_project(
    provider: FakeProvider, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> dict[str, str]:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise ImmediateHttpResponse(HttpResponseRedirect("/elsewhere/"))

    monkeypatch.setattr("accounts.social.adapter.SocialAccountAdapter.populate_user", refuse)
    provider.accept_code(ProviderAccount())
    return {"code": CODE}


def finds_sign_up_closed(provider: FakeProvider, monkeypatch: pytest.MonkeyPatch, settings: Any) -> dict[str, str]:
    monkeypatch.setattr("accounts.adapters.AccountAdapter.is_open_for_signup", lambda _self, _request: False)
    provider.accept_code(ProviderAccount())
    return {"code": CODE}


def is_limited(provider: FakeProvider, monkeypatch: pytest.MonkeyPatch, settings: Any) -> dict[str, str]:
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, "login": "1/day"})
    post_json(APIClient(), f"social_{provider.id}", {"code": CODE})
    return {"code": CODE}


def gets_both(provider: FakeProvider, monkeypatch: pytest.MonkeyPatch, settings: Any) -> dict[str, str]:
    return {"code": CODE, "access_token": ACCESS_TOKEN}


def gets_a_blank_code(provider: FakeProvider, monkeypatch: pytest.MonkeyPatch, settings: Any) -> dict[str, str]:
    return {"code": ""}


REFUSALS = {
    refuses_the_code: 400,
    refuses_the_token: 400,
    cannot_be_reached: 503,
    fails: 502,
    answers_unreadably: 502,
    has_no_app: 503,
    shares_no_address: 400,
    has_not_verified_it: 400,
    finds_it_taken: 400,
    finds_it_disabled: 400,
    is_refused_by_the_project: 403,
    finds_sign_up_closed: 403,
    is_limited: 429,
    gets_both: 400,
    gets_a_blank_code: 400,
}


class SocialLoginContract:
    """The tests every provider's login passes; a subclass sets provider_class."""

    provider_class: ClassVar[type[FakeProvider]]

    @pytest.fixture
    def provider(self, provider_network) -> FakeProvider:
        return self.provider_class(provider_network)

    def log_in(self, client: APIClient, provider: FakeProvider, **data: str) -> Any:
        return post_json(client, f"social_{provider.id}", data or {"code": CODE})

    def assert_nobody_logged_in(self, response: Any) -> None:
        assert access_cookie_name() not in response.cookies
        assert settings.SESSION_COOKIE_NAME not in response.cookies
        assert not LoginSession.objects.exists()

    # The account a login finds or creates.

    @pytest.mark.django_db
    def test_a_first_login_creates_the_account_and_logs_in_as_a_password_login_does(self, api_client, provider):
        provider.accept_code(ProviderAccount(email="Grace@EXAMPLE.com"))

        response = self.log_in(api_client, provider)

        assert response.status_code == 200, response.content
        user = User.objects.get()
        assert user.email == "grace@example.com"
        assert not user.has_usable_password()
        assert_logged_in(response, user)
        assert LoginSession.objects.filter(user=user).count() == 1
        assert SocialAccount.objects.get(user=user).provider == provider.id
        assert EmailAddress.objects.get(user=user).verified

    @pytest.mark.django_db
    def test_the_provider_address_gets_its_one_spelling(self, api_client, provider):
        provider.accept_code(ProviderAccount(email="grace@\uff45xample.COM"))

        assert self.log_in(api_client, provider).status_code == 200
        assert User.objects.get().email == "grace@example.com"

    @pytest.mark.django_db
    def test_a_later_login_finds_the_same_account_even_with_a_new_address(self, api_client, provider):
        provider.accept_code(ProviderAccount())
        first = self.log_in(api_client, provider)
        provider.network.reset()
        provider.accept_code(ProviderAccount(email="grace.hopper@example.org"))

        second = self.log_in(APIClient(), provider)

        assert second.status_code == 200, second.content
        assert second.json()["user"]["id"] == first.json()["user"]["id"]
        assert User.objects.count() == 1
        assert LoginSession.objects.count() == 2

    @pytest.mark.django_db
    def test_an_access_token_logs_in_too(self, api_client, provider):
        provider.accept_token(ProviderAccount())

        response = self.log_in(api_client, provider, access_token=ACCESS_TOKEN)

        assert response.status_code == 200, response.content
        assert_logged_in(response, User.objects.get())

    @pytest.mark.django_db
    def test_the_code_exchange_names_this_app_and_the_callback_url(self, api_client, provider):
        provider.accept_code(ProviderAccount())

        self.log_in(api_client, provider, code="4%2F0AfJohXn-the-code")

        form = provider.token_request()
        assert form["code"] == [CODE]
        assert form["client_id"] == [CLIENT_ID]
        assert form["grant_type"] == ["authorization_code"]
        assert form["redirect_uri"] == [settings.SOCIAL_LOGIN_CALLBACK_URLS[provider.id]]
        assert form["redirect_uri"] == [f"{settings.FRONTEND_URL}/social/{provider.id}/callback/"]

    # An address that an account here has already.

    @pytest.mark.django_db
    def test_a_verified_address_logs_in_to_its_account_connects_it_and_locks_out_an_unverified_password(
        self, api_client, provider
    ):
        # Someone signed up with the address but never verified it: maybe not its owner.
        owner = User.objects.create_user(email="grace@example.com", password=PASSWORD)
        EmailAddress.objects.create(user=owner, email=owner.email, verified=False, primary=True)
        earlier_session = new_session(owner)
        provider.accept_code(ProviderAccount(email="grace@example.com"))

        response = self.log_in(api_client, provider)

        assert response.status_code == 200, response.content
        owner.refresh_from_db()
        assert_logged_in(response, owner)
        assert not owner.has_usable_password()
        assert not LoginSession.objects.live().filter(pk=earlier_session[SESSION_CLAIM]).exists()
        assert SocialAccount.objects.get(provider=provider.id).user == owner

    @pytest.mark.django_db
    def test_a_verified_address_keeps_the_password_of_an_account_that_verified_it(self, api_client, provider):
        owner = User.objects.create_user(email="grace@example.com", password=PASSWORD)
        EmailAddress.objects.create(user=owner, email=owner.email, verified=True, primary=True)
        provider.accept_code(ProviderAccount(email="grace@example.com"))

        response = self.log_in(api_client, provider)

        assert response.status_code == 200, response.content
        owner.refresh_from_db()
        assert owner.check_password(PASSWORD)

    @pytest.mark.django_db
    def test_without_email_authentication_an_address_with_an_account_is_refused(self, api_client, provider, settings):
        settings.SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
        owner = User.objects.create_user(email="grace@example.com", password=PASSWORD)
        provider.accept_code(ProviderAccount(email="grace@example.com"))

        response = self.log_in(api_client, provider)

        assert response.status_code == 400
        assert response.json() == {
            "non_field_errors": ["An account already has this email address. Log in with its password."]
        }
        self.assert_nobody_logged_in(response)
        owner.refresh_from_db()
        assert owner.check_password(PASSWORD)
        assert not SocialAccount.objects.exists()

    @pytest.mark.django_db
    def test_an_unverified_address_never_reaches_the_account_that_has_it(self, api_client, provider):
        owner = User.objects.create_user(email="grace@example.com", password=PASSWORD)
        provider.accept_code(ProviderAccount(email="grace@example.com", verified=False))

        response = self.log_in(api_client, provider)

        assert response.status_code == 400
        assert "has not verified this email address" in response.json()["non_field_errors"][0]
        self.assert_nobody_logged_in(response)
        owner.refresh_from_db()
        assert owner.check_password(PASSWORD)
        assert not SocialAccount.objects.exists()

    @pytest.mark.django_db
    def test_an_unverified_address_creates_no_account(self, api_client, provider):
        provider.accept_code(ProviderAccount(verified=False))

        response = self.log_in(api_client, provider)

        assert response.status_code == 400
        self.assert_nobody_logged_in(response)
        assert not User.objects.exists()

    @pytest.mark.django_db
    def test_a_disabled_account_is_refused(self, api_client, provider):
        provider.accept_code(ProviderAccount())
        self.log_in(api_client, provider)
        User.objects.update(is_active=False)
        LoginSession.objects.all().delete()
        provider.network.reset()
        provider.accept_code(ProviderAccount())

        response = self.log_in(APIClient(), provider)

        assert response.status_code == 400
        assert response.json() == {"non_field_errors": ["This account is disabled."]}
        self.assert_nobody_logged_in(response)

    # Refusals leave nothing behind (dj-rest-auth issues 379, 604, 658).

    @pytest.mark.django_db
    def test_a_login_that_allauths_hooks_refuse_is_a_403_and_logs_nobody_in(self, api_client, provider):
        def refuse(**kwargs):
            raise ImmediateHttpResponse(HttpResponseRedirect("/elsewhere/"))

        provider.accept_code(ProviderAccount())
        pre_social_login.connect(refuse)
        try:
            response = self.log_in(api_client, provider)
        finally:
            pre_social_login.disconnect(refuse)

        assert response.status_code == 403
        assert response.json() == {"detail": "This login is not allowed."}
        self.assert_nobody_logged_in(response)
        assert not User.objects.exists()

    @pytest.mark.django_db
    def test_a_refusal_after_the_account_was_written_undoes_it(self, api_client, provider):
        def refuse(**kwargs):
            raise ImmediateHttpResponse(HttpResponseRedirect("/elsewhere/"))

        provider.accept_code(ProviderAccount())
        user_signed_up.connect(refuse)
        try:
            response = self.log_in(api_client, provider)
        finally:
            user_signed_up.disconnect(refuse)

        assert response.status_code == 403
        self.assert_nobody_logged_in(response)
        assert not User.objects.exists()
        assert not SocialAccount.objects.exists()

    @pytest.mark.django_db
    def test_a_refusal_while_reading_the_providers_answer_is_a_403(self, api_client, provider, monkeypatch):
        def refuse(*args, **kwargs):
            raise ImmediateHttpResponse(HttpResponseRedirect("/elsewhere/"))

        monkeypatch.setattr("accounts.social.adapter.SocialAccountAdapter.populate_user", refuse)
        provider.accept_code(ProviderAccount())

        response = self.log_in(api_client, provider)

        assert response.status_code == 403
        self.assert_nobody_logged_in(response)

    @pytest.mark.django_db
    def test_closed_sign_up_is_a_403(self, api_client, provider, monkeypatch):
        monkeypatch.setattr("accounts.adapters.AccountAdapter.is_open_for_signup", lambda _self, _request: False)
        provider.accept_code(ProviderAccount())

        response = self.log_in(api_client, provider)

        assert response.status_code == 403
        assert response.json() == {"detail": "Sign-up is closed."}
        assert not User.objects.exists()

    # What the provider answers, and what the client sends.

    @pytest.mark.django_db
    def test_a_code_the_provider_refuses_is_a_400(self, api_client, provider):
        provider.refuse_code()

        response = self.log_in(api_client, provider)

        assert response.status_code == 400
        assert response.json() == {"non_field_errors": [f"{provider.name} did not accept this code or token."]}
        self.assert_nobody_logged_in(response)

    @pytest.mark.django_db
    def test_a_token_the_provider_refuses_is_a_400(self, api_client, provider):
        provider.refuse_token()

        response = self.log_in(api_client, provider, access_token="expired")

        assert response.status_code == 400
        self.assert_nobody_logged_in(response)

    @pytest.mark.django_db
    @pytest.mark.parametrize("failure", [requests.ConnectionError("refused"), requests.ReadTimeout("slow")])
    def test_a_provider_that_cannot_be_reached_is_a_503(self, api_client, provider, failure):
        provider.network.post(provider.token_url, body=failure)

        response = self.log_in(api_client, provider)

        assert response.status_code == 503
        assert response.json() == {"detail": f"{provider.name} could not be reached. Try again later."}
        self.assert_nobody_logged_in(response)

    @pytest.mark.django_db
    def test_a_provider_that_reads_no_user_is_a_503(self, api_client, provider):
        provider.network.post(provider.token_url, json=provider.token_answer())
        provider.network.get(provider.user_info_url, body=requests.ConnectTimeout("slow"))

        assert self.log_in(api_client, provider).status_code == 503

    @pytest.mark.django_db
    @pytest.mark.parametrize("endpoint", ["token", "user info"])
    def test_a_provider_server_error_is_a_502(self, api_client, provider, endpoint):
        if endpoint == "token":
            provider.network.post(provider.token_url, status=500, body="Internal error")
        else:
            provider.network.post(provider.token_url, json=provider.token_answer())
            provider.network.get(provider.user_info_url, status=503, body="Unavailable")

        response = self.log_in(api_client, provider)

        assert response.status_code == 502
        assert response.json() == {"detail": f"{provider.name} answered with an error. Try again later."}

    @pytest.mark.django_db
    @pytest.mark.parametrize("answer", ["<html>not json</html>", "[]", "{}"])
    def test_an_answer_that_cannot_be_read_is_a_502(self, api_client, provider, answer):
        provider.network.post(provider.token_url, json=provider.token_answer())
        provider.network.get(provider.user_info_url, body=answer, content_type="application/json")

        response = self.log_in(api_client, provider)

        assert response.status_code == 502
        assert "could not be read" in response.json()["detail"]

    @pytest.mark.django_db
    @pytest.mark.parametrize(
        "data", [{}, {"code": CODE, "access_token": ACCESS_TOKEN}, {"code": ""}, {"access_token": ""}]
    )
    def test_exactly_one_of_code_and_access_token_is_needed(self, api_client, provider, data):
        response = post_json(api_client, f"social_{provider.id}", data)

        assert response.status_code == 400
        assert not provider.network.calls

    @pytest.mark.django_db
    def test_without_a_client_id_the_login_is_a_503_that_says_so(self, api_client, provider, settings):
        settings.SOCIALACCOUNT_PROVIDERS = {provider.id: {"APPS": [{"client_id": "", "secret": ""}]}}

        response = self.log_in(api_client, provider)

        assert response.status_code == 503
        assert response.json() == {"detail": f"Logging in with {provider.name} is not set up on this server."}
        assert not provider.network.calls

    @pytest.mark.django_db
    def test_social_logins_count_against_the_login_rate_limit(self, api_client, provider, monkeypatch):
        monkeypatch.setattr(
            SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, "login": "1/day"}
        )
        provider.refuse_code()

        answers = [self.log_in(api_client, provider).status_code for _ in range(2)]

        assert answers == [400, 429]

    @pytest.mark.django_db
    def test_in_tests_a_provider_refuses_what_no_test_set_up(self, api_client):
        response = post_json(api_client, f"social_{self.provider_class.id}", {"code": CODE})

        assert response.status_code == 400

    @pytest.mark.django_db
    @pytest.mark.parametrize("refusal", REFUSALS, ids=lambda refusal: refusal.__name__)
    def test_every_refusal_is_korean(self, korean_client, provider, monkeypatch, settings, refusal):
        data = refusal(provider, monkeypatch, settings)

        response = self.log_in(korean_client, provider, **data)

        assert response.status_code == REFUSALS[refusal], response.content
        # The provider's name is a name.
        assert_korean(response, provider.name)

    # Where the endpoint shows.

    @pytest.mark.django_db
    def test_the_root_lists_the_endpoint(self, api_client, provider):
        listed = api_client.get(reverse("accounts:root")).json()

        assert listed[f"social_{provider.id}"] == f"http://testserver/api/accounts/v1/social/{provider.id}/"

    def test_the_schema_describes_the_request_and_the_answers(self, provider):
        schema = APIClient().get(reverse("schema"), {"format": "json"}).json()

        operation = schema["paths"][f"/api/accounts/v1/social/{provider.id}/"]["post"]
        assert set(operation["responses"]) == {"200", "400", "403", "406", "413", "415", "429", "502", "503"}
        request_schema = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        assert set(schema["components"]["schemas"][request_schema]["properties"]) == {"code", "access_token"}
        answer = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        assert answer.endswith("/JWTResponse")

    @pytest.mark.django_db
    def test_the_admin_shows_social_accounts_but_neither_apps_nor_tokens(self, admin_client, api_client, provider):
        provider.accept_code(ProviderAccount())
        self.log_in(api_client, provider)

        index = admin_client.get(reverse("admin:index"))
        accounts = admin_client.get(reverse("admin:socialaccount_socialaccount_changelist"))

        apps = {
            app["app_label"]: [model["object_name"] for model in app["models"]] for app in index.context["app_list"]
        }
        assert apps["socialaccount"] == ["SocialAccount"]
        assert accounts.status_code == 200
        assert "grace@example.com" in accounts.text
