"""The account endpoints: dj-rest-auth's views, adjusted for JWTs in HttpOnly cookies.

Endpoints meant for anonymous users skip authentication altogether, so a
stale or broken access cookie can never stop anyone from signing up, logging
in, logging out or resetting a password.
"""

from allauth.account.signals import user_signed_up
from dj_rest_auth import views as rest_auth_views
from dj_rest_auth.app_settings import api_settings as rest_auth_settings
from dj_rest_auth.jwt_auth import get_refresh_view, set_jwt_cookies, unset_jwt_cookies
from dj_rest_auth.registration.views import RegisterView as BaseRegisterView
from dj_rest_auth.utils import jwt_encode
from django.contrib.auth.signals import user_logged_in
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.response import Response
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.views import TokenVerifyView as BaseTokenVerifyView

from .serializers import JWTResponseSerializer, TokenRefreshSerializer, TokenVerifySerializer


def signal_login(request, user):
    """Send what django.contrib.auth.login() sends, without starting a session (it updates last_login)."""
    user_logged_in.send(sender=type(user), request=request._request, user=user)


class RegisterView(BaseRegisterView):
    """Sign up; the new user comes back logged in exactly as after login."""

    authentication_classes = ()

    def perform_create(self, serializer):
        user = serializer.save(self.request)
        # allauth's complete_signup() would log in through a session; API
        # clients get the JWT cookies instead.
        user_signed_up.send(sender=type(user), request=self.request._request, user=user)
        self.access_token, self.refresh_token = jwt_encode(user)
        signal_login(self.request, user)
        return user

    def get_response_data(self, user):
        now = timezone.now()
        data = {
            "user": user,
            "access": self.access_token,
            "access_expiration": now + jwt_settings.ACCESS_TOKEN_LIFETIME,
            "refresh_expiration": now + jwt_settings.REFRESH_TOKEN_LIFETIME,
        }
        return JWTResponseSerializer(data, context=self.get_serializer_context()).data

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        set_jwt_cookies(response, self.access_token, self.refresh_token)
        return response


class LoginView(rest_auth_views.LoginView):
    authentication_classes = ()

    def login(self):
        super().login()
        signal_login(self.request, self.user)


class LogoutView(rest_auth_views.LogoutView):
    """Blacklist the refresh token from its cookie and delete both cookies."""

    authentication_classes = ()

    def logout(self, request):
        if rest_auth_settings.JWT_AUTH_REFRESH_COOKIE in request.COOKIES:
            return super().logout(request)
        # dj-rest-auth would blacklist a brand-new token here: two rows per anonymous request.
        response = Response({"detail": _("Refresh token was not included in cookie data.")}, status=401)
        unset_jwt_cookies(response)
        return response


class PasswordResetView(rest_auth_views.PasswordResetView):
    authentication_classes = ()


class PasswordResetConfirmView(rest_auth_views.PasswordResetConfirmView):
    authentication_classes = ()


class TokenVerifyView(BaseTokenVerifyView):
    serializer_class = TokenVerifySerializer


class TokenRefreshView(get_refresh_view()):
    serializer_class = TokenRefreshSerializer
