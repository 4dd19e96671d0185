"""Log in with Kakao."""

from allauth.socialaccount.providers.kakao.views import KakaoOAuth2Adapter
from drf_spectacular.utils import extend_schema_view

from .views import SOCIAL_LOGIN_SCHEMA, SocialLoginView


@extend_schema_view(post=SOCIAL_LOGIN_SCHEMA)
class KakaoLoginView(SocialLoginView):
    """Log in with Kakao: the code Kakao sent to the callback URL, or a Kakao access token."""

    adapter_class = KakaoOAuth2Adapter
