from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """allauth's adapter, kept from starting a session on API sign-ups."""

    def unstash_verified_email(self, request):
        # The default writes None into the session even when nothing was
        # stashed, which creates a session and a sessionid cookie.
        return request.session.pop("account_verified_email", None)
