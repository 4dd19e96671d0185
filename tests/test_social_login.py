"""Social login: what a bake gains with each provider, and what a bake without one never shows."""

import json
import re
import sys

import pytest

from .combinations import first_with
from .helpers import SOCIAL_PRODUCTION_ENV, manage, project_env, run

PROVIDERS = ("google", "kakao")
# What the bakes leave beside the project's own files (the repository the hook made among them), none of it theirs.
NOT_THE_PROJECTS = {
    ".venv",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".cache",
    ".hypothesis",
    ".git",
}

# What a bake has of social login: provider apps, social settings, URLs and admin pages.
SOCIAL_LOGIN_PARTS = """
import json
from django.conf import settings
from django.contrib import admin
from accounts.urls import urlpatterns
print(json.dumps({
    "apps": [app for app in settings.INSTALLED_APPS if ".providers." in app],
    "settings": sorted(name for name in dir(settings) if name.startswith("SOCIAL")),
    "providers": getattr(settings, "SOCIALACCOUNT_PROVIDERS", {}),
    "callback_urls": getattr(settings, "SOCIAL_LOGIN_CALLBACK_URLS", {}),
    "urls": [str(pattern.pattern) for pattern in urlpatterns if "social" in str(pattern.pattern)],
    "admin": sorted(model._meta.label for model in admin.site._registry if model._meta.app_label == "socialaccount"),
}))
"""


def social_login_parts(project, **env):
    result = manage(project, "shell", "--verbosity", "0", "--command", SOCIAL_LOGIN_PARTS, env=project_env(**env))
    return json.loads(result.stdout)


# The translation catalogs are the same in every bake (compiled once, copied
# unrendered), so they keep the providers' few messages; nothing reads them
# unless a provider's code asks for its message.
SHARED_CATALOGS = "locale"


def traces(project, name):
    """Every file of the bake but its shared catalogs whose path or text names `name`, in any case."""
    pattern = re.compile(name, re.IGNORECASE)
    found = []
    for path in sorted(project.rglob("*")):
        relative = path.relative_to(project)
        skipped = NOT_THE_PROJECTS | {SHARED_CATALOGS}
        if skipped & set(relative.parts) or not path.is_file() or path.name.startswith("db.sqlite3"):
            continue
        if pattern.search(str(relative)) or pattern.search(path.read_text()):
            found.append(str(relative))
    return found


@pytest.mark.xdist_group("default")
def test_a_bake_without_providers_names_none_anywhere(default_project):
    assert [trace for provider in PROVIDERS for trace in traces(default_project, provider)] == []
    assert not (default_project / "accounts" / "social").exists()
    assert not (default_project / "config" / "settings" / "social.py").exists()
    assert "responses" not in (default_project / "requirements" / "local.txt").read_text()


@pytest.mark.xdist_group("default")
def test_a_bake_without_providers_has_no_social_login_app_setting_url_or_admin_page(default_project):
    assert social_login_parts(default_project) == {
        "apps": [],
        "settings": [],
        "providers": {},
        "callback_urls": {},
        "urls": [],
        "admin": [],
    }


@pytest.mark.xdist_group("everything-on")
def test_both_providers_take_their_apps_from_the_environment(everything_on_project):
    env = {**SOCIAL_PRODUCTION_ENV, "FRONTEND_URL": "https://app.example.com/", "KAKAO_CLIENT_SECRET": "kakao-secret"}

    parts = social_login_parts(everything_on_project, **env)

    assert parts["apps"] == ["allauth.socialaccount.providers.google", "allauth.socialaccount.providers.kakao"]
    assert parts["providers"] == {
        "google": {"APPS": [{"client_id": env["GOOGLE_CLIENT_ID"], "secret": env["GOOGLE_CLIENT_SECRET"]}]},
        "kakao": {"APPS": [{"client_id": env["KAKAO_CLIENT_ID"], "secret": "kakao-secret"}]},
    }
    assert parts["callback_urls"] == {
        "google": "https://app.example.com/social/google/callback/",
        "kakao": "https://app.example.com/social/kakao/callback/",
    }
    assert parts["urls"] == ["social/google/", "social/kakao/"]
    # Support sees who logs in with what; apps and tokens have no page.
    assert parts["admin"] == ["socialaccount.SocialAccount"]


@pytest.mark.xdist_group("everything-on")
def test_each_providers_variables_are_documented(everything_on_project):
    example = (everything_on_project / ".env.example").read_text()
    readme = (everything_on_project / "README.md").read_text()
    variables = [
        "GOOGLE_CLIENT_ID",
        "GOOGLE_CLIENT_SECRET",
        "GOOGLE_CALLBACK_URL",
        "KAKAO_CLIENT_ID",
        "KAKAO_CLIENT_SECRET",
        "KAKAO_APP_ID",
        "KAKAO_CALLBACK_URL",
    ]

    # Commented out: no value in .env that could shadow the environment's.
    assert [name for name in variables if not re.search(rf"^# {name}=", example, re.MULTILINE)] == []
    assert [name for name in variables if f"`{name}`" not in readme] == []
    assert "## Social login" in readme
    assert "responses" in (everything_on_project / "requirements" / "local.txt").read_text()


def one_provider(provider, other):
    """The test's arguments for the first combination with only `provider`, on SQLite: no database server."""
    combination = first_with(**{f"use_{provider}_login": "yes", f"use_{other}_login": "no", "database": "sqlite"})
    return pytest.param(provider, other, combination, marks=pytest.mark.xdist_group(combination), id=provider)


# ruff, mypy and the system checks run on every combination, in test_baked_project.py.
@pytest.mark.parametrize(
    ("provider", "other", "combination"), [one_provider("google", "kakao"), one_provider("kakao", "google")]
)
def test_one_provider_works_without_the_others_files(bake_combination, provider, other, combination):
    project = bake_combination(combination)

    assert traces(project, other) == []
    assert social_login_parts(project)["urls"] == [f"social/{provider}/"]
    tests = [
        f"accounts/tests/test_{provider}_login.py",
        "accounts/tests/test_admin.py",
        "accounts/tests/test_urls.py",
        "accounts/tests/test_schema.py",
        "config/tests/test_settings.py",
    ]
    outcome = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests], project)
    assert re.search(r"\d+ passed", outcome.stdout)
    assert "failed" not in outcome.stdout
