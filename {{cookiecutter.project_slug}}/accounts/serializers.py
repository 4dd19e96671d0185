from typing import Any

from dj_rest_auth.app_settings import api_settings as rest_auth_settings
from dj_rest_auth.jwt_auth import CookieTokenRefreshSerializer
from dj_rest_auth.registration.serializers import RegisterSerializer as BaseRegisterSerializer
from dj_rest_auth.serializers import LoginSerializer as BaseLoginSerializer
from dj_rest_auth.serializers import PasswordResetSerializer as BasePasswordResetSerializer
from django.db import IntegrityError, transaction
from django.utils.translation import gettext, gettext_lazy
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.serializers import TokenVerifySerializer as BaseTokenVerifySerializer

from .forms import PasswordResetForm
from .models import User
from .tokens import SingleUseRefreshToken

EMAIL_TAKEN = gettext_lazy("A user is already registered with this email address.")


class UserSerializer(serializers.ModelSerializer[User]):
    class Meta:
        model = User
        fields = ("id", "email", "first_name", "last_name")
        # Changing the address that logs in deserves its own, verified flow.
        read_only_fields = ("id", "email")


class DetailSerializer(serializers.Serializer[dict[str, Any]]):
    """The answer of endpoints that only say what they did."""

    detail = serializers.CharField()


class RefreshResponseSerializer(serializers.Serializer[dict[str, Any]]):
    """What token/refresh/ answers: the rotated refresh token is only in its cookie."""

    access = serializers.CharField()
    access_expiration = serializers.DateTimeField()


class JWTResponseSerializer(serializers.Serializer[dict[str, Any]]):
    """What login and registration answer: the refresh token stays in its HttpOnly cookie."""

    access = serializers.CharField()
    access_expiration = serializers.DateTimeField()
    refresh_expiration = serializers.DateTimeField()
    user = UserSerializer()


class LoginSerializer(BaseLoginSerializer):
    # Users log in by email only: no username field (None removes a parent's
    # field in DRF), and the email is required.
    username = None  # type: ignore[assignment]
    email = serializers.EmailField()


class RegisterSerializer(BaseRegisterSerializer):
    # dj-rest-auth 7.2 requires a username unless ACCOUNT_SIGNUP_FIELDS lists one.
    username = None  # type: ignore[assignment]
    # As long as the model's column: allauth would cut a longer address short, silently.
    email = serializers.EmailField(max_length=User._meta.get_field("email").max_length)

    def validate_email(self, email: str) -> str:
        email = User.objects.normalize_email(super().validate_email(email))
        if User.objects.filter(email=email).exists():
            raise serializers.ValidationError(EMAIL_TAKEN)
        return email

    # dj-rest-auth's save() takes the request, unlike DRF's.
    def save(self, request: Request) -> User:  # type: ignore[override]
        # When two sign-ups with one address race, the database constraint decides.
        try:
            with transaction.atomic():
                user: User = super().save(request)
                return user
        except IntegrityError as error:
            raise serializers.ValidationError({"email": [EMAIL_TAKEN]}) from error


class PasswordResetSerializer(BasePasswordResetSerializer):
    password_reset_form_class = PasswordResetForm


class TokenVerifySerializer(BaseTokenVerifySerializer):
    """Verifies the token in the body or, when the body has none, the access cookie."""

    token = serializers.CharField(required=False, allow_blank=True, write_only=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("token"):
            attrs["token"] = self.context["request"].COOKIES.get(rest_auth_settings.JWT_AUTH_COOKIE)
        if not attrs["token"]:
            raise InvalidToken(gettext("No token in the request body or the access cookie."))
        return super().validate(attrs)


class TokenRefreshSerializer(CookieTokenRefreshSerializer):
    """Refreshes from the body or the refresh cookie; a deleted user's token is refused, not a crash."""

    token_class = SingleUseRefreshToken

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            validated: dict[str, Any] = super().validate(attrs)
        except User.DoesNotExist as error:
            raise InvalidToken(gettext("The user of this token no longer exists.")) from error
        return validated
