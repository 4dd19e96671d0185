from math import ceil

from django.contrib import admin
from django.http import HttpResponse
from django.utils.translation import gettext as _

from accounts.throttling import LoginThrottle


class AdminSite(admin.AdminSite):
    """Django's admin, whose login form counts against the API's login rate limit."""

    def login(self, request, extra_context=None):
        throttle = LoginThrottle()
        if request.method == "POST" and not throttle.allow_request(request, view=None):
            message = _("Too many login attempts. Try again later.")
            response = HttpResponse(message, status=429, content_type="text/plain")
            response["Retry-After"] = ceil(throttle.wait())
            return response
        return super().login(request, extra_context)
