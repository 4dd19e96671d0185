import pytest
from django.conf import settings

from .utils import NEW_PASSWORD, PASSWORD, post_json

pytestmark = pytest.mark.django_db


def change_password(client, old_password=PASSWORD, new_password1=NEW_PASSWORD, new_password2=NEW_PASSWORD):
    data = {"old_password": old_password, "new_password1": new_password1, "new_password2": new_password2}
    return post_json(client, "password_change", data)


def test_password_change_with_the_old_password(logged_in_client, user):
    response = change_password(logged_in_client)

    assert response.status_code == 200
    assert response.json() == {"detail": "New password has been saved."}
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_a_wrong_old_password_is_refused(logged_in_client, user):
    response = change_password(logged_in_client, old_password="not-my-password")

    assert response.status_code == 400
    assert list(response.json()) == ["old_password"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_old_password_is_required(logged_in_client):
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}

    response = post_json(logged_in_client, "password_change", data)

    assert response.status_code == 400
    assert response.json() == {"old_password": ["This field is required."]}


def test_mismatched_new_passwords_are_refused(logged_in_client):
    response = change_password(logged_in_client, new_password2=NEW_PASSWORD + "-typo")

    assert response.status_code == 400
    assert "new_password2" in response.json()


def test_anonymous_users_cannot_change_a_password(api_client, user):
    assert change_password(api_client).status_code == 401
