"""The logged-in user, and the list of endpoints that a browser can start from."""

from collections.abc import Sequence

from dj_rest_auth import views as rest_auth_views
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView


class UserDetailsView(rest_auth_views.UserDetailsView):
    """Read or update the logged-in user; the email address cannot be changed here."""


class EndpointListView(APIView):
    """The account endpoints, each with its URL: where to start in a browser."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    # The URL names to list; the URLconf passes them to as_view().
    endpoint_names: Sequence[str] = ()

    @extend_schema(
        responses={200: {"type": "object", "additionalProperties": {"type": "string", "format": "uri"}}},
    )
    def get(self, request: Request) -> Response:
        return Response({name: reverse(f"accounts:{name}", request=request) for name in self.endpoint_names})
