"""Work that runs outside the request that asks for it, from Django's tasks framework.

Django 6 has the framework built in; on Django 5.2 the django-tasks backport
provides it. Production queues the tasks in the database, and
`manage.py db_worker` runs them.
"""

import logging
from typing import TYPE_CHECKING

from django.core.mail import EmailMultiAlternatives

if TYPE_CHECKING:
    from django.tasks import task
else:
    try:
        from django.tasks import task
    except ImportError:  # Django 5.2
        from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def send_email(*, subject: str, body: str, from_email: str, to: list[str], alternatives: list[list[str]]) -> None:
    """Send an email rendered in the request: its subject, plain text, sender, recipients, and HTML versions."""
    message = EmailMultiAlternatives(subject, body, from_email, to)
    for content, mimetype in alternatives:
        message.attach_alternative(content, mimetype)
    try:
        message.send()
    except Exception:
        # Whatever the mail backend raises: an SMTP error, a refused
        # connection, an address its encoder cannot take.
        logger.exception("The email %r could not be sent.", subject)
        raise
