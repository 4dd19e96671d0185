from http import HTTPStatus
from typing import Any

import requests
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.http import HttpRequest

from accounts.email_addresses import normalize_email_address
from accounts.models import User

from .errors import ProviderServerError

# Providers allow longer names than the user table holds.
FIRST_NAME_LENGTH = User._meta.get_field("first_name").max_length
LAST_NAME_LENGTH = User._meta.get_field("last_name").max_length


def refuse_server_errors(response: requests.Response, **_options: Any) -> None:
    """A response hook of requests: a provider's 5xx raises at once, before allauth takes it for a refusal."""
    if response.status_code >= HTTPStatus.INTERNAL_SERVER_ERROR:
        raise ProviderServerError(f"{response.request.method} {response.url} answered {response.status_code}")


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """allauth's adapter: addresses in their one spelling, names that fit, and provider failures told apart."""

    def get_requests_session(self) -> requests.Session:
        # allauth reads any unsuccessful answer of a provider as a refused code
        # or token; a server error is the provider's failure, not the user's.
        session: requests.Session = super().get_requests_session()  # type: ignore[no-untyped-call]
        session.hooks["response"].append(refuse_server_errors)
        return session

    def populate_user(self, request: HttpRequest, sociallogin: SocialLogin, data: dict[str, Any]) -> User:
        user: User = super().populate_user(request, sociallogin, data)
        # One spelling per mailbox, as at sign-up, so the account is found again.
        user.email = normalize_email_address(user.email) if user.email else ""
        for address in sociallogin.email_addresses:
            address.email = normalize_email_address(address.email)
        user.first_name = user.first_name[:FIRST_NAME_LENGTH]
        user.last_name = user.last_name[:LAST_NAME_LENGTH]
        return user
