"""Log in with Kakao."""

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialApp, SocialLogin, SocialToken
from allauth.socialaccount.providers.kakao.views import KakaoOAuth2Adapter
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_view
from rest_framework.exceptions import ValidationError

from .views import SOCIAL_LOGIN_SCHEMA, SocialLoginView

# Says which app an access token was issued to.
TOKEN_INFO_URL = "https://kapi.kakao.com/v1/user/access_token_info"  # noqa: S105 - a URL, not a password


class KakaoTokenCheckingAdapter(KakaoOAuth2Adapter):
    """allauth's Kakao adapter, which also refuses access tokens that Kakao issued to another app.

    Any app that a user logs in to with Kakao holds such a token: without this
    check, that app could log in here as the user. Kakao names the app a token
    is for by its app ID, which KAKAO_APP_ID gives; without it, only codes log in.
    """

    def complete_login(
        self, request: HttpRequest, app: SocialApp, token: SocialToken, **kwargs: object
    ) -> SocialLogin:
        if not self.did_fetch_access_token:
            if not settings.KAKAO_APP_ID:
                raise ValidationError(
                    _("This server takes no Kakao access tokens: send the code instead."), code="no_tokens"
                )
            with get_adapter().get_requests_session() as session:
                answer = session.get(TOKEN_INFO_URL, headers={"Authorization": f"Bearer {token.token}"})
            if not answer.ok or str(answer.json().get("app_id")) != settings.KAKAO_APP_ID:
                raise OAuth2Error("The access token was not issued to this app.")
        login: SocialLogin = super().complete_login(request, app, token, **kwargs)
        return login


@extend_schema_view(post=SOCIAL_LOGIN_SCHEMA)
class KakaoLoginView(SocialLoginView):
    """Log in with Kakao: the code Kakao sent to the callback URL, or a Kakao access token of this app."""

    adapter_class = KakaoTokenCheckingAdapter
