from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailConfirmation
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest

from .tasks import send_email


class AccountAdapter(DefaultAccountAdapter):
    """allauth's adapter for an API: no Django sessions, links into the frontend, emails sent by a task."""

    def unstash_verified_email(self, request: HttpRequest) -> str | None:
        # The default writes None into the session even when nothing was
        # stashed, which creates a session and a sessionid cookie.
        verified_email: str | None = request.session.pop("account_verified_email", None)
        return verified_email

    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation: EmailConfirmation) -> str:
        return str(settings.EMAIL_VERIFICATION_URL.format(key=emailconfirmation.key))

    def send_account_already_exists_mail(self, email: str) -> None:
        # allauth's own links point at its HTML pages, which an API does not have.
        context = {"signup_url": settings.FRONTEND_URL, "password_reset_url": settings.PASSWORD_RESET_URL}
        self.send_mail("account/email/account_already_exists", email, context)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render the email now, in the request's language; a task sends it, so the answer never waits for it."""
        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {"request": request, "email": email, "current_site": get_current_site(request), **context},
        )
        alternatives = message.alternatives if isinstance(message, EmailMultiAlternatives) else []
        send_email.enqueue(
            subject=str(message.subject),
            body=str(message.body),
            from_email=str(message.from_email),
            to=list(message.to),
            alternatives=[[str(content), str(mimetype)] for content, mimetype in alternatives],
        )
