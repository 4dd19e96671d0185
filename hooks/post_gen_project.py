"""Finish the new project: a .env with fresh secrets, the first migration, and
optionally a superuser.

Django has to run for the last two steps. The hook uses the Python running
cookiecutter when the project already runs with it; otherwise it makes the
project's own .venv (with uv when it is available, else venv and pip) and
installs requirements/local.txt there. Django always runs on the project's own
configuration, its .env, whatever the shell exports. When none of this works
the hook prints the commands to run by hand.
"""

import json
import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

# Rendered as JSON inside a raw string, so no answer can break this file.
ANSWERS_JSON = r"""{
    "database": {{ cookiecutter.database|tojson }},
    "create_superuser": {{ cookiecutter.create_superuser|tojson }},
    "superuser_email": {{ cookiecutter.superuser_email|tojson }}
}"""

# Lines of .env.example that post-generation fills with a fresh random value.
SECRET_VARIABLES = ("DJANGO_SECRET_KEY",)

# requirements/base.txt lists the packages of every option, so that the
# template's own requirements.txt can install it unrendered; these go when their
# option is not chosen.
OPTION_PACKAGES = {"postgresql": "psycopg"}
BASE_REQUIREMENTS = Path("requirements", "base.txt")

SETTINGS_MODULE = "config.settings.local"
REQUIREMENTS = Path("requirements", "local.txt")
VENV_PYTHON = Path(".venv", "Scripts", "python.exe") if os.name == "nt" else Path(".venv", "bin", "python")

# A variable .env.example sets or documents (commented out).
ENV_EXAMPLE_VARIABLE = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=", re.MULTILINE)

SUPERUSER_EXISTS = (
    "import os; from accounts.models import User; "
    "print(User.objects.filter(email=User.objects.normalize_email(os.environ['SUPERUSER_EMAIL'])).exists())"
)


class SetupError(Exception):
    """A step that needs Django could not run; the message says why."""


def fill_secrets(env_example, make_secret=lambda: secrets.token_urlsafe(50)):
    """Return .env.example's text with every empty secret variable given a value."""
    lines = []
    for line in env_example.splitlines(keepends=True):
        name, separator, value = line.rstrip("\n").partition("=")
        if separator and name in SECRET_VARIABLES and not value:
            line = f"{name}={make_secret()}\n"
        lines.append(line)
    return "".join(lines)


def requirement_name(line):
    """The package a requirements line names, lowercased, or None for comments and options."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", line)
    return match[1].lower() if match else None


def drop_unchosen_packages(requirements, database):
    """requirements/base.txt's text without the packages of options not chosen, nor their comment lines."""
    unwanted = {package for option, package in OPTION_PACKAGES.items() if option != database}
    kept = []
    for line in requirements.splitlines(keepends=True):
        if requirement_name(line) in unwanted:
            while kept and kept[-1].lstrip().startswith("#"):
                kept.pop()
        else:
            kept.append(line)
    return "".join(kept)


def write_env_file(project_dir):
    """Create .env from .env.example unless the project already has one."""
    env_file = project_dir / ".env"
    if env_file.exists():
        return False
    env_file.write_text(fill_secrets((project_dir / ".env.example").read_text()))
    env_file.chmod(0o600)
    return True


def find_uv():
    """The uv executable, on PATH or from the uv package, or None."""
    if found := shutil.which("uv"):
        return found
    try:
        import uv
    except ImportError:
        return None
    return uv.find_uv_bin()


def run(command, project_dir, env=None):
    """Run a command in the project; on failure raise SetupError with its output."""
    try:
        result = subprocess.run(command, cwd=project_dir, env=env, capture_output=True, text=True)
    except OSError as error:
        raise SetupError(f"{command[0]}: {error.strerror}") from error
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip().splitlines()
        raise SetupError(f"`{' '.join(map(str, command))}` failed: {output[-1] if output else result.returncode}")
    return result.stdout


def create_virtualenv(project_dir, uv=None):
    """Make .venv unless it exists, install the requirements into it, and return its Python."""
    python = project_dir / VENV_PYTHON
    if uv:
        print(f"Installing {REQUIREMENTS} into .venv with uv ...")
        if not python.exists():
            run([uv, "venv", "--quiet", "--python", sys.executable, ".venv"], project_dir)
        run([uv, "pip", "install", "--quiet", "--python", str(python), "-r", str(REQUIREMENTS)], project_dir)
    else:
        print(f"Installing {REQUIREMENTS} into .venv with pip (uv would be faster) ...")
        if not python.exists():
            run([sys.executable, "-m", "venv", ".venv"], project_dir)
        run([str(python), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)], project_dir)
    return python


