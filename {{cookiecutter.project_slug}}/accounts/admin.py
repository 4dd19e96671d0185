from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import LoginSession, LoginSessionQuerySet, User
{%- if cookiecutter.use_google_login or cookiecutter.use_kakao_login %}
from .social.admin import SocialAccountAdmin
{%- endif %}

# allauth registers admin pages of its own: email addresses under a second
# "Accounts" heading (they show on each user's page instead), and social
# login's apps, tokens and accounts. Apps come from the environment here, and
# tokens are never kept.
admin.site.unregister([EmailAddress, SocialApp, SocialAccount, SocialToken])
{%- if cookiecutter.use_google_login or cookiecutter.use_kakao_login %}
# Social accounts get a read-only page instead, for support.
admin.site.register(SocialAccount, SocialAccountAdmin)
{%- endif %}


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    """Django's own user admin, keyed on the email address."""

    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email_addresses")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "usable_password", "password1", "password2")}),)
    list_display = ("email", "first_name", "last_name", "is_staff", "is_active", "date_joined")
    search_fields = ("email", "first_name", "last_name")
    ordering = ("email",)
    readonly_fields = ("email_addresses",)

    @admin.display(description=_("Email addresses"))
    def email_addresses(self, user: User) -> str:
        """The addresses allauth keeps for the user, and whether each is verified."""
        return ", ".join(
            f"{address.email} ({_('verified') if address.verified else _('not verified')})"
            for address in EmailAddress.objects.filter(user=user)
        )


@admin.register(LoginSession)
class LoginSessionAdmin(admin.ModelAdmin[LoginSession]):
    """Each login of each user, for support: who is logged in where, and a way to end it."""

    list_display = ("user", "created_at", "last_used_at", "ip_address", "user_agent", "ended_at")
    list_filter = ("ended_at",)
    search_fields = ("user__email", "ip_address")
    ordering = ("-last_used_at",)
    readonly_fields = [field.name for field in LoginSession._meta.fields]
    actions = ("end_sessions",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("End the selected sessions"))
    def end_sessions(self, request: HttpRequest, sessions: LoginSessionQuerySet) -> None:
        sessions.end()
