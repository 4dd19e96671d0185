"""What the account endpoints do besides reading and writing their own fields."""

from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from .models import User


def send_user_logged_in(*, request: HttpRequest, user: User) -> None:
    """Send the signal django.contrib.auth.login() sends, without starting a Django session.

    Its receivers update the user's last_login, and let allauth and others react.
    """
    user_logged_in.send(sender=type(user), request=request, user=user)


def blacklist_refresh_tokens(*, user: User) -> None:
    """Blacklist every unexpired refresh token of the user, so that none can be refreshed again.

    Access tokens already issued stay valid until they expire (ACCESS_TOKEN_LIFETIME).
    """
    outstanding = OutstandingToken.objects.filter(
        user=user, expires_at__gt=timezone.now(), blacklistedtoken__isnull=True
    )
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
    )
