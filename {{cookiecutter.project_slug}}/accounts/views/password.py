"""Changing a password, and resetting a forgotten one by email.

A new password ends every session of the user, however it was set (see
accounts/password_validation.py).
"""

from typing import Any

from dj_rest_auth import views as rest_auth_views
from dj_rest_auth.jwt_auth import unset_jwt_cookies
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.serializers import DetailSerializer


@extend_schema_view(post=extend_schema(responses=DetailSerializer))
class PasswordChangeView(rest_auth_views.PasswordChangeView):
    """Change the password. That ends every session of the user, this one too, so its cookies go."""

    throttle_scope = "login"

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response: Response = super().post(request, *args, **kwargs)
        unset_jwt_cookies(response)
        return response


@extend_schema_view(post=extend_schema(responses=DetailSerializer))
class PasswordResetView(rest_auth_views.PasswordResetView):
    """Email a password reset link to the address, if a user has it; the answer is the same either way."""

    authentication_classes = ()
    throttle_scope = "password_reset"


@extend_schema_view(post=extend_schema(responses=DetailSerializer))
class PasswordResetConfirmView(rest_auth_views.PasswordResetConfirmView):
    """Set a new password with the uid and token of a reset link; that ends every session of the user."""

    authentication_classes = ()
