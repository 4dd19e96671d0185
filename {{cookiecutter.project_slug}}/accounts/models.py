from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .managers import UserManager
from .services import end_all_sessions


class User(AbstractUser):
    """A user who signs in with an email address; there is no username."""

    username = None
    email = models.EmailField(_("email address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        constraints = [
            # The manager stores addresses lowercased; this holds the rule for
            # rows written any other way too.
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                violation_error_message=_("A user with this email address already exists."),
            ),
        ]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        # set_password() keeps the new password until the save; Django's own
        # rehash at login does not, so it ends no session.
        password_changed = self._password is not None and not self._state.adding
        super().save(*args, **kwargs)
        if password_changed:
            # However it changed (API, admin, changepassword), a new password
            # ends every session that the old one started.
            end_all_sessions(self)
