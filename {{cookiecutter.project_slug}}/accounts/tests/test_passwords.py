"""How passwords are stored, and the rules new passwords must follow wherever they are set."""

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core import mail

from accounts.models import User
from config.settings import base

from .utils import PASSWORD, confirm, create_user, link_parts, post_json, request_reset, with_verified_email

pytestmark = pytest.mark.django_db

# Each breaks one of Django's validators, or ours.
WEAK_PASSWORDS = {
    "short": ("a1b2c3", "This password is too short."),
    "common": ("password123", "This password is too common."),
    "numeric": ("4829301756", "This password is entirely numeric."),
    # Django's forms say it their way, the validator its own; both name the limit.
    "long": ("x" * 129, "128 characters"),
}


@pytest.fixture
def deployed_hashers(settings):
    """The hashers of every real environment (the tests use a fast one)."""
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS


def test_new_passwords_are_hashed_with_argon2(deployed_hashers):
    user = create_user("new@example.com")

    assert user.password.startswith("argon2$")


def test_an_old_pbkdf2_hash_still_logs_in_and_is_upgraded_to_argon2(api_client, deployed_hashers):
    user = with_verified_email(
        User.objects.create(email="old@example.com", password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    )

    response = post_json(api_client, "login", {"email": user.email, "password": PASSWORD})

    assert response.status_code == 200, response.content
    user.refresh_from_db()
    assert user.password.startswith("argon2$")


def assert_refused_for(response, case):
    assert response.status_code == 400
    messages = [message for field_messages in response.json().values() for message in field_messages]
    assert any(WEAK_PASSWORDS[case][1] in message for message in messages), messages


@pytest.mark.parametrize("case", WEAK_PASSWORDS)
def test_registration_applies_the_password_validators(api_client, case):
    password = WEAK_PASSWORDS[case][0]
    data = {"email": "new@example.com", "password1": password, "password2": password}

    response = post_json(api_client, "register", data)

    assert_refused_for(response, case)
    assert not User.objects.exists()


@pytest.mark.parametrize("case", WEAK_PASSWORDS)
def test_password_change_applies_the_password_validators(logged_in_client, user, case):
    password = WEAK_PASSWORDS[case][0]
    data = {"old_password": PASSWORD, "new_password1": password, "new_password2": password}

    response = post_json(logged_in_client, "password_change", data)

    assert_refused_for(response, case)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize("case", WEAK_PASSWORDS)
def test_password_reset_confirm_applies_the_password_validators(api_client, user, case):
    request_reset(api_client, user.email)
    password = WEAK_PASSWORDS[case][0]

    response = confirm(api_client, **link_parts(mail.outbox[0]), new_password1=password, new_password2=password)

    assert_refused_for(response, case)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_password_rules_mention_the_maximum_length():
    assert "Your password must contain at most 128 characters." in password_validators_help_texts()


def test_the_password_rules_say_that_a_change_signs_out_everywhere():
    assert "Changing your password signs you out everywhere." in password_validators_help_texts()
