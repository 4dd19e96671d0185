"""Constants and helpers shared by the template tests."""

import contextlib
import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from email.message import Message
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

TEMPLATE_DIR = Path(__file__).resolve().parent.parent
PROJECT_REQUIREMENTS = TEMPLATE_DIR / "{{cookiecutter.project_slug}}" / "requirements" / "local.txt"

SUPERUSER_PASSWORD = "tidal-meadow-copper-58"

# Every answer changed, with characters that would break naive rendering.
CUSTOM_ANSWERS = {
    "project_name": "Café Ünïcode API",
    "description": 'An API that says "hi" \\ in Ünïcode',
    "author_name": "Zoë O'Brien",
    "email": "zoe@example.org",
    "jwt_auth_cookie": "acc.tok",
    "jwt_auth_refresh_cookie": "ref_tok!",
    "site_id": "7",
    "time_zone": "Asia/Seoul",
    "language_code": "ko",
    "frontend_url": "https://app.example.org/base/",
    "email_verification": "optional",
    "create_superuser": "yes",
    "superuser_email": "Admin@Example.org",
    "open_source_license": "GPL-3.0-or-later",
}


# What production needs of a project with both social providers, besides the usual.
SOCIAL_PRODUCTION_ENV = {
    "GOOGLE_CLIENT_ID": "1234567890-abc.apps.googleusercontent.com",
    "GOOGLE_CLIENT_SECRET": "a-google-client-secret",
    "KAKAO_CLIENT_ID": "a-kakao-rest-api-key",
}


# Every option of shipping on, once with PostgreSQL, Redis and mandatory verification, once
# with SQLite, the local cache and both social providers: between them, each branch of the
# Dockerfile, compose.yaml and the CI workflow.
DOCKER_POSTGRESQL_ANSWERS = {
    "project_name": "Shipped API",
    "database": "postgresql",
    "cache": "redis",
    "email_verification": "mandatory",
    "use_docker": "yes",
    "use_github_actions": "yes",
}
DOCKER_SQLITE_SOCIAL_ANSWERS = {
    "project_name": "Shipped Social API",
    "use_google_login": "yes",
    "use_kakao_login": "yes",
    "use_docker": "yes",
    "use_github_actions": "yes",
}


def tidiness_problems(name: str, text: str) -> list[str]:
    """What is untidy in a text file: trailing spaces, runs of blank lines where Jinja tags stood, no final newline."""
    problems = []
    if (text and not text.endswith("\n")) or text.endswith("\n\n"):
        problems.append(f"{name}: does not end with exactly one newline")
    if re.search(r"[ \t]+$", text, re.MULTILINE):
        problems.append(f"{name}: trailing whitespace")
    if not name.endswith(".py") and "\n\n\n" in text:
        problems.append(f"{name}: two blank lines in a row")
    return problems


