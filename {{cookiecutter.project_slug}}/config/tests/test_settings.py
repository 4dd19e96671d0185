"""The settings modules as a deployment runs them: from the environment, in a process of their own."""

import json
import os
import subprocess
import sys

import django
import pytest

from config.env import BASE_DIR

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "a-production-secret-that-is-long-and-random-enough-5f3c9a7e1b",
    "DJANGO_ALLOWED_HOSTS": "api.example.com",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.com:587",
    "FRONTEND_URL": "https://app.example.com",
{%- if cookiecutter.use_google_login %}
    "GOOGLE_CLIENT_ID": "1234567890-abc.apps.googleusercontent.com",
    "GOOGLE_CLIENT_SECRET": "a-google-client-secret",
{%- endif %}
{%- if cookiecutter.use_kakao_login %}
    "KAKAO_CLIENT_ID": "a-kakao-rest-api-key",
{%- endif %}
}
REQUIRED_IN_PRODUCTION = [
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "EMAIL_URL",
    "FRONTEND_URL",
{%- if cookiecutter.database == "postgresql" %}
    "DATABASE_URL",
{%- endif %}
{%- if cookiecutter.cache == "redis" %}
    "CACHE_URL",
{%- endif %}
{%- if cookiecutter.use_google_login %}
    "GOOGLE_CLIENT_ID",
    "GOOGLE_CLIENT_SECRET",
{%- endif %}
{%- if cookiecutter.use_kakao_login %}
    "KAKAO_CLIENT_ID",
{%- endif %}
]


def manage(*arguments, **env):
    """Run manage.py in a fresh process; the variables given win over the shell's and .env."""
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=BASE_DIR,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def settings_of(names, **env):
    """Some settings as the process started with `env` computes them."""
    code = (
        "import json, os; from django.conf import settings; "
        "print(json.dumps({name: getattr(settings, name) for name in os.environ['NAMES'].split()}, default=str))"
    )
    result = manage("shell", "--verbosity", "0", "--command", code, NAMES=" ".join(names), **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_deployment_checklist_finds_nothing():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("name", REQUIRED_IN_PRODUCTION)
def test_a_missing_required_variable_stops_start_up_with_one_line_naming_it(name):
    # Empty counts as missing, and wins over the value in .env.
    result = manage("check", **{**PRODUCTION_ENV, name: ""})

    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"Set {name} in the environment or in .env (see .env.example)."]


@pytest.mark.parametrize("url", ["consolemail://", "filemail:///tmp/mail", "memorymail://", "dummymail://"])
def test_production_refuses_an_email_backend_that_sends_nothing(url):
    result = manage("check", **{**PRODUCTION_ENV, "EMAIL_URL": url})

    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"EMAIL_URL is {url!r}, which sends nothing: set an SMTP URL for production."
    ]


def test_production_jwt_cookies_are_secure_and_http_only_and_clients_are_counted_behind_a_proxy():
    computed = settings_of(["REST_AUTH", "REST_FRAMEWORK"], **PRODUCTION_ENV, DJANGO_NUM_PROXIES="1")

    assert computed["REST_AUTH"]["JWT_AUTH_SECURE"] is True
    assert computed["REST_AUTH"]["JWT_AUTH_HTTPONLY"] is True
    assert computed["REST_FRAMEWORK"]["NUM_PROXIES"] == 1


def test_cookies_and_lifetimes_follow_the_environment():
    env = {
        "JWT_COOKIE_SAMESITE": "Strict",
        "JWT_COOKIE_DOMAIN": ".example.com",
        "JWT_ACCESS_TOKEN_MINUTES": "5",
        "JWT_REFRESH_TOKEN_DAYS": "30",
    }

    computed = settings_of(["REST_AUTH", "SIMPLE_JWT", "CSRF_COOKIE_SAMESITE", "CSRF_COOKIE_DOMAIN"], **env)

    assert computed["REST_AUTH"]["JWT_AUTH_SAMESITE"] == computed["CSRF_COOKIE_SAMESITE"] == "Strict"
    assert computed["REST_AUTH"]["JWT_AUTH_COOKIE_DOMAIN"] == computed["CSRF_COOKIE_DOMAIN"] == ".example.com"
    assert computed["SIMPLE_JWT"]["ACCESS_TOKEN_LIFETIME"] == "0:05:00"
    assert computed["SIMPLE_JWT"]["REFRESH_TOKEN_LIFETIME"] == "30 days, 0:00:00"


