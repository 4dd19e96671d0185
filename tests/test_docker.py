"""use_docker: the Dockerfile, .dockerignore and compose.yaml of a bake, checked without a Docker engine.

hadolint lints the Dockerfile and the compose specification's JSON schema
validates compose.yaml. What they cannot see is run here instead: the
Dockerfile's collectstatic, as the build runs it, without .env or secrets; the
production settings under the environment that compose gives them; and the
image's health check against gunicorn.
"""

import importlib.util
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from .helpers import SOCIAL_PRODUCTION_ENV, copy_tree, run, tidiness_problems
from .servers import free_port, gunicorn_serving
from .shipping import SHIPPED_ANSWERS, TOOLS, clean_env, dotenv
from .test_baked_project import JINJA_MARKERS, text_files

# What the production settings require of every project, beyond the answers' own.
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "a-secret-for-the-docker-tests-only-5e0c2b7d9a1f3e6c8b4d",
    "EMAIL_URL": "smtp://127.0.0.1:25",
    "FRONTEND_URL": "https://app.example.com",
}


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """The Dockerfile's instructions in order, as (KEYWORD, arguments), continuation lines joined."""
    joined = re.sub(r"\\\n(?:\s*#.*\n)*", " ", dockerfile.read_text())
    found = []
    for line in joined.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            keyword, _, arguments = line.strip().partition(" ")
            found.append((keyword.upper(), " ".join(arguments.split())))
    return found


def final_stage(dockerfile: Path) -> list[tuple[str, str]]:
    """The instructions of the last stage: the image that runs."""
    steps = instructions(dockerfile)
    last_from = max(index for index, (keyword, _) in enumerate(steps) if keyword == "FROM")
    return steps[last_from:]


def image_env(dockerfile: Path) -> dict[str, str]:
    """The variables that the final stage's ENV instructions set, PATH aside."""
    variables = {}
    for keyword, arguments in final_stage(dockerfile):
        if keyword == "ENV":
            for assignment in shlex.split(arguments):
                name, _, value = assignment.partition("=")
                variables[name] = value
    variables.pop("PATH")
    return variables


def build_context(project: Path, destination: Path) -> Path:
    """A copy of the bake as `docker build` sends it: without what .dockerignore names (.env among them)."""
    context = copy_tree(project, destination)
    patterns = (context / ".dockerignore").read_text().splitlines()
    for pattern in (line for line in patterns if line and not line.startswith("#")):
        for path in sorted(context.glob(pattern), reverse=True):
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
    return context


def collectstatic_command(dockerfile: Path) -> str:
    (command,) = [arguments for keyword, arguments in final_stage(dockerfile) if "collectstatic" in arguments]
    return command


