"""Constants and helpers shared by the template tests."""

import contextlib
import glob
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

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
    "create_superuser": "yes",
    "superuser_email": "Admin@Example.org",
}


# PostgreSQL, as a deployment would configure it: DATABASE_URL in .env, and Redis
# for the cache that rate limits count in.
POSTGRESQL_ANSWERS = {"project_name": "Pg Auth API", "database": "postgresql"}
REDIS_CACHE_URL = "redis://127.0.0.1:6379/0"


def load_hook(name):
    """Import hooks/<name>.py unrendered: its logic is plain functions."""
    spec = importlib.util.spec_from_file_location(name, TEMPLATE_DIR / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def project_env(settings_module="config.settings.local", **extra):
    env = {name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")}
    return {**env, "DJANGO_SETTINGS_MODULE": settings_module, **extra}


def run(command, cwd, env=None):
    """Run a command that must succeed; a failure shows all its output."""
    result = subprocess.run(command, cwd=cwd, env=env or project_env(), capture_output=True, text=True)
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result


def manage(project, *arguments, python=sys.executable, **kwargs):
    return run([str(python), "manage.py", *arguments], project, **kwargs)


def django_shell(project, code, python=sys.executable):
    """What `code` prints, run in the project with its development settings."""
    return manage(project, "shell", "--verbosity", "0", "--command", code, python=python).stdout


def project_settings(project, *names):
    """The values of some settings, as the project's development settings compute them."""
    wanted = ", ".join(f"{name!r}: s.{name}" for name in names)
    code = f"import json; from django.conf import settings as s; print(json.dumps({{{wanted}}}))"
    return json.loads(django_shell(project, code))


@contextlib.contextmanager
def serving(project, python=sys.executable):
    """Serve the project on a free port over real HTTP; yield its base URL."""
    with tempfile.TemporaryFile(mode="w+") as errors:
        server = subprocess.Popen(
            [str(python), str(TEMPLATE_DIR / "tests" / "serve_project.py")],
            cwd=project,
            env=project_env(),
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
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


def post(url, data):
    """POST JSON; return (status, headers, body), for 4xx answers too."""
    request = urllib.request.Request(
        url, json.dumps(data).encode(), {"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, json.loads(error.read() or b"null")


def set_cookie_names(headers):
    return [header.split("=", 1)[0] for header in headers.get_all("Set-Cookie")]


def find_python_3_12_or_later():
    """An interpreter for the Django 6 end: DJANGO6_PYTHON, python3.13 or python3.12 on PATH, or pyenv's."""
    pyenv_root = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    candidates = [
        os.environ.get("DJANGO6_PYTHON"),
        shutil.which("python3.13"),
        shutil.which("python3.12"),
        *sorted(glob.glob(f"{pyenv_root}/versions/3.1[3-9]*/bin/python3"), reverse=True),
        *sorted(glob.glob(f"{pyenv_root}/versions/3.12*/bin/python3"), reverse=True),
    ]
    for candidate in filter(None, candidates):
        probe = subprocess.run(
            [candidate, "-c", "import sys; print(sys.version_info >= (3, 12))"], capture_output=True, text=True
        )
        if probe.stdout.strip() == "True":
            return candidate
    return None


def write_cookiecutter_config(directory):
    """A cookiecutter user config that keeps replay files and clones out of the home folder."""
    config = directory / "cookiecutter-config.yaml"
    config.write_text(f"cookiecutters_dir: {directory / 'cookiecutters'}\nreplay_dir: {directory / 'replay'}\n")
    return config


def cookiecutter_command(python, directory, *answers):
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
