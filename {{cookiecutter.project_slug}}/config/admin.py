from math import ceil
from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from accounts.throttling import LoginAccountFormThrottle, LoginFormThrottle, PasswordChangeFormThrottle


def too_many_requests(wait: float) -> HttpResponse:
    response = HttpResponse(_("Too many attempts. Try again later."), status=429, content_type="text/plain")
    response["Retry-After"] = ceil(wait)
    return response


class AdminSite(admin.AdminSite):
    """Django's admin, whose password forms count against the API's rate limits.

    Its login form counts as a login, per client address and per account; its
    password change form as a password change, per user.
    """

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        if request.method == "POST":
            for throttle in (LoginFormThrottle(), LoginAccountFormThrottle()):
                if not throttle.allow_login_attempt(request):
                    return too_many_requests(throttle.wait())
        return super().login(request, extra_context)

    # django-stubs expects a TemplateResponse; a refusal has no template.
    def password_change(  # type: ignore[override]
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        throttle = PasswordChangeFormThrottle()
        if request.method == "POST" and not throttle.allow_password_change(request):
            return too_many_requests(throttle.wait())
        return super().password_change(request, extra_context)
