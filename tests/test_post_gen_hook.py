import stat
import sys
from pathlib import Path

import pytest


def test_fill_secrets_fills_only_empty_secret_lines(post_gen):
    example = "# DJANGO_SECRET_KEY= in a comment\nDJANGO_SECRET_KEY=\nDJANGO_DEBUG=True\nOTHER=\n"

    filled = post_gen.fill_secrets(example, make_secret=lambda: "s3cr3t")

    assert filled == "# DJANGO_SECRET_KEY= in a comment\nDJANGO_SECRET_KEY=s3cr3t\nDJANGO_DEBUG=True\nOTHER=\n"


def test_fill_secrets_makes_a_fresh_url_safe_secret_each_time(post_gen):
    first, second = (post_gen.fill_secrets("DJANGO_SECRET_KEY=\n") for _ in range(2))

    assert first != second
    secret = first.strip().split("=", 1)[1]
    assert len(secret) >= 50
    assert set(secret) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


REQUIREMENTS = """Django>=5.2
# Argon2.
argon2-cffi>=23.1
# PostgreSQL's driver.
psycopg[binary]>=3.2,<4
redis>=5
"""


def test_sqlite_projects_lose_the_postgresql_driver_and_its_comment(post_gen):
    kept = post_gen.drop_unchosen_packages(REQUIREMENTS, "sqlite")

    assert kept == "Django>=5.2\n# Argon2.\nargon2-cffi>=23.1\nredis>=5\n"


def test_postgresql_projects_keep_every_package(post_gen):
    assert post_gen.drop_unchosen_packages(REQUIREMENTS, "postgresql") == REQUIREMENTS


@pytest.mark.parametrize(
    ("line", "name"),
    [("psycopg[binary]>=3.2", "psycopg"), ("Django>=5.2", "django"), ("# psycopg", None), ("-r base.txt", None)],
)
def test_requirement_name(post_gen, line, name):
    assert post_gen.requirement_name(line) == name


def test_write_env_file_creates_a_private_env_once(post_gen, tmp_path):
    (tmp_path / ".env.example").write_text("DJANGO_SECRET_KEY=\n")

    assert post_gen.write_env_file(tmp_path) is True
    first = (tmp_path / ".env").read_text()
    assert first.startswith("DJANGO_SECRET_KEY=") and first != "DJANGO_SECRET_KEY=\n"
    assert stat.S_IMODE((tmp_path / ".env").stat().st_mode) == 0o600

    # Running the hook again (cruft update) keeps the existing secrets.
    assert post_gen.write_env_file(tmp_path) is False
    assert (tmp_path / ".env").read_text() == first


def test_django_env_drops_the_shells_project_variables(post_gen, tmp_path):
    (tmp_path / ".env.example").write_text("DJANGO_SECRET_KEY=\n# DATABASE_URL=postgres://...\nEMAIL_URL=x\n")
    shell = {
        "PATH": "/usr/bin",
        "DATABASE_URL": "postgres://elsewhere/db",
        "EMAIL_URL": "smtp://elsewhere",
        "DJANGO_SETTINGS_MODULE": "other.settings",
        "DJANGO_SUPERUSER_PASSWORD": "kept",
    }

    assert post_gen.django_env(tmp_path, shell) == {
        "PATH": "/usr/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_SUPERUSER_PASSWORD": "kept",
    }


@pytest.mark.xdist_group("default")
def test_choose_python_prefers_the_running_interpreter(post_gen, default_project):
    env = post_gen.django_env(default_project)

    assert post_gen.choose_python(default_project, env) == Path(sys.executable)
    assert not (default_project / ".venv").exists()


def test_run_raises_setup_error_with_the_last_line_of_output(post_gen, tmp_path):
    with pytest.raises(post_gen.SetupError, match="failed: boom"):
        post_gen.run([sys.executable, "-c", "import sys; sys.exit('first\\nboom')"], tmp_path)


def test_run_reports_a_missing_program(post_gen, tmp_path):
    with pytest.raises(post_gen.SetupError, match="no-such-program"):
        post_gen.run(["no-such-program"], tmp_path)


def test_manual_steps_say_what_to_run(post_gen):
    steps = post_gen.manual_steps()

    assert steps == [
        "python3 -m venv .venv",
        ".venv/bin/python -m pip install -r requirements/local.txt",
        ".venv/bin/python manage.py makemigrations accounts",
        ".venv/bin/python manage.py migrate",
    ]
    with_superuser = post_gen.manual_steps("a@example.com")
    assert with_superuser == [*steps, ".venv/bin/python manage.py createsuperuser --email=a@example.com"]
    # An address is quoted for the shell: pasting the step must not run anything.
    assert post_gen.manual_steps("-a$(id)@example.com")[-1].endswith("--email='-a$(id)@example.com'")
