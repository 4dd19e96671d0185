"""How the post-generation hook runs Django, as a user meets it on the command line."""

import json
import os
import re
import shlex
import subprocess
import sys
import uuid
from pathlib import Path

import pexpect
import pytest
import uv

from .helpers import cookiecutter_command, django_shell, manage, project_env, run

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


@pytest.fixture(scope="session")
def bare_python_with_pip(tmp_path_factory):
    """A Python with cookiecutter and pip, and nothing of Django: what a pip-installed cookiecutter gives."""
    venv = tmp_path_factory.mktemp("bare-with-pip") / "venv"
    uv_bin = uv.find_uv_bin()
    run([uv_bin, "venv", "--quiet", "--seed", "--python", sys.executable, str(venv)], venv.parent)
    python = venv / "bin" / "python"
    run([uv_bin, "pip", "install", "--quiet", "--python", str(python), "cookiecutter==2.7.1"], venv.parent)
    return python


STEP_LINE = re.compile(r"^  (?P<step>\S.*?) +(?P<seconds>\d+\.\d\d) s$")


def printed_step_lines(stdout):
    """The steps the hook printed, without their durations."""
    return [match["step"] for line in stdout.splitlines() if (match := STEP_LINE.match(line))]


def migrated(project, python):
    """Whether every migration is applied to the project's database."""
    check = [str(python), "manage.py", "migrate", "--check"]
    return subprocess.run(check, cwd=project, env=project_env(), capture_output=True, check=False).returncode == 0


@pytest.mark.xdist_group("bare")
def test_without_django_the_hook_makes_a_virtualenv_with_uv(bare_python, tmp_path):
    path = os.pathsep.join([str(bare_python.parent), str(Path(uv.find_uv_bin()).parent), "/usr/bin", "/bin"])

    result = run(cookiecutter_command(bare_python, tmp_path), tmp_path, env=clean_env(PATH=path))

    project = tmp_path / "out" / "my_auth_api"
    assert (
        "  (this Python cannot run the project: ModuleNotFoundError: No module named 'django'; installing into .venv)"
        in result.stdout.splitlines()
    )
    # The test and lint tools install beside Django, which needs only base.txt.
    assert printed_step_lines(result.stdout) == [
        "create .venv",
        "install requirements/base.txt into .venv",
        "start Django (with .venv's Python)",
        "write the first migration",
        "migrate the database",
        "install the rest of requirements/local.txt",
        "make the first git commit",
    ]
    assert "  source .venv/bin/activate" in result.stdout.splitlines()
    venv_python = project / ".venv" / "bin" / "python"
    assert migrated(project, venv_python)
    manage(project, "makemigrations", "--check", "--dry-run", python=venv_python)
    run([str(venv_python), "-m", "pytest", "--version"], project)
    run([str(venv_python), "-m", "pip", "--version"], project)


@pytest.mark.xdist_group("bare")
def test_without_uv_on_path_pip_installs_uv_into_the_virtualenv_first(bare_python_with_pip, tmp_path):
    path = os.pathsep.join([str(bare_python_with_pip.parent), "/usr/bin", "/bin"])

    result = run(cookiecutter_command(bare_python_with_pip, tmp_path), tmp_path, env=clean_env(PATH=path))

    project = tmp_path / "out" / "my_auth_api"
    assert printed_step_lines(result.stdout)[:3] == [
        "create .venv",
        "install uv into .venv with pip",
        "install requirements/base.txt into .venv",
    ]
    run([str(project / ".venv" / "bin" / "python"), "-m", "pytest", "--version"], project)
    venv_python = project / ".venv" / "bin" / "python"
    assert migrated(project, venv_python)
    # pip too, for `make install` and the steps by hand.
    run([str(venv_python), "-m", "pip", "--version"], project)
    run([str(project / ".venv" / "bin" / "uv"), "--version"], project)


