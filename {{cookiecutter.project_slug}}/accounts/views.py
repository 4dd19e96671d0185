"""The account endpoints: dj-rest-auth's views, adjusted for JWTs in HttpOnly cookies.

Endpoints meant for anonymous users skip authentication altogether, so a
stale or broken access cookie can never stop anyone from signing up, logging
in, logging out or resetting a password; nor can a missing CSRF token, which
only requests authenticated by the access cookie need.
"""

from collections.abc import Sequence
from typing import Any

from allauth.account.signals import user_signed_up
from dj_rest_auth import views as rest_auth_views
from dj_rest_auth.app_settings import api_settings as rest_auth_settings
from dj_rest_auth.jwt_auth import get_refresh_view, set_jwt_cookies, unset_jwt_cookies
from dj_rest_auth.registration.views import RegisterView as BaseRegisterView
from dj_rest_auth.utils import jwt_encode
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.views import TokenVerifyView as BaseTokenVerifyView

from .models import User
from .serializers import (
    DetailSerializer,
    JWTResponseSerializer,
    RefreshResponseSerializer,
    RegisterSerializer,
    TokenRefreshSerializer,
    TokenVerifySerializer,
)
from .services import send_user_logged_in


@extend_schema_view(post=extend_schema(responses={201: JWTResponseSerializer}))
class RegisterView(BaseRegisterView):
    """Sign up; the new user comes back logged in exactly as after login."""

    authentication_classes = ()
    throttle_scope = "registration"

    # dj-rest-auth's create() uses the user this returns, unlike DRF's.
    def perform_create(self, serializer: RegisterSerializer) -> User:  # type: ignore[override]
        user = serializer.save(self.request)
        # allauth's complete_signup() would log in through a session; API
        # clients get the JWT cookies instead.
        user_signed_up.send(sender=type(user), request=self.request._request, user=user)
        self.access_token, self.refresh_token = jwt_encode(user)
        send_user_logged_in(request=self.request._request, user=user)
        return user

    def get_response_data(self, user: User) -> dict[str, Any]:
        now = timezone.now()
        data = {
            "user": user,
            "access": self.access_token,
            "access_expiration": now + jwt_settings.ACCESS_TOKEN_LIFETIME,
            "refresh_expiration": now + jwt_settings.REFRESH_TOKEN_LIFETIME,
        }
        return JWTResponseSerializer(data, context=self.get_serializer_context()).data

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response: Response = super().create(request, *args, **kwargs)
        set_jwt_cookies(response, self.access_token, self.refresh_token)
        return response


@extend_schema_view(post=extend_schema(responses=JWTResponseSerializer))
class LoginView(rest_auth_views.LoginView):
    """Log in with email and password; the JWTs come back in HttpOnly cookies."""

    authentication_classes = ()
    throttle_scope = "login"

    def login(self) -> None:
        super().login()
        send_user_logged_in(request=self.request._request, user=self.user)


class UserDetailsView(rest_auth_views.UserDetailsView):
    """Read or update the logged-in user; the email address cannot be changed here."""


@extend_schema_view(post=extend_schema(request=None, responses=DetailSerializer))
class LogoutView(rest_auth_views.LogoutView):
    """Blacklist the refresh token from its cookie and delete both cookies."""

    authentication_classes = ()
    http_method_names = ("post", "options")

    def logout(self, request: Request) -> Response:
        if rest_auth_settings.JWT_AUTH_REFRESH_COOKIE in request.COOKIES:
            logged_out: Response = super().logout(request)
            return logged_out
        # dj-rest-auth would blacklist a brand-new token here: two rows per anonymous request.
        response = Response({"detail": _("Refresh token was not included in cookie data.")}, status=401)
        unset_jwt_cookies(response)
        return response


@extend_schema_view(post=extend_schema(responses=DetailSerializer))
class PasswordChangeView(rest_auth_views.PasswordChangeView):
    """Change the password. That ends every session of the user, this one too, so its cookies go."""

    throttle_scope = "login"

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response: Response = super().post(request, *args, **kwargs)
        unset_jwt_cookies(response)
        return response


@extend_schema_view(post=extend_schema(responses=DetailSerializer))
class PasswordResetView(rest_auth_views.PasswordResetView):
    """Email a password reset link to the address, if a user has it; the answer is the same either way."""

    authentication_classes = ()
    throttle_scope = "password_reset"


@extend_schema_view(post=extend_schema(responses=DetailSerializer))
class PasswordResetConfirmView(rest_auth_views.PasswordResetConfirmView):
    """Set a new password with the uid and token of a reset link; that ends every session of the user."""

    authentication_classes = ()


@extend_schema_view(post=extend_schema(responses=OpenApiTypes.OBJECT))
class TokenVerifyView(BaseTokenVerifyView):
    """Check a token from the body or, without one, the access cookie: 200 if valid, 401 if not."""

    serializer_class = TokenVerifySerializer


@extend_schema_view(post=extend_schema(responses=RefreshResponseSerializer))
# dj-rest-auth makes its cookie-aware refresh view at run time, out of mypy's sight.
class TokenRefreshView(get_refresh_view()):  # type: ignore[misc]
    """Rotate the refresh token from the body or the refresh cookie; each works once."""

    serializer_class = TokenRefreshSerializer
    throttle_scope = "token_refresh"


class CsrfTokenView(APIView):
    """The CSRF token, also set in the csrftoken cookie.

    Requests authenticated by the access cookie must send it in the
    X-CSRFToken header unless their method is safe (GET, HEAD, OPTIONS).
    """

    authentication_classes = ()
    permission_classes = (AllowAny,)

    @extend_schema(responses=inline_serializer("CsrfToken", {"csrf_token": serializers.CharField()}))
    def get(self, request: Request) -> Response:
        return Response({"csrf_token": get_token(request._request)})


class EndpointListView(APIView):
    """The account endpoints, each with its URL: where to start in a browser."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    # The URL names to list; the URLconf passes them to as_view().
    endpoint_names: Sequence[str] = ()

    @extend_schema(
        responses={200: {"type": "object", "additionalProperties": {"type": "string", "format": "uri"}}},
    )
    def get(self, request: Request) -> Response:
        return Response({name: reverse(f"accounts:{name}", request=request) for name in self.endpoint_names})
