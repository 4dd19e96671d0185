import uuid
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .email_addresses import validate_email_address
from .managers import UserManager


class User(AbstractUser):
    """A user who signs in with an email address; there is no username."""

    # None removes AbstractUser's field, as Django's documentation does it.
    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True, validators=[validate_email_address])
    # Every login session records the epoch it started in, and is over once the
    # epoch moves on: one UPDATE ends them all, including those still starting.
    session_epoch = models.PositiveIntegerField(_("session epoch"), default=0, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # Not django.contrib.auth's UserManager, whose methods take a username.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

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

    def __str__(self) -> str:
        return self.email


class LoginSessionQuerySet(models.QuerySet["LoginSession"]):
    def live(self) -> "LoginSessionQuerySet":
        """Sessions whose tokens still work: not ended, not expired, of an active user, in the user's epoch."""
        return self.filter(
            ended_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
            epoch=F("user__session_epoch"),
        )

    def end(self) -> int:
        """End those of these sessions not ended before: their tokens are refused from now on. How many it ended."""
        return self.filter(ended_at__isnull=True).update(ended_at=timezone.now())

    def over(self) -> "LoginSessionQuerySet":
        """Sessions that can never be used again."""
        return self.filter(
            Q(ended_at__isnull=False) | Q(expires_at__lte=timezone.now()) | ~Q(epoch=F("user__session_epoch"))
        )


class LoginSession(models.Model):
    """One login of a user on one device: the access and refresh tokens of a login name it.

    Each refresh rotates the refresh token: the session counts the rotations, and
    only a token of the current generation can be refreshed.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_sessions", verbose_name=_("user")
    )
    epoch = models.PositiveIntegerField(_("epoch"))
    generation = models.PositiveIntegerField(_("refresh token generation"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), default=timezone.now)
    rotated_at = models.DateTimeField(_("refresh token rotated"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=512, blank=True)
    ip_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    objects = LoginSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("login session")
        verbose_name_plural = _("login sessions")
        indexes = [models.Index(fields=["user", "ended_at"], name="accounts_session_user_ended")]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d %H:%M})"
