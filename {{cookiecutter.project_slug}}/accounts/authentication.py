import uuid

from dj_rest_auth.jwt_auth import JWTCookieAuthentication
from django.core.exceptions import ValidationError
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated
from rest_framework.request import Request
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import Token

from .models import User
from .services import SESSION_ENDED
from .session_queries import is_live_session, user_of_live_session
from .tokens import SESSION_CLAIM


class SessionJWTAuthentication(JWTCookieAuthentication):
    """dj-rest-auth's JWT authentication (the Authorization header, else the access cookie), for live sessions only.

    simplejwt looks the user up by the token's user id; this looks up the
    token's session together with its user, in the same one query.
    """

    # simplejwt's annotation returns a type variable that no argument binds.
    def get_user(self, validated_token: Token) -> User:  # type: ignore[override]
        user = user_of_live_session(*session_of(validated_token))
        if user is None:
            raise AuthenticationFailed(SESSION_ENDED, code="session_ended")
        return user

    def check_session(self, validated_token: Token) -> None:
        """Refuse the token unless get_user() would accept it, without loading the user."""
        if not is_live_session(*session_of(validated_token)):
            raise AuthenticationFailed(SESSION_ENDED, code="session_ended")


def session_of(validated_token: Token) -> tuple[uuid.UUID, object]:
    """The session id and user id a token names; AuthenticationFailed when it names none."""
    try:
        session_id = uuid.UUID(str(validated_token[SESSION_CLAIM]))
        user_id = User._meta.pk.to_python(validated_token[jwt_settings.USER_ID_CLAIM])
    except (KeyError, ValueError, ValidationError) as error:
        raise AuthenticationFailed(SESSION_ENDED, code="session_ended") from error
    return session_id, user_id


def authenticated_user(request: Request) -> User:
    """The user of a request that the IsAuthenticated permission let through."""
    if not isinstance(request.user, User):
        raise NotAuthenticated
    return request.user
