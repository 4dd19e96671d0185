from dj_rest_auth.jwt_auth import JWTCookieAuthentication
from django.core.exceptions import ValidationError
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated
from rest_framework.request import Request
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import Token

from .models import LoginSession, User
from .services import SESSION_ENDED
from .tokens import SESSION_CLAIM


class SessionJWTAuthentication(JWTCookieAuthentication):
    """dj-rest-auth's JWT authentication (the Authorization header, else the access cookie), for live sessions only.

    simplejwt looks the user up by the token's user id; this looks up the
    token's session together with its user, in the same one query.
    """

    # simplejwt's annotation returns a type variable that no argument binds.
    def get_user(self, validated_token: Token) -> User:  # type: ignore[override]
        try:
            session = (
                LoginSession.objects.live()
                .select_related("user")
                .get(pk=validated_token[SESSION_CLAIM], user_id=validated_token[jwt_settings.USER_ID_CLAIM])
            )
        except (KeyError, ValidationError, LoginSession.DoesNotExist) as error:
            raise AuthenticationFailed(SESSION_ENDED, code="session_ended") from error
        return session.user


def authenticated_user(request: Request) -> User:
    """The user of a request that the IsAuthenticated permission let through."""
    if not isinstance(request.user, User):
        raise NotAuthenticated
    return request.user
