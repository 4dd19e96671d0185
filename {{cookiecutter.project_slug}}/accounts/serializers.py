from datetime import UTC, tzinfo
from typing import Any

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import get_adapter
from dj_rest_auth.app_settings import api_settings as rest_auth_settings
from dj_rest_auth.jwt_auth import CookieTokenRefreshSerializer
from dj_rest_auth.registration.serializers import RegisterSerializer as BaseRegisterSerializer
from dj_rest_auth.serializers import LoginSerializer as BaseLoginSerializer
from dj_rest_auth.serializers import PasswordResetSerializer as BasePasswordResetSerializer
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext, gettext_lazy
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework_simplejwt.exceptions import InvalidToken

from .authentication import SessionJWTAuthentication
from .email_addresses import normalize_email_address, validate_email_address
from .forms import PasswordResetForm
from .models import LoginSession, User
from .services import refresh_session

EMAIL_TAKEN = gettext_lazy("A user is already registered with this email address.")
# As long as the model's column: allauth would cut a longer address short, silently.
EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length
NAME_MAX_LENGTH = User._meta.get_field("first_name").max_length


class EmailAddressField(serializers.EmailField):
    """An email address as typed; validate_email() of each serializer turns it into its mailbox's one spelling."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=EMAIL_MAX_LENGTH, validators=[validate_email_address], **kwargs)


class UTCDateTimeField(serializers.DateTimeField):
    """A time in UTC, written with a Z: every answer gives its times alike, whatever TIME_ZONE says."""

    def default_timezone(self) -> tzinfo:
        return UTC


class UserSerializer(serializers.Serializer[User]):
    """The logged-in user, as user/ shows it and updates its names.

    Its fields are declared rather than read from the model, as a
    ModelSerializer would on every request: user/ is the API's most frequent
    call, and that introspection cost more than the rest of the answer.
    """

    id = serializers.IntegerField(read_only=True)
    # Changing the address that logs in deserves its own, verified flow.
    email = serializers.EmailField(read_only=True)
    first_name = serializers.CharField(max_length=NAME_MAX_LENGTH, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=NAME_MAX_LENGTH, required=False, allow_blank=True)

    def update(self, instance: User, validated_data: dict[str, Any]) -> User:
        for name, value in validated_data.items():
            setattr(instance, name, value)
        instance.save(update_fields=list(validated_data))
        return instance


class DetailSerializer(serializers.Serializer[dict[str, Any]]):
    """The answer of endpoints that only say what they did."""

    detail = serializers.CharField()


class RefreshResponseSerializer(serializers.Serializer[dict[str, Any]]):
    """What token/refresh/ answers: the rotated refresh token is only in its cookie."""

    access = serializers.CharField()
    access_expiration = UTCDateTimeField()


class JWTResponseSerializer(serializers.Serializer[dict[str, Any]]):
    """What login and registration answer: the refresh token stays in its HttpOnly cookie."""

    access = serializers.CharField()
    access_expiration = UTCDateTimeField()
    refresh_expiration = UTCDateTimeField()
    user = UserSerializer()


class LoginSerializer(BaseLoginSerializer):
    # Users log in by email only: no username field (None removes a parent's
    # field in DRF), and the email is required.
    username = None  # type: ignore[assignment]
    email = EmailAddressField()

    def validate_email(self, email: str) -> str:
        return normalize_email_address(email)


def verification_is_mandatory() -> bool:
    """Whether users must follow the link in their verification email before they can log in."""
    return bool(allauth_settings.EMAIL_VERIFICATION == allauth_settings.EmailVerificationMethod.MANDATORY)


class RegisterSerializer(BaseRegisterSerializer):
    """Sign-up by email; with mandatory verification, a taken address is answered like a free one.

    Then the answer cannot tell anyone whether an address has an account:
    the address's owner gets an email saying that someone tried to sign up.
    """

    # dj-rest-auth 7.2 requires a username unless ACCOUNT_SIGNUP_FIELDS lists one.
    username = None  # type: ignore[assignment]
    email = EmailAddressField()

    def validate_email(self, email: str) -> str:
        email = User.objects.normalize_email(get_adapter().clean_email(email))
        if not verification_is_mandatory() and User.objects.filter(email=email).exists():
            raise serializers.ValidationError(EMAIL_TAKEN)
        return email

    # dj-rest-auth's save() takes the request, unlike DRF's.
    def save(self, request: Request) -> User | None:  # type: ignore[override]
        """The new user; None when the address was taken and the answer must not say so."""
        email = self.validated_data["email"]
        if verification_is_mandatory() and User.objects.filter(email=email).exists():
            self.tell_the_owner(email)
            return None
        # When two sign-ups with one address race, the database constraint decides.
        try:
            with transaction.atomic():
                user: User = super().save(request)
                return user
        except IntegrityError as error:
            if verification_is_mandatory():
                self.tell_the_owner(email)
                return None
            raise serializers.ValidationError({"email": [EMAIL_TAKEN]}) from error

    def tell_the_owner(self, email: str) -> None:
        # Hashing the password costs what a real sign-up costs: the answer takes as long.
        make_password(self.validated_data["password1"])
        get_adapter().send_account_already_exists_mail(email)


class PasswordResetSerializer(BasePasswordResetSerializer):
    password_reset_form_class = PasswordResetForm
    email = EmailAddressField()

    def validate_email(self, value: str) -> str:
        value = normalize_email_address(value)
        # dj-rest-auth hands the form the request's data; it gets the normalized address instead.
        self.reset_form = self.password_reset_form_class(data={"email": value})
        if not self.reset_form.is_valid():
            errors = self.reset_form.errors.items()
            raise serializers.ValidationError(
                {field: [str(message) for message in messages] for field, messages in errors}
            )
        return value


class TokenVerifySerializer(serializers.Serializer[dict[str, Any]]):
    """Accepts exactly the access tokens that authenticate a request: of a live session of an active user."""

    token = serializers.CharField(required=False, allow_blank=True, write_only=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        token = attrs.get("token") or self.context["request"].COOKIES.get(rest_auth_settings.JWT_AUTH_COOKIE)
        if not token:
            raise InvalidToken(gettext("No token in the request body or the access cookie."))
        authentication = SessionJWTAuthentication()
        authentication.check_session(authentication.get_validated_token(token.encode()))
        return {}


class TokenRefreshSerializer(CookieTokenRefreshSerializer):
    """Rotates the refresh token from the body or the refresh cookie (accounts.services.refresh_session)."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        successor = refresh_session(token=self.extract_refresh_token())
        return {"access": str(successor.access_token), "refresh": str(successor)}


class LoginSessionSerializer(serializers.ModelSerializer[LoginSession]):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: UTCDateTimeField,
    }
    current = serializers.SerializerMethodField(help_text=gettext_lazy("Whether this request comes from it."))

    class Meta:
        model = LoginSession
        fields = ("id", "current", "created_at", "last_used_at", "user_agent", "ip_address")

    def get_current(self, session: LoginSession) -> bool:
        return str(session.pk) == self.context.get("current_session_id")
