"""GitHub Actions: the baked project's workflow and the template's own, checked offline.

actionlint (with its expression and type checks) and the workflow JSON schema
validate the files; the tests below check that they run what the Makefiles,
READMEs and .ci/run run, and that the steps' environments are enough for the
settings they load.
"""

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from .helpers import TEMPLATE_DIR, make_env, run
from .shipping import SHIPPED_ANSWERS, TOOLS, clean_env, dotenv, without_env_file

TEMPLATE_WORKFLOWS = sorted((TEMPLATE_DIR / ".github" / "workflows").glob("*.yml"))
# A release tag to the patch, so that a workflow runs the same action until someone changes it.
PINNED_ACTION = re.compile(r"[\w.-]+/[\w.-]+@v\d+\.\d+\.\d+")


def actionlint(workflow: Path) -> subprocess.CompletedProcess[str]:
    # shellcheck and pyflakes only where installed would make the result depend on the machine.
    command = [str(TOOLS / "actionlint"), "-shellcheck=", "-pyflakes=", workflow.name]
    return subprocess.run(command, cwd=workflow.parent, capture_output=True, text=True, check=False)


def load(workflow: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(workflow.read_text())
    return loaded


def steps_of(job: dict[str, Any]) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = job["steps"]
    return steps


def commands(job: dict[str, Any]) -> list[str]:
    """Every command the job's steps run, one per line, comments left out."""
    lines = (line.strip() for step in steps_of(job) for line in step.get("run", "").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def uses(workflow: Path) -> list[str]:
    return [step["uses"] for job in load(workflow)["jobs"].values() for step in steps_of(job) if "uses" in step]


def recipe(makefile: Path, target: str) -> list[str]:
    """The commands of a Makefile target, with $(PYTHON) as the python on PATH, as in CI."""
    lines = makefile.read_text().splitlines()
    start = next(index for index, line in enumerate(lines) if line.startswith(f"{target}:"))
    body = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        body.append(line.strip().replace("$(PYTHON)", "python"))
    return body


# The baked project's workflow, .github/workflows/ci.yml.


def baked_workflow(project: Path) -> Path:
    return project / ".github" / "workflows" / "ci.yml"


def test_the_baked_workflow_passes_actionlint(shipped_project):
    result = actionlint(baked_workflow(shipped_project))

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_baked_workflow_is_valid(shipped_project):
    schema_check = [str(TOOLS / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows"]
    run([*schema_check, baked_workflow(shipped_project)], shipped_project)


def test_the_baked_workflow_pins_every_action_to_a_release(shipped_project):
    actions = uses(baked_workflow(shipped_project))

    assert actions
    assert [action for action in actions if not PINNED_ACTION.fullmatch(action)] == []


def test_the_baked_workflow_runs_the_makefile_and_readme_commands(shipped_project):
    (job,) = load(baked_workflow(shipped_project))["jobs"].values()
    ran = commands(job)
    pre_commit = yaml.safe_load((shipped_project / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"]: hook for repo in pre_commit["repos"] for hook in repo["hooks"]}
    readme = (shipped_project / "README.md").read_text()

    for line in recipe(shipped_project / "Makefile", "lint") + recipe(shipped_project / "Makefile", "test"):
        assert line in ran
    assert hooks["makemigrations"]["entry"].replace(".venv/bin/python", "python") in ran
    assert "python -m pip install -r requirements/local.txt" in ran
    assert "`python manage.py check --deploy --fail-level WARNING`" in readme
    assert "python manage.py check --deploy --fail-level WARNING" in ran


def test_the_baked_workflow_tests_both_ends_with_the_chosen_services_where_env_points(shipped_project):
    (job,) = load(baked_workflow(shipped_project))["jobs"].values()
    answers = SHIPPED_ANSWERS[shipped_project.name]
    services = job.get("services", {})
    env_example = (shipped_project / ".env.example").read_text()

    # YAML 1.1, which PyYAML reads, takes the key `on` for True.
    triggers = yaml.safe_load(baked_workflow(shipped_project).read_text())[True]
    assert triggers == {"push": {"branches": ["main"]}, "pull_request": None}
    assert job["strategy"]["matrix"]["python-version"] == ["3.11", "3.13"]
    expected = {"postgres"} if answers.get("database") == "postgresql" else set()
    expected |= {"redis"} if answers.get("cache") == "redis" else set()
    assert set(services) == expected
    if "postgres" in services:
        assert services["postgres"]["ports"] == ["5432:5432"]
        database = services["postgres"]["env"]["POSTGRES_DB"]
        assert services["postgres"]["env"] == {"POSTGRES_DB": database, "POSTGRES_HOST_AUTH_METHOD": "trust"}
        assert f"\nDATABASE_URL=postgres://postgres@127.0.0.1:5432/{database}\n" in env_example
    if "redis" in services:
        assert services["redis"]["ports"] == ["6379:6379"]
        assert "\nCACHE_URL=redis://127.0.0.1:6379/0\n" in env_example


def test_the_baked_workflow_writes_env_as_the_hook_does_then_its_checks_pass(shipped_project, tmp_path):
    """A checkout has no .env: the workflow writes one, and with it each check step passes in its own environment."""
    (job,) = load(baked_workflow(shipped_project))["jobs"].values()
    steps = {step.get("name"): step for step in steps_of(job)}
    checkout = without_env_file(shipped_project, tmp_path / "checkout")

    def run_step(name: str) -> str:
        env = clean_env(HOME=str(tmp_path), **steps[name].get("env", {}))
        return run(["bash", "-euo", "pipefail", "-c", steps[name]["run"]], checkout, env=env).stdout

    run_step(".env from .env.example, with a fresh secret key")
    secret_key = dotenv(checkout)["DJANGO_SECRET_KEY"]
    assert len(secret_key) >= 50
    assert secret_key != dotenv(shipped_project)["DJANGO_SECRET_KEY"]
    assert "No changes detected" in run_step("Migrations match the models")
    assert "System check identified no issues" in run_step("Deployment checks, with the production settings")


@pytest.mark.xdist_group("default")
def test_a_bake_without_docker_or_actions_has_none_of_their_files(default_project):
    for path in (".github", "Dockerfile", ".dockerignore", "compose.yaml", "config/healthcheck.py"):
        assert not (default_project / path).exists(), path


# The template's own workflows, .github/workflows/ in this repository.


def template_jobs() -> dict[str, dict[str, Any]]:
    (workflow,) = TEMPLATE_WORKFLOWS
    jobs: dict[str, dict[str, Any]] = load(workflow)["jobs"]
    return jobs


@pytest.mark.parametrize("workflow", TEMPLATE_WORKFLOWS, ids=lambda path: path.name)
def test_the_template_workflows_pass_actionlint_and_the_schema(workflow):
    result = actionlint(workflow)

    assert result.returncode == 0, result.stdout + result.stderr
    run([TOOLS / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", workflow], TEMPLATE_DIR)
    assert [action for action in uses(workflow) if not PINNED_ACTION.fullmatch(action)] == []


def test_the_template_suite_runs_ci_run_on_debian_with_its_chromium_postgresql_and_redis():
    suite = template_jobs()["suite"]
    ran = commands(suite)

    assert re.fullmatch(r"python:3\.11-bookworm", suite["container"]["image"])
    assert "bash .ci/run" in ran
    install = next(line for line in ran if "apt-get install" in line)
    assert {"postgresql", "redis-server", "chromium"} <= set(install.split())
    # .ci/run runs the README's `make test` (test_readme.py checks that).
    assert re.search(r"^make test\b", (TEMPLATE_DIR / ".ci" / "run").read_text(), re.MULTILINE)


def test_the_smoke_bakes_come_from_the_supported_combinations_on_both_ends():
    jobs = template_jobs()
    bake = jobs["bake"]
    lister = bake["needs"]
    matrix = bake["strategy"]["matrix"]

    assert "python -m tests.combinations" in commands(jobs[lister])
    assert matrix["combination"] == f"${{{{ fromJSON(needs.{lister}.outputs.matrix).include }}}}"
    assert matrix["end"] == [{"python": "3.11", "django": "5.2"}, {"python": "3.13", "django": "6."}]
    ran = commands(bake)
    assert any(line.startswith("cookiecutter --no-input ") and '"${answers[@]}"' in line for line in ran)
    # Each bake is installed, shown to run the end's Django, then linted and tested.
    order = [ran.index(line) for line in ("make install", '[[ "$version" == "$DJANGO"* ]]', "make lint", "make test")]
    assert order == sorted(order)


@pytest.mark.xdist_group("default")
@pytest.mark.parametrize("target", ["install", "lint", "test"])
def test_the_smoke_bakes_run_targets_that_the_baked_makefile_has(default_project, target):
    bake_commands = commands(template_jobs()["bake"])

    assert f"make {target}" in bake_commands
    run(["make", "--dry-run", target], default_project, env=make_env())
