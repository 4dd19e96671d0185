import uuid

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import LoginSession, User
from accounts.throttling import LoginFormThrottle
from accounts.tokens import SESSION_CLAIM

from .utils import DAY, PASSWORD, new_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return User.objects.create_superuser(email="root@example.com", password=PASSWORD)


def test_the_admin_login_form_takes_an_email(client, superuser):
    response = client.post(reverse("admin:login"), {"username": "Root@Example.com", "password": PASSWORD})

    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_guessing_admin_passwords_is_rate_limited(client, superuser, monkeypatch):
    monkeypatch.setattr(LoginFormThrottle, "THROTTLE_RATES", {"login": "2/day"})
    guess = {"username": superuser.email, "password": "wrong-guess"}

    answers = [client.post(reverse("admin:login"), guess) for _ in range(2)]
    refused = client.post(reverse("admin:login"), {"username": superuser.email, "password": PASSWORD})

    assert [answer.status_code for answer in answers] == [200, 200]
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= DAY
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get(reverse("admin:login")).status_code == 200


def test_the_user_list_shows_emails(admin_client, user):
    response = admin_client.get(reverse("admin:accounts_user_changelist"))

    assert response.status_code == 200
    assert user.email in response.text


def test_the_user_list_searches_by_email(admin_client, user):
    User.objects.create_user(email="someone.else@example.com")

    response = admin_client.get(reverse("admin:accounts_user_changelist"), {"q": "ada@"})

    assert response.status_code == 200
    assert user.email in response.text
    assert "someone.else@example.com" not in response.text


def test_the_add_page_creates_a_user(admin_client):
    assert admin_client.get(reverse("admin:accounts_user_add")).status_code == 200

    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {"email": "New@Example.com", "usable_password": "true", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 302
    assert User.objects.get(email="new@example.com").check_password(PASSWORD)
    # The admin's messages, kept in its session, show on the next page.
    assert "was added successfully" in admin_client.get(response["Location"]).text


def test_the_add_page_refuses_an_email_taken_in_another_case(admin_client, user):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {"email": "ADA@example.com", "usable_password": "true", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 200
    assert "already exists" in response.text
    assert User.objects.filter(email__iexact="ada@example.com").count() == 1


def test_the_change_page_edits_a_user(admin_client, user):
    url = reverse("admin:accounts_user_change", args=[user.pk])
    assert admin_client.get(url).status_code == 200

    response = admin_client.post(
        url,
        {
            "email": user.email,
            "first_name": "Ada",
            "last_name": "Lovelace",
            "is_active": "on",
            "date_joined_0": "2024-01-01",
            "date_joined_1": "12:00:00",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Ada", "Lovelace")


def test_the_index_has_one_accounts_section_and_social_accounts_only_with_a_provider(admin_client, settings):
    response = admin_client.get(reverse("admin:index"))

    apps = {
        app["app_label"]: [model["object_name"] for model in app["models"]] for app in response.context["app_list"]
    }
    assert apps["accounts"] == ["LoginSession", "User"]
    assert "account" not in apps
    # Never social login's apps or tokens: apps come from the environment, tokens are not kept.
    with_provider = bool(getattr(settings, "SOCIALACCOUNT_PROVIDERS", None))
    assert apps.get("socialaccount") == (["SocialAccount"] if with_provider else None)


def test_the_change_page_shows_the_users_email_addresses(admin_client, user):
    EmailAddress.objects.create(user=user, email="ada@example.org", primary=False, verified=False)

    response = admin_client.get(reverse("admin:accounts_user_change", args=[user.pk]))

    assert "ada@example.com (verified), ada@example.org (not verified)" in response.text


def test_the_end_sessions_action_ends_only_the_selected_sessions(admin_client, user):
    selected, kept = new_session(user), new_session(user)
    selected_id, kept_id = selected[SESSION_CLAIM], kept[SESSION_CLAIM]

    response = admin_client.post(
        reverse("admin:accounts_loginsession_changelist"),
        {"action": "end_sessions", "_selected_action": [selected_id]},
    )

    assert response.status_code == 302
    assert LoginSession.objects.get(pk=selected_id).ended_at is not None
    assert list(LoginSession.objects.live().values_list("pk", flat=True)) == [uuid.UUID(kept_id)]
