"""Each answer reaches the baked project where it should."""

import subprocess
import sys

import pytest

from .combinations import COMBINATIONS
from .helpers import (
    CUSTOM_ANSWERS,
    SUPERUSER_PASSWORD,
    django_shell,
    post,
    project_env,
    project_settings,
    serving,
    set_cookie_headers,
    set_cookie_names,
)

DEFAULT_COOKIES = ["my-app-auth", "my-refresh-token"]
CUSTOM_COOKIES = [CUSTOM_ANSWERS["jwt_auth_cookie"], CUSTOM_ANSWERS["jwt_auth_refresh_cookie"]]


@pytest.mark.xdist_group("default")
def test_the_default_answers_reach_the_settings(default_project):
    values = project_settings(
        default_project, "REST_AUTH", "SITE_ID", "TIME_ZONE", "LANGUAGE_CODE", "FRONTEND_URL", "CORS_ALLOWED_ORIGINS"
    )

    assert [values["REST_AUTH"]["JWT_AUTH_COOKIE"], values["REST_AUTH"]["JWT_AUTH_REFRESH_COOKIE"]] == DEFAULT_COOKIES
    assert (values["SITE_ID"], values["TIME_ZONE"], values["LANGUAGE_CODE"]) == (1, "UTC", "en-us")
    assert (values["FRONTEND_URL"], values["CORS_ALLOWED_ORIGINS"]) == (
        "http://localhost:3000",
        ["http://localhost:3000"],
    )
    assert default_project.name == "my_auth_api"


@pytest.mark.xdist_group("custom")
def test_custom_answers_reach_the_settings(custom_project):
    values = project_settings(
        custom_project,
        *("REST_AUTH", "SITE_ID", "TIME_ZONE", "LANGUAGE_CODE"),
        *("FRONTEND_URL", "CORS_ALLOWED_ORIGINS", "PASSWORD_RESET_CONFIRM_URL", "ACCOUNT_EMAIL_VERIFICATION"),
    )

    assert [values["REST_AUTH"]["JWT_AUTH_COOKIE"], values["REST_AUTH"]["JWT_AUTH_REFRESH_COOKIE"]] == CUSTOM_COOKIES
    assert (values["SITE_ID"], values["TIME_ZONE"], values["LANGUAGE_CODE"]) == (7, "Asia/Seoul", "ko")
    assert values["FRONTEND_URL"] == "https://app.example.org/base"
    assert values["CORS_ALLOWED_ORIGINS"] == ["https://app.example.org"]
    assert values["PASSWORD_RESET_CONFIRM_URL"] == "https://app.example.org/base/password-reset/{uid}/{token}/"
    assert values["ACCOUNT_EMAIL_VERIFICATION"] == "optional"
    # The slug is derived from the name, accents and all.
    assert custom_project.name == "cafe_unicode_api"


@pytest.mark.xdist_group("default")
def test_a_real_sign_up_sets_the_default_cookie_names(served_default_project):
    status, headers, body = post(
        f"{served_default_project}/api/accounts/v1/registration/",
        {"email": "cookies@example.com", "password1": SUPERUSER_PASSWORD, "password2": SUPERUSER_PASSWORD},
    )

    assert status == 201, body
    assert sorted(set_cookie_names(headers)) == sorted(DEFAULT_COOKIES)


@pytest.mark.xdist_group("default")
def test_the_environment_renames_the_cookies_without_a_change_to_the_code(default_project):
    env = project_env(JWT_AUTH_COOKIE="env-access", JWT_AUTH_REFRESH_COOKIE="env-refresh")

    with serving(default_project, env=env) as base_url:
        status, headers, body = post(
            f"{base_url}/api/accounts/v1/registration/",
            {"email": "env-cookies@example.com", "password1": SUPERUSER_PASSWORD, "password2": SUPERUSER_PASSWORD},
        )

    assert status == 201, body
    assert sorted(set_cookie_names(headers)) == ["env-access", "env-refresh"]


