"""How the post-generation hook runs Django, as a user meets it on the command line."""

import json
import os
import shlex
import subprocess
import sys
import uuid
from pathlib import Path

import pexpect
import pytest
import uv

from .helpers import cookiecutter_command, django_shell, manage, run

PASSWORD = "violet-granite-sparrow-31"


def clean_env(**extra):
    """The environment without Django settings, superuser passwords or pip configuration."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "PIP_", "UV_"))}
    return {**env, **extra}


def can_log_in(project, email, password):
    code = f"from django.contrib.auth import authenticate; print(authenticate(email={email!r}, password={password!r}))"
    return django_shell(project, code).strip() == email


@pytest.fixture(scope="session")
def bare_python(tmp_path_factory):
    """A Python with cookiecutter and nothing of Django: what `pipx install cookiecutter` gives."""
    venv = tmp_path_factory.mktemp("bare") / "venv"
    uv_bin = uv.find_uv_bin()
    run([uv_bin, "venv", "--quiet", "--python", sys.executable, str(venv)], venv.parent)
    python = venv / "bin" / "python"
    run([uv_bin, "pip", "install", "--quiet", "--python", str(python), "cookiecutter==2.7.1"], venv.parent)
    return python


@pytest.mark.xdist_group("bare")
def test_without_django_the_hook_makes_a_virtualenv_with_uv(bare_python, tmp_path):
    path = os.pathsep.join([str(bare_python.parent), str(Path(uv.find_uv_bin()).parent), "/usr/bin", "/bin"])

    result = run(cookiecutter_command(bare_python, tmp_path), tmp_path, env=clean_env(PATH=path))

    project = tmp_path / "out" / "my_auth_api"
    assert "Installing requirements/local.txt into .venv with uv ..." in result.stdout
    assert (project / "accounts" / "migrations" / "0001_initial.py").exists()
    venv_python = project / ".venv" / "bin" / "python"
    manage(project, "makemigrations", "--check", "--dry-run", python=venv_python)
    run([str(venv_python), "-m", "pytest", "--version"], project)


@pytest.mark.xdist_group("bare")
def test_when_nothing_can_be_installed_the_hook_prints_the_steps_and_keeps_the_project(bare_python, tmp_path):
    # No uv, and a pip that may not look anywhere for packages: the install must fail.
    env = clean_env(PATH=os.pathsep.join([str(bare_python.parent), "/usr/bin", "/bin"]), PIP_NO_INDEX="1")
    env["PIP_CONFIG_FILE"] = os.devnull

    result = run(cookiecutter_command(bare_python, tmp_path), tmp_path, env=env)

    project = tmp_path / "out" / "my_auth_api"
    assert "Could not finish the setup automatically:" in result.stderr
    assert f"To finish it, run in {project}:" in result.stderr
    assert "    .venv/bin/python manage.py makemigrations accounts" in result.stderr.splitlines()
    # The step that failed is named; .venv was made, so making it is not among the steps.
    assert "the step 'install requirements/local.txt into .venv' failed." in result.stderr
    assert "python3 -m venv .venv" not in result.stderr
    assert (project / ".env").exists()
    assert not (project / "accounts" / "migrations" / "0001_initial.py").exists()
    # The project is whole: the listed Django steps work with any Python that has the requirements.
    manage(project, "makemigrations", "accounts")
    manage(project, "migrate", "--no-input")
    manage(project, "check", "--fail-level", "WARNING")


def test_a_superuser_without_a_given_password_gets_one_generated_and_shown_once(tmp_path):
    command = cookiecutter_command(sys.executable, tmp_path, "create_superuser=yes", "superuser_email=Bo@Example.com")

    result = subprocess.run(
        command, env=clean_env(), stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stdout.splitlines() if "generated password" in line]
    password = line.rsplit(": ", 1)[1]
    project = tmp_path / "out" / "my_auth_api"
    assert can_log_in(project, "bo@example.com", password)
    assert result.stdout.count(password) == 1
    # Neither the password nor the secret key is in cookiecutter's replay file.
    [replay] = (tmp_path / "replay").glob("*.json")
    secret_key = (project / ".env").read_text().split("DJANGO_SECRET_KEY=", 1)[1].split()[0]
    assert password not in replay.read_text()
    assert secret_key not in replay.read_text()
    assert json.loads(replay.read_text())["cookiecutter"]["superuser_email"] == "Bo@Example.com"


def test_a_superuser_password_is_asked_for_on_a_terminal(tmp_path):
    command = cookiecutter_command(sys.executable, tmp_path, "create_superuser=yes", "superuser_email=bo@example.com")
    child = pexpect.spawn(command[0], command[1:], env=clean_env(), encoding="utf-8", timeout=120)

    child.expect_exact("Password: ")
    child.sendline(PASSWORD)
    child.expect_exact("Password (again): ")
    child.sendline(PASSWORD)
    child.expect_exact("Superuser created successfully.")
    child.expect(pexpect.EOF)
    child.close()

    assert child.exitstatus == 0
    assert can_log_in(tmp_path / "out" / "my_auth_api", "bo@example.com", PASSWORD)


def test_the_hook_ignores_an_exported_database_url_and_runs_again_safely(tmp_path):
    elsewhere = tmp_path / "elsewhere.sqlite3"
    env = clean_env(DATABASE_URL=f"sqlite:///{elsewhere}", DJANGO_SUPERUSER_PASSWORD=PASSWORD)
    command = cookiecutter_command(sys.executable, tmp_path, "create_superuser=yes", "superuser_email=bo@example.com")
    run(command, tmp_path, env=env)
    project = tmp_path / "out" / "my_auth_api"
    env_file = (project / ".env").read_text()

    again = run([*command, "--overwrite-if-exists"], tmp_path, env=env)

    assert not elsewhere.exists()
    assert can_log_in(project, "bo@example.com", PASSWORD)
    assert "Superuser bo@example.com exists already; it is left as it is." in again.stdout
    assert "Could not finish" not in again.stderr
    assert (project / ".env").read_text() == env_file


def printed_steps(stderr, project):
    """The commands the hook printed to finish the setup by hand."""
    lines = stderr.splitlines()
    after = lines[lines.index(f"To finish it, run in {project}:") + 1 :]
    return [line.strip() for line in after if line.startswith("    ")]


def test_a_postgresql_database_that_does_not_exist_yet_gets_steps_that_finish_the_setup(tmp_path):
    # A database name nobody has used, so the migrate step fails as on a new machine.
    slug = f"recovery_{uuid.uuid4().hex[:12]}"
    answers = ("database=postgresql", f"project_slug={slug}", "create_superuser=yes", "superuser_email=bo@example.com")
    env = clean_env()
    try:
        result = run(cookiecutter_command(sys.executable, tmp_path, *answers), tmp_path, env=env)

        project = tmp_path / "out" / slug
        assert "Could not finish the setup automatically: the step 'migrate the database' failed." in result.stderr
        assert f'database "{slug}" does not exist' in result.stderr
        python = shlex.quote(sys.executable)
        assert f"    Command: {python} manage.py migrate --no-input" in result.stderr.splitlines()
        # The migration was written: the steps start with the database.
        assert (project / "accounts" / "migrations" / "0001_initial.py").exists()
        steps = printed_steps(result.stderr, project)
        assert steps == [
            f"createdb --host=127.0.0.1 --port=5432 --username=postgres {slug}",
            f"{python} manage.py migrate",
            f"{python} manage.py createsuperuser --email=bo@example.com",
        ]

        # Followed literally in a shell; Django asks for the password on a terminal.
        for step in steps[:-1]:
            run(["bash", "-c", step], project, env=env)
        child = pexpect.spawn("bash", ["-c", steps[-1]], cwd=project, env=env, encoding="utf-8", timeout=120)
        for prompt in ("Password: ", "Password (again): "):
            child.expect_exact(prompt)
            child.sendline(PASSWORD)
        child.expect_exact("Superuser created successfully.")
        child.expect(pexpect.EOF)
        child.close()

        assert child.exitstatus == 0
        assert can_log_in(project, "bo@example.com", PASSWORD)
    finally:
        subprocess.run(
            ["dropdb", "--if-exists", "--host=127.0.0.1", "--port=5432", "--username=postgres", slug],
            capture_output=True,
            check=False,
        )
