"""Messages of the libraries that the project's catalogs translate, where the libraries' own do not.

simplejwt is no installed app, so Django never loads its catalogs (whose
Korean one, ko_KR, misses some messages anyway); its calls of gettext find
these in the project's catalog instead. Django gives the reason of a CSRF
refusal in English, and DRF and dj-rest-auth answer "CSRF Failed: <reason>"
as it is: accounts.authentication translates it with csrf_reason(). Some of
DRF's and dj-rest-auth's Korean messages keep English words, which the
project's catalog replaces: it comes first. Marked here, the messages stay
in locale/<language>/LC_MESSAGES/django.po when `makemessages` runs again.
"""

import re

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _

# What simplejwt says of a token that authenticates nothing.
SIMPLEJWT_MESSAGES = (
    _("Authorization header must contain two space-delimited values"),
    _("Given token not valid for any token type"),
    _("Token is invalid"),
    _("Token is expired"),
    _("Token is invalid or expired"),
    _("Token has no id"),
    _("Token has no type"),
    _("Token has wrong type"),
    _("Token has no '{}' claim"),
    _("Token '{}' claim has expired"),
)

# DRF's and dj-rest-auth's messages whose Korean translation keeps English words ("blank", "list", "refresh
# token", "ok").
RETRANSLATED_MESSAGES = (
    _("This field may not be blank."),
    # The Python type that came ("list", "str") is English too: a translation may leave it out.
    # xgettext:no-python-brace-format  # noqa: ERA001
    _("Invalid data. Expected a dictionary, but got {datatype}."),
    _("No valid refresh token found."),
    # What verify-email/ and resend-email/ answer when they have done their work.
    _("ok"),
)

# Every reason Django's CsrfViewMiddleware gives (django/middleware/csrf.py),
# %s standing for the part that it fills in: an origin, a URL, a header's name.
CSRF_REASONS = (
    _("Origin checking failed - %s does not match any trusted origins."),
    _("Referer checking failed - no Referer."),
    _("Referer checking failed - %s does not match any trusted origins."),
    _("Referer checking failed - Referer is malformed."),
    _("Referer checking failed - Referer is insecure while host is secure."),
    _("CSRF cookie not set."),
    _("CSRF cookie has incorrect length."),
    _("CSRF cookie has invalid characters."),
    _("CSRF token missing."),
    _("CSRF token from POST has incorrect length."),
    _("CSRF token from POST has invalid characters."),
    _("CSRF token from POST incorrect."),
    _("CSRF token from the %s HTTP header has incorrect length."),
    _("CSRF token from the %s HTTP header has invalid characters."),
    _("CSRF token from the %s HTTP header incorrect."),
)
CSRF_REASON_PATTERNS = [(re.compile(re.escape(reason).replace("%s", "(.+)")), reason) for reason in CSRF_REASONS]


def csrf_reason(reason: str) -> str:
    """A reason Django gave for a CSRF refusal, in the active language; as it is, if it is none of CSRF_REASONS."""
    for pattern, template in CSRF_REASON_PATTERNS:
        if match := pattern.fullmatch(reason):
            return gettext(template) % match.groups()
    return reason
