"""Who may call an endpoint, beyond the authentication it asks for."""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from config.env import origin_of


class FromTrustedOrigin(BasePermission):
    """Refuses a request that a web page of an origin the API does not trust has sent.

    logout/ and token/refresh/ take no CSRF token, so that a stale cookie never
    locks anyone out, and SameSite=Lax keeps other sites from sending them the
    cookies. A page of another origin on the same site (another port, another
    subdomain) could still post to them, without a body and so without a
    preflight. Browsers name the page's origin in the Origin header; clients
    that are no web page, such as mobile apps and curl, send none.
    """

    message = _("Requests from this origin are not allowed.")

    def has_permission(self, request: Request, view: Any) -> bool:
        origin = request.headers.get("Origin")
        return (
            origin is None
            or origin == origin_of(request.build_absolute_uri("/"))
            or origin in settings.CSRF_TRUSTED_ORIGINS
        )
