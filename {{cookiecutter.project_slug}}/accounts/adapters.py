from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """allauth's adapter, kept from starting a session on API sign-ups."""

    def unstash_verified_email(self, request: HttpRequest) -> str | None:
        # The default writes None into the session even when nothing was
        # stashed, which creates a session and a sessionid cookie.
        verified_email: str | None = request.session.pop("account_verified_email", None)
        return verified_email
