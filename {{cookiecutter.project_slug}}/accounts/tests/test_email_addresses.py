"""One mailbox, one account: every spelling of an address that reaches one mailbox is one account."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.email_addresses import normalize_email_address, validate_email_address
from accounts.models import User

from .utils import PASSWORD, create_user, post_json

# Each reaches dave@example.com: Django's mail code encodes the domain with IDNA 2003.
SPELLINGS_OF_ONE_MAILBOX = {
    "fullwidth": "dave@ex\uff41mple.com",
    "fullwidth-capitals": "dave@\uff25\uff38\uff21\uff2d\uff30\uff2c\uff25.\uff23\uff2f\uff2d",
    "capitals": "Dave@EXAMPLE.com",
    "soft-hyphen": "dave@exam\u00adple.com",
    "zero-width-space": "dave@exa\u200bmple.com",
}


@pytest.mark.parametrize(
    ("address", "normalized"),
    [
        ("Dave@Example.COM", "dave@example.com"),
        ("dave@ex\uff41mple.com", "dave@example.com"),
        ("dave@\uff25\uff38\uff21\uff2d\uff30\uff2c\uff25.\uff23\uff2f\uff2d", "dave@example.com"),
        # The ASCII and the Unicode form of an internationalized domain are one domain.
        ("dave@xn--exmple-cua.com", "dave@ex\u00e4mple.com"),
        ("dave@EX\u00c4MPLE.com", "dave@ex\u00e4mple.com"),
    ],
)
def test_every_spelling_of_a_mailbox_normalizes_to_one(address, normalized):
    assert normalize_email_address(address) == normalized


@pytest.mark.parametrize(
    "address",
    [
        "dave@exam\u00adple.com",
        "dave@exa\u200bmple.com",
        "da\u200dve@example.com",
        "dave@example.com\u202e",
        "dave@exa\ufffdmple.com",
        "dave@\u3164example.com",
    ],
    ids=["soft-hyphen", "zero-width-space", "zero-width-joiner", "rtl-override", "no-idna", "hangul-filler"],
)
def test_invisible_characters_and_domains_mail_cannot_reach_are_refused(address):
    with pytest.raises(ValidationError, match="valid email address"):
        validate_email_address(address)


@pytest.mark.parametrize("address", ["dave@example.com", "dave@ex\u00e4mple.com", "dave+tag@sub.example.co.kr"])
def test_ordinary_addresses_pass(address):
    validate_email_address(address)


@pytest.mark.django_db
@pytest.mark.usefixtures("without_verification")
@pytest.mark.parametrize("spelling", SPELLINGS_OF_ONE_MAILBOX.values(), ids=SPELLINGS_OF_ONE_MAILBOX.keys())
def test_no_other_spelling_of_a_registered_mailbox_registers(api_client, spelling):
    create_user("dave@example.com")

    response = post_json(api_client, "register", {"email": spelling, "password1": PASSWORD, "password2": PASSWORD})

    assert response.status_code == 400
    assert list(response.json()) == ["email"]
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_a_new_address_is_stored_in_its_one_spelling(api_client):
    data = {"email": "Dave@EX\uff41MPLE.com", "password1": PASSWORD, "password2": PASSWORD}

    assert post_json(api_client, "register", data).status_code == 201

    assert User.objects.get().email == "dave@example.com"


@pytest.mark.django_db
def test_an_address_mail_cannot_reach_does_not_register(api_client):
    data = {"email": "x@exa\ufffdmple.com", "password1": PASSWORD, "password2": PASSWORD}

    response = post_json(api_client, "register", data)

    assert response.status_code == 400
    assert response.json() == {"email": ["Enter a valid email address."]}
    assert not User.objects.exists()


@pytest.mark.django_db
def test_login_takes_any_spelling_of_the_mailbox(api_client, user):
    response = post_json(api_client, "login", {"email": "ADA@ex\uff41mple.com", "password": PASSWORD})

    assert response.status_code == 200
    assert response.json()["user"]["email"] == user.email


@pytest.mark.django_db
def test_password_reset_takes_any_spelling_of_the_mailbox(api_client, user):
    assert post_json(api_client, "password_reset", {"email": "ada@\uff45xample.com"}).status_code == 200

    assert [message.to for message in mail.outbox] == [[user.email]]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["login", "password_reset"])
def test_login_and_reset_refuse_invisible_characters(api_client, user, name):
    data = {"email": "ada@exam\u00adple.com", "password": PASSWORD}

    response = post_json(api_client, name, data)

    assert response.status_code == 400
    assert response.json() == {"email": ["Enter a valid email address."]}


@pytest.mark.django_db
def test_the_admin_refuses_another_spelling_of_a_registered_mailbox(admin_client, user):
    data = {"email": "ADA@ex\uff41mple.com", "usable_password": "true", "password1": PASSWORD, "password2": PASSWORD}

    response = admin_client.post(reverse("admin:accounts_user_add"), data)

    assert response.status_code == 200
    assert "already exists" in response.text
    assert User.objects.filter(email__startswith="ada@").count() == 1


@pytest.mark.django_db
def test_the_admin_refuses_invisible_characters(admin_client):
    data = {"email": "bo@exam\u00adple.com", "usable_password": "true", "password1": PASSWORD, "password2": PASSWORD}

    response = admin_client.post(reverse("admin:accounts_user_add"), data)

    assert response.status_code == 200
    assert "Enter a valid email address." in response.text
    assert not User.objects.filter(email__startswith="bo@").exists()
