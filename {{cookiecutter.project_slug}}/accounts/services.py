from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken


def end_all_sessions(user):
    """Blacklist every unexpired refresh token of the user: each session ends at its next refresh.

    Access tokens already issued stay valid until they expire (ACCESS_TOKEN_LIFETIME).
    """
    outstanding = OutstandingToken.objects.filter(
        user=user, expires_at__gt=timezone.now(), blacklistedtoken__isnull=True
    )
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
    )
