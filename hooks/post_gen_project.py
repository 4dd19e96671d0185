"""Finish the new project: its LICENSE, a .env with fresh secrets, the first
migration, and optionally a superuser.

Django has to run for the last two steps. The hook uses the Python running
cookiecutter when the project already runs with it; otherwise it makes the
project's own .venv (with uv when it is available, else venv and pip) and
installs requirements/local.txt there. Django always runs on the project's own
configuration, its .env, whatever the shell exports. When a step fails the hook
names it and prints the commands that remain, to run by hand.
"""

import json
import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

# Rendered as JSON inside a raw string, so no answer can break this file.
ANSWERS_JSON = r"""{
    "open_source_license": {{ cookiecutter.open_source_license|tojson }},
    "database": {{ cookiecutter.database|tojson }},
    "email_verification": {{ cookiecutter.email_verification|tojson }},
    "use_google_login": {{ cookiecutter.use_google_login|tojson }},
    "use_kakao_login": {{ cookiecutter.use_kakao_login|tojson }},
    "cache": {{ cookiecutter.cache|tojson }},
    "use_docker": {{ cookiecutter.use_docker|tojson }},
    "use_github_actions": {{ cookiecutter.use_github_actions|tojson }},
    "create_superuser": {{ cookiecutter.create_superuser|tojson }},
    "superuser_email": {{ cookiecutter.superuser_email|tojson }}
}"""

# The baked project holds every license text in licenses/, each named by its
# choice; the chosen one becomes LICENSE.
LICENSES_DIR = Path("licenses")
LICENSE_FILE = Path("LICENSE")
NO_LICENSE = "Not open source"

# Lines of .env.example that post-generation fills with a fresh random value.
SECRET_VARIABLES = ("DJANGO_SECRET_KEY",)

# requirements/base.txt and local.txt list the packages of every option, so
# that the template's own requirements.txt can install them unrendered; these go
# when their option is not chosen.
OPTION_PACKAGES = {"postgresql": "psycopg", "redis": "redis", "social": "responses"}
OPTION_REQUIREMENTS = (Path("requirements", "base.txt"), Path("requirements", "local.txt"))

# The baked project holds the files of every option; these go when their option
# is not chosen, so that no whole file needs a Jinja condition around it.
# "social" is any provider's: what Google and Kakao logins share.
OPTION_PATHS: dict[str, tuple[Path, ...]] = {
    "verification": (Path("accounts", "views", "verification.py"), Path("accounts", "tests", "test_verification.py")),
    "social": (
        Path("accounts", "social"),
        Path("accounts", "tests", "social.py"),
        Path("config", "settings", "social.py"),
    ),
    "google": (
        Path("accounts", "social", "google.py"),
        Path("accounts", "tests", "test_google_login.py"),
        Path("config", "settings", "google.py"),
    ),
    "kakao": (
        Path("accounts", "social", "kakao.py"),
        Path("accounts", "tests", "test_kakao_login.py"),
        Path("config", "settings", "kakao.py"),
    ),
    "docker": (Path("Dockerfile"), Path(".dockerignore"), Path("compose.yaml"), Path("config", "healthcheck.py")),
    "github_actions": (Path(".github"),),
}

SETTINGS_MODULE = "config.settings.local"
REQUIREMENTS = Path("requirements", "local.txt")
VENV_PYTHON = Path(".venv", "Scripts", "python.exe") if os.name == "nt" else Path(".venv", "bin", "python")

# A variable .env.example sets or documents (commented out).
ENV_EXAMPLE_VARIABLE = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=", re.MULTILINE)

# The schemes django-environ reads as PostgreSQL.
POSTGRESQL_SCHEMES = frozenset({"postgres", "postgresql", "pgsql", "postgis"})

SUPERUSER_EXISTS = (
    "import os; from accounts.models import User; "
    "print(User.objects.filter(email=User.objects.normalize_email(os.environ['SUPERUSER_EMAIL'])).exists())"
)

