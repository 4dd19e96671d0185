"""Finish the new project: its LICENSE, a .env with fresh secrets, the first
migration, a migrated database, optionally a superuser, and a first git commit.

Django starts once, in one process that writes the migration, migrates and
creates the superuser: with the Python running cookiecutter when that Python
runs the project, else with the project's own .venv, which the hook makes and
fills with uv (installed there by pip when uv is not on PATH): base.txt first,
the test and lint tools of local.txt beside Django. The first commit, too, is
made beside Django. Django always runs on the project's own configuration, its
.env, whatever the shell exports. Each step is printed with its duration; when
one fails, the hook names it, its command, and the commands that remain, to run
by hand. The next steps close the output.
"""

import gc
import importlib
import io
import json
import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import concurrent.futures

Result = TypeVar("Result")

# Rendered as JSON inside a raw string, so no answer can break this file.
# cruft adds _commit to the answers; cookiecutter alone does not.
ANSWERS_JSON = r"""{
    "project_name": {{ cookiecutter.project_name|tojson }},
    "author_name": {{ cookiecutter.author_name|tojson }},
    "email": {{ cookiecutter.email|tojson }},
    "open_source_license": {{ cookiecutter.open_source_license|tojson }},
    "database": {{ cookiecutter.database|tojson }},
    "email_verification": {{ cookiecutter.email_verification|tojson }},
    "use_google_login": {{ cookiecutter.use_google_login|tojson }},
    "use_kakao_login": {{ cookiecutter.use_kakao_login|tojson }},
    "cache": {{ cookiecutter.cache|tojson }},
    "use_docker": {{ cookiecutter.use_docker|tojson }},
    "use_github_actions": {{ cookiecutter.use_github_actions|tojson }},
    "init_git": {{ cookiecutter.init_git|tojson }},
    "create_superuser": {{ cookiecutter.create_superuser|tojson }},
    "superuser_email": {{ cookiecutter.superuser_email|tojson }},
    "cruft_commit": {{ cookiecutter.get("_commit")|tojson }}
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
# What the project runs on, and what it is developed with besides (which includes base.txt).
BASE_REQUIREMENTS = Path("requirements", "base.txt")
REQUIREMENTS = Path("requirements", "local.txt")
VENV_BIN = Path(".venv", "Scripts") if os.name == "nt" else Path(".venv", "bin")
VENV_PYTHON = VENV_BIN / ("python.exe" if os.name == "nt" else "python")
VENV_PIP = VENV_BIN / ("pip.exe" if os.name == "nt" else "pip")
VENV_UV = VENV_BIN / ("uv.exe" if os.name == "nt" else "uv")
ACTIVATE = r".venv\Scripts\activate" if os.name == "nt" else "source .venv/bin/activate"
# The first pip that can install into another environment (pip --python).
PIP_WITH_PYTHON_OPTION = (22, 3)
DOCS_URL = "http://127.0.0.1:8000/api/docs/"

# A variable .env.example sets or documents (commented out).
ENV_EXAMPLE_VARIABLE = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=", re.MULTILINE)

# The schemes django-environ reads as PostgreSQL.
POSTGRESQL_SCHEMES = frozenset({"postgres", "postgresql", "pgsql", "postgis"})

# The setup, step by step in the order a person would run it, and what each step does.
STEPS = {
    "virtualenv": "create .venv",
    "uv": "install uv into .venv with pip",
    "install": f"install {BASE_REQUIREMENTS.as_posix()} into .venv",
    "tools": f"install the rest of {REQUIREMENTS.as_posix()}",
    "django": "start Django",
    "makemigrations": "write the first migration",
    "git": "make the first git commit",
    "createdb": "create the database",
    "migrate": "migrate the database",
    "createsuperuser": "create the superuser",
}
# Creating a database needs rights on the server that the project may not have: the hook never tries.
BY_HAND_ONLY = frozenset({"createdb"})
# The steps that one Django process runs, in order; and the manage.py command each stands for.
DJANGO_STEPS = ("makemigrations", "migrate", "createsuperuser")
MANAGE_COMMANDS = {
    "django": ("check",),
    "makemigrations": ("makemigrations", "accounts"),
    "migrate": ("migrate", "--no-input"),
    "createsuperuser": ("createsuperuser", "--no-input"),
}
# How the hook calls itself in the project's Python to run the Django steps there.
DJANGO_STEPS_ARGUMENT = "--django-steps"

FIRST_COMMIT_MESSAGE = "Bake the project from cookiecutter-django-auth"

# cruft update renders the old and the new template, hooks included, into
# directories that tempfile.TemporaryDirectory() made, only to compare them
# (https://github.com/cruft/cruft/issues/143 asks for a better way to tell).
PYTHON_TEMPORARY_DIRECTORY = re.compile(r"tmp[a-z0-9_]{8}")


class SetupError(Exception):
    """A step of the setup failed: which step, the command that failed, and why."""

    def __init__(self, step: str, command: str, reason: str) -> None:
        super().__init__(f"`{command}` failed: {reason}")
        self.step = step
        self.command = command
        self.reason = reason


class MissingRequirementsError(Exception):
    """The Python tried cannot run the project: it lacks some of the requirements."""


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


def is_cruft_render(project_dir: Path, cruft_commit: str | None, temporary_root: Path | None = None) -> bool:
    """Whether this is one of the throwaway renders of `cruft update` (or `cruft diff`), not a project.

    cruft renders the project into a directory that Python's tempfile made,
    right inside the temporary root; `cruft create`, like cookiecutter,
    renders where it is told.
    """
    if not cruft_commit:
        return False
    root = (temporary_root or Path(tempfile.gettempdir())).resolve()
    parent = project_dir.resolve().parent
    return parent.parent == root and PYTHON_TEMPORARY_DIRECTORY.fullmatch(parent.name) is not None


def find_uv() -> str | None:
    """The uv executable, on PATH or from the uv package, or None."""
    if found := shutil.which("uv"):
        return found
    try:
        import uv  # noqa: PLC0415 - uv is optional; the hook works without it
    except ImportError:
        return None
    return uv.find_uv_bin()


def pip_can_install_elsewhere(version: str | None = None) -> bool:
    """Whether this Python's pip can install into another environment (`pip --python`, pip 22.3+)."""
    if version is None:
        import importlib.metadata  # noqa: PLC0415 - only this rare path needs it; Django's process imports this file

        try:
            version = importlib.metadata.version("pip")
        except importlib.metadata.PackageNotFoundError:
            return False
    numbers = tuple(int(part) for part in re.findall(r"\d+", version)[:2])
    return numbers >= PIP_WITH_PYTHON_OPTION


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


