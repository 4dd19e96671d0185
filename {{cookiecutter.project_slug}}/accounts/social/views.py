from typing import ClassVar

from allauth.socialaccount.providers.oauth2.client import OAuth2Client
from allauth.socialaccount.providers.oauth2.views import OAuth2Adapter
from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema

from accounts.schema import ErrorDetailSerializer
from accounts.serializers import JWTResponseSerializer
from accounts.views.auth import SessionLoginMixin

from .serializers import SocialLoginSerializer

SOCIAL_LOGIN_SCHEMA = extend_schema(
    request=SocialLoginSerializer,
    # The 400 (the provider refused the code or token, or the login breaks a
    # rule) and the others of every login come from accounts/schema.py.
    responses={
        200: JWTResponseSerializer,
        403: OpenApiResponse(ErrorDetailSerializer, description="This project's rules refuse the login."),
        502: OpenApiResponse(ErrorDetailSerializer, description="The provider answered with an error."),
        503: OpenApiResponse(
            ErrorDetailSerializer, description="The provider could not be reached, or has no client id."
        ),
    },
)


class SocialLoginView(SessionLoginMixin):
    """Log in with a provider's code or access token; the first login creates the account.

    It ends as a password login does: a new login session, its JWTs in
    HttpOnly cookies. Each provider's view names its allauth adapter.
    """

    serializer_class = SocialLoginSerializer
    # A login like any other, limited per client address.
    throttle_scope = "login"
    # Exchanges a code for the provider's tokens.
    client_class: ClassVar[type[OAuth2Client]] = OAuth2Client
    adapter_class: ClassVar[type[OAuth2Adapter]]

    @property
    def callback_url(self) -> str:
        """The redirect URI the frontend sent the user to the provider with; the code exchange repeats it."""
        return str(settings.SOCIAL_LOGIN_CALLBACK_URLS[self.adapter_class.provider_id])
