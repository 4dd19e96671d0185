"""Every bake is a finished project: rendered, linted, checked, migrated, and its own tests pass.

The tests that take `project` run for every supported combination
(tests/combinations.py) and for the custom answers; the baked test suites run
for the default answers at both ends (Django 5.2 on Python 3.11, Django 6 on
3.13), the custom answers, and everything on, against the real PostgreSQL and Redis.
"""

import fnmatch
import hashlib
import json
import re
import sys
import tomllib

import pytest

from .helpers import (
    CUSTOM_ANSWERS,
    SOCIAL_PRODUCTION_ENV,
    TEMPLATE_DIR,
    django_shell,
    make_env,
    manage,
    project_env,
    project_settings,
    run,
    tidiness_problems,
)
from .shipping import dotenv

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
    # A LICENSE unless the project is not open source, and pyproject.toml says which.
    assert ("LICENSE" in present) == ('license-files = ["LICENSE"]' in (project / "pyproject.toml").read_text())
    assert not [name for name in present if "__pycache__" in name or ".ruff_cache" in name]


def test_no_template_syntax_is_left(project):
    leftovers = [f"{path}: {found}" for path, text in text_files(project) for found in JINJA_MARKERS.findall(text)]

    assert leftovers == []


def test_what_cookiecutter_copies_without_rendering_holds_no_template_syntax():
    """_copy_without_render spares Jinja the files that need none: a tag in one would reach every project as is."""
    template = TEMPLATE_DIR / "{{cookiecutter.project_slug}}"
    patterns = json.loads((TEMPLATE_DIR / "cookiecutter.json").read_text())["_copy_without_render"]
    files = [path.relative_to(template) for path in template.rglob("*") if path.is_file()]

    def copied(path, pattern):
        # As cookiecutter matches: the file's path, or one of its folders', from the project's top.
        return any(fnmatch.fnmatch(place.as_posix(), pattern) for place in [path, *path.parents[:-1]])

    with_syntax = [
        f"{path}: {found}"
        for path in files
        if any(copied(path, pattern) for pattern in patterns)
        for found in JINJA_MARKERS.findall((template / path).read_bytes().decode(errors="ignore"))
    ]
    assert with_syntax == [], "remove these files' patterns from _copy_without_render in cookiecutter.json"
    assert [pattern for pattern in patterns if not any(copied(path, pattern) for path in files)] == []


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


@pytest.fixture(scope="session")
def mypy_cache(tmp_path_factory):
    """A function giving a bake the mypy cache of this worker's bakes with the same INSTALLED_APPS.

    django-stubs' plugin makes mypy discard its whole cache when INSTALLED_APPS
    change; sharing a cache among bakes with the same ones saves most of the
    10 seconds a cold run takes.
    """
    root = tmp_path_factory.mktemp("mypy")

    def cache_for(project):
        apps = project_settings(project, "INSTALLED_APPS")["INSTALLED_APPS"]
        return root / hashlib.sha256(json.dumps(apps).encode()).hexdigest()[:16]

    return cache_for


def test_mypy_finds_nothing(project, mypy_cache):
    result = run([sys.executable, "-m", "mypy", "--cache-dir", str(mypy_cache(project)), "."], project)

    assert result.stdout.startswith("Success: no issues found in ")


def test_the_pre_commit_config_is_valid(project, tmp_path):
    env = make_env(PRE_COMMIT_HOME=str(tmp_path))
    command = [sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"]

    result = run(command, project, env=env)

    assert result.stdout + result.stderr == ""


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
    env = dotenv(project)

    assert len(env["DJANGO_SECRET_KEY"]) >= 50
    assert ".env" in (project / ".gitignore").read_text().splitlines()
    assert env["DJANGO_SECRET_KEY"] not in "".join(text for path, text in text_files(project) if path.name != ".env")


def bakes(*names):
    """Run a test for these bakes (default, custom, everything-on), each on the worker that owns it."""
    params = [pytest.param(name, marks=pytest.mark.xdist_group(name)) for name in names]
    return pytest.mark.parametrize("named_bake", params, indirect=True)


@pytest.fixture
def named_bake(request):
    return request.getfixturevalue(f"{request.param.replace('-', '_')}_project")


@bakes("default", "custom", "everything-on")
def test_its_own_test_suite_passes_on_django_5_2(named_bake):
    # run() exports the development settings, as a shell might: the suite must still use its own.
    result = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], named_bake)

    assert re.search(r"\d+ passed", result.stdout)
    assert "skipped" not in result.stdout
    assert run([sys.executable, "-m", "django", "--version"], named_bake).stdout.startswith("5.2.")


@bakes("default", "everything-on")
def test_its_own_test_suite_passes_on_django_6(named_bake, django6_python):
    result = run([str(django6_python), "-m", "pytest", "-q", "-p", "no:cacheprovider"], named_bake)

    assert re.search(r"\d+ passed", result.stdout)
    assert "skipped" not in result.stdout


@pytest.mark.xdist_group("everything-on")
def test_everything_on_runs_its_suite_on_the_machines_postgresql_and_redis(everything_on_project):
    env = dotenv(everything_on_project)
    # The test settings take the database of the base settings, named "test_" + its name.
    database = project_settings(everything_on_project, "DATABASES")["DATABASES"]["default"]
    probe = "from django.core.cache import cache; cache.set('probe', 7, 5); print(cache.get('probe'))"

    assert env["DATABASE_URL"].startswith("postgres://postgres@127.0.0.1:5432/")
    assert (database["ENGINE"], database["HOST"], database["PORT"]) == (
        "django.db.backends.postgresql",
        "127.0.0.1",
        5432,
    )
    # The live-server tests count rate limits in CACHE_URL's Redis, which answers.
    assert env["CACHE_URL"] == "redis://127.0.0.1:6379/0"
    assert django_shell(everything_on_project, probe).strip() == "7"


def test_django_6_finds_nothing_to_warn_about_or_migrate(project, django6_python):
    # MAILERS, not the deprecated EMAIL_* settings, so no Python warning at start-up either.
    run([str(django6_python), "-W", "error", "manage.py", "check", "--fail-level", "WARNING"], project)
    manage(project, "makemigrations", "--check", "--dry-run", python=django6_python)


@pytest.mark.xdist_group("custom")
def test_the_custom_description_is_in_the_readme(custom_project):
    readme = (custom_project / "README.md").read_text()

    assert readme.startswith(f"# {CUSTOM_ANSWERS['project_name']}\n")
    assert CUSTOM_ANSWERS["description"] in readme
