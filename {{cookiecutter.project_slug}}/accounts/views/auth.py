"""Signing up, logging in and out, and the tokens of a login session."""

from typing import Any

from allauth.account import app_settings as allauth_settings
from allauth.account.models import EmailAddress
from allauth.account.signals import user_signed_up
from dj_rest_auth import views as rest_auth_views
from dj_rest_auth.app_settings import api_settings as rest_auth_settings
from dj_rest_auth.jwt_auth import get_refresh_view, set_jwt_cookies, unset_jwt_cookies
from dj_rest_auth.registration.views import RegisterView as BaseRegisterView
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.views import TokenVerifyView as BaseTokenVerifyView

from accounts.authentication import authenticated_user
from accounts.models import User
from accounts.permissions import FromTrustedOrigin
from accounts.serializers import (
    DetailSerializer,
    JWTResponseSerializer,
    RefreshResponseSerializer,
    RegisterSerializer,
    TokenRefreshSerializer,
    TokenVerifySerializer,
    verification_is_mandatory,
)
from accounts.services import end_all_sessions, end_session_of, start_session
from accounts.throttling import AtomicScopedRateThrottle, LoginAccountThrottle
from accounts.tokens import SessionRefreshToken


@extend_schema_view(
    post=extend_schema(responses={201: JWTResponseSerializer if not verification_is_mandatory() else DetailSerializer})
)
class RegisterView(BaseRegisterView):
    """Sign up. The new user comes back logged in exactly as after login, unless verification is mandatory.

    With email verification, the user is emailed a link to the frontend's
    verify-email page. When it is mandatory, the answer holds no tokens, and
    it is the same whether or not the address was free.
    """

    authentication_classes = ()
    throttle_scope = "registration"
    refresh_token: SessionRefreshToken | None = None

    # dj-rest-auth's create() uses the user this returns, unlike DRF's.
    def perform_create(self, serializer: RegisterSerializer) -> User | None:  # type: ignore[override]
        user = serializer.save(self.request)
        if user is None:
            return None
        # allauth's complete_signup() would log in through a Django session; API
        # clients get a login session and its JWT cookies instead.
        user_signed_up.send(sender=type(user), request=self.request._request, user=user)
        if allauth_settings.EMAIL_VERIFICATION != allauth_settings.EmailVerificationMethod.NONE:
            address = EmailAddress.objects.get(user=user, primary=True)
            address.send_confirmation(self.request._request, signup=True)
        if not verification_is_mandatory():
            self.refresh_token = start_session(user=user, request=self.request._request)
            self.access_token = self.refresh_token.access_token
        return user

    def get_response_data(self, user: User | None) -> dict[str, Any]:
        if self.refresh_token is None:
            return {"detail": _("Verification e-mail sent.")}
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
        if self.refresh_token is not None:
            set_jwt_cookies(response, self.access_token, self.refresh_token)
        return response


class SessionLoginMixin(rest_auth_views.LoginView):
    """dj-rest-auth's login, which starts a login session instead of a Django session: its JWTs go in the cookies.

    Whatever checked who the user is (a password, a social provider), the
    serializer's validated data names the user.
    """

    authentication_classes = ()

    def login(self) -> None:
        self.user = self.serializer.validated_data["user"]
        refresh_token: SessionRefreshToken = start_session(user=self.user, request=self.request._request)
        # dj-rest-auth declares both None until a login.
        self.access_token, self.refresh_token = refresh_token.access_token, refresh_token  # type: ignore[assignment]


@extend_schema_view(post=extend_schema(responses=JWTResponseSerializer))
class LoginView(SessionLoginMixin):
    """Log in with email and password: a new login session, its JWTs in HttpOnly cookies."""

    # Per client address (the scope), and per account from any address.
    throttle_classes = (AtomicScopedRateThrottle, LoginAccountThrottle)
    throttle_scope = "login"


@extend_schema_view(post=extend_schema(request=None, responses=DetailSerializer))
class LogoutView(APIView):
    """End the session of the refresh cookie, and delete both cookies."""

    authentication_classes = ()
    permission_classes = (FromTrustedOrigin,)

    def get_authenticate_header(self, request: Request) -> str:
        """The challenge of its 401s: that of simplejwt's views, token/refresh/ among them."""
        return TokenVerifyView().get_authenticate_header(request)

    def post(self, request: Request) -> Response:
        response = Response({"detail": _("Successfully logged out.")})
        unset_jwt_cookies(response)
        token = request.COOKIES.get(rest_auth_settings.JWT_AUTH_REFRESH_COOKIE)
        if token is None:
            return self.refuse(response, _("Refresh token was not included in cookie data."))
        try:
            end_session_of(token=token)
        except TokenError as error:
            return self.refuse(response, str(error))
        return response

    def refuse(self, response: Response, detail: str) -> Response:
        """The answer as a 401 that says why, with the WWW-Authenticate header a 401 needs; the cookies still go."""
        response.data = {"detail": detail}
        response.status_code = 401
        response["WWW-Authenticate"] = self.get_authenticate_header(self.request)
        return response


@extend_schema_view(post=extend_schema(request=None, responses=DetailSerializer))
class LogoutAllView(APIView):
    """End every session of the user, on every device, this one too; its cookies go."""

    def post(self, request: Request) -> Response:
        end_all_sessions(user=authenticated_user(request))
        response = Response({"detail": _("Every session has ended.")})
        unset_jwt_cookies(response)
        return response


@extend_schema_view(post=extend_schema(responses=OpenApiTypes.OBJECT))
class TokenVerifyView(BaseTokenVerifyView):
    """Check an access token from the body or, without one, the access cookie: 200 exactly when it authenticates."""

    serializer_class = TokenVerifySerializer


@extend_schema_view(post=extend_schema(responses=RefreshResponseSerializer))
# dj-rest-auth makes its cookie-aware refresh view at run time, out of mypy's sight.
class TokenRefreshView(get_refresh_view()):  # type: ignore[misc]
    """Rotate the session's refresh token, from the body or the refresh cookie; each works once."""

    serializer_class = TokenRefreshSerializer
    permission_classes = (FromTrustedOrigin,)
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
