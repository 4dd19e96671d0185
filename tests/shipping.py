"""What the Docker and GitHub Actions tests share.

The answers of the shipped bakes, and the environment of a container or a CI
runner: no .env, nothing from the shell.
"""

import sys
from pathlib import Path

from .helpers import DOCKER_POSTGRESQL_ANSWERS, DOCKER_SQLITE_SOCIAL_ANSWERS, copy_tree

# hadolint, actionlint and check-jsonschema, installed beside this Python from requirements.txt.
TOOLS = Path(sys.executable).parent

# The answers of each bake that the shipped_project fixture gives, by its folder.
SHIPPED_ANSWERS = {"shipped_api": DOCKER_POSTGRESQL_ANSWERS, "shipped_social_api": DOCKER_SQLITE_SOCIAL_ANSWERS}


def clean_env(**variables: str) -> dict[str, str]:
    """Nothing from the shell but PATH, this Python first on it, as `python` is in a container or on a runner."""
    return {"PATH": f"{TOOLS}:/usr/local/bin:/usr/bin:/bin", **variables}


def without_env_file(project: Path, destination: Path) -> Path:
    """A copy of the bake as a checkout or `docker build` sees it: no .env, which git and .dockerignore leave out."""
    copy = copy_tree(project, destination)
    (copy / ".env").unlink()
    return copy


def dotenv(project: Path) -> dict[str, str]:
    """The variables that the bake's .env sets (as the hook writes it: NAME=value lines and comments)."""
    lines = (project / ".env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
