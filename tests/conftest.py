"""Shared bakes.

Each combination of answers is baked once per test worker, and the tests of
one combination share a worker (pytest-xdist's loadgroup, named after the
combination), so it is baked once.
"""

import pytest
import uv

from .combinations import COMBINATIONS
from .helpers import (
    CUSTOM_ANSWERS,
    DOCKER_POSTGRESQL_ANSWERS,
    DOCKER_SQLITE_SOCIAL_ANSWERS,
    PROJECT_REQUIREMENTS,
    SUPERUSER_PASSWORD,
    TEMPLATE_DIR,
    find_python_3_13_or_later,
    load_hook,
    manage,
    run,
    serving,
)


def pytest_configure(config):
    config.option.template = str(TEMPLATE_DIR)
    # cookiecutter copies everything in the project folder, caches included.
    caches = [
        str(path)
        for pattern in ("__pycache__", ".pytest_cache", ".ruff_cache")
        for path in (TEMPLATE_DIR / "{{cookiecutter.project_slug}}").rglob(pattern)
    ]
    if caches:
        raise pytest.UsageError(f"Delete these caches from the template first: {', '.join(caches)}")


@pytest.fixture(scope="session")
def pre_gen():
    return load_hook("pre_gen_project")


@pytest.fixture(scope="session")
def post_gen():
    return load_hook("post_gen_project")


def bake(cookies, extra_context=None):
    result = cookies.bake(extra_context=extra_context)
    assert result.exit_code == 0, result.exception
    return result.project_path


@pytest.fixture(scope="session")
def bake_combination(cookies_session):
    """A function that bakes a combination of tests/combinations.py by name, once per worker."""
    bakes = {}

    def bake_once(name):
        if name not in bakes:
            bakes[name] = bake(cookies_session, COMBINATIONS[name])
        return bakes[name]

    return bake_once


@pytest.fixture(scope="session")
def default_project(bake_combination):
    return bake_combination("default")


@pytest.fixture(scope="session")
def everything_on_project(bake_combination):
    """PostgreSQL, Redis, mandatory verification, both social providers, Docker and GitHub Actions."""
    return bake_combination("everything-on")


@pytest.fixture(scope="session")
def custom_project(cookies_session):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_SUPERUSER_PASSWORD", SUPERUSER_PASSWORD)
        return bake(cookies_session, CUSTOM_ANSWERS)


@pytest.fixture(scope="session")
def docker_postgresql_project(cookies_session):
    return bake(cookies_session, DOCKER_POSTGRESQL_ANSWERS)


@pytest.fixture(scope="session")
def docker_sqlite_social_project(cookies_session):
    return bake(cookies_session, DOCKER_SQLITE_SOCIAL_ANSWERS)


# Tests that take `shipped_project` run once per bake with Docker and GitHub Actions.
@pytest.fixture(
    params=[
        pytest.param("docker_postgresql", marks=pytest.mark.xdist_group("docker_postgresql")),
        pytest.param("docker_sqlite_social", marks=pytest.mark.xdist_group("docker_sqlite_social")),
    ]
)
def shipped_project(request):
    return request.getfixturevalue(f"{request.param}_project")


@pytest.fixture(scope="session")
def served_default_project(default_project):
    """The default bake, migrated and served over real HTTP; its base URL."""
    manage(default_project, "migrate", "--no-input")
    with serving(default_project) as base_url:
        yield base_url


# Tests that take `project` run once per supported combination and for the
# custom answers, on the worker that owns the bake.
@pytest.fixture(params=[pytest.param(name, marks=pytest.mark.xdist_group(name)) for name in [*COMBINATIONS, "custom"]])
def project(request, bake_combination):
    if request.param == "custom":
        return request.getfixturevalue("custom_project")
    return bake_combination(request.param)


@pytest.fixture(scope="session")
def django6_python(tmp_path_factory):
    """A virtualenv on Python 3.13+ with a baked project's requirements: pip resolves Django 6 there."""
    interpreter = find_python_3_13_or_later()
    if interpreter is None:
        pytest.fail("No Python 3.13+ found for the Django 6 tests: set DJANGO6_PYTHON to one.")
    venv = tmp_path_factory.mktemp("django6") / "venv"
    uv_bin = uv.find_uv_bin()
    run([uv_bin, "venv", "--quiet", "--python", interpreter, str(venv)], cwd=venv.parent)
    python = venv / "bin" / "python"
    run([uv_bin, "pip", "install", "--quiet", "--python", str(python), "-r", str(PROJECT_REQUIREMENTS)], venv.parent)
    version = run([str(python), "-c", "import django; print(django.VERSION[0])"], venv.parent).stdout
    assert int(version) >= 6
    return python