def test_hadolint_finds_nothing_at_warning_level(shipped_project):
    result = subprocess.run(
        [TOOLS / "hadolint", "--failure-threshold", "warning", "Dockerfile"],
        cwd=shipped_project,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_is_built_in_stages_from_slim_pythons(shipped_project):
    bases = [arguments for keyword, arguments in instructions(shipped_project / "Dockerfile") if keyword == "FROM"]

    assert len(bases) == 2
    assert all(re.fullmatch(r"python:\$\{PYTHON_VERSION\}-slim( AS \w+)?", base) for base in bases), bases
    # The final stage takes only the virtualenv from the first: no pip cache, no build tools.
    assert ("COPY", "--from=build /opt/venv /opt/venv") in final_stage(shipped_project / "Dockerfile")


def test_the_server_runs_as_a_user_made_for_it_not_root(shipped_project):
    steps = final_stage(shipped_project / "Dockerfile")
    (user,) = [arguments for keyword, arguments in steps if keyword == "USER"]
    (make_user,) = [arguments for keyword, arguments in steps if keyword == "RUN" and "useradd" in arguments]
    uid, _, gid = user.partition(":")

    assert uid.isdigit()
    assert int(uid) >= 1000
    assert f"groupadd --system --gid {gid} app" in make_user
    assert f"useradd --system --uid {uid} --gid app" in make_user
    # Everything after USER runs as that user; nothing runs as root after it.
    keywords = [keyword for keyword, _ in steps]
    assert "RUN" not in keywords[keywords.index("USER") :]


def test_gunicorn_preloads_the_project_and_a_health_check_needs_no_curl(shipped_project):
    steps = dict(final_stage(shipped_project / "Dockerfile"))
    command = json.loads(steps["CMD"])
    health_check = steps["HEALTHCHECK"]

    assert command[0] == "gunicorn"
    assert "--preload" in command
    assert "config.wsgi" in command
    # gunicorn reads its port and worker count from these, as the README says.
    assert {"PORT": "8000", "WEB_CONCURRENCY": "2"}.items() <= image_env(shipped_project / "Dockerfile").items()
    assert steps["EXPOSE"] == "8000"
    assert health_check.endswith('CMD ["python", "-m", "config.healthcheck"]')
    assert "curl" not in health_check
    assert "wget" not in health_check
    assert (shipped_project / "config" / "healthcheck.py").is_file()


# A Python that hashes as Django's Argon2 hasher does (100 MiB), then tells how much memory it still holds.
MEMORY_AFTER_A_HASH = """
import re
from argon2 import PasswordHasher
PasswordHasher(time_cost=2, memory_cost=102_400, parallelism=8).hash("a password")
status = open("/proc/self/status").read()
print(int(re.search(r"VmRSS:\\s+(\\d+) kB", status).group(1)) // 1024)
"""


def test_the_image_keeps_argon2s_memory_for_the_next_login_as_the_readme_says(shipped_project):
    tunables = image_env(shipped_project / "Dockerfile")["GLIBC_TUNABLES"]

    def memory_after_a_hash(glibc_tunables: str) -> int:
        env = clean_env(GLIBC_TUNABLES=glibc_tunables)
        return int(run([sys.executable, "-c", MEMORY_AFTER_A_HASH], cwd=shipped_project, env=env).stdout)

    # glibc gives the hash's 100 MiB back at once by default; with the tunables it keeps them.
    assert memory_after_a_hash("") < 60
    assert memory_after_a_hash(tunables) > 100
    assert f"GLIBC_TUNABLES={tunables}" in (shipped_project / "README.md").read_text()


def test_collectstatic_runs_as_the_build_runs_it_with_no_env_file_and_no_secret(shipped_project, tmp_path):
    dockerfile = shipped_project / "Dockerfile"
    build = build_context(shipped_project, tmp_path / "build")

    run(["bash", "-c", collectstatic_command(dockerfile)], build, env=clean_env(**image_env(dockerfile)))

    manifest = json.loads((build / "staticfiles" / "staticfiles.json").read_text())["paths"]
    assert re.fullmatch(r"admin/css/base\.[0-9a-f]{12}\.css", manifest["admin/css/base.css"])
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in manifest


def test_the_build_leaves_secrets_local_data_and_tests_out_of_the_image(shipped_project, tmp_path):
    ignored = set((shipped_project / ".dockerignore").read_text().splitlines())
    context = build_context(shipped_project, tmp_path / "context")

    assert {".env", ".git", ".venv", "db.sqlite3*", ".cache", "staticfiles"} <= ignored
    assert (shipped_project / ".env").exists()
    assert not (context / ".env").exists()
    assert not list(context.rglob("tests"))
    assert (context / "accounts" / "migrations" / "0001_initial.py").exists()


def test_the_compose_file_is_valid(shipped_project):
    run([TOOLS / "check-jsonschema", "--builtin-schema", "vendor.compose-spec", "compose.yaml"], shipped_project)


def compose_file(project: Path) -> dict[str, Any]:
    compose: dict[str, Any] = yaml.safe_load((project / "compose.yaml").read_text())
    return compose


def test_compose_runs_the_chosen_database_and_cache_beside_the_api(shipped_project):
    services = compose_file(shipped_project)["services"]
    answers = SHIPPED_ANSWERS[shipped_project.name]
    postgresql = answers.get("database") == "postgresql"
    redis = answers.get("cache") == "redis"

    expected = (
        {"migrate", "web", "worker", "mailpit"} | ({"db"} if postgresql else set()) | ({"redis"} if redis else set())
    )
    assert set(services) == expected
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--no-input"]
    for name in ("web", "worker"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    if postgresql:
        assert services["db"]["image"].startswith("postgres:")
        assert services["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    if redis:
        assert services["redis"]["image"].startswith("redis:")
        assert services["web"]["depends_on"]["redis"] == {"condition": "service_healthy"}


def test_the_email_worker_runs_beside_the_api_in_every_bake(shipped_project):
    """Every project queues emails in the database (password reset links, verification when chosen)."""
    services = compose_file(shipped_project)["services"]
    worker = services["worker"]

    assert worker["command"] == ["python", "manage.py", "db_worker"]
    assert worker["environment"] == services["web"]["environment"]
    # The image's health check asks for the API, which the worker does not serve.
    assert worker["healthcheck"] == {"disable": True}
    assert worker["depends_on"]["mailpit"] == {"condition": "service_started"}
    # The image's settings, which queue the tasks in the database (and need the providers' keys, if any).
    production = clean_env(**PRODUCTION_ENV, **SOCIAL_PRODUCTION_ENV, DJANGO_ALLOWED_HOSTS="api.example.com")
    run([sys.executable, "manage.py", "db_worker", "--help"], shipped_project, env=production)


# ${NAME}, ${NAME:-default} or ${NAME:?error} in compose.yaml.
INTERPOLATION = re.compile(r"\$\{(?P<name>\w+)(?::(?P<kind>[-?])(?P<text>[^}]*))?\}")


def interpolated(environment: dict[str, str], variables: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """A service's environment with ${...} filled in as compose does; and the errors compose stops with, by name."""
    errors = {}

    def fill(match: re.Match[str]) -> str:
        name, kind, text = match["name"], match["kind"], match["text"]
        if variables.get(name):
            return variables[name]
        if kind == "?":
            errors[name] = text
        return text if kind == "-" else ""

    return {name: INTERPOLATION.sub(fill, str(value)) for name, value in environment.items()}, errors


def test_compose_gives_the_production_settings_all_they_require(shipped_project, tmp_path):
    compose = compose_file(shipped_project)
    answers = SHIPPED_ANSWERS[shipped_project.name]
    environment, errors = interpolated(compose["x-django"]["environment"], dotenv(shipped_project))
    social = [
        *(["GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET"] if answers.get("use_google_login") else []),
        *(["KAKAO_CLIENT_ID"] if answers.get("use_kakao_login") else []),
    ]
    project = build_context(shipped_project, tmp_path / "image")

    # .env has the secret key and the frontend; a provider's credentials are the user's to add.
    assert errors == {name: f"Set {name} in .env" for name in social}
    assert environment["DJANGO_SECRET_KEY"] == dotenv(shipped_project)["DJANGO_SECRET_KEY"]
    assert environment["FRONTEND_URL"] == dotenv(shipped_project)["FRONTEND_URL"]
    for name in ("migrate", "web", "worker"):
        assert compose["services"][name]["environment"] == compose["x-django"]["environment"]
    # The container's variables: the image's, then compose's on top, the credentials filled in.
    variables = {**image_env(project / "Dockerfile"), **environment, **dict.fromkeys(social, "a-credential")}
    env = clean_env(**variables)
    run([sys.executable, "manage.py", "check", "--fail-level", "WARNING"], project, env=env)


def load_healthcheck(project: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("healthcheck", project / "config" / "healthcheck.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.xdist_group("docker_postgresql")
@pytest.mark.parametrize(
    ("allowed_hosts", "host"),
    [
        ("api.example.com,localhost", "api.example.com"),
        (" .example.com", "example.com"),
        ("*", "localhost"),
        ("", "localhost"),
    ],
)
def test_the_health_check_asks_for_a_host_that_django_allows(docker_postgresql_project, allowed_hosts, host):
    assert load_healthcheck(docker_postgresql_project).host_to_ask(allowed_hosts) == host


def health_check(project: Path, port: int, allowed_hosts: str) -> subprocess.CompletedProcess[str]:
    """The image's HEALTHCHECK command, with the variables the container has."""
    env = clean_env(PORT=str(port), DJANGO_ALLOWED_HOSTS=allowed_hosts)
    command = [sys.executable, "-m", "config.healthcheck"]
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, check=False)


@pytest.mark.xdist_group("docker_postgresql")
def test_the_health_check_passes_while_gunicorn_answers_even_without_database_or_cache(docker_postgresql_project):
    # Nothing listens on these ports: the database and the cache are down, and the API's root needs neither.
    env = {
        **PRODUCTION_ENV,
        "DJANGO_ALLOWED_HOSTS": "api.example.com",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/shipped_api",
        "CACHE_URL": f"redis://127.0.0.1:{free_port()}/0",
    }

    with gunicorn_serving(docker_postgresql_project, env, workers=1) as (url, _log):
        port = int(url.rsplit(":", 1)[1])
        healthy = health_check(docker_postgresql_project, port, "api.example.com")
        refused = health_check(docker_postgresql_project, port, "elsewhere.example.com")
    stopped = health_check(docker_postgresql_project, port, "api.example.com")

    assert (healthy.returncode, healthy.stdout, healthy.stderr) == (0, "", "")
    assert refused.returncode == 1
    assert refused.stderr == f"Unhealthy: GET /api/accounts/v1/ on port {port} answered 400\n"
    assert stopped.returncode == 1
    assert stopped.stderr.startswith(f"Unhealthy: GET /api/accounts/v1/ on port {port} failed: ")
    assert stopped.stderr.count("\n") == 1


def test_the_shipped_bakes_are_rendered_tidy_and_clean(shipped_project, tmp_path):
    """The general checks of test_baked_project.py, on these two bakes; mypy on the one module they add."""
    texts = list(text_files(shipped_project))

    assert [f"{path}: {found}" for path, text in texts for found in JINJA_MARKERS.findall(text)] == []
    assert [problem for path, text in texts for problem in tidiness_problems(path.name, text)] == []
    run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], shipped_project)
    run([sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "."], shipped_project)
    run([sys.executable, "manage.py", "check", "--fail-level", "WARNING"], shipped_project)
    mypy = [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path), "config/healthcheck.py"]
    assert run(mypy, shipped_project).stdout.startswith("Success: no issues found in 1 source file")


def test_the_readme_runs_the_image_as_compose_does(shipped_project):
    readme = (shipped_project / "README.md").read_text()
    block = re.search(r"^```bash\n(docker build .*?)^```", readme, re.DOTALL | re.MULTILINE)
    assert block
    build, *runs = block[1].splitlines()
    image = shipped_project.name
    services = compose_file(shipped_project)["services"]
    sqlite = SHIPPED_ANSWERS[shipped_project.name].get("database", "sqlite") == "sqlite"

    assert build == f"docker build -t {image} ."
    assert "\ndocker compose up --build\n" in readme
    commands = {}
    for line in runs:
        found = re.fullmatch(rf"(docker run --rm .*) {image}(?: (.*))?", line)
        assert found, line
        options, command = found[1], found[2] or ""
        assert "--env-file production.env" in options
        # SQLite's database lives on a volume, which every container shares.
        assert (f"-v {image}-data:/data" in options) == sqlite
        commands[command] = options
    assert set(commands) == {"", "python manage.py migrate", "python manage.py db_worker"}
    assert "-p 8000:8000" in commands[""]
    assert "--no-healthcheck" in commands["python manage.py db_worker"]
    # The commands that compose runs, too.
    assert " ".join(services["worker"]["command"]) in commands
    assert " ".join(services["migrate"]["command"]).removesuffix(" --no-input") in commands
