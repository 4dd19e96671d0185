import uuid
from typing import cast

from dj_rest_auth.jwt_auth import JWTCookieAuthentication
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from rest_framework.authentication import CSRFCheck
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated, PermissionDenied
from rest_framework.request import Request
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import Token

from .models import User
from .services import SESSION_ENDED
from .session_queries import is_live_session, user_of_live_session
from .tokens import SESSION_CLAIM
from .upstream_messages import csrf_reason


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

    def enforce_csrf(self, request: Request) -> None:
        """dj-rest-auth's CSRF check, whose refusal says why in the answer's language, not Django's English."""
        check = CSRFCheck(lambda _request: HttpResponse())
        # As in DRF's own check, the request stands in for Django's, whose body it parses.
        checked = cast("HttpRequest", request)
        # Reads the CSRF cookie, which process_view() compares the token with.
        check.process_request(checked)
        # DRF's CSRFCheck gives the reason of a refusal, where Django's middleware gives a 403 page; as in DRF,
        # no view is named.
        reason: str | None = check.process_view(checked, None, (), {})  # type: ignore[arg-type, assignment]
        if reason:
            raise PermissionDenied(_("CSRF Failed: %(reason)s") % {"reason": csrf_reason(reason)})


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