def timed(step: str, report: Callable[[str, float], None], action: Callable[[], object]) -> None:
    """Run one step and report how long it took."""
    started = time.perf_counter()
    action()
    report(step, time.perf_counter() - started)


def install_requirements(project_dir: Path, uv: str | None, report: Callable[[str, float], None]) -> tuple[str, Path]:
    """Make .venv unless it exists and install what the project runs on; return the uv and Python to go on with.

    Without uv on PATH, pip installs uv into .venv first: that and uv take a
    few seconds where pip alone takes some twenty. .venv always gets pip, so
    that the steps to finish by hand and `make install` work in it too.
    """
    python = project_dir / VENV_PYTHON
    made = python.exists()
    if uv:
        if not made:
            create = [uv, "venv", "--quiet", "--seed", "--python", sys.executable, ".venv"]
            timed("virtualenv", report, lambda: run("virtualenv", create, project_dir))
        packages: list[str | Path] = []
    else:
        uv = str(project_dir / VENV_UV)
        borrow_pip = pip_can_install_elsewhere()
        if not made:
            # This pip can fill .venv from outside, which saves ensurepip's seconds.
            without_pip = ["--without-pip"] if borrow_pip else []
            create = [sys.executable, "-m", "venv", *without_pip, ".venv"]
            timed("virtualenv", report, lambda: run("virtualenv", create, project_dir))
        pip: list[str | Path] = (
            [sys.executable, "-m", "pip", "--python", python] if borrow_pip else [python, "-m", "pip"]
        )
        timed("uv", report, lambda: run("uv", [*pip, "install", "--quiet", "uv"], project_dir))
        packages = ["pip"]
    install = [uv, "pip", "install", "--quiet", "--python", python, *packages, "-r", BASE_REQUIREMENTS]
    timed("install", report, lambda: run("install", install, project_dir))
    return uv, python