def test_the_cookie_names_follow_the_environment():
    env = {"JWT_AUTH_COOKIE": "env-access", "JWT_AUTH_REFRESH_COOKIE": "env-refresh"}

    rest_auth = settings_of(["REST_AUTH"], **env)["REST_AUTH"]

    assert (rest_auth["JWT_AUTH_COOKIE"], rest_auth["JWT_AUTH_REFRESH_COOKIE"]) == ("env-access", "env-refresh")


@pytest.mark.parametrize(
    "env", [{"JWT_AUTH_COOKIE": "csrftoken"}, {"JWT_AUTH_COOKIE": "token", "JWT_AUTH_REFRESH_COOKIE": "token"}]
)
def test_cookie_names_from_the_environment_are_checked_at_start_up(env):
    result = manage("check", **env)

    assert result.returncode == 1
    assert "accounts.E008" in result.stderr


def test_rate_limits_follow_the_environment():
    env = {"RATE_LIMIT_LOGIN": "3/min", "RATE_LIMIT_PASSWORD_RESET": "1/day"}

    rates = settings_of(["REST_FRAMEWORK"], **env)["REST_FRAMEWORK"]["DEFAULT_THROTTLE_RATES"]

    assert rates["login"] == "3/min"
    assert rates["password_reset"] == "1/day"


def test_a_redis_cache_url_selects_djangos_redis_backend():
    env = {"CACHE_URL": "redis://127.0.0.1:6379/2", "DJANGO_SETTINGS_MODULE": "config.settings.local"}

    cache = settings_of(["CACHES"], **env)["CACHES"]["default"]

    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://127.0.0.1:6379/2"


def test_cache_options_in_the_url_reach_djangos_redis_backend():
    env = {
        "CACHE_URL": "redis://127.0.0.1:6379/2?key_prefix=shop&timeout=60",
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
    }

    cache = settings_of(["CACHES"], **env)["CACHES"]["default"]

    assert (cache["KEY_PREFIX"], cache["TIMEOUT"]) == ("shop", 60)


def test_email_url_becomes_the_email_settings_of_this_django_version():
    env = {
        "EMAIL_URL": "smtp+tls://mailer:s3cret@smtp.example.com:587",
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
    }

    if django.VERSION >= (6, 1):
        mailer = settings_of(["MAILERS"], **env)["MAILERS"]["default"]
        assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
        assert mailer["OPTIONS"]["host"] == "smtp.example.com"
    else:
        names = ["EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_USE_TLS"]
        assert settings_of(names, **env) == {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "smtp.example.com",
            "EMAIL_PORT": 587,
            "EMAIL_HOST_USER": "mailer",
            "EMAIL_USE_TLS": True,
        }


def test_more_cors_origins_come_from_the_environment_and_are_trusted_for_csrf():
    env = {
        "FRONTEND_URL": "https://app.example.com/base/",
        "DJANGO_CORS_ALLOWED_ORIGINS": "https://admin.example.com",
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
    }

    computed = settings_of(["FRONTEND_URL", "CORS_ALLOWED_ORIGINS", "CSRF_TRUSTED_ORIGINS"], **env)

    assert computed["FRONTEND_URL"] == "https://app.example.com/base"
    assert computed["CORS_ALLOWED_ORIGINS"] == ["https://app.example.com", "https://admin.example.com"]
    assert computed["CSRF_TRUSTED_ORIGINS"] == computed["CORS_ALLOWED_ORIGINS"]


def test_production_queues_emails_in_the_database_and_the_readme_prunes_them(tmp_path):
    env = {**PRODUCTION_ENV, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    assert manage("migrate", **env).returncode == 0

    computed = settings_of(["TASKS"], **env)
    pruned = manage("prune_db_task_results", "--min-age-days", "7", **env)

    assert computed["TASKS"] == {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert pruned.returncode == 0, pruned.stderr
