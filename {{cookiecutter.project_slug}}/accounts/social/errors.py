"""What a social login answers when it cannot go on: JSON, never a server error."""

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException


class ProviderServerError(Exception):
    """The provider answered with a server error (5xx)."""


class ProviderUnreachable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("The provider could not be reached. Try again later.")
    default_code = "provider_unreachable"


class ProviderFailed(APIException):
    status_code = status.HTTP_502_BAD_GATEWAY
    default_detail = _("The provider answered with an error. Try again later.")
    default_code = "provider_failed"


class SocialLoginNotConfigured(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("This server has no client id for the provider.")
    default_code = "not_configured"


class SocialLoginRefused(APIException):
    """The project's own rules (allauth's adapter or signals) refused the login."""

    status_code = status.HTTP_403_FORBIDDEN
    default_detail = _("This login is not allowed.")
    default_code = "refused"
