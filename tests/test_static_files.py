"""Static files in production: gunicorn alone serves the admin's and Swagger UI's, as every bake's WhiteNoise does.

The default bake (no Docker) runs collectstatic and gunicorn with its production
settings; the pages name their assets by hashed names, which browsers may keep
for a year.
"""

import re
import urllib.request
from collections.abc import Iterator
from email.message import Message
from html.parser import HTMLParser

import pytest

from .helpers import copy_tree, manage, project_env
from .servers import gunicorn_serving

pytestmark = pytest.mark.xdist_group("default")

HOST = "api.example.com"
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "a-secret-for-the-static-file-tests-only-0b6e2d4f8a1c3e5d7f",
    "DJANGO_ALLOWED_HOSTS": HOST,
    "EMAIL_URL": "smtp://127.0.0.1:25",
    "FRONTEND_URL": "https://app.example.com",
}
A_YEAR = 365 * 24 * 60 * 60


class AssetLinks(HTMLParser):
    """The URLs of a page's stylesheets and scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.stylesheets: list[str] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "link" and attributes.get("rel") == "stylesheet" and attributes.get("href"):
            self.stylesheets.append(str(attributes["href"]))
        if tag == "script" and attributes.get("src"):
            self.scripts.append(str(attributes["src"]))


def get(url: str, **headers: str) -> tuple[int, Message, bytes]:
    """GET as through the load balancer: for the site's host, over HTTPS."""
    request = urllib.request.Request(url, headers={"Host": HOST, "X-Forwarded-Proto": "https", **headers})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status, response.headers, response.read()


def links(url: str) -> AssetLinks:
    status, _headers, body = get(url)
    assert status == 200
    parser = AssetLinks()
    parser.feed(body.decode())
    return parser


def max_age(headers: Message) -> int:
    found = re.search(r"max-age=(\d+)", headers.get("Cache-Control", ""))
    assert found, headers
    return int(found[1])


# Session-scoped: pytest-xdist's loadgroup interleaves modules, which would set a module's up again.
@pytest.fixture(scope="session")
def production_server(default_project, tmp_path_factory) -> Iterator[str]:
    """A copy of the default bake, static files collected and migrated, served by gunicorn on production settings."""
    project = copy_tree(default_project, tmp_path_factory.mktemp("static") / "project")
    env = project_env(**PRODUCTION_ENV)
    manage(project, "collectstatic", "--no-input", env=env)
    manage(project, "migrate", "--no-input", env=env)
    with gunicorn_serving(project, PRODUCTION_ENV, workers=2) as (url, _log):
        yield url


def test_the_admin_stylesheets_are_served_by_hashed_name_for_a_year(production_server):
    stylesheets = links(f"{production_server}/admin/login/").stylesheets

    assert any(re.fullmatch(r"/static/admin/css/base\.[0-9a-f]{12}\.css", href) for href in stylesheets), stylesheets
    for href in stylesheets:
        status, headers, body = get(production_server + href)
        assert status == 200
        assert headers["Content-Type"].startswith("text/css")
        assert max_age(headers) >= A_YEAR
        assert "immutable" in headers["Cache-Control"]
        assert body


def test_swagger_ui_comes_from_this_site_by_hashed_names_for_a_year(production_server):
    page = links(f"{production_server}/api/docs/")
    bundle = [src for src in page.scripts if "swagger-ui-bundle" in src]

    assert bundle
    assert all(src.startswith("/static/drf_spectacular_sidecar/") for src in page.scripts + page.stylesheets)
    for url in page.scripts + page.stylesheets:
        status, headers, _body = get(production_server + url)
        assert status == 200
        assert max_age(headers) >= A_YEAR
    # Compressed at collectstatic, sent compressed to clients that accept it.
    _status, headers, _body = get(production_server + bundle[0], **{"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip"


def test_a_name_without_its_hash_is_served_but_kept_only_briefly(production_server):
    status, headers, _body = get(f"{production_server}/static/admin/css/base.css")

    assert status == 200
    assert max_age(headers) < 3600
