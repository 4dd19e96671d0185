import importlib.metadata
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


def test_write_env_file_creates_a_private_env_once(post_gen, tmp_path):
    (tmp_path / ".env.example").write_text("DJANGO_SECRET_KEY=\n")

    assert post_gen.write_env_file(tmp_path) is True
    first = (tmp_path / ".env").read_text()
    assert first.startswith("DJANGO_SECRET_KEY=") and first != "DJANGO_SECRET_KEY=\n"
    assert stat.S_IMODE((tmp_path / ".env").stat().st_mode) == 0o600

    # Running the hook again (cruft update) keeps the existing secrets.
    assert post_gen.write_env_file(tmp_path) is False
    assert (tmp_path / ".env").read_text() == first


@pytest.mark.parametrize(
    ("version", "specifiers", "ok"),
    [
        ("5.2.19", ">=5.2.19,<6.2", True),
        ("6.1.3", ">=5.2.19,<6.2", True),
        ("6.2", ">=5.2.19,<6.2", False),
        ("5.2.3", ">=5.2.19,<6.2", False),
        ("6.2rc1", "<6.2", False),
        ("0.17.6", "==0.17.6", True),
        ("0.17.7", "==0.17.6", False),
        ("3.18.3", "~=3.18", True),
        ("4.0", "~=3.18", False),
        ("1.0", "", True),
    ],
)
def test_satisfies(post_gen, version, specifiers, ok):
    assert post_gen.satisfies(version, specifiers) is ok


def test_read_requirements_follows_includes(post_gen, tmp_path):
    (tmp_path / "base.txt").write_text("# runtime\nDjango>=5.2,<6.2\ndjango-allauth[socialaccount]>=65  # comment\n")
    (tmp_path / "local.txt").write_text("-r base.txt\nruff==0.17.6\n\n")

    assert post_gen.read_requirements(tmp_path / "local.txt") == [
        ("Django", ">=5.2,<6.2"),
        ("django-allauth", ">=65"),
        ("ruff", "==0.17.6"),
    ]


def test_missing_requirements_names_absent_and_unsuitable_packages(post_gen):
    installed = {"Django": "5.1.4", "ruff": "0.17.6"}

    def installed_version(name):
        try:
            return installed[name]
        except KeyError:
            raise importlib.metadata.PackageNotFoundError(name) from None

    requirements = [("Django", ">=5.2,<6.2"), ("ruff", "==0.17.6"), ("dj-rest-auth", ">=7.2")]

    assert post_gen.missing_requirements(requirements, installed_version) == [
        "Django 5.1.4 (needs >=5.2,<6.2)",
        "dj-rest-auth",
    ]


def test_the_template_test_environment_has_every_runtime_requirement(post_gen):
    # So the hook bakes without creating a virtualenv here: the tests rely on it.
    requirements = post_gen.read_requirements(
        Path(__file__).parent.parent / "{{cookiecutter.project_slug}}" / "requirements" / "base.txt"
    )

    assert post_gen.missing_requirements(requirements) == []


@pytest.mark.xdist_group("default")
def test_choose_python_prefers_the_running_interpreter(post_gen, default_project):
    assert post_gen.choose_python(default_project) == Path(sys.executable)


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
    assert with_superuser == [*steps, ".venv/bin/python manage.py createsuperuser --email a@example.com"]
