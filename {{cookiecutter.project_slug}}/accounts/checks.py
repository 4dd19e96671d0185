import re
from collections.abc import Sequence
from string import Formatter
from typing import cast

from dj_rest_auth.app_settings import api_settings as rest_auth_settings
from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.urls import reverse
from rest_framework.settings import api_settings

from .throttling import AtomicScopedRateThrottle

SESSION_ENDING_VALIDATOR = "accounts.password_validation.EndSessionsOnPasswordChange"

# RFC 6265 section 4.1.1: a cookie name is an RFC 2616 token.
COOKIE_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# Python's http.cookies refuses attribute names as cookie names, in any case.
COOKIE_ATTRIBUTES = frozenset(
    {"comment", "domain", "expires", "httponly", "max-age", "partitioned", "path", "samesite", "secure", "version"}
)
# The cookie that django.contrib.messages keeps messages in.
MESSAGES_COOKIE = "messages"


def link_template_errors(
    setting: str, placeholders: tuple[str, ...], example: str, error_id: str
) -> list[CheckMessage]:
    """An error unless the setting, a link in emails, takes exactly these placeholders."""
    url = getattr(settings, setting)
    try:
        found = {name for _, name, _, _ in Formatter().parse(url) if name is not None}
    except ValueError:
        found = None
    if found == set(placeholders):
        return []
    wanted = " and ".join("{" + name + "}" for name in placeholders)
    return [
        Error(
            f"{setting} is {url!r}; it must contain {wanted} and no other placeholder.",
            hint=f"For example {example}",
            id=error_id,
        )
    ]


@register()
def check_password_reset_confirm_url(app_configs: Sequence[AppConfig] | None, **kwargs: object) -> list[CheckMessage]:
    """PASSWORD_RESET_CONFIRM_URL must take exactly the placeholders that reset emails fill in."""
    example = "https://app.example.com/password-reset/{uid}/{token}/"
    return link_template_errors("PASSWORD_RESET_CONFIRM_URL", ("uid", "token"), example, "accounts.E001")


@register()
def check_email_verification_url(app_configs: Sequence[AppConfig] | None, **kwargs: object) -> list[CheckMessage]:
    """EMAIL_VERIFICATION_URL must take exactly the placeholder that verification emails fill in."""
    example = "https://app.example.com/verify-email/{key}/"
    return link_template_errors("EMAIL_VERIFICATION_URL", ("key",), example, "accounts.E007")


@register()
def check_refresh_cookie_path(app_configs: Sequence[AppConfig] | None, **kwargs: object) -> list[CheckMessage]:
    """Browsers must send the refresh cookie to token/refresh/ and logout/, or logout cannot end its session."""
    path = rest_auth_settings.JWT_AUTH_REFRESH_COOKIE_PATH
    urls = [reverse("accounts:token_refresh"), reverse("accounts:logout")]
    missed = [url for url in urls if not url.startswith(path)]
    if not missed:
        return []
    return [
        Error(
            f"JWT_AUTH_REFRESH_COOKIE_PATH is {path!r}, so browsers do not send the refresh cookie to "
            f"{' or '.join(missed)}.",
            hint="Use a path that both URLs start with, such as the default /api/accounts/v1/.",
            id="accounts.E002",
        )
    ]


@register()
def check_jwt_cookie_samesite(app_configs: Sequence[AppConfig] | None, **kwargs: object) -> list[CheckMessage]:
    """Browsers keep SameSite=None cookies only when they are Secure, and know no other values than three."""
    samesite = rest_auth_settings.JWT_AUTH_SAMESITE
    if samesite not in ("Lax", "Strict", "None"):
        return [Error(f"JWT_COOKIE_SAMESITE is {samesite!r}; it must be Lax, Strict or None.", id="accounts.E003")]
    if samesite == "None" and not rest_auth_settings.JWT_AUTH_SECURE:
        return [
            Error(
                "JWT_COOKIE_SAMESITE is None but the JWT cookies are not Secure: browsers would drop them.",
                hint="SameSite=None needs HTTPS and the production settings.",
                id="accounts.E005",
            )
        ]
    return []


