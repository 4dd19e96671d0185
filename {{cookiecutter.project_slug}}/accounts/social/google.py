"""Log in with Google."""

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialApp, SocialLogin, SocialToken
from allauth.socialaccount.providers.google.views import GoogleOAuth2Adapter
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from django.http import HttpRequest
from drf_spectacular.utils import extend_schema_view

from .views import SOCIAL_LOGIN_SCHEMA, SocialLoginView

# Says which app an access token was issued to.
TOKEN_INFO_URL = "https://oauth2.googleapis.com/tokeninfo"  # noqa: S105 - a URL, not a password


class GoogleTokenCheckingAdapter(GoogleOAuth2Adapter):
    """allauth's Google adapter, which also refuses access tokens that Google issued to another app.

    Any site that a user logs in to with Google holds such a token: without
    this check, that site could log in here as the user.
    """

    def complete_login(
        self, request: HttpRequest, app: SocialApp, token: SocialToken, **kwargs: object
    ) -> SocialLogin:
        if not self.did_fetch_access_token:
            with get_adapter().get_requests_session() as session:
                answer = session.get(TOKEN_INFO_URL, params={"access_token": token.token})
            if not answer.ok or answer.json().get("aud") != app.client_id:
                raise OAuth2Error("The access token was not issued to this app.")
        login: SocialLogin = super().complete_login(request, app, token, **kwargs)
        return login


@extend_schema_view(post=SOCIAL_LOGIN_SCHEMA)
class GoogleLoginView(SocialLoginView):
    """Log in with Google: the code Google sent to the callback URL, or a Google access token of this app."""

    adapter_class = GoogleTokenCheckingAdapter