def load_hook(name: str) -> ModuleType:
    """Import hooks/<name>.py unrendered: its logic is plain functions."""
    spec = importlib.util.spec_from_file_location(name, TEMPLATE_DIR / "hooks" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def project_env(settings_module: str = "config.settings.local", **extra: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")}
    return {**env, "DJANGO_SETTINGS_MODULE": settings_module, **extra}


def run(
    command: Sequence[str | Path], cwd: Path, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a command that must succeed; a failure shows all its output."""
    result = subprocess.run(command, cwd=cwd, env=env or project_env(), capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result


def manage(
    project: Path, *arguments: str, python: str | Path = sys.executable, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return run([str(python), "manage.py", *arguments], project, env=env)


def django_shell(project: Path, code: str, python: str | Path = sys.executable) -> str:
    """What `code` prints, run in the project with its development settings."""
    return manage(project, "shell", "--verbosity", "0", "--command", code, python=python).stdout


def project_settings(project: Path, *names: str) -> dict[str, Any]:
    """The values of some settings, as the project's development settings compute them."""
    wanted = ", ".join(f"{name!r}: s.{name}" for name in names)
    code = f"import json; from django.conf import settings as s; print(json.dumps({{{wanted}}}))"
    settings: dict[str, Any] = json.loads(django_shell(project, code))
    return settings


@contextlib.contextmanager
def serving(project: Path, python: str | Path = sys.executable, env: Mapping[str, str] | None = None) -> Iterator[str]:
    """Serve the project on a free port over real HTTP; yield its base URL. env replaces project_env()."""
    with tempfile.TemporaryFile(mode="w+") as errors:
        server = subprocess.Popen(
            [str(python), str(TEMPLATE_DIR / "tests" / "serve_project.py")],
            cwd=project,
            env=env or project_env(),
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        assert server.stdout is not None
        try:
            port = server.stdout.readline().strip()
            if not port.isdigit():
                errors.seek(0)
                raise AssertionError(f"The server did not start:\n{errors.read()}")
            yield f"http://127.0.0.1:{port}"
        finally:
            server.terminate()
            server.wait(timeout=10)
            server.stdout.close()


def post(url: str, data: object) -> tuple[int, Message, Any]:
    """POST JSON; return (status, headers, body), for 4xx answers too."""
    # S310 warns of file: URLs; the tests post only to the http:// servers they start.
    request = urllib.request.Request(  # noqa: S310
        url, json.dumps(data).encode(), {"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.headers, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, json.loads(error.read() or b"null")


def set_cookie_headers(headers: Message) -> list[str]:
    return headers.get_all("Set-Cookie") or []


def set_cookie_names(headers: Message) -> list[str]:
    return [header.split("=", 1)[0] for header in set_cookie_headers(headers)]


def find_python_3_13_or_later() -> str | None:
    """An interpreter for the Django 6 end: DJANGO6_PYTHON, python3.13 (or later) on PATH, or pyenv's."""
    pyenv_versions = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"), "versions")
    candidates = [
        os.environ.get("DJANGO6_PYTHON"),
        shutil.which("python3.13"),
        shutil.which("python3.14"),
        *sorted(map(str, pyenv_versions.glob("3.1[3-9]*/bin/python3")), reverse=True),
    ]
    for candidate in filter(None, candidates):
        probe = subprocess.run(
            [candidate, "-c", "import sys; print(sys.version_info >= (3, 13))"],
            capture_output=True,
            text=True,
            check=False,
        )
        if probe.stdout.strip() == "True":
            return candidate
    return None


def write_cookiecutter_config(directory: Path) -> Path:
    """A cookiecutter user config that keeps replay files and clones out of the home folder."""
    config = directory / "cookiecutter-config.yaml"
    config.write_text(f"cookiecutters_dir: {directory / 'cookiecutters'}\nreplay_dir: {directory / 'replay'}\n")
    return config


def cookiecutter_command(python: str | Path, directory: Path, *answers: str) -> list[str]:
    """The cookiecutter command line that bakes into directory/out with no prompts."""
    return [
        str(Path(python).with_name("cookiecutter")),
        "--no-input",
        "--config-file",
        str(write_cookiecutter_config(directory)),
        "--output-dir",
        str(directory / "out"),
        str(TEMPLATE_DIR),
        *answers,
    ]


# What copy_tree leaves out: version control, virtualenvs, bakes and caches.
NOT_COPIED = (".git", ".venv", ".build", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".hypothesis")


def copy_tree(source: Path, destination: Path) -> Path:
    """A copy of the template or of a bake, for tools that write into the folder they check."""
    shutil.copytree(source, destination, ignore=shutil.ignore_patterns(*NOT_COPIED))
    return destination


def make_env(**extra: str) -> dict[str, str]:
    """project_env() without the flags of a make that runs these tests (`make test`), for a make of their own."""
    env = {name: value for name, value in project_env().items() if name not in {"MAKEFLAGS", "MAKELEVEL", "MFLAGS"}}
    return {**env, **extra}


def run_local_pre_commit_hooks(repository: Path, config: Path, python: str = sys.executable) -> str:
    """Make a folder a git repository and run a pre-commit config's local hooks on all its files; return the output.

    pre-commit clones every remote repository a config names, which needs the
    network, so only the local hooks run, from a copy of the config. Their
    entries call .venv/bin/python, here a script that runs `python`.
    """
    local_config = yaml.safe_load(config.read_text())
    local_config["repos"] = [repo for repo in local_config["repos"] if repo["repo"] == "local"]
    local_config_file = repository.parent / "local-hooks.yaml"
    local_config_file.write_text(yaml.safe_dump(local_config))
    venv_python = repository / ".venv" / "bin" / "python"
    venv_python.parent.mkdir(parents=True)
    venv_python.write_text(f'#!/bin/sh\nexec {shlex.quote(python)} "$@"\n')
    venv_python.chmod(0o755)
    run(["git", "init", "--quiet"], repository)
    run(["git", "add", "--all"], repository)
    env = project_env(PRE_COMMIT_HOME=str(repository.parent / "pre-commit-home"))
    command = [python, "-m", "pre_commit", "run", "--all-files", "--config", str(local_config_file)]
    return run(command, repository, env=env).stdout


def hook_names(config: Path) -> list[str]:
    """The names of a pre-commit config's local hooks."""
    repos = yaml.safe_load(config.read_text())["repos"]
    return [hook["name"] for repo in repos if repo["repo"] == "local" for hook in repo["hooks"]]


def passed_hooks(output: str) -> list[str]:
    """The hooks that pre-commit's output says passed."""
    return re.findall(r"^(.+?)\.+Passed$", output, re.MULTILINE)
