"""The JWTs of a login session: both name the session, which is checked wherever a token is used."""

from typing import TYPE_CHECKING, Self

from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

if TYPE_CHECKING:
    from .models import LoginSession

# The login session a token belongs to.
SESSION_CLAIM = "sid"
# Which rotation of the session's refresh token this is; only the latest can be refreshed.
GENERATION_CLAIM = "gen"


class SessionRefreshToken(RefreshToken):
    """The refresh token of one generation of a login session."""

    @classmethod
    def for_session(cls, session: "LoginSession") -> Self:
        return cls.for_generation(user_id=session.user_id, session_id=session.pk, generation=session.generation)

    @classmethod
    def for_generation(cls, *, user_id: object, session_id: object, generation: int) -> Self:
        token = cls()
        token[jwt_settings.USER_ID_CLAIM] = str(user_id)
        token[SESSION_CLAIM] = str(session_id)
        token[GENERATION_CLAIM] = generation
        return token

    @property
    def access_token(self) -> AccessToken:
        """The access token of the session; it names no generation, as it is never rotated."""
        access = super().access_token
        del access[GENERATION_CLAIM]
        return access
