import logging
from typing import Any
from urllib.parse import unquote

import requests
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.models import SocialLogin
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from .errors import (
    ProviderFailed,
    ProviderServerError,
    ProviderUnreachable,
    SocialLoginNotConfigured,
    SocialLoginRefused,
)
from .services import social_login_user

logger = logging.getLogger(__name__)


class SocialLoginSerializer(serializers.Serializer[dict[str, Any]]):
    """A provider's authorization code, or an access token it issued; valid, it names the user to log in.

    The view (accounts.social.views.SocialLoginView) names the provider's
    allauth adapter, the client that exchanges a code, and the callback URL.
    """

    code = serializers.CharField(
        required=False,
        write_only=True,
        help_text=gettext_lazy("The code the provider sent to the callback URL."),
    )
    access_token = serializers.CharField(
        required=False,
        write_only=True,
        help_text=gettext_lazy("An access token the provider issued to this app."),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("code" in attrs) == ("access_token" in attrs):
            raise serializers.ValidationError(_("Send either code or access_token."), code="code_or_token")
        request = self.context["request"]._request
        # allauth's adapter and signals refuse a login by raising a response.
        try:
            sociallogin = self.provider_login(attrs)
            # Nothing written here outlives a refusal; the login session starts
            # only after validation, so a refused login leaves nobody logged in.
            with transaction.atomic():
                user = social_login_user(request=request, sociallogin=sociallogin)
        except ImmediateHttpResponse as error:
            raise SocialLoginRefused from error
        return {"user": user}

    def provider_login(self, attrs: dict[str, Any]) -> SocialLogin:
        """Who the provider says the user is: it exchanges the code for a token, then reads the user's account."""
        view = self.context["view"]
        request = self.context["request"]._request
        adapter = view.adapter_class(request)
        provider = adapter.get_provider()
        app = provider.app
        if not app.client_id:
            raise SocialLoginNotConfigured(
                _("Logging in with %(provider)s is not set up on this server.") % {"provider": provider.name}
            )
        try:
            if "code" in attrs:
                client = view.client_class(
                    request,
                    app.client_id,
                    app.secret,
                    adapter.access_token_method,
                    adapter.access_token_url,
                    view.callback_url,
                    scope_delimiter=adapter.scope_delimiter,
                    headers=adapter.headers,
                    basic_auth=adapter.basic_auth,
                )
                # Frontends may post the code as the callback URL's query has it, percent-encoded.
                token_data = client.get_access_token(unquote(attrs["code"]))
                # Straight from the provider over TLS: its ID token needs no signature check.
                adapter.did_fetch_access_token = True
            else:
                token_data = {"access_token": attrs["access_token"]}
            token = adapter.parse_token(token_data)
            token.app = app
            sociallogin: SocialLogin = adapter.complete_login(request, app, token, response=token_data)
        except ProviderServerError as error:
            logger.warning("%s failed: %s", provider.name, error)
            raise ProviderFailed(
                _("%(provider)s answered with an error. Try again later.") % {"provider": provider.name}
            ) from error
        except (requests.ConnectionError, requests.Timeout) as error:
            logger.warning("%s could not be reached: %s", provider.name, error)
            raise ProviderUnreachable(
                _("%(provider)s could not be reached. Try again later.") % {"provider": provider.name}
            ) from error
        except (OAuth2Error, requests.HTTPError) as error:
            # The provider refused the code or the token.
            raise serializers.ValidationError(
                _("%(provider)s did not accept this code or token.") % {"provider": provider.name}, code="refused"
            ) from error
        except (requests.RequestException, AttributeError, KeyError, TypeError, ValueError) as error:
            logger.warning("%s gave an unreadable answer: %r", provider.name, error)
            # An answer that is not what the provider documents.
            raise ProviderFailed(
                _("%(provider)s gave an answer that could not be read. Try again later.") % {"provider": provider.name}
            ) from error
        sociallogin.token = token
        return sociallogin
