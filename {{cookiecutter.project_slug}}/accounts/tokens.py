from typing import cast

from django.utils.translation import gettext as _
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken
from rest_framework_simplejwt.tokens import RefreshToken


class SingleUseRefreshToken(RefreshToken):
    """A refresh token that exactly one request can rotate.

    simplejwt checks the blacklist, then adds the token to it, so two requests
    with the same token can both pass the check. The blacklist row is unique:
    only the request that inserted it gets a new pair.
    """

    # simplejwt annotates blacklist() as returning the row; it returns get_or_create()'s pair.
    def blacklist(self) -> tuple[BlacklistedToken, bool]:  # type: ignore[override]
        blacklisted, created = cast("tuple[BlacklistedToken, bool]", super().blacklist())
        if not created:
            raise TokenError(_("Token is blacklisted"))
        return blacklisted, created
