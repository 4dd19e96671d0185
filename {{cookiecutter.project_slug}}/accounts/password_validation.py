"""Rules for new passwords, and what follows when a password changes.

Django calls password_changed() on each entry of AUTH_PASSWORD_VALIDATORS once a
new password is saved, whichever way it was set: the API's password change and
reset, the admin, `manage.py changepassword`, or set_password() and save() in
code. A rehash at login is not a change and calls nothing.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import User
from .services import end_all_sessions


class MaximumLengthValidator:
    """Refuse passwords longer than max_length characters.

    Long passphrases are welcome, but a password of megabytes is only a way to
    make the server spend time hashing it.
    """

    def __init__(self, max_length: int = 128) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: User | None = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(self.get_error_message(), code="password_too_long")

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too long. It must contain at most %(max_length)d character.",
            "This password is too long. It must contain at most %(max_length)d characters.",
            self.max_length,
        ) % {"max_length": self.max_length}

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must contain at most %(max_length)d character.",
            "Your password must contain at most %(max_length)d characters.",
            self.max_length,
        ) % {"max_length": self.max_length}


class EndSessionsOnPasswordChange:
    """Ends every session of a user whose password changes; it refuses no password.

    It is listed among the validators only for Django's password_changed() hook,
    the one place that every way of setting a password passes through.
    """

    def validate(self, password: str, user: User | None = None) -> None:
        """Any password is fine here; the other validators judge it."""

    def password_changed(self, password: str, user: User | None = None) -> None:
        if user is not None:
            end_all_sessions(user=user)

    def get_help_text(self) -> str:
        return _("Changing your password signs you out everywhere.")