def django_env(project_dir, environ=os.environ):
    """The environment for manage.py: the development settings and the project's .env, not the shell's values.

    Without this an exported DATABASE_URL, say, would receive the migrations
    and the superuser meant for the new project.
    """
    project_variables = set(ENV_EXAMPLE_VARIABLE.findall((project_dir / ".env.example").read_text()))
    env = {name: value for name, value in environ.items() if name not in project_variables}
    return {**env, "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE}


def manage(python, project_dir, *arguments, env, interactive=False):
    """Run manage.py; with interactive, on the terminal, so that Django can prompt."""
    command = [str(python), "manage.py", *arguments]
    if not interactive:
        return run(command, project_dir, env=env)
    if subprocess.run(command, cwd=project_dir, env=env).returncode != 0:
        raise SetupError(f"`manage.py {' '.join(arguments)}` failed.")
    return ""


def choose_python(project_dir, env):
    """A Python that runs the project: this one if it can, else the project's .venv."""
    try:
        manage(sys.executable, project_dir, "check", env=env)
    except SetupError:
        return create_virtualenv(project_dir, uv=find_uv())
    return Path(sys.executable)


def create_superuser(python, project_dir, email, env, interactive):
    """Migrate, then create the superuser unless it exists.

    The password never passes through cookiecutter's context (its replay file
    keeps answers in plain text): it comes from DJANGO_SUPERUSER_PASSWORD, from
    Django's own prompt, or is generated here and shown once.
    """
    manage(python, project_dir, "migrate", "--no-input", env=env)
    exists = ("shell", "--verbosity", "0", "--command", SUPERUSER_EXISTS)
    if manage(python, project_dir, *exists, env={**env, "SUPERUSER_EMAIL": email}).strip() == "True":
        print(f"Superuser {email} exists already; it is left as it is.")
        return
    create = ("createsuperuser", f"--email={email}")
    if env.get("DJANGO_SUPERUSER_PASSWORD"):
        manage(python, project_dir, *create, "--no-input", env=env)
        print(f"Superuser {email} created with the password in DJANGO_SUPERUSER_PASSWORD.")
    elif interactive:
        print(f"Choose a password for the superuser {email}:")
        manage(python, project_dir, *create, env=env, interactive=True)
    else:
        password = secrets.token_urlsafe(16)
        manage(python, project_dir, *create, "--no-input", env={**env, "DJANGO_SUPERUSER_PASSWORD": password})
        print(f"Superuser {email} created; its generated password, shown only this once: {password}")


def manual_steps(create_superuser_email=None):
    """What to run by hand when the hook could not run Django itself."""
    python = VENV_PYTHON.as_posix()
    steps = [
        "python3 -m venv .venv",
        f"{python} -m pip install -r {REQUIREMENTS.as_posix()}",
        f"{python} manage.py makemigrations accounts",
        f"{python} manage.py migrate",
    ]
    if create_superuser_email:
        steps.append(f"{python} manage.py createsuperuser --email={shlex.quote(create_superuser_email)}")
    return steps


def main():
    answers = json.loads(ANSWERS_JSON)
    project_dir = Path.cwd()
    superuser_email = answers["superuser_email"] if answers["create_superuser"] else None

    base_requirements = project_dir / BASE_REQUIREMENTS
    base_requirements.write_text(drop_unchosen_packages(base_requirements.read_text(), answers["database"]))
    write_env_file(project_dir)
    env = django_env(project_dir)
    try:
        python = choose_python(project_dir, env)
        print(manage(python, project_dir, "makemigrations", "accounts", env=env).strip())
        if superuser_email:
            create_superuser(python, project_dir, superuser_email, env, sys.stdin.isatty())
    except SetupError as error:
        print(f"Could not finish the setup automatically: {error}", file=sys.stderr)
        print(f"To finish it, run in {project_dir}:", file=sys.stderr)
        for step in manual_steps(superuser_email):
            print(f"    {step}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
