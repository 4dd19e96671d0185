"""One mailbox, one spelling: email addresses as the account table keeps them.

Mail servers reach `dave@example.com` through many spellings: Django's mail
code encodes the domain with IDNA 2003, which folds fullwidth letters and case
and drops soft hyphens and zero-width spaces. Stored as typed, each spelling
would be another account of the same mailbox.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

# Invisible or formatting characters, which no address needs: controls, format
# characters such as soft hyphens and zero-width spaces, separators, private
# use, surrogates and unassigned code points.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp", "Zs"})
# Letters that show as nothing: the Hangul fillers.
INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")


def normalize_email_address(address: str) -> str:
    """The one spelling of the mailbox that address reaches: NFKC, lowercase, the domain as IDNA reads it."""
    address = unicodedata.normalize("NFKC", address).lower()
    local_part, at, domain = address.rpartition("@")
    if not at:
        return address
    try:
        domain = domain.encode("idna").decode("idna")
    except UnicodeError:
        # validate_email_address refuses such an address.
        return address
    return f"{local_part}@{domain}"


def validate_email_address(address: str) -> None:
    """Refuse an address with invisible characters, or a domain that mail cannot be sent to."""
    _local_part, _at, domain = address.rpartition("@")
    invisible = any(
        unicodedata.category(character) in INVISIBLE_CATEGORIES or character in INVISIBLE_LETTERS
        for character in address
    )
    try:
        domain.encode("idna")
    except UnicodeError:
        encodable = False
    else:
        encodable = True
    if invisible or not encodable:
        raise ValidationError(EmailValidator.message, code=EmailValidator.code)