@register()
def check_rate_limits(app_configs: Sequence[AppConfig] | None, **kwargs: object) -> list[CheckMessage]:
    """Every rate limit must parse, or each throttled request would be a server error."""
    errors: list[CheckMessage] = []
    # Rates such as "10/min" (DRF's stubs would have numbers).
    rates = cast("dict[str, str | None]", api_settings.DEFAULT_THROTTLE_RATES)
    for scope, rate in rates.items():
        try:
            AtomicScopedRateThrottle().parse_rate(rate)
        except (ValueError, KeyError, IndexError, AttributeError, TypeError):
            errors.append(
                Error(
                    f"The {scope} rate limit is {rate!r}; it must look like 10/min (per second, min, hour or day).",
                    hint=f"Set RATE_LIMIT_{scope.upper()}.",
                    id="accounts.E004",
                )
            )
    return errors


@register()
def check_password_change_ends_sessions(
    app_configs: Sequence[AppConfig] | None, **kwargs: object
) -> list[CheckMessage]:
    """The validator that ends a user's sessions on a new password must stay listed."""
    listed = [validator["NAME"] for validator in settings.AUTH_PASSWORD_VALIDATORS]
    if SESSION_ENDING_VALIDATOR in listed:
        return []
    return [
        Error(
            f"AUTH_PASSWORD_VALIDATORS lacks {SESSION_ENDING_VALIDATOR}, so a new password would leave "
            "the sessions of the old one open.",
            hint="Keep it in the list; it refuses no password.",
            id="accounts.E006",
        )
    ]


def cookie_name_problem(name: str, *, secure: bool, domain: str | None, path: str) -> str | None:
    """Why browsers, Python or Django would mishandle a cookie of this name, or None."""
    django_cookies = {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    prefix = name.lower()
    if not COOKIE_NAME.fullmatch(name):
        return "is not a cookie name: letters, digits and !#$%&'*+-.^_`|~ only (RFC 6265)"
    if name in {*django_cookies, MESSAGES_COOKIE}:
        return "is the name of a cookie that Django sets itself"
    if prefix in COOKIE_ATTRIBUTES:
        return "is the name of a cookie attribute"
    if prefix.startswith(("__secure-", "__host-")) and not secure:
        return "has a prefix that browsers accept only on Secure cookies, which development does not set"
    if prefix.startswith("__host-") and (domain or path != "/"):
        return "has the __Host- prefix, which browsers accept only without a domain and with the path /"
    return None


@register()
def check_jwt_cookie_names(app_configs: Sequence[AppConfig] | None, **kwargs: object) -> list[CheckMessage]:
    """The JWT cookies need names that browsers keep, apart from each other and from Django's cookies."""
    access = rest_auth_settings.JWT_AUTH_COOKIE
    refresh = rest_auth_settings.JWT_AUTH_REFRESH_COOKIE
    secure, domain = rest_auth_settings.JWT_AUTH_SECURE, rest_auth_settings.JWT_AUTH_COOKIE_DOMAIN
    cookies = [
        ("JWT_AUTH_COOKIE", access, "/"),
        ("JWT_AUTH_REFRESH_COOKIE", refresh, rest_auth_settings.JWT_AUTH_REFRESH_COOKIE_PATH),
    ]
    problems = [
        (f"{variable} is {name!r}, which {problem}.", f"Set {variable} to another name.")
        for variable, name, path in cookies
        if (problem := cookie_name_problem(name, secure=secure, domain=domain, path=path))
    ]
    if not problems and access == refresh:
        both = f"JWT_AUTH_COOKIE and JWT_AUTH_REFRESH_COOKIE are both {access!r}: one token would overwrite the other."
        problems.append((both, "Give the two cookies different names."))
    return [Error(message, hint=hint, id="accounts.E008") for message, hint in problems]
