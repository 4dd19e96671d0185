"""Every bake is a finished project: rendered, linted, checked, migrated, and its own tests pass."""

import re
import sys
import tomllib

import pytest

from .helpers import CUSTOM_ANSWERS, SOCIAL_PRODUCTION_ENV, manage, project_env, run, tidiness_problems

# GitHub's own expressions, ${{ ... }}, are not Jinja.
JINJA_MARKERS = re.compile(r"(?<!\$)\{\{|\{%|\{#")

EXPECTED_FILES = {
    ".editorconfig",
    ".env",
    ".env.example",
    ".gitignore",
    ".pre-commit-config.yaml",
    "CHANGELOG.md",
    "CONTRIBUTING.md",
    "LICENSE",
    "Makefile",
    "README.md",
    "manage.py",
    "pyproject.toml",
    "requirements/base.txt",
    "requirements/local.txt",
    "requirements/production.txt",
    "config/settings/base.py",
    "config/settings/local.py",
    "config/settings/production.py",
    "config/settings/test.py",
    "config/env.py",
    "config/urls.py",
    "config/admin.py",
    "config/apps.py",
    "config/parsers.py",
    "config/exceptions.py",
    "config/wsgi.py",
    "config/asgi.py",
    "accounts/models.py",
    "accounts/managers.py",
    "accounts/admin.py",
    "accounts/urls.py",
    "accounts/views/auth.py",
    "accounts/views/password.py",
    "accounts/views/sessions.py",
    "accounts/views/user.py",
    "accounts/serializers.py",
    "accounts/authentication.py",
    "accounts/services.py",
    "accounts/throttling.py",
    "accounts/tokens.py",
    "accounts/password_validation.py",
    "accounts/email_addresses.py",
    "accounts/checks.py",
    "accounts/schema.py",
    "accounts/management/commands/clearloginsessions.py",
    "accounts/migrations/0001_initial.py",
    "accounts/upstream_messages.py",
    "locale/ko/LC_MESSAGES/django.po",
    "locale/ko/LC_MESSAGES/django.mo",
}


# What running the project leaves behind, all git-ignored, and the repository the hook made.
RUN_TIME_FOLDERS = {".cache", ".hypothesis", ".pytest_cache", "__pycache__", ".venv", ".git"}


def text_files(project):
    for path in sorted(project.rglob("*")):
        if (
            path.is_file()
            and not path.name.startswith("db.sqlite3")
            # Compiled translation catalogs are binary.
            and path.suffix != ".mo"
            and not RUN_TIME_FOLDERS & set(path.relative_to(project).parts)
        ):
            yield path, path.read_text()


def test_the_project_has_its_files(project):
    present = {path.relative_to(project).as_posix() for path in project.rglob("*") if path.is_file()}

    assert present >= EXPECTED_FILES
    assert not [name for name in present if "__pycache__" in name or ".ruff_cache" in name]


def test_no_template_syntax_is_left(project):
    leftovers = [f"{path}: {found}" for path, text in text_files(project) for found in JINJA_MARKERS.findall(text)]

    assert leftovers == []


def test_every_text_file_is_tidy(project):
    """No trailing spaces, no runs of blank lines where Jinja tags stood, one final newline."""
    problems = [
        problem
        for path, text in text_files(project)
        for problem in tidiness_problems(str(path.relative_to(project)), text)
    ]

    assert problems == []


def test_ruff_finds_nothing(project):
    run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], project)
    run([sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "."], project)


def test_mypy_finds_nothing(project, tmp_path):
    result = run([sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path), "."], project)

    assert result.stdout.startswith("Success: no issues found in ")


def test_pyproject_is_valid_toml(project):
    tomllib.loads((project / "pyproject.toml").read_text())


def test_system_checks_pass_at_warning_level(project):
    manage(project, "check", "--fail-level", "WARNING")


def test_the_hook_made_the_migration_and_nothing_is_missing(project):
    migration = (project / "accounts" / "migrations" / "0001_initial.py").read_text()

    assert "migrations.CreateModel" in migration
    assert "accounts_user_email_ci_unique" in migration
    manage(project, "makemigrations", "--check", "--dry-run")


def test_production_settings_never_debug_even_with_a_development_env(project):
    env = project_env(
        "config.settings.production",
        DJANGO_DEBUG="True",
        DJANGO_ALLOWED_HOSTS="api.example.com",
        EMAIL_URL="smtp+tls://mailer:secret@smtp.example.com:587",
        # Ignored but where a provider is chosen, which needs them.
        **SOCIAL_PRODUCTION_ENV,
    )
    code = "from django.conf import settings; print(settings.DEBUG, settings.ALLOWED_HOSTS)"

    result = manage(project, "shell", "--verbosity", "0", "--command", code, env=env)

    assert result.stdout.strip() == "False ['api.example.com']"


def test_env_has_a_fresh_secret_key_and_is_ignored_by_git(project):
    lines = (project / ".env").read_text().splitlines()
    env = dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))

    assert len(env["DJANGO_SECRET_KEY"]) >= 50
    assert ".env" in (project / ".gitignore").read_text().splitlines()
    assert env["DJANGO_SECRET_KEY"] not in "".join(text for path, text in text_files(project) if path.name != ".env")


def test_its_own_test_suite_passes_on_django_5_2(project):
    # run() exports the development settings, as a shell might: the suite must still use its own.
    result = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], project)

    assert re.search(r"\d+ passed", result.stdout)
    assert run([sys.executable, "-m", "django", "--version"], project).stdout.startswith("5.2.")


def test_its_own_test_suite_passes_on_django_6(project, django6_python):
    result = run([str(django6_python), "-m", "pytest", "-q", "-p", "no:cacheprovider"], project)

    assert re.search(r"\d+ passed", result.stdout)


def test_django_6_finds_nothing_to_warn_about_or_migrate(project, django6_python):
    manage(project, "check", "--fail-level", "WARNING", python=django6_python)
    manage(project, "makemigrations", "--check", "--dry-run", python=django6_python)
    # MAILERS, not the deprecated EMAIL_* settings, so no warning at start-up either.
    run([str(django6_python), "-W", "error", "manage.py", "check"], project)


@pytest.mark.xdist_group("custom")
def test_the_custom_description_is_in_the_readme(custom_project):
    readme = (custom_project / "README.md").read_text()

    assert readme.startswith(f"# {CUSTOM_ANSWERS['project_name']}\n")
    assert CUSTOM_ANSWERS["description"] in readme
