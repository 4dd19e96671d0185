from typing import TYPE_CHECKING, Any

from django.contrib.auth.base_user import BaseUserManager
from django.utils.translation import gettext_lazy as _

from .email_addresses import normalize_email_address

if TYPE_CHECKING:
    from .models import User


class UserManager(BaseUserManager["User"]):
    """Creates users keyed on their email address; there is no username."""

    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        """The one spelling of the mailbox the address reaches: one mailbox, one account."""
        return normalize_email_address(super().normalize_email(email))

    def get_by_natural_key(self, email: str | None) -> "User":
        return self.get(**{self.model.USERNAME_FIELD: self.normalize_email(email)})

    def create_user(self, email: str | None, password: str | None = None, **extra_fields: Any) -> "User":
        if not email:
            raise ValueError(_("The email address must be set."))
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str | None, password: str | None = None, **extra_fields: Any) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("is_active", True)
        if extra_fields["is_staff"] is not True:
            raise ValueError(_("Superuser must have is_staff=True."))
        if extra_fields["is_superuser"] is not True:
            raise ValueError(_("Superuser must have is_superuser=True."))
        return self.create_user(email, password, **extra_fields)