@pytest.mark.xdist_group("custom")
def test_the_superuser_exists_and_a_real_login_sets_the_chosen_cookie_names(custom_project):
    with serving(custom_project) as base_url:
        status, headers, body = post(
            f"{base_url}/api/accounts/v1/login/",
            {"email": CUSTOM_ANSWERS["superuser_email"], "password": SUPERUSER_PASSWORD},
        )

    assert status == 200, body
    assert body["user"]["email"] == "admin@example.org"
    assert sorted(set_cookie_names(headers)) == sorted(CUSTOM_COOKIES)
    assert all("HttpOnly" in header for header in set_cookie_headers(headers))


@pytest.mark.xdist_group("custom")
def test_the_superuser_is_staff_in_the_sites_row_of_site_id(custom_project):
    code = (
        "from accounts.models import User; from django.contrib.sites.models import Site; "
        "u = User.objects.get(email='admin@example.org'); "
        "print(u.is_staff, u.is_superuser, Site.objects.get_current().pk)"
    )

    assert django_shell(custom_project, code).split() == ["True", "True", "7"]


@pytest.mark.xdist_group("default")
def test_sqlite_projects_are_tuned_for_several_processes_and_lack_the_postgresql_driver(default_project):
    database = project_settings(default_project, "DATABASES")["DATABASES"]["default"]

    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]
    requirements = (default_project / "requirements" / "base.txt").read_text()
    assert "psycopg" not in requirements
    assert "PostgreSQL" not in requirements


@pytest.mark.xdist_group("everything-on")
def test_postgresql_projects_need_database_url_and_get_the_driver(everything_on_project):
    database = project_settings(everything_on_project, "DATABASES")["DATABASES"]["default"]

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"]) == ("127.0.0.1", 5432)
    assert database["NAME"] == COMBINATIONS["everything-on"]["project_slug"]
    assert "OPTIONS" not in database or "transaction_mode" not in database["OPTIONS"]
    assert "psycopg[binary]" in (everything_on_project / "requirements" / "base.txt").read_text()
    assert "DATABASE_URL=postgres://" in (everything_on_project / ".env.example").read_text()


@pytest.mark.xdist_group("default")
def test_a_local_cache_is_a_folder_and_needs_no_redis_package(default_project):
    cache = project_settings(default_project, "CACHES")["CACHES"]["default"]

    assert cache["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert cache["LOCATION"].endswith("/.cache")
    assert "redis" not in (default_project / "requirements" / "base.txt").read_text().lower()


@pytest.mark.xdist_group("everything-on")
def test_a_redis_cache_needs_cache_url_and_gets_the_package(everything_on_project):
    cache = project_settings(everything_on_project, "CACHES")["CACHES"]["default"]
    env = project_env(CACHE_URL="")

    command = [sys.executable, "manage.py", "check"]
    refused = subprocess.run(command, cwd=everything_on_project, env=env, capture_output=True, text=True, check=False)

    assert (cache["BACKEND"], cache["LOCATION"]) == (
        "django.core.cache.backends.redis.RedisCache",
        "redis://127.0.0.1:6379/0",
    )
    assert "redis>=" in (everything_on_project / "requirements" / "base.txt").read_text()
    assert refused.stderr.splitlines() == ["Set CACHE_URL in the environment or in .env (see .env.example)."]


@pytest.mark.xdist_group("everything-on")
def test_mandatory_verification_reaches_the_settings_and_the_urls(everything_on_project):
    code = "from django.urls import reverse; print(reverse('accounts:verify_email'), reverse('accounts:resend_email'))"

    assert project_settings(everything_on_project, "ACCOUNT_EMAIL_VERIFICATION") == {
        "ACCOUNT_EMAIL_VERIFICATION": "mandatory"
    }
    assert django_shell(everything_on_project, code).split() == [
        "/api/accounts/v1/registration/verify-email/",
        "/api/accounts/v1/registration/resend-email/",
    ]


@pytest.mark.xdist_group("default")
def test_without_verification_the_project_has_no_verification_endpoints(default_project):
    assert project_settings(default_project, "ACCOUNT_EMAIL_VERIFICATION") == {"ACCOUNT_EMAIL_VERIFICATION": "none"}
    assert not (default_project / "accounts" / "views" / "verification.py").exists()
    assert not (default_project / "accounts" / "tests" / "test_verification.py").exists()
    assert "verify-email" not in (default_project / "accounts" / "urls.py").read_text()
