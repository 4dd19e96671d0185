from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from dj_rest_auth.forms import AllAuthPasswordResetForm
from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest


class PasswordResetForm(AllAuthPasswordResetForm):
    """Sends each matching user a link to PASSWORD_RESET_CONFIRM_URL.

    It keeps dj-rest-auth's lookup, which answers alike for unknown addresses,
    and replaces its save(), which reads a deprecated allauth setting. The
    adapter sends the email from a task: an answer that waited on the mail
    server, or failed with it, would tell who has an account.
    """

    def save(
        self,
        request: HttpRequest,
        token_generator: PasswordResetTokenGenerator = default_token_generator,
        **kwargs: Any,
    ) -> str:
        for user in self.users:
            uid, token = user_pk_to_url_str(user), token_generator.make_token(user)
            context = {
                "current_site": get_current_site(request),
                "user": user,
                "password_reset_url": settings.PASSWORD_RESET_CONFIRM_URL.format(uid=uid, token=token),
                "request": request,
                "uid": uid,
                "token": token,
            }
            get_adapter(request).send_mail("account/email/password_reset_key", user.email, context)
        email: str = self.cleaned_data["email"]
        return email
