from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.utils import translation
from rest_framework.test import APIClient

from .live_server import Server, gunicorn
{%- if cookiecutter.use_google_login or cookiecutter.use_kakao_login %}
from .social import provider_network  # noqa: F401 - used by every test: none reaches a provider
{%- endif %}
from .utils import PASSWORD, create_user, post_json


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate limits count in the cache: each test starts with none used."""
    cache.clear()


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Each test ends in LANGUAGE_CODE: LocaleMiddleware leaves a request's language active in its thread."""
    yield
    translation.deactivate()


@pytest.fixture
def without_verification(settings):
    """Sign-up logs the new user in, as without email verification; test_verification.py covers the other modes."""
    settings.ACCOUNT_EMAIL_VERIFICATION = "none"


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture(params=["accept_language", "language_code"])
def korean_client(request, settings):
    """A client answered in Korean: because it asks for it (Accept-Language), or because the project speaks it."""
    if request.param == "accept_language":
        return APIClient(HTTP_ACCEPT_LANGUAGE="ko")
    settings.LANGUAGE_CODE = "ko"
    return APIClient()


@pytest.fixture
def user(db):
    return create_user("ada@example.com")


@pytest.fixture
def logged_in_client(api_client, user):
    """A client holding the cookies of a real login, as a browser would."""
    response = post_json(api_client, "login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 200, response.content
    return api_client


@pytest.fixture(scope="module")
def server(django_db_setup, tmp_path_factory) -> Iterator[Server]:
    """gunicorn with several workers, serving the test database over real HTTP (see live_server.py).

    Its tests need transaction=True in their django_db mark, so that the server sees their rows.
    """
    with gunicorn(tmp_path_factory.mktemp("gunicorn")) as running:
        yield running
