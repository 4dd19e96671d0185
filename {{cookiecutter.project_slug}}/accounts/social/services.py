"""Which account a social login logs in to: allauth's rules, without allauth's Django session.

allauth's own flow (complete_social_login) logs the user in to a Django session
and answers with redirects; dj-rest-auth's serializer calls it and then may
still refuse, leaving that session behind. Here the rules only pick or create
the user: the view starts the login session afterwards, once nothing can fail.
"""

from typing import cast

from allauth.account.models import EmailAddress
from allauth.account.signals import user_signed_up
from allauth.socialaccount import app_settings, signals
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialLogin
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from accounts.email_addresses import validate_email_address
from accounts.models import User
from accounts.services import end_all_sessions

from .errors import SocialLoginRefused

# As long as the model's column.
EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length or 0


def social_login_user(*, request: HttpRequest, sociallogin: SocialLogin) -> User:
    """The user that a provider's answer logs in: found by the provider's account, by a verified address, or new.

    Raises ValidationError when the login cannot be accepted, and
    SocialLoginRefused when sign-up is closed; allauth's adapter and the
    pre_social_login signal may raise ImmediateHttpResponse.
    """
    # By the provider's account id first, then, if allauth's settings allow it,
    # by an address the provider has verified (never one it has not).
    sociallogin.lookup()
    get_adapter(request).pre_social_login(request, sociallogin)
    signals.pre_social_login.send(sender=SocialLogin, request=request, sociallogin=sociallogin)
    if not sociallogin.is_existing:
        return sign_up(request=request, sociallogin=sociallogin)
    user = cast("User", sociallogin.user)
    if not user.is_active:
        raise ValidationError(_("This account is disabled."), code="inactive")
    if sociallogin.account._state.adding:
        log_in_by_email(request=request, sociallogin=sociallogin)
    return user


def log_in_by_email(*, request: HttpRequest, sociallogin: SocialLogin) -> None:
    """Accept a first login whose verified address found an account, as allauth does.

    Whoever set the account's password may not own the mailbox, unless its
    address was verified here: someone can sign up with another person's
    address and wait for them. Then the password stops working and every
    session of the account ends, so only the mailbox's owner is left in.
    """
    user = cast("User", sociallogin.user)
    verified_by_provider = [address.email for address in sociallogin.email_addresses if address.verified]
    if not EmailAddress.objects.filter(user=user, email__in=verified_by_provider, verified=True).exists():
        user.set_unusable_password()
        user.save(update_fields=["password"])
        end_all_sessions(user=user)
    if app_settings.EMAIL_AUTHENTICATION_AUTO_CONNECT:
        sociallogin.connect(request, user)


def sign_up(*, request: HttpRequest, sociallogin: SocialLogin) -> User:
    """Create the account of a first social login, with the address the provider has verified."""
    provider = sociallogin.provider.name
    user = cast("User", sociallogin.user)
    verified = {address.email for address in sociallogin.email_addresses if address.verified}
    if not user.email:
        raise ValidationError(
            _("%(provider)s did not share an email address. Allow access to it, then try again.")
            % {"provider": provider},
            code="no_email",
        )
    if user.email not in verified:
        raise ValidationError(
            _("%(provider)s has not verified this email address. Verify it there, then try again.")
            % {"provider": provider},
            code="unverified_email",
        )
    if not usable_address(user.email):
        raise ValidationError(_("This email address cannot be used here."), code="invalid_email")
    if User.objects.filter(email=user.email).exists():
        # The provider's address did not reach the account that has it
        # (SOCIALACCOUNT_EMAIL_AUTHENTICATION is off): the user must prove it is theirs.
        raise ValidationError(
            _("An account already has this email address. Log in with its password."), code="email_taken"
        )
    adapter = get_adapter(request)
    if not adapter.is_open_for_signup(request, sociallogin):
        raise SocialLoginRefused(_("Sign-up is closed."))
    try:
        with transaction.atomic():
            adapter.save_user(request, sociallogin, form=None)
    except IntegrityError as error:
        # Another request created the account a moment ago.
        raise ValidationError(
            _("This account was just created by another request. Try again."), code="race"
        ) from error
    user_signed_up.send(sender=User, request=request, user=user, sociallogin=sociallogin)
    return user


def usable_address(address: str) -> bool:
    """Whether an account may have this address: one sign-up would accept."""
    try:
        validate_email_address(address)
    except DjangoValidationError:
        return False
    return len(address) <= EMAIL_MAX_LENGTH
