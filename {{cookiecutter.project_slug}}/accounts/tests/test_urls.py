import pytest
from django.urls import reverse

from accounts.urls import endpoints

ENDPOINTS = {
    "register": "/api/accounts/v1/registration/",
    "login": "/api/accounts/v1/login/",
    "logout": "/api/accounts/v1/logout/",
    "user": "/api/accounts/v1/user/",
    "password_change": "/api/accounts/v1/password/change/",
    "password_reset": "/api/accounts/v1/password/reset/",
    "password_reset_confirm": "/api/accounts/v1/password/reset/confirm/",
    "token_verify": "/api/accounts/v1/token/verify/",
    "token_refresh": "/api/accounts/v1/token/refresh/",
}
# Not in the seed project, which had only the endpoints above.
EXTRA = {
    "logout_all": "/api/accounts/v1/logout/all/",
    "sessions": "/api/accounts/v1/sessions/",
    "csrf": "/api/accounts/v1/csrf/",
}


@pytest.mark.parametrize(("name", "path"), {**ENDPOINTS, **EXTRA, "root": "/api/accounts/v1/"}.items())
def test_endpoint_paths(name, path):
    assert reverse(f"accounts:{name}") == path


def test_a_session_has_its_own_path():
    session_id = "5b3c9e1e-8a57-4c1d-9f0e-2d6a1f3b7c48"

    assert reverse("accounts:session", args=[session_id]) == f"/api/accounts/v1/sessions/{session_id}/"


@pytest.mark.django_db
def test_an_unknown_path_under_the_prefix_is_not_found(api_client):
    # dj-rest-auth's own URLconf matches any path that merely ends in login/.
    assert api_client.post("/api/accounts/v1/not-a-login/", {}, format="json").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/accounts/v1/sessions/not-a-uuid/", "/api/accounts/v2/", "/api/"])
def test_a_url_under_the_api_that_no_view_matches_answers_json(api_client, path):
    response = api_client.get(path)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.django_db
def test_other_urls_keep_the_html_404_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_the_root_lists_every_endpoint_with_its_url(api_client, settings):
    # One social login endpoint per provider set up, if any.
    social = {
        f"social_{provider}": f"/api/accounts/v1/social/{provider}/"
        for provider in getattr(settings, "SOCIALACCOUNT_PROVIDERS", {})
    }

    response = api_client.get("/api/accounts/v1/")

    assert response.status_code == 200
    listed = response.json()
    assert {name: f"http://testserver{path}" for name, path in {**ENDPOINTS, **EXTRA, **social}.items()}.items() <= (
        listed.items()
    )
    # And the endpoints of the options this project chose, such as email verification.
    assert listed == {
        endpoint.name: f"http://testserver{reverse(f'accounts:{endpoint.name}')}"
        for endpoint in endpoints
        if not endpoint.pattern.converters
    }
