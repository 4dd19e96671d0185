"""The user's login sessions: one per login, on whichever device."""

from uuid import UUID

from dj_rest_auth.jwt_auth import unset_jwt_cookies
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.tokens import Token

from accounts.authentication import authenticated_user
from accounts.models import LoginSession
from accounts.serializers import LoginSessionSerializer
from accounts.services import end_session
from accounts.tokens import SESSION_CLAIM


def current_session_id(request: Request) -> str | None:
    """The id of the session whose access token authenticated the request."""
    token = request.auth
    return str(token[SESSION_CLAIM]) if isinstance(token, Token) and SESSION_CLAIM in token else None


class SessionListView(ListAPIView[LoginSession]):
    """The user's live sessions, the most recently used first; `current` marks this one."""

    serializer_class = LoginSessionSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[LoginSession]:
        return LoginSession.objects.live().filter(user=authenticated_user(self.request)).order_by("-last_used_at")

    def get_serializer_context(self) -> dict[str, object]:
        return {**super().get_serializer_context(), "current_session_id": current_session_id(self.request)}


class SessionDetailView(APIView):
    """End one of the user's sessions; ending this one deletes its cookies too."""

    @extend_schema(responses={204: None})
    def delete(self, request: Request, session_id: UUID) -> Response:
        if not end_session(session_id=session_id, user=authenticated_user(request)):
            raise NotFound
        response = Response(status=204)
        if str(session_id) == current_session_id(request):
            unset_jwt_cookies(response)
        return response
