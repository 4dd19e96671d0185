import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_str_is_the_email():
    assert str(User(email="ada@example.com")) == "ada@example.com"


def test_the_database_refuses_the_same_email_in_another_case():
    User.objects.create_user(email="ada@example.com")

    # bulk_create skips the manager's normalisation: only the constraint stands in the way.
    with pytest.raises(IntegrityError):
        User.objects.bulk_create([User(email="Ada@Example.com")])


def test_full_clean_lowercases_the_email_and_reports_a_duplicate():
    User.objects.create_user(email="ada@example.com")
    duplicate = User(email="ADA@example.COM", password="unused")

    with pytest.raises(ValidationError) as raised:
        duplicate.full_clean()

    assert duplicate.email == "ada@example.com"
    assert "email" in raised.value.message_dict
