"""The admin's page of social accounts: which providers each user logs in with, for support.

accounts/admin.py registers it in place of allauth's own.
"""

from allauth.socialaccount.models import SocialAccount
from django.contrib import admin
from django.http import HttpRequest


class SocialAccountAdmin(admin.ModelAdmin[SocialAccount]):
    """Read-only: a provider's answers fill these rows. Deleting one disconnects the provider's account."""

    list_display = ("user", "provider", "uid", "last_login", "date_joined")
    list_filter = ("provider",)
    search_fields = ("user__email", "uid")
    ordering = ("-last_login",)
    readonly_fields = ("user", "provider", "uid", "last_login", "date_joined", "extra_data")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