# The setup, step by step in the order a person would run it, and what each step does.
STEPS = {
    "virtualenv": "create .venv",
    "install": f"install {REQUIREMENTS.as_posix()} into .venv",
    "makemigrations": "write the first migration",
    "createdb": "create the database",
    "migrate": "migrate the database",
    "createsuperuser": "create the superuser",
}
# Creating a database needs rights on the server that the project may not have: the hook never tries.
BY_HAND_ONLY = frozenset({"createdb"})


class SetupError(Exception):
    """A step of the setup failed: which step, the command that failed, and why."""

    def __init__(self, step: str, command: str, reason: str) -> None:
        super().__init__(f"`{command}` failed: {reason}")
        self.step = step
        self.command = command
        self.reason = reason


def install_license(project_dir: Path, choice: str) -> None:
    """Make the chosen license text the project's LICENSE, and remove licenses/.

    Safe to run again: once licenses/ is gone there is nothing to do, and a
    licenses/ rendered anew (cookiecutter --overwrite-if-exists) replaces
    LICENSE with the chosen text. Without an open-source license, a LICENSE
    that exists is left alone: the hook cannot tell who wrote it.
    """
    licenses = project_dir / LICENSES_DIR
    if not licenses.is_dir():
        return
    if choice != NO_LICENSE:
        (licenses / choice).replace(project_dir / LICENSE_FILE)
    shutil.rmtree(licenses)


def fill_secrets(env_example: str, make_secret: Callable[[], str] = lambda: secrets.token_urlsafe(50)) -> str:
    """Return .env.example's text with every empty secret variable given a value."""
    lines = []
    for line in env_example.splitlines(keepends=True):
        name, separator, value = line.rstrip("\n").partition("=")
        lines.append(f"{name}={make_secret()}\n" if separator and name in SECRET_VARIABLES and not value else line)
    return "".join(lines)


def requirement_name(line: str) -> str | None:
    """The package a requirements line names, lowercased, or None for comments and options."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", line)
    return match[1].lower() if match else None


def chosen_options(answers: Mapping[str, Any]) -> set[str]:
    """The names of the options the answers choose, as OPTION_PACKAGES and OPTION_PATHS know them."""
    providers = {name for name in ("google", "kakao") if answers[f"use_{name}_login"]}
    switches = {
        "social": bool(providers),
        "verification": answers["email_verification"] != "none",
        "docker": answers["use_docker"],
        "github_actions": answers["use_github_actions"],
    }
    return {answers["database"], answers["cache"], *providers, *(name for name, on in switches.items() if on)}


def drop_unchosen_packages(requirements: str, chosen: set[str]) -> str:
    """A requirements file's text without the packages of options not chosen, nor their comment lines."""
    unwanted = {package for option, package in OPTION_PACKAGES.items() if option not in chosen}
    kept: list[str] = []
    for line in requirements.splitlines(keepends=True):
        if requirement_name(line) in unwanted:
            while kept and kept[-1].lstrip().startswith("#"):
                kept.pop()
        else:
            kept.append(line)
    return "".join(kept)


def remove_unchosen_paths(project_dir: Path, chosen: set[str]) -> None:
    """Remove the files and folders of the options not chosen; those already gone are fine."""
    for option, paths in OPTION_PATHS.items():
        if option in chosen:
            continue
        for path in paths:
            target = project_dir / path
            if target.is_dir():
                shutil.rmtree(target)
            else:
                target.unlink(missing_ok=True)


def write_env_file(project_dir: Path) -> bool:
    """Create .env from .env.example unless the project already has one."""
    env_file = project_dir / ".env"
    if env_file.exists():
        return False
    env_file.write_text(fill_secrets((project_dir / ".env.example").read_text()))
    env_file.chmod(0o600)
    return True


def find_uv() -> str | None:
    """The uv executable, on PATH or from the uv package, or None."""
    if found := shutil.which("uv"):
        return found
    try:
        import uv  # noqa: PLC0415 - uv is optional; the hook works without it
    except ImportError:
        return None
    return uv.find_uv_bin()


def run(step: str, command: Sequence[str | Path], project_dir: Path, env: Mapping[str, str] | None = None) -> str:
    """Run one command of a setup step; on failure raise SetupError with its output's last line."""
    shown = shlex.join(map(str, command))
    try:
        result = subprocess.run(command, cwd=project_dir, env=env, capture_output=True, text=True, check=False)
    except OSError as error:
        raise SetupError(step, shown, error.strerror or str(error)) from error
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip().splitlines()
        raise SetupError(step, shown, output[-1] if output else f"exit status {result.returncode}")
    return result.stdout


