import pytest

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_create_user_lowercases_the_email_and_hashes_the_password():
    user = User.objects.create_user(email="Grace.Hopper@EXAMPLE.com", password="s3cret-enough-pass")

    assert user.email == "grace.hopper@example.com"
    assert user.password != "s3cret-enough-pass"
    assert user.check_password("s3cret-enough-pass")
    assert (user.is_active, user.is_staff, user.is_superuser) == (True, False, False)


def test_create_user_without_a_password_gets_an_unusable_one():
    user = User.objects.create_user(email="nopass@example.com")

    assert not user.has_usable_password()


@pytest.mark.parametrize("email", ["", None])
def test_create_user_requires_an_email(email):
    with pytest.raises(ValueError, match="email address must be set"):
        User.objects.create_user(email=email, password="whatever-password")


def test_create_superuser_sets_the_flags():
    admin = User.objects.create_superuser(email="root@example.com", password="s3cret-enough-pass")

    assert (admin.is_active, admin.is_staff, admin.is_superuser) == (True, True, True)


@pytest.mark.parametrize("flag", ["is_staff", "is_superuser"])
def test_create_superuser_refuses_a_false_flag(flag):
    with pytest.raises(ValueError, match=f"Superuser must have {flag}=True"):
        User.objects.create_superuser(email="root@example.com", password="s3cret-enough-pass", **{flag: False})
    assert not User.objects.exists()


def test_get_by_natural_key_ignores_case():
    user = User.objects.create_user(email="ada@example.com")

    assert User.objects.get_by_natural_key("ADA@Example.COM") == user
