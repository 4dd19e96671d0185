"""A frontend on another origin: the one in FRONTEND_URL, and those in DJANGO_CORS_ALLOWED_ORIGINS."""

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from config.env import origin_of

from .utils import PASSWORD, post_json

pytestmark = pytest.mark.django_db

FRONTEND = origin_of(settings.FRONTEND_URL)
STRANGER = "https://evil.example"


def test_the_frontends_origin_may_read_answers_with_the_cookies(api_client, user):
    response = post_json(api_client, "login", {"email": user.email, "password": PASSWORD}, HTTP_ORIGIN=FRONTEND)

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == FRONTEND
    assert response["Access-Control-Allow-Credentials"] == "true"


def test_a_preflight_lets_the_frontend_send_json_and_the_csrf_token():
    response = APIClient().options(
        reverse("accounts:user"),
        HTTP_ORIGIN=FRONTEND,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="PATCH",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type, x-csrftoken",
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == FRONTEND
    assert "PATCH" in response["Access-Control-Allow-Methods"]
    assert {"content-type", "x-csrftoken"} <= set(response["Access-Control-Allow-Headers"].split(", "))


def test_the_frontend_may_read_retry_after_to_know_how_long_a_429_lasts(api_client):
    response = api_client.get(reverse("accounts:csrf"), HTTP_ORIGIN=FRONTEND)

    assert "retry-after" in response["Access-Control-Expose-Headers"].lower()


def test_other_origins_get_no_cors_headers(api_client, user):
    response = post_json(api_client, "login", {"email": user.email, "password": PASSWORD}, HTTP_ORIGIN=STRANGER)

    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Credentials" not in response


def test_a_cookie_authenticated_write_from_the_frontend_passes_the_origin_check(logged_in_client):
    browser = APIClient(enforce_csrf_checks=True)
    browser.cookies = logged_in_client.cookies
    token = browser.get(reverse("accounts:csrf"), HTTP_ORIGIN=FRONTEND).json()["csrf_token"]

    allowed = browser.patch(
        reverse("accounts:user"), {"first_name": "Ada"}, format="json", HTTP_ORIGIN=FRONTEND, HTTP_X_CSRFTOKEN=token
    )
    refused = browser.patch(
        reverse("accounts:user"), {"first_name": "Eve"}, format="json", HTTP_ORIGIN=STRANGER, HTTP_X_CSRFTOKEN=token
    )

    assert allowed.status_code == 200, allowed.content
    assert refused.status_code == 403
    assert "Origin checking failed" in refused.json()["detail"]


def test_the_email_links_point_into_the_frontend():
    assert settings.PASSWORD_RESET_CONFIRM_URL == settings.FRONTEND_URL + "/password-reset/{uid}/{token}/"
    assert settings.EMAIL_VERIFICATION_URL == settings.FRONTEND_URL + "/verify-email/{key}/"


@pytest.mark.parametrize("name", ["logout", "token_refresh"])
def test_a_page_of_an_untrusted_origin_cannot_log_out_or_refresh(logged_in_client, name):
    # A page on another port or subdomain of the same site: its requests carry the cookies.
    refused = post_json(logged_in_client, name, HTTP_ORIGIN="http://localhost:9999")

    assert refused.status_code == 403
    assert refused.json() == {"detail": "Requests from this origin are not allowed."}
    assert logged_in_client.get(reverse("accounts:user")).status_code == 200


@pytest.mark.parametrize("origin", [FRONTEND, "http://testserver", None])
@pytest.mark.parametrize("name", ["logout", "token_refresh"])
def test_the_frontend_the_api_itself_and_clients_that_are_no_page_may(logged_in_client, name, origin):
    headers = {"HTTP_ORIGIN": origin} if origin else {}

    assert post_json(logged_in_client, name, **headers).status_code == 200
