"""Email verification: the link a sign-up emails, and what mandatory verification keeps closed until it is followed."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import User

from .korean import assert_korean, assert_korean_email
from .utils import PASSWORD, access_cookie_name, post_json

pytestmark = pytest.mark.django_db

VERIFICATION_SENT = {"detail": "Verification e-mail sent."}


@pytest.fixture(params=["optional", "mandatory"])
def verification(request, settings):
    """Each test runs with optional and with mandatory verification, whichever this project chose."""
    settings.ACCOUNT_EMAIL_VERIFICATION = request.param
    return request.param


@pytest.fixture
def mandatory(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"


def sign_up(client, email="new@example.com", password=PASSWORD):
    return post_json(client, "register", {"email": email, "password1": password, "password2": password})


def verification_key(message):
    """The key from the link in a verification email built from EMAIL_VERIFICATION_URL."""
    pattern = re.escape(settings.EMAIL_VERIFICATION_URL).replace(r"\{key\}", "(?P<key>[-:\\w]+)")
    link = re.search(pattern, str(message.body))
    assert link, message.body
    return link["key"]


def log_in(client, email="new@example.com"):
    return post_json(client, "login", {"email": email, "password": PASSWORD})


def test_sign_up_emails_a_link_into_the_frontend(api_client, verification):
    response = sign_up(api_client)

    assert response.status_code == 201
    [message] = mail.outbox
    assert message.to == ["new@example.com"]
    assert verification_key(message)
    assert not EmailAddress.objects.get(email="new@example.com").verified


def test_the_link_verifies_the_address(api_client, verification):
    sign_up(api_client)

    response = post_json(api_client, "verify_email", {"key": verification_key(mail.outbox[0])})

    assert response.status_code == 200
    assert EmailAddress.objects.get(email="new@example.com").verified


def test_optional_verification_logs_the_new_user_in_at_once(api_client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"

    response = sign_up(api_client)

    assert response.json()["user"]["email"] == "new@example.com"
    assert response.cookies[access_cookie_name()].value
    assert log_in(api_client).status_code == 200


def test_mandatory_verification_logs_no_one_in_until_the_link_is_followed(api_client, mandatory):
    response = sign_up(api_client)

    assert response.json() == VERIFICATION_SENT
    assert access_cookie_name() not in response.cookies
    refused = log_in(api_client)
    assert refused.status_code == 400
    assert refused.json() == {"non_field_errors": ["E-mail is not verified."]}
    post_json(api_client, "verify_email", {"key": verification_key(mail.outbox[0])})
    assert log_in(api_client).status_code == 200


def test_with_mandatory_verification_a_taken_address_is_answered_like_a_free_one(api_client, user, mandatory):
    taken = sign_up(api_client, email="ADA@example.com")
    free = sign_up(api_client, email="new@example.com")

    assert (taken.status_code, taken.json()) == (free.status_code, free.json()) == (201, VERIFICATION_SENT)
    assert User.objects.filter(email="ada@example.com").get() == user
    # The address's owner learns that someone tried, and where to reset the password.
    [to_the_owner] = [message for message in mail.outbox if message.to == [user.email]]
    assert settings.PASSWORD_RESET_URL in to_the_owner.body
    assert not user.login_sessions.exists()


def test_with_mandatory_verification_a_weak_password_is_refused_for_taken_and_free_addresses(
    api_client, user, mandatory
):
    taken = sign_up(api_client, email=user.email, password="password123")
    free = sign_up(api_client, email="new@example.com", password="password123")

    assert (taken.status_code, taken.json()) == (free.status_code, free.json())
    assert taken.status_code == 400
    assert mail.outbox == []


def test_resend_answers_alike_and_emails_only_an_address_awaiting_verification(api_client, user, verification):
    sign_up(api_client)
    mail.outbox.clear()

    answers = [
        post_json(api_client, "resend_email", {"email": email})
        for email in ("NEW@example.com", user.email, "nobody@example.com")
    ]

    assert {(answer.status_code, answer.content) for answer in answers} == {(200, b'{"detail":"ok"}')}
    assert [message.to for message in mail.outbox] == [["new@example.com"]]


def test_an_unknown_key_is_a_404(api_client, verification):
    response = post_json(api_client, "verify_email", {"key": "not-a-key"})

    assert response.status_code == 404
    assert response.json()["detail"]


def test_sign_up_and_its_emails_are_korean(korean_client, user, mandatory):
    """The answer to a sign-up, the verification email, and the email to an address's owner."""
    answers = [sign_up(korean_client), sign_up(korean_client, email=user.email)]

    for answer in answers:
        assert answer.status_code == 201
        assert_korean(answer)
    verification, to_the_owner = mail.outbox
    assert verification_key(verification)
    assert to_the_owner.to == [user.email]
    for message in mail.outbox:
        assert_korean_email(message)


def test_verification_answers_are_korean(korean_client, mandatory):
    sign_up(korean_client)
    answers = {
        "unverified-login": (400, log_in(korean_client)),
        "no-key": (400, post_json(korean_client, "verify_email", {})),
        "unknown-key": (404, post_json(korean_client, "verify_email", {"key": "not-a-key"})),
        "verified": (200, post_json(korean_client, "verify_email", {"key": verification_key(mail.outbox[0])})),
        "resend-invalid": (400, post_json(korean_client, "resend_email", {"email": "new"})),
        "resent": (200, post_json(korean_client, "resend_email", {"email": "new@example.com"})),
    }

    for name, (status, answer) in answers.items():
        assert answer.status_code == status, name
        assert_korean(answer)


def test_the_resend_limit_is_korean(korean_client, monkeypatch):
    rates = {**SimpleRateThrottle.THROTTLE_RATES, "verification_email": "1/day"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    post_json(korean_client, "resend_email", {"email": "new@example.com"})

    response = post_json(korean_client, "resend_email", {"email": "new@example.com"})

    assert response.status_code == 429
    assert_korean(response)
