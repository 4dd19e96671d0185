"""The template's own code and tooling: linted, typed, and checked by pre-commit."""

import subprocess
import sys

import pytest

from .helpers import TEMPLATE_DIR, copy_tree, hook_names, make_env, passed_hooks, run, run_local_pre_commit_hooks


def test_the_hooks_and_tests_pass_ruff():
    for command in (["check"], ["format", "--check"]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *command, "--no-cache", "."],
            cwd=TEMPLATE_DIR,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_hooks_and_tests_pass_mypy(tmp_path):
    # pyproject.toml says what to check: strictly the hooks and the tests' helpers, the tests' bodies.
    result = run([sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path)], TEMPLATE_DIR)

    assert result.stdout.startswith("Success: no issues found in ")


def test_the_pre_commit_config_is_valid(tmp_path):
    env = make_env(PRE_COMMIT_HOME=str(tmp_path))
    command = [sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"]

    result = run(command, TEMPLATE_DIR, env=env)

    # Nothing to say: no warning of unknown keys either.
    assert result.stdout + result.stderr == ""


def test_the_pre_commit_local_hooks_pass_offline(tmp_path):
    template = copy_tree(TEMPLATE_DIR, tmp_path / "template")

    output = run_local_pre_commit_hooks(template, template / ".pre-commit-config.yaml")

    assert hook_names(template / ".pre-commit-config.yaml") == ["ruff check", "ruff format", "mypy"]
    assert passed_hooks(output) == ["ruff check", "ruff format", "mypy"]
    # The hooks changed nothing and left nothing for git to pick up.
    assert run(["git", "diff", "--stat"], template).stdout == ""
    assert run(["git", "ls-files", "--others", "--exclude-standard"], template).stdout == ""


@pytest.mark.parametrize(("arguments", "address"), [([], "127.0.0.1:8000"), (["PORT=8123"], "127.0.0.1:8123")])
def test_make_serve_listens_on_port(arguments, address):
    result = run(["make", "--dry-run", "serve", *arguments], TEMPLATE_DIR, env=make_env())

    assert result.stdout.splitlines()[-1].endswith(f"manage.py runserver {address}")