def install_the_rest(project_dir: Path, uv: str, python: Path, *, keep_installed: bool) -> float:
    """Install the rest of local.txt (the test and lint tools); return the seconds it took.

    With keep_installed, the versions installed already are constraints, so
    that this can run while Django runs on them.
    """
    started = time.perf_counter()
    install: list[str | Path] = [uv, "pip", "install", "--quiet", "--python", python, "-r", REQUIREMENTS]
    if not keep_installed:
        run("tools", install, project_dir)
        return time.perf_counter() - started
    installed = run("tools", [uv, "pip", "freeze", "--python", python], project_dir)
    with tempfile.TemporaryDirectory() as scratch:
        constraints = Path(scratch, "installed.txt")
        constraints.write_text(installed)
        run("tools", [*install, "--constraint", constraints], project_dir)
    return time.perf_counter() - started


def django_env(project_dir: Path, environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The environment for Django: the development settings and the project's .env, not the shell's values.

    Without this an exported DATABASE_URL, say, would receive the migrations
    and the superuser meant for the new project.
    """
    project_variables = set(ENV_EXAMPLE_VARIABLE.findall((project_dir / ".env.example").read_text()))
    env = {name: value for name, value in environ.items() if name not in project_variables}
    # No bytecode caches: the new project holds its own files, .env and the database, nothing else.
    return {**env, "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE, "PYTHONDONTWRITEBYTECODE": "1"}


def manage_command(python: str, step: str, superuser_email: str | None = None) -> str:
    """The manage.py command line that a Django step of the hook stands for."""
    arguments = list(MANAGE_COMMANDS[step])
    if step == "createsuperuser" and superuser_email:
        arguments.append(f"--email={superuser_email}")
    return shlex.join([python, "manage.py", *arguments])


def error_summary(error: BaseException) -> str:
    """An exception as one line: its type and message."""
    message = " ".join(str(error).split())
    name = f"{type(error).__module__}.{type(error).__qualname__}".removeprefix("builtins.")
    return f"{name}: {message}" if message else name


def emit(event: Mapping[str, object]) -> None:
    """Tell the hook about a step: one JSON object per line on stdout."""
    print(json.dumps(event), flush=True)


def run_django_steps(plan: Mapping[str, Any]) -> None:
    """In the project's Python: start Django once and run the planned steps, each reported by emit().

    Django's own output is kept back; an exception ends the steps and is
    reported as that step's error. A failure to start because a requirement
    is missing is reported as such, so that the hook can install them.
    """
    sys.path.insert(0, str(Path.cwd()))
    try:
        import django  # noqa: PLC0415 - Django may be missing; that is what this finds out
        from django.db import connections  # noqa: PLC0415

        django.setup()
        connections["default"]  # loads the database driver, which may be missing
    except Exception as error:  # any failure to start is reported, never raised
        missing = isinstance(error, ImportError) or isinstance(error.__cause__, ImportError)
        emit({"step": "django", "error": error_summary(error), "missing": missing})
        return
    emit({"step": "django"})

    from django.contrib.auth import get_user_model  # noqa: PLC0415
    from django.core.management import call_command  # noqa: PLC0415

    output = io.StringIO()
    for step in plan["steps"]:
        try:
            if step == "makemigrations":
                call_command("makemigrations", "accounts", stdout=output, stderr=output)
                importlib.invalidate_caches()  # so that migrate finds the file just written
                emit({"step": step})
            elif step == "migrate":
                call_command("migrate", interactive=False, stdout=output, stderr=output)
                emit({"step": step})
            elif step == "createsuperuser":
                # The project's manager spells addresses as the project stores them.
                users: Any = get_user_model()._default_manager
                email = plan["superuser_email"]
                if users.filter(email=users.normalize_email(email)).exists():
                    emit({"step": step, "outcome": "exists"})
                elif plan["prompt"]:
                    emit({"step": step, "outcome": "prompt"})
                else:
                    call_command("createsuperuser", interactive=False, email=email, stdout=output, stderr=output)
                    emit({"step": step, "outcome": "created"})
        except Exception as error:  # the hook reports it, with the steps that remain
            emit({"step": step, "error": error_summary(error)})
            break
    connections.close_all()  # SQLite folds its write-ahead log into the database file


def django_events(process: "subprocess.Popen[str]") -> Iterator[dict[str, Any]]:
    """The events the Django process reports, as they come; lines that are not events are skipped."""
    if process.stdout is None:
        return
    for line in process.stdout:
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict) and "step" in event:
            yield event


@dataclass
class DjangoRun:
    """What the Django process did: the steps it finished, and the superuser's outcome."""

    done: list[str] = field(default_factory=list)
    superuser: str | None = None


def run_django(
    python: Path,
    project_dir: Path,
    env: Mapping[str, str],
    plan: Mapping[str, Any],
    report: Callable[[str, float], None],
) -> DjangoRun:
    """Run the planned Django steps in one process of `python`, reporting each step as it ends.

    Raises MissingRequirementsError when `python` cannot run the project, and
    SetupError for the first step that fails.
    """
    shown = shown_python(python, project_dir)
    command = [str(python), __file__, DJANGO_STEPS_ARGUMENT, json.dumps(plan)]
    result = DjangoRun()
    started = time.perf_counter()
    with tempfile.TemporaryFile(mode="w+") as errors:
        try:
            process = subprocess.Popen(
                command, cwd=project_dir, env=env, stdout=subprocess.PIPE, stderr=errors, text=True
            )
        except OSError as error:
            raise SetupError("django", manage_command(shown, "django"), error.strerror or str(error)) from error
        with process:
            for event in django_events(process):
                step = event["step"]
                if "error" in event:
                    process.wait()
                    if event.get("missing"):
                        raise MissingRequirementsError(event["error"])
                    email = plan.get("superuser_email")
                    raise SetupError(step, manage_command(shown, step, email), event["error"])
                now = time.perf_counter()
                report(step, now - started)
                started = now
                result.done.append(step)
                result.superuser = event.get("outcome", result.superuser)
        expected = ["django", *plan["steps"]]
        if result.done != expected:
            errors.seek(0)
            lines = errors.read().strip().splitlines()
            step = expected[len(result.done)]
            reason = lines[-1] if lines else f"exit status {process.returncode}"
            raise SetupError(step, manage_command(shown, step, plan.get("superuser_email")), reason)
    return result


def git_steps(author_name: str, email: str) -> list[list[str]]:
    """The commands that make the project a git repository with a first commit.

    The commit is the answers' author's, so it needs no identity configured in git.
    """
    identity = ["-c", f"user.name={author_name}", "-c", f"user.email={email}"]
    return [["git", "init"], ["git", "add", "--all"], ["git", *identity, "commit", "-m", FIRST_COMMIT_MESSAGE]]


def work_tree_around(project_dir: Path) -> Path | None:
    """The git work tree the project lies in, if it lies in one (or git is not installed: None)."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=project_dir, capture_output=True, text=True, check=False
        )
    except OSError:
        return None
    return Path(result.stdout.strip()) if result.returncode == 0 else None


def make_first_commit(project_dir: Path, author_name: str, email: str) -> float:
    """git init, add everything that .gitignore does not exclude, and commit; return the seconds it took."""
    started = time.perf_counter()
    init, add, commit = git_steps(author_name, email)
    # A signing key or hooks in the person's git configuration could stop an unattended commit to ask.
    unattended_commit = [commit[0], "-c", "commit.gpgsign=false", *commit[1:], "--no-verify"]
    for command in (init, add, unattended_commit):
        run("git", command, project_dir)
    return time.perf_counter() - started


def shown_python(python: Path, project_dir: Path) -> str:
    """How the steps to run by hand name a Python: .venv's relative to the project, any other by its full path."""
    if python == project_dir / VENV_PYTHON:
        return VENV_PYTHON.as_posix()
    return shlex.quote(str(python))


def shown_directory(project_dir: Path, start: str | None) -> str:
    """The project folder as `cd` takes it from the shell's folder: relative inside it, else in full."""
    if start and project_dir.is_relative_to(start):
        return shlex.quote(os.path.relpath(project_dir, start))
    return shlex.quote(str(project_dir))


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


def step_commands(
    python: str, createdb: str | None = None, superuser_email: str | None = None, git: Sequence[Sequence[str]] = ()
) -> dict[str, str | None]:
    """The command that does each step by hand, or None for a step that has none or is not wanted.

    python names the Python that runs the project; until .venv is installed,
    that is .venv's. createdb is the command that creates a PostgreSQL
    database, which must exist before migrate. git holds the commands of the
    first commit, when one is wanted.
    """
    return {
        "virtualenv": "python3 -m venv .venv",
        "uv": None,  # by hand, pip installs the requirements itself
        "install": f"{VENV_PYTHON.as_posix()} -m pip install -r {REQUIREMENTS.as_posix()}",
        "tools": None,  # the install by hand above takes all of local.txt
        "django": None,
        "makemigrations": f"{python} manage.py makemigrations accounts",
        "git": " && ".join(map(shlex.join, git)) or None,
        "createdb": createdb,
        "migrate": f"{python} manage.py migrate",
        "createsuperuser": (
            f"{python} manage.py createsuperuser --email={shlex.quote(superuser_email)}" if superuser_email else None
        ),
    }


def manual_steps(failed_step: str, commands: Mapping[str, str | None], venv_has_pip: bool = True) -> list[str]:
    """The commands that finish the setup by hand, from the step that failed on.

    A .venv without pip is made whole again by `python3 -m venv .venv`, so
    that pip can fill it.
    """
    order = list(STEPS)
    start = order.index(failed_step)
    if failed_step in {"uv", "install"} and not venv_has_pip:
        start = order.index("virtualenv")
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


def step_line(step: str, seconds: float, note: str = "") -> str:
    """One line of the hook's progress: what a step did, and how long it took."""
    description = f"{STEPS[step]} ({note})" if note else STEPS[step]
    return f"  {description:<52} {seconds:5.2f} s"


def next_steps(directory: str, python: str | None, cruft: bool) -> list[str]:
    """The commands that take the new project from here: python is None when it has its own .venv."""
    use_python = f" PYTHON={python}" if python else ""
    lines = ["Next steps:", f"  cd {directory}"]
    if python is None:
        lines.append(f"  {ACTIVATE}")
    if cruft:
        lines.append("  git add .cruft.json && git commit -m 'Track the template with cruft'")
    lines += [f"  make serve{use_python}   # then open {DOCS_URL}", f"  make test{use_python}"]
    return lines


def in_a_thread(action: "Callable[[], Result]") -> "concurrent.futures.Future[Result]":
    """Start a function in a thread of its own; its future gives what it returns, or raises what it raised."""
    import concurrent.futures  # noqa: PLC0415 - Django's process, which imports this file too, needs no threads

    executor = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    future = executor.submit(action)
    executor.shutdown(wait=False)
    return future


@dataclass
class Setup:
    """The steps that make the new project ready to serve, and what the hook prints of them.

    Steps that need neither each other nor the database run in threads beside
    Django: the first commit, once the migration is written, and the install
    of the test and lint tools, once Django's own requirements are in .venv.
    """

    project_dir: Path
    answers: Mapping[str, Any]
    env: dict[str, str]
    interactive: bool
    # The git work tree the project lies in, if any, as git finds it beside Django's start.
    work_tree: "concurrent.futures.Future[Path | None] | None" = None
    python: Path = field(default_factory=lambda: Path(sys.executable))
    password: str | None = None
    background: dict[str, "concurrent.futures.Future[float]"] = field(default_factory=dict)
    # What to do again, after Django, when a step beside it fails.
    retries: dict[str, Callable[[], float]] = field(default_factory=dict)

    @property
    def superuser_email(self) -> str | None:
        return self.answers["superuser_email"] if self.answers["create_superuser"] else None

    @property
    def around(self) -> Path | None:
        """The git work tree the project lies in, or None."""
        return self.work_tree.result() if self.work_tree else None

    @property
    def commit(self) -> bool:
        """Whether the hook makes a first commit: asked for, and not inside a work tree already."""
        return bool(self.answers["init_git"]) and self.around is None

    def plan(self) -> dict[str, Any]:
        """What the Django process does: its steps, and whether the superuser's password is asked for."""
        steps = list(DJANGO_STEPS if self.superuser_email else DJANGO_STEPS[:-1])
        prompt = bool(self.superuser_email) and not self.env.get("DJANGO_SUPERUSER_PASSWORD") and self.interactive
        return {"steps": steps, "superuser_email": self.superuser_email, "prompt": prompt}

    def report(self, step: str, seconds: float) -> None:
        note = ""
        if step == "django":
            note = "with .venv's Python" if self.python == self.project_dir / VENV_PYTHON else f"with {self.python}"
        print(step_line(step, seconds, note), flush=True)
        if step == "makemigrations" and self.commit:
            author = (self.answers["author_name"], self.answers["email"])
            self.start_beside("git", lambda: make_first_commit(self.project_dir, *author))

    def start_beside(self, step: str, action: Callable[[], float]) -> None:
        """Run a step in a thread of its own, beside Django."""
        self.background[step] = in_a_thread(action)

    def finish_beside(self) -> list[SetupError]:
        """Wait for the steps beside Django; report each, and return those that failed."""
        failures = []
        for step, future in self.background.items():
            try:
                seconds = future.result()
            except SetupError as error:
                if step not in self.retries:
                    failures.append(error)
                    continue
                try:
                    seconds = self.retries[step]()
                except SetupError as again:
                    failures.append(again)
                    continue
            print(step_line(step, seconds), flush=True)
        return failures

    def run(self) -> DjangoRun:
        """Run Django with this Python, or with .venv's once the requirements are installed there."""
        if self.superuser_email and not self.env.get("DJANGO_SUPERUSER_PASSWORD") and not self.interactive:
            self.password = secrets.token_urlsafe(16)
            self.env = {**self.env, "DJANGO_SUPERUSER_PASSWORD": self.password}
        try:
            return run_django(self.python, self.project_dir, self.env, self.plan(), self.report)
        except MissingRequirementsError as missing:
            print(f"  (this Python cannot run the project: {missing}; installing into .venv)", flush=True)
        self.python = self.project_dir / VENV_PYTHON
        uv, python = install_requirements(self.project_dir, find_uv(), self.report)
        self.start_beside("tools", lambda: install_the_rest(self.project_dir, uv, python, keep_installed=True))
        # Should the tools need other versions of what Django runs on, they get them once Django is done.
        self.retries["tools"] = lambda: install_the_rest(self.project_dir, uv, python, keep_installed=False)
        try:
            return run_django(self.python, self.project_dir, self.env, self.plan(), self.report)
        except MissingRequirementsError as missing:
            command = manage_command(shown_python(self.python, self.project_dir), "django")
            raise SetupError("django", command, str(missing)) from missing

    def create_superuser(self, outcome: str | None) -> None:
        """Say what became of the superuser; ask for its password on the terminal if need be.

        The password never passes through cookiecutter's context (its replay
        file keeps answers in plain text): it comes from
        DJANGO_SUPERUSER_PASSWORD, from Django's own prompt, or is generated
        here and shown once.
        """
        email = self.superuser_email
        if outcome == "exists":
            print(f"Superuser {email} exists already; it is left as it is.")
        elif outcome == "prompt":
            print(f"Choose a password for the superuser {email}:", flush=True)
            command = [str(self.python), "manage.py", "createsuperuser", f"--email={email}"]
            if subprocess.run(command, cwd=self.project_dir, env=self.env, check=False).returncode != 0:
                raise SetupError("createsuperuser", shlex.join(command), "see Django's message above")
        elif self.password:
            print(f"Superuser {email} created; its generated password, shown only this once: {self.password}")
        elif outcome == "created":
            print(f"Superuser {email} created with the password in DJANGO_SUPERUSER_PASSWORD.")

    def remaining(self, error: SetupError) -> list[str]:
        """The commands left to run by hand after a failed step."""
        author = (self.answers["author_name"], self.answers["email"])
        python = shown_python(self.python, self.project_dir)
        if error.step in self.background:
            # A step beside Django: it alone remains.
            commands = step_commands(python, git=git_steps(*author))
            return [commands["git" if error.step == "git" else "install"] or ""]
        env_text = (self.project_dir / ".env").read_text()
        createdb = createdb_command(env_file_value(env_text, "DATABASE_URL"))
        # Once started, the first commit is made, or reported on its own.
        git = git_steps(*author) if self.commit and "git" not in self.background else []
        commands = step_commands(python, createdb, self.superuser_email, git)
        return manual_steps(error.step, commands, venv_has_pip=(self.project_dir / VENV_PIP).exists())


def finish_setup(project_dir: Path, answers: Mapping[str, Any]) -> None:
    """Make the project ready to serve and say so, step by step; or say what remains to be done."""
    print(f"Setting up {project_dir.name}:", flush=True)
    work_tree = in_a_thread(lambda: work_tree_around(project_dir)) if answers["init_git"] else None
    setup = Setup(project_dir, answers, django_env(project_dir), sys.stdin.isatty(), work_tree)
    failures: list[SetupError] = []
    try:
        done = setup.run()
        setup.create_superuser(done.superuser)
    except SetupError as error:
        failures.append(error)
    failures[:0] = setup.finish_beside()
    if setup.around is not None and setup.around != project_dir.resolve():
        print(f"  (no git repository of its own: the project lies in the work tree of {setup.around})")
    for failure in failures:
        print(failure_report(failure, project_dir, setup.remaining(failure)), file=sys.stderr, flush=True)
    own_python = None if setup.python == project_dir / VENV_PYTHON else shlex.quote(str(setup.python))
    cruft = bool(answers["cruft_commit"]) and "git" in setup.background
    print("\n".join(next_steps(shown_directory(project_dir, os.environ.get("PWD")), own_python, cruft)))


def main() -> int:
    if sys.argv[1:2] == [DJANGO_STEPS_ARGUMENT]:
        # A process of a second that makes many objects and frees them at exit: the
        # cyclic garbage collector and Python's teardown would only slow it down.
        gc.disable()
        run_django_steps(json.loads(sys.argv[2]))
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
    answers = json.loads(ANSWERS_JSON)
    project_dir = Path.cwd()

    install_license(project_dir, answers["open_source_license"])
    chosen = chosen_options(answers)
    remove_unchosen_paths(project_dir, chosen)
    for requirements in OPTION_REQUIREMENTS:
        path = project_dir / requirements
        path.write_text(drop_unchosen_packages(path.read_text(), chosen))
    if is_cruft_render(project_dir, answers["cruft_commit"]):
        # cruft only compares the files; .env, the database and .venv are the project's own.
        return 0
    write_env_file(project_dir)
    finish_setup(project_dir, answers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
