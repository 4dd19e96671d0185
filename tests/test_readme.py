"""The READMEs tell the truth: the walk-through runs, every prompt is documented."""

import json
import re
import subprocess

import pytest
from cookiecutter.generate import generate_context
from cookiecutter.prompt import prompt_for_config

from .helpers import TEMPLATE_DIR

WALKTHROUGH = re.compile(r"<!-- walkthrough -->\n```bash\n(?P<script>.*?)```", re.DOTALL)


def walkthrough(readme):
    match = WALKTHROUGH.search(readme.read_text())
    assert match, f"No walk-through in {readme}"
    return match["script"]


@pytest.mark.xdist_group("default")
@pytest.mark.parametrize("readme", ["template", "project"])
def test_the_curl_walkthrough_works(readme, default_project, served_default_project, tmp_path):
    path = TEMPLATE_DIR / "README.md" if readme == "template" else default_project / "README.md"
    script = walkthrough(path).replace("http://127.0.0.1:8000", served_default_project)
    # Each README signs up its own user against the same database.
    script = script.replace("ada@example.com", f"ada-{readme}@example.com")

    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stderr
    signed_up, logged_in, me, refreshed, logged_out = map(json.loads, result.stdout.splitlines())
    assert signed_up["user"]["email"] == logged_in["user"]["email"] == me["email"] == f"ada-{readme}@example.com"
    assert refreshed["access"]
    assert refreshed["access"] != logged_in["access"]
    assert logged_out == {"detail": "Successfully logged out."}


def test_the_template_readme_documents_every_prompt_and_its_default():
    # The defaults as cookiecutter renders them, derived ones included.
    context = generate_context(context_file=str(TEMPLATE_DIR / "cookiecutter.json"))
    defaults = prompt_for_config(context, no_input=True)
    readme = (TEMPLATE_DIR / "README.md").read_text()
    rows = dict(re.findall(r"^\| `(\w+)` \| (.*?) \|", readme, re.MULTILINE))

    prompts = [name for name in defaults if not name.startswith("_")]
    assert list(rows) == prompts
    for name in prompts:
        default = defaults[name]
        shown = ("yes" if default else "no") if isinstance(default, bool) else str(default)
        assert shown in rows[name], f"{name}: default {shown!r} not in {rows[name]!r}"


def test_ci_runs_the_readmes_test_command():
    readme = (TEMPLATE_DIR / "README.md").read_text()
    ci = (TEMPLATE_DIR / ".ci" / "run").read_text()

    assert "make test" in readme
    assert re.search(r"^make test\b", ci, re.MULTILINE)
