"""The READMEs tell the truth: the walk-through runs, every prompt is documented."""

import io
import json
import re
import subprocess
import sys

import pexpect
import pytest
from cookiecutter.generate import generate_context
from cookiecutter.prompt import prompt_for_config

from .helpers import TEMPLATE_DIR, cookiecutter_command, project_env
from .test_browser import CHROMIUM

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


def readme_prompts():
    return re.findall(r"^\| `(\w+)` \| .*? \|", (TEMPLATE_DIR / "README.md").read_text(), re.MULTILINE)


def test_cookiecutter_asks_the_readmes_prompts_and_nothing_else(tmp_path):
    labels = json.loads((TEMPLATE_DIR / "cookiecutter.json").read_text())["__prompts__"]
    expected = [
        labels[name] if isinstance(labels[name], str) else labels[name]["__prompt__"] for name in readme_prompts()
    ]
    command = [part for part in cookiecutter_command(sys.executable, tmp_path) if part != "--no-input"]
    transcript = io.StringIO()
    # Plain text, and wide enough that no label wraps.
    env = project_env(NO_COLOR="1", TERM="dumb")
    child = pexpect.spawn(command[0], command[1:], env=env, encoding="utf-8", timeout=60, dimensions=(24, 300))
    child.logfile_read = transcript

    # Enter takes each default: the bake is the default one.
    while child.expect([r"\[\d+/\d+\] ", pexpect.EOF]) == 0:
        child.expect_exact("):")
        child.sendline("")
    child.close()

    assert child.exitstatus == 0, transcript.getvalue()
    asked = [line.strip() for line in transcript.getvalue().splitlines() if re.match(r"\s*\[\d+/\d+\] ", line)]
    questions = [f"[{number}/{len(expected)}] {label}" for number, label in enumerate(expected, 1)]
    assert len(asked) == len(questions), asked
    assert all(line.startswith(question) for line, question in zip(asked, questions, strict=True)), "\n".join(asked)
    # __year, a private variable, is rendered for LICENSE but never asked for.
    assert "year" not in transcript.getvalue().lower()
    assert (tmp_path / "out" / "my_auth_api" / "LICENSE").exists()


def test_ci_runs_the_readmes_test_command():
    readme = (TEMPLATE_DIR / "README.md").read_text()
    ci = (TEMPLATE_DIR / ".ci" / "run").read_text()

    assert "make test" in readme
    assert re.search(r"^make test\b", ci, re.MULTILINE)


def test_ci_installs_the_chromium_and_gettext_the_readme_asks_for_and_the_browser_test_runs():
    readme = (TEMPLATE_DIR / "README.md").read_text()
    ci = (TEMPLATE_DIR / ".ci" / "run").read_text()

    assert "`apt-get install chromium`" in readme
    assert "`apt-get install gettext`" in readme
    assert re.search(r"^\s*(DEBIAN_FRONTEND=\S+ )?apt-get install -y( -qq)? chromium gettext\b", ci, re.MULTILINE)
    assert f"[ ! -x {CHROMIUM} ]" in ci
    assert "! command -v msgfmt" in ci
