from math import ceil
from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from accounts.throttling import LoginFormThrottle


class AdminSite(admin.AdminSite):
    """Django's admin, whose login form counts against the API's login rate limit."""

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        throttle = LoginFormThrottle()
        if request.method == "POST" and not throttle.allow_login_attempt(request):
            message = _("Too many login attempts. Try again later.")
            response = HttpResponse(message, status=429, content_type="text/plain")
            response["Retry-After"] = ceil(throttle.wait())
            return response
        return super().login(request, extra_context)
