"""Finish the new project: a .env with fresh secrets, the first migration, and
optionally a superuser.

Django has to run for the last two steps. The hook uses the Python running
cookiecutter when it already has the project's requirements; otherwise it
creates the project's own .venv (with uv when it is available, else venv and
pip) and installs requirements/local.txt there. When neither works it prints
the commands to run by hand: the project it leaves is complete either way.
"""

import importlib.metadata
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

# Rendered as JSON inside a raw string, so no answer can break this file.
ANSWERS_JSON = r"""{
    "create_superuser": {{ cookiecutter.create_superuser|tojson }},
    "superuser_email": {{ cookiecutter.superuser_email|tojson }}
}"""

# Lines of .env.example that post-generation fills with a fresh random value.
SECRET_VARIABLES = ("DJANGO_SECRET_KEY",)

SETTINGS_MODULE = "config.settings.local"
REQUIREMENTS = Path("requirements", "local.txt")
RUNTIME_REQUIREMENTS = Path("requirements", "base.txt")
VENV_PYTHON = Path(".venv", "Scripts", "python.exe") if os.name == "nt" else Path(".venv", "bin", "python")

REQUIREMENT_LINE = re.compile(r"(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*(?P<specifiers>[^;#]*)")


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


def write_env_file(project_dir):
    """Create .env from .env.example unless the project already has one."""
    env_file = project_dir / ".env"
    if env_file.exists():
        return False
    env_file.write_text(fill_secrets((project_dir / ".env.example").read_text()))
    env_file.chmod(0o600)
    return True


def version_key(version):
    """(5, 2, 19) for "5.2.19"; pre-release tags such as "rc1" are dropped."""
    return tuple(int(part) for part in re.findall(r"\d+", version.split("+")[0])[:3])


def satisfies(version, specifiers):
    """Whether version meets comma-separated >=, >, <=, <, == and ~= bounds."""
    have = version_key(version)
    for specifier in filter(None, (part.strip() for part in specifiers.split(","))):
        operator, bound = re.fullmatch(r"(~=|==|>=|<=|>|<)\s*(\S+)", specifier).groups()
        want = version_key(bound)
        ok = {
            ">=": have >= want,
            ">": have > want,
            "<=": have <= want,
            "<": have < want,
            "==": have[: len(want)] == want,
            "~=": have >= want and have[: len(want) - 1] == want[:-1],
        }[operator]
        if not ok:
            return False
    return True


def read_requirements(path):
    """(name, specifiers) for each requirement in a pip requirements file and those it includes."""
    requirements = []
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line.startswith("-r "):
            requirements += read_requirements(path.parent / line[3:].strip())
        elif line:
            match = REQUIREMENT_LINE.match(line)
            requirements.append((match["name"], match["specifiers"].strip()))
    return requirements


def missing_requirements(requirements, installed_version=importlib.metadata.version):
    """The requirements this interpreter lacks or has in an unsuitable version."""
    missing = []
    for name, specifiers in requirements:
        try:
            version = installed_version(name)
        except importlib.metadata.PackageNotFoundError:
            missing.append(name)
            continue
        if not satisfies(version, specifiers):
            missing.append(f"{name} {version} (needs {specifiers})")
    return missing


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
    """Create .venv with the project's requirements and return its Python."""
    python = project_dir / VENV_PYTHON
    if uv:
        print(f"Creating .venv with uv and installing {REQUIREMENTS} ...")
        run([uv, "venv", "--quiet", "--python", sys.executable, ".venv"], project_dir)
        run([uv, "pip", "install", "--quiet", "--python", str(python), "-r", str(REQUIREMENTS)], project_dir)
    else:
        print(f"Creating .venv and installing {REQUIREMENTS} with pip (uv would be faster) ...")
        run([sys.executable, "-m", "venv", ".venv"], project_dir)
        run([str(python), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)], project_dir)
    return python


def choose_python(project_dir):
    """A Python that can run the project: this one if it has the requirements, else the project's .venv."""
    if not missing_requirements(read_requirements(project_dir / RUNTIME_REQUIREMENTS)):
        return Path(sys.executable)
    if (project_dir / VENV_PYTHON).exists():
        return project_dir / VENV_PYTHON
    return create_virtualenv(project_dir, uv=find_uv())


def manage(python, project_dir, *arguments, env=None, interactive=False):
    """Run manage.py with the development settings, whatever DJANGO_SETTINGS_MODULE the shell has."""
    command = [str(python), "manage.py", *arguments]
    env = {**(os.environ if env is None else env), "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE}
    if not interactive:
        return run(command, project_dir, env=env)
    if subprocess.run(command, cwd=project_dir, env=env).returncode != 0:
        raise SetupError(f"`manage.py {' '.join(arguments)}` failed.")
    return ""


def create_superuser(python, project_dir, email, env, interactive):
    """Migrate, then create the superuser; return the generated password, if one was needed.

    The password never passes through cookiecutter's context (its replay file
    keeps answers in plain text): it comes from DJANGO_SUPERUSER_PASSWORD, from
    Django's own prompt, or is generated here and shown once.
    """
    manage(python, project_dir, "migrate", "--no-input", env=env)
    if env.get("DJANGO_SUPERUSER_PASSWORD"):
        manage(python, project_dir, "createsuperuser", "--no-input", "--email", email, env=env)
        return None
    if interactive:
        print(f"Choose a password for the superuser {email}:")
        manage(python, project_dir, "createsuperuser", "--email", email, env=env, interactive=True)
        return None
    password = secrets.token_urlsafe(16)
    manage(
        python,
        project_dir,
        *("createsuperuser", "--no-input", "--email", email),
        env={**env, "DJANGO_SUPERUSER_PASSWORD": password},
    )
    return password


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
        steps.append(f"{python} manage.py createsuperuser --email {create_superuser_email}")
    return steps


def main():
    answers = json.loads(ANSWERS_JSON)
    project_dir = Path.cwd()
    superuser_email = answers["superuser_email"] if answers["create_superuser"] else None

    write_env_file(project_dir)
    try:
        python = choose_python(project_dir)
        print(manage(python, project_dir, "makemigrations", "accounts").strip())
        if superuser_email:
            password = create_superuser(python, project_dir, superuser_email, dict(os.environ), sys.stdin.isatty())
            print(f"Superuser {superuser_email} created in the local database.")
            if password:
                print(f"Its generated password, shown only this once: {password}")
    except SetupError as error:
        print(f"Could not finish the setup automatically: {error}", file=sys.stderr)
        print(f"The project is complete; to finish, run in {project_dir}:", file=sys.stderr)
        for step in manual_steps(superuser_email):
            print(f"    {step}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