def create_virtualenv(project_dir: Path, uv: str | None = None) -> Path:
    """Make .venv unless it exists, install the requirements into it, and return its Python."""
    python = project_dir / VENV_PYTHON
    if uv:
        print(f"Installing {REQUIREMENTS} into .venv with uv ...")
        if not python.exists():
            # --seed puts pip in it, so the steps to finish by hand work in this .venv too.
            run("virtualenv", [uv, "venv", "--quiet", "--seed", "--python", sys.executable, ".venv"], project_dir)
        run("install", [uv, "pip", "install", "--quiet", "--python", python, "-r", REQUIREMENTS], project_dir)
    else:
        print(f"Installing {REQUIREMENTS} into .venv with pip (uv would be faster) ...")
        if not python.exists():
            run("virtualenv", [sys.executable, "-m", "venv", ".venv"], project_dir)
        run("install", [python, "-m", "pip", "install", "--quiet", "-r", REQUIREMENTS], project_dir)
    return python


def django_env(project_dir: Path, environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The environment for manage.py: the development settings and the project's .env, not the shell's values.

    Without this an exported DATABASE_URL, say, would receive the migrations
    and the superuser meant for the new project.
    """
    project_variables = set(ENV_EXAMPLE_VARIABLE.findall((project_dir / ".env.example").read_text()))
    env = {name: value for name, value in environ.items() if name not in project_variables}
    return {**env, "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE}


def manage(
    step: str, python: Path, project_dir: Path, *arguments: str, env: Mapping[str, str], interactive: bool = False
) -> str:
    """Run manage.py for a setup step; with interactive, on the terminal, so that Django can prompt."""
    command = [str(python), "manage.py", *arguments]
    if not interactive:
        return run(step, command, project_dir, env=env)
    if subprocess.run(command, cwd=project_dir, env=env, check=False).returncode != 0:
        raise SetupError(step, shlex.join(command), "see Django's message above")
    return ""


def choose_python(project_dir: Path, env: Mapping[str, str]) -> Path:
    """A Python that runs the project: this one if it can, else the project's .venv."""
    try:
        # A failed check means this Python lacks the requirements: install them.
        manage("install", Path(sys.executable), project_dir, "check", env=env)
    except SetupError:
        return create_virtualenv(project_dir, uv=find_uv())
    return Path(sys.executable)


def create_superuser(python: Path, project_dir: Path, email: str, env: Mapping[str, str], interactive: bool) -> None:
    """Migrate, then create the superuser unless it exists.

    The password never passes through cookiecutter's context (its replay file
    keeps answers in plain text): it comes from DJANGO_SUPERUSER_PASSWORD, from
    Django's own prompt, or is generated here and shown once.
    """
    manage("migrate", python, project_dir, "migrate", "--no-input", env=env)
    exists = ("shell", "--verbosity", "0", "--command", SUPERUSER_EXISTS)
    answer = manage("createsuperuser", python, project_dir, *exists, env={**env, "SUPERUSER_EMAIL": email})
    if answer.strip() == "True":
        print(f"Superuser {email} exists already; it is left as it is.")
        return
    create = ("createsuperuser", f"--email={email}")
    if env.get("DJANGO_SUPERUSER_PASSWORD"):
        manage("createsuperuser", python, project_dir, *create, "--no-input", env=env)
        print(f"Superuser {email} created with the password in DJANGO_SUPERUSER_PASSWORD.")
    elif interactive:
        print(f"Choose a password for the superuser {email}:")
        manage("createsuperuser", python, project_dir, *create, env=env, interactive=True)
    else:
        password = secrets.token_urlsafe(16)
        env_with_password = {**env, "DJANGO_SUPERUSER_PASSWORD": password}
        manage("createsuperuser", python, project_dir, *create, "--no-input", env=env_with_password)
        print(f"Superuser {email} created; its generated password, shown only this once: {password}")


def env_file_value(env_text: str, name: str) -> str | None:
    """The value a .env file gives a variable (the last assignment wins), or None."""
    assignment = re.compile(rf"^\s*(?:export\s+)?{re.escape(name)}\s*=\s*(.*?)\s*$", re.MULTILINE)
    values = assignment.findall(env_text)
    if not values:
        return None
    value: str = values[-1]
    quoted = len(value) > 1 and value[0] == value[-1] and value[0] in "'\""
    return value[1:-1] if quoted else value


def createdb_command(database_url: str | None) -> str | None:
    """The createdb command for the PostgreSQL database a URL names, without its password; None for others."""
    if not database_url:
        return None
    url = urllib.parse.urlsplit(database_url)
    name = urllib.parse.unquote(url.path.lstrip("/"))
    if url.scheme not in POSTGRESQL_SCHEMES or not name:
        return None
    try:
        port = url.port
    except ValueError:  # a port that is not a number: leave it to libpq's default
        port = None
    options = []
    if url.hostname:
        options.append(f"--host={url.hostname}")
    if port:
        options.append(f"--port={port}")
    if url.username:
        options.append(f"--username={urllib.parse.unquote(url.username)}")
    return shlex.join(["createdb", *options, name])


def shown_python(python: Path, project_dir: Path) -> str:
    """How the steps to run by hand name a Python: .venv's relative to the project, any other by its full path."""
    if python == project_dir / VENV_PYTHON:
        return VENV_PYTHON.as_posix()
    return shlex.quote(str(python))


def manual_steps(
    failed_step: str, python: str, createdb: str | None = None, create_superuser_email: str | None = None
) -> list[str]:
    """The commands that finish the setup by hand, from the step that failed on.

    python names the Python that runs the project; until .venv is installed,
    that is .venv's. createdb is the command that creates a PostgreSQL
    database, which must exist before migrate.
    """
    commands = {
        "virtualenv": "python3 -m venv .venv",
        "install": f"{VENV_PYTHON.as_posix()} -m pip install -r {REQUIREMENTS.as_posix()}",
        "makemigrations": f"{python} manage.py makemigrations accounts",
        "createdb": createdb,
        "migrate": f"{python} manage.py migrate",
        "createsuperuser": (
            f"{python} manage.py createsuperuser --email={shlex.quote(create_superuser_email)}"
            if create_superuser_email
            else None
        ),
    }
    order = list(STEPS)
    start = order.index(failed_step)
    # The steps the hook leaves to people (createdb) come before the failed step when they precede it.
    while start > 0 and order[start - 1] in BY_HAND_ONLY:
        start -= 1
    return [command for step in order[start:] if (command := commands[step])]


def failure_report(error: SetupError, project_dir: Path, steps: Sequence[str]) -> str:
    """What the hook says when a step failed: which one and why, then what to run by hand."""
    lines = [
        f"Could not finish the setup automatically: the step '{STEPS[error.step]}' failed.",
        f"    Command: {error.command}",
        f"    Error: {error.reason}",
        f"To finish it, run in {project_dir}:",
        *(f"    {step}" for step in steps),
    ]
    return "\n".join(lines)


def main() -> int:
    answers = json.loads(ANSWERS_JSON)
    project_dir = Path.cwd()
    superuser_email = answers["superuser_email"] if answers["create_superuser"] else None

    install_license(project_dir, answers["open_source_license"])
    chosen = chosen_options(answers)
    remove_unchosen_paths(project_dir, chosen)
    for requirements in OPTION_REQUIREMENTS:
        path = project_dir / requirements
        path.write_text(drop_unchosen_packages(path.read_text(), chosen))
    write_env_file(project_dir)
    env = django_env(project_dir)
    python = project_dir / VENV_PYTHON
    try:
        python = choose_python(project_dir, env)
        print(manage("makemigrations", python, project_dir, "makemigrations", "accounts", env=env).strip())
        if superuser_email:
            create_superuser(python, project_dir, superuser_email, env, sys.stdin.isatty())
    except SetupError as error:
        createdb = createdb_command(env_file_value((project_dir / ".env").read_text(), "DATABASE_URL"))
        steps = manual_steps(error.step, shown_python(python, project_dir), createdb, superuser_email)
        print(failure_report(error, project_dir, steps), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
