"""Confirming an email address with the key its email links to, and sending that email again."""

from dj_rest_auth.registration import serializers as registration_serializers
from dj_rest_auth.registration import views as registration_views
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view

from accounts.email_addresses import normalize_email_address
from accounts.schema import ErrorDetailSerializer
from accounts.serializers import DetailSerializer, EmailAddressField


class ResendEmailVerificationSerializer(registration_serializers.ResendEmailVerificationSerializer):
    email = EmailAddressField()

    def validate_email(self, email: str) -> str:
        # The address as allauth keeps it, whatever spelling was typed.
        return normalize_email_address(email)


@extend_schema_view(
    post=extend_schema(
        responses={
            200: DetailSerializer,
            404: OpenApiResponse(ErrorDetailSerializer, "No address awaits verification with this key."),
        }
    )
)
class VerifyEmailView(registration_views.VerifyEmailView):
    """Confirm the address whose verification email holds the key; with mandatory verification, login works then."""

    authentication_classes = ()
    http_method_names = ("post", "options")


@extend_schema_view(post=extend_schema(responses={200: DetailSerializer}))
class ResendEmailVerificationView(registration_views.ResendEmailVerificationView):
    """Email the verification link again if the address awaits verification; the answer is the same either way."""

    authentication_classes = ()
    serializer_class = ResendEmailVerificationSerializer
    throttle_scope = "verification_email"