@pytest.mark.xdist_group("bare")
def test_when_nothing_can_be_installed_the_hook_prints_the_steps_and_keeps_the_project(bare_python, tmp_path):
    # No uv, and a pip that may not look anywhere for packages: the install must fail.
    env = clean_env(PATH=os.pathsep.join([str(bare_python.parent), "/usr/bin", "/bin"]), PIP_NO_INDEX="1")
    env["PIP_CONFIG_FILE"] = os.devnull

    result = run(cookiecutter_command(bare_python, tmp_path), tmp_path, env=env)

    project = tmp_path / "out" / "my_auth_api"
    assert (
        "Could not finish the setup automatically: the step 'install uv into .venv with pip' failed." in result.stderr
    )
    # .venv was made, with pip (this Python has none to lend): pip installs the rest by hand.
    assert printed_steps(result.stderr, project) == [
        ".venv/bin/python -m pip install -r requirements/local.txt",
        ".venv/bin/python manage.py makemigrations accounts",
        "git init && git add --all && git -c 'user.name=Your Name' -c user.email=you@example.com commit -m "
        "'Bake the project from cookiecutter-django-auth'",
        ".venv/bin/python manage.py migrate",
    ]
    assert (project / ".env").exists()
    assert not (project / "accounts" / "migrations" / "0001_initial.py").exists()
    assert not (project / ".git").exists()
    # The project is whole: the listed Django steps work with any Python that has the requirements.
    manage(project, "makemigrations", "accounts")
    manage(project, "migrate", "--no-input")
    manage(project, "check", "--fail-level", "WARNING")


def test_a_default_bake_says_each_step_with_its_duration_then_the_next_steps(tmp_path):
    # From the shell's folder, `cd` takes the project's relative path.
    result = run(cookiecutter_command(sys.executable, tmp_path), tmp_path, env=clean_env(PWD=str(tmp_path)))

    python = shlex.quote(sys.executable)
    lines = result.stdout.splitlines()
    assert lines[0] == "Setting up my_auth_api:"
    assert printed_step_lines(result.stdout) == [
        f"start Django (with {sys.executable})",
        "write the first migration",
        "migrate the database",
        "make the first git commit",
    ]
    assert lines[5:] == [
        "Next steps:",
        "  cd out/my_auth_api",
        f"  make serve PYTHON={python}   # then open http://127.0.0.1:8000/api/docs/",
        f"  make test PYTHON={python}",
    ]
    assert result.stderr == ""
    # SQLite needs nothing more: the project is migrated, ready to serve.
    assert migrated(tmp_path / "out" / "my_auth_api", sys.executable)


def isolated_git_env(home, **extra):
    """clean_env() with no git configuration at all: no identity, as on a fresh machine."""
    env = clean_env(HOME=str(home), GIT_CONFIG_GLOBAL=str(home / "no-gitconfig"), GIT_CONFIG_NOSYSTEM="1", **extra)
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        env.pop(name, None)
    return env


def git(project, *arguments):
    return run(["git", *arguments], project).stdout


def test_the_first_commit_is_the_authors_and_holds_the_migration_but_no_secret(tmp_path):
    answers = ("author_name=Zoë O'Brien", "email=zoe@example.org")

    run(cookiecutter_command(sys.executable, tmp_path, *answers), tmp_path, env=isolated_git_env(tmp_path))

    project = tmp_path / "out" / "my_auth_api"
    assert git(project, "log", "--format=%an <%ae>|%s").strip() == (
        "Zoë O'Brien <zoe@example.org>|Bake the project from cookiecutter-django-auth"
    )
    tracked = git(project, "ls-files").split()
    assert "accounts/migrations/0001_initial.py" in tracked
    assert {".env", "db.sqlite3"}.isdisjoint(tracked)
    assert git(project, "status", "--porcelain") == ""


def test_a_project_baked_inside_a_work_tree_gets_no_repository_of_its_own(tmp_path):
    outer = tmp_path / "out"
    outer.mkdir()
    run(["git", "init", "--quiet"], outer)

    result = run(cookiecutter_command(sys.executable, tmp_path), tmp_path, env=clean_env())

    assert f"  (no git repository of its own: the project lies in the work tree of {outer})" in result.stdout
    assert not (outer / "my_auth_api" / ".git").exists()


def test_init_git_no_leaves_git_alone(tmp_path):
    result = run(cookiecutter_command(sys.executable, tmp_path, "init_git=no"), tmp_path, env=clean_env())

    assert "make the first git commit" not in result.stdout
    assert "no git repository" not in result.stdout
    assert not (tmp_path / "out" / "my_auth_api" / ".git").exists()


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
    # The project is its own repository already: no second commit, and nothing to say about it.
    assert "make the first git commit" not in again.stdout
    assert "no git repository" not in again.stdout
    assert len(git(project, "log", "--format=%H").split()) == 1


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
