"""The baked project's own tooling: its Makefile and its pre-commit configuration work."""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import pytest

from .helpers import copy_tree, hook_names, make_env, passed_hooks, run, run_local_pre_commit_hooks

pytestmark = pytest.mark.xdist_group("default")


def dry_run(project, *arguments):
    """The commands `make --dry-run` prints for a target."""
    return run(["make", "--dry-run", *arguments], project, env=make_env()).stdout.splitlines()


def test_make_install_makes_the_virtualenv_only_when_it_is_missing(default_project, tmp_path):
    project = copy_tree(default_project, tmp_path / "project")

    assert dry_run(project, "install")[:2] == [
        "python3 -m venv .venv",
        ".venv/bin/python -m pip install -r requirements/local.txt",
    ]
    (project / ".venv" / "bin").mkdir(parents=True)
    (project / ".venv" / "bin" / "python").touch()
    assert dry_run(project, "install")[0] == ".venv/bin/python -m pip install -r requirements/local.txt"
    # Another interpreter needs no .venv.
    (project / ".venv" / "bin" / "python").unlink()
    other = dry_run(project, "install", f"PYTHON={sys.executable}")
    assert other[0] == f"{sys.executable} -m pip install -r requirements/local.txt"


def test_make_install_installs_the_pre_commit_hook_only_in_a_git_repository(default_project, tmp_path):
    project = copy_tree(default_project, tmp_path / "project")
    # A stand-in interpreter that writes down what it is asked to do.
    calls = tmp_path / "calls.txt"
    python = tmp_path / "python"
    python.write_text(f'#!/bin/sh\necho "$@" >> {calls}\n')
    python.chmod(0o755)
    # git must not find a repository above the copy.
    env = make_env(GIT_CEILING_DIRECTORIES=str(tmp_path))

    run(["make", "install", f"PYTHON={python}"], project, env=env)
    assert calls.read_text().splitlines() == ["-m pip install -r requirements/local.txt"]

    calls.unlink()
    run(["git", "init", "--quiet"], project)
    run(["make", "install", f"PYTHON={python}"], project, env=env)
    assert calls.read_text().splitlines() == ["-m pip install -r requirements/local.txt", "-m pre_commit install"]


def test_make_test_runs_mypy_then_the_test_suite(default_project):
    assert dry_run(default_project, "test") == [".venv/bin/python -m mypy .", ".venv/bin/python -m pytest"]


def test_make_lint_passes_with_the_interpreter_given(default_project, tmp_path):
    # A copy: ruff and mypy leave their caches in the folder they check.
    project = copy_tree(default_project, tmp_path / "project")

    result = run(["make", "lint", f"PYTHON={sys.executable}"], project, env=make_env())

    assert result.stdout.splitlines()[0] == f"{sys.executable} -m ruff check ."
    assert f"{sys.executable} -m ruff format --check ." in result.stdout.splitlines()
    assert f"{sys.executable} -m mypy ." in result.stdout.splitlines()


@pytest.mark.parametrize(("arguments", "address"), [([], "127.0.0.1:8000"), (["PORT=8123"], "127.0.0.1:8123")])
def test_make_serve_migrates_then_serves_on_port(default_project, arguments, address):
    assert dry_run(default_project, "serve", *arguments) == [
        ".venv/bin/python manage.py migrate",
        f".venv/bin/python manage.py runserver {address}",
    ]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_make_serve_answers_on_the_port_given(default_project, tmp_path):
    project = copy_tree(default_project, tmp_path / "project")
    port = free_port()
    url = f"http://127.0.0.1:{port}/api/accounts/v1/csrf/"
    command = ["make", "serve", f"PYTHON={sys.executable}", f"PORT={port}"]

    with tempfile.TemporaryFile(mode="w+") as output:
        # A session of its own, so that make, runserver and its reloader stop together.
        server = subprocess.Popen(
            command, cwd=project, env=make_env(), stdout=output, stderr=output, start_new_session=True
        )
        try:
            status = None
            deadline = time.monotonic() + 60
            while status is None and server.poll() is None and time.monotonic() < deadline:
                try:
                    with urllib.request.urlopen(url, timeout=5) as response:
                        status = response.status
                except (urllib.error.URLError, ConnectionError):
                    time.sleep(0.2)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=10)
        output.seek(0)
        assert status == 200, output.read()


def test_the_pre_commit_local_hooks_pass_offline(default_project, tmp_path):
    project = copy_tree(default_project, tmp_path / "project")

    output = run_local_pre_commit_hooks(project, project / ".pre-commit-config.yaml")

    hooks = ["ruff check", "ruff format", "mypy", "migrations match the models"]
    assert hook_names(project / ".pre-commit-config.yaml") == hooks
    assert passed_hooks(output) == hooks
    # The hooks changed nothing and left nothing for git to pick up.
    assert run(["git", "diff", "--stat"], project).stdout == ""
    assert run(["git", "ls-files", "--others", "--exclude-standard"], project).stdout == ""
