"""Login sessions: what starts, refreshes and ends them.

A login (by password or at sign-up) starts a LoginSession; its access and
refresh tokens name it. Every use of a token checks the session, so ending the
session refuses its tokens at once.
"""

import ipaddress
import logging
import uuid

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.utils import datetime_from_epoch

from .models import LoginSession, User
from .session_queries import rotate_live_session
from .tokens import GENERATION_CLAIM, SESSION_CLAIM, SessionRefreshToken

logger = logging.getLogger(__name__)

SESSION_ENDED = gettext_lazy("This session has ended. Log in again.")
TOKEN_USED = gettext_lazy("This refresh token has been used already.")

# The longest user agent a session keeps.
USER_AGENT_LENGTH = LoginSession._meta.get_field("user_agent").max_length or 0


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address, found as the rate limits find it (behind NUM_PROXIES proxies), if it is one."""
    ident = BaseThrottle().get_ident(Request(request))
    try:
        return str(ipaddress.ip_address(ident))
    except ValueError:
        return None


def start_session(*, user: User, request: HttpRequest) -> SessionRefreshToken:
    """Start a login session of user on the device that sent request; the session's first refresh token.

    Its access token is `.access_token`. The session records the user's epoch as
    read with the password it checked: should the password change meanwhile,
    the session is over before its first use.
    """
    session = LoginSession(
        user=user,
        epoch=user.session_epoch,
        user_agent=request.headers.get("User-Agent", "")[:USER_AGENT_LENGTH],
        ip_address=client_address(request),
    )
    token = SessionRefreshToken.for_session(session)
    session.expires_at = datetime_from_epoch(token["exp"])
    session.save(force_insert=True)
    # What django.contrib.auth.login() sends, without a Django session: its
    # receivers update last_login, and let allauth and others react.
    user_logged_in.send(sender=type(user), request=request, user=user)
    return token


def refresh_session(*, token: str) -> SessionRefreshToken:
    """Rotate a session's refresh token: the next generation, and the one that works from now on.

    Raises InvalidToken when the token is not the session's current one or the
    session is over. A token already rotated away ends its session, unless it
    comes within JWT_REFRESH_REUSE_GRACE of the rotation (two tabs refreshing
    at once): then only this request is refused.
    """
    refresh = SessionRefreshToken(token)  # type: ignore[arg-type]  # simplejwt annotates the string as a Token
    try:
        session_id = uuid.UUID(str(refresh[SESSION_CLAIM]))
    except (KeyError, ValueError) as error:
        raise InvalidToken(str(SESSION_ENDED)) from error
    user_id, generation = refresh[jwt_settings.USER_ID_CLAIM], refresh.get(GENERATION_CLAIM)
    now = timezone.now()
    if isinstance(generation, int):
        successor = SessionRefreshToken.for_generation(
            user_id=user_id, session_id=session_id, generation=generation + 1
        )
        # One UPDATE both checks the session and moves it on: of two requests
        # with the same token, the other finds no row to update.
        expires_at = datetime_from_epoch(successor["exp"])
        if rotate_live_session(
            session_id=session_id, user_id=user_id, generation=generation, expires_at=expires_at, now=now
        ):
            return successor
    # Refused: say why, and end the session if a stolen token may be in play.
    session = live_session(refresh)
    grace_ended = session.rotated_at is not None and now - session.rotated_at > settings.JWT_REFRESH_REUSE_GRACE
    if grace_ended:
        # Someone holds a copy of a token: the thief or the user. Which one
        # cannot be told, so the session ends for both.
        logger.warning("A rotated refresh token was used again: session %s ends.", session.pk)
        end_session(session_id=session.pk)
    raise InvalidToken(str(TOKEN_USED))


def live_session(token: SessionRefreshToken) -> LoginSession:
    """The session a valid token names, with its user, if the session is live; else InvalidToken."""
    try:
        return LoginSession.objects.live().select_related("user").get(pk=uuid.UUID(str(token[SESSION_CLAIM])))
    except (KeyError, ValueError, LoginSession.DoesNotExist) as error:
        raise InvalidToken(str(SESSION_ENDED)) from error


def end_session(*, session_id: uuid.UUID, user: User | None = None) -> bool:
    """End one session (only if it is user's, when given): its tokens are refused from now on.

    Whether there was such a session, not ended before.
    """
    sessions = LoginSession.objects.filter(pk=session_id)
    if user is not None:
        sessions = sessions.filter(user=user)
    return bool(sessions.end())


def end_session_of(*, token: str) -> None:
    """End the session a refresh token names, whichever generation it is; TokenError if it is not a valid token."""
    refresh = SessionRefreshToken(token)  # type: ignore[arg-type]  # simplejwt annotates the string as a Token
    try:
        session_id = uuid.UUID(str(refresh[SESSION_CLAIM]))
    except (KeyError, ValueError) as error:
        raise TokenError(_("Token is invalid or expired")) from error
    end_session(session_id=session_id)


def end_all_sessions(*, user: User) -> None:
    """End every session of the user, those that are still starting too.

    Moving the user's epoch on ends the sessions that a login or sign-up in
    flight is about to create; marking the others ended keeps the list clear.
    """
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
        LoginSession.objects.filter(user=user).end()
    # A later save() of this instance must not write the old epoch back.
    user.refresh_from_db(fields=["session_epoch"])


def delete_sessions_over() -> int:
    """Delete the sessions that can never be used again (ended, expired, or of an earlier epoch); how many."""
    deleted, _per_model = LoginSession.objects.over().delete()
    return deleted
