import importlib

import pytest
from django.conf import settings
from django.contrib.sites.models import Site
from django.core import mail
from django.core.mail import EmailMessage

from config.settings.base import tasks_module

from .utils import NEW_PASSWORD, PASSWORD, confirm, link_parts, post_json, request_reset

pytestmark = pytest.mark.django_db

SENT = {"detail": "Password reset e-mail has been sent."}


def test_the_reset_email_links_to_the_confirm_page_and_the_link_sets_the_password(api_client, user):
    request_reset(api_client, "ADA@example.com")

    [message] = mail.outbox
    assert message.to == [user.email]
    response = confirm(api_client, **link_parts(message))
    assert response.status_code == 200, response.content
    assert response.json() == {"detail": "Password has been reset with the new password."}
    assert post_json(api_client, "login", {"email": user.email, "password": NEW_PASSWORD}).status_code == 200
    assert post_json(api_client, "login", {"email": user.email, "password": PASSWORD}).status_code == 400


def test_the_link_follows_the_setting(api_client, user, settings):
    settings.PASSWORD_RESET_CONFIRM_URL = "https://app.example.org/#/reset?uid={uid}&token={token}"

    request_reset(api_client, user.email)

    assert "https://app.example.org/#/reset?uid=" in mail.outbox[0].body
    assert link_parts(mail.outbox[0])


def test_the_email_comes_from_the_site_of_site_id(api_client, user):
    Site.objects.filter(pk=settings.SITE_ID).update(name="Acme Accounts", domain="acme.example")
    Site.objects.clear_cache()

    request_reset(api_client, user.email)

    assert "[Acme Accounts]" in mail.outbox[0].subject


def test_an_unknown_email_gets_the_same_answer_and_no_email(api_client, user):
    request_reset(api_client, "nobody@example.com")

    assert mail.outbox == []


def test_a_reset_link_works_once(api_client, user):
    request_reset(api_client, user.email)
    parts = link_parts(mail.outbox[0])
    assert confirm(api_client, **parts).status_code == 200

    response = confirm(api_client, **parts, new_password1="another-pass-9876", new_password2="another-pass-9876")

    assert response.status_code == 400
    assert response.json() == {"token": ["Invalid value"]}


def test_a_tampered_token_is_refused(api_client, user):
    request_reset(api_client, user.email)
    parts = link_parts(mail.outbox[0])

    response = confirm(api_client, parts["uid"], parts["token"][:-2] + "00")

    assert response.status_code == 400
    assert response.json() == {"token": ["Invalid value"]}


@pytest.mark.parametrize("uid", ["zzzzzz", "not base36!"])
def test_an_unknown_uid_is_refused(api_client, user, uid):
    response = confirm(api_client, uid, "abc-123")

    assert response.status_code == 400
    assert response.json() == {"uid": ["Invalid value"]}


def test_mismatched_new_passwords_are_refused(api_client, user):
    request_reset(api_client, user.email)

    response = confirm(api_client, **link_parts(mail.outbox[0]), new_password2=NEW_PASSWORD + "-typo")

    assert response.status_code == 400
    assert "new_password2" in response.json()


def test_missing_fields_are_named(api_client):
    response = post_json(api_client, "password_reset_confirm", {})

    assert response.status_code == 400
    assert set(response.json()) == {"uid", "token", "new_password1", "new_password2"}


@pytest.mark.parametrize("failure", [ConnectionRefusedError("the mail server is down"), UnicodeError("no IDNA")])
def test_a_mail_failure_is_logged_and_the_answer_stays_the_same(api_client, user, monkeypatch, caplog, failure):
    def fail(*args, **kwargs):
        raise failure

    monkeypatch.setattr(EmailMessage, "send", fail)

    known = post_json(api_client, "password_reset", {"email": user.email})
    unknown = post_json(api_client, "password_reset", {"email": "nobody@example.com"})

    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json()) == (200, SENT)
    [record] = [record for record in caplog.records if record.name == "accounts.tasks"]
    assert record.getMessage() == "The email '[example.com] Password Reset Email' could not be sent."
    assert record.exc_info[1] is failure


def test_the_email_is_sent_from_a_task(api_client, user, settings):
    # A backend that only keeps the tasks: the answer goes out before any email.
    settings.TASKS = {"default": {"BACKEND": f"{tasks_module}.backends.dummy.DummyBackend"}}

    request_reset(api_client, user.email)

    assert mail.outbox == []
    [result] = importlib.import_module(tasks_module).default_task_backend.results
    assert result.task.name == "send_email"
    assert result.kwargs["to"] == [user.email]
