"""The Korean catalog every bake ships: complete, compiled as it reads, and what `make messages` makes of the code."""

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import polib
import pytest

from .helpers import TEMPLATE_DIR, copy_tree, make_env, run

CATALOG = Path("locale", "ko", "LC_MESSAGES")
TEMPLATE_CATALOG = TEMPLATE_DIR / "{{cookiecutter.project_slug}}" / CATALOG
# Every option whose files hold messages: the social providers' (email verification's hold none, but are there).
EVERY_OPTION = {
    "project_name": "Every Option API",
    "email_verification": "optional",
    "use_google_login": "yes",
    "use_kakao_login": "yes",
}
# The line makemessages rewrites on every run.
CREATION_DATE = re.compile(r'^"POT-Creation-Date: .*\\n"\n', re.MULTILINE)


def translations(catalog: polib.POFile | polib.MOFile) -> dict[tuple[str | None, str], Any]:
    """Each message of a catalog, with its translation (its plural forms, for a plural)."""
    return {
        (entry.msgctxt, entry.msgid): entry.msgstr or tuple(sorted(entry.msgstr_plural.items()))
        for entry in catalog
        if not entry.obsolete
    }


def test_every_message_is_translated_and_none_is_fuzzy():
    catalog = polib.pofile(str(TEMPLATE_CATALOG / "django.po"))

    assert catalog.untranslated_entries() == []
    assert catalog.fuzzy_entries() == []
    assert catalog.obsolete_entries() == []
    assert catalog.metadata["Language"] == "ko"
    assert len(catalog) > 100


def test_msgfmt_finds_every_placeholder_of_a_message_in_its_translation(tmp_path):
    compiled = tmp_path / "django.mo"

    run(["msgfmt", "--check", "--output-file", str(compiled), str(TEMPLATE_CATALOG / "django.po")], tmp_path)


def assert_compiled_from_the_catalog(compiled: Path) -> None:
    catalog = polib.pofile(str(TEMPLATE_CATALOG / "django.po"))
    mo = polib.mofile(str(compiled))

    assert translations(mo) == translations(catalog)
    # msgfmt leaves out when the catalog was extracted.
    assert mo.metadata == {name: value for name, value in catalog.metadata.items() if name != "POT-Creation-Date"}


def test_the_compiled_catalog_says_what_the_catalog_says():
    assert_compiled_from_the_catalog(TEMPLATE_CATALOG / "django.mo")


@pytest.mark.xdist_group("default")
def test_every_bake_ships_the_catalog_as_it_is(default_project):
    for name in ("django.po", "django.mo"):
        assert (default_project / CATALOG / name).read_bytes() == (TEMPLATE_CATALOG / name).read_bytes()


def test_make_messages_finds_the_catalog_up_to_date_with_the_code(cookies, tmp_path):
    result = cookies.bake(extra_context=EVERY_OPTION)
    assert result.exit_code == 0, result.exception
    project = copy_tree(result.project_path, tmp_path / "project")

    run(["make", "messages", f"PYTHON={sys.executable}"], project, env=make_env())

    made = (project / CATALOG / "django.po").read_text()
    assert CREATION_DATE.sub("", made) == CREATION_DATE.sub("", (TEMPLATE_CATALOG / "django.po").read_text())
    assert_compiled_from_the_catalog(project / CATALOG / "django.mo")


@pytest.mark.xdist_group("default")
def test_the_readmes_korean_answer_is_the_apis(default_project, served_default_project):
    readme = (default_project / "README.md").read_text()
    example = re.search(r"<!-- korean -->\n```bash\n(?P<command>.*?)\n# (?P<answer>.*?)\n```", readme, re.DOTALL)
    assert example, "No Korean example in the README"
    command = example["command"].replace("http://127.0.0.1:8000", served_default_project)

    result = subprocess.run(["bash", "-euo", "pipefail", "-c", command], capture_output=True, text=True, check=False)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(example["answer"])
