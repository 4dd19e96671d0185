"""A project made with cruft follows the template with `cruft update`, and keeps what is its own."""

import json
import sys
from pathlib import Path

from .helpers import SUPERUSER_PASSWORD, TEMPLATE_DIR, copy_tree, django_shell, project_env, run

CRUFT = str(Path(sys.executable).with_name("cruft"))
IDENTITY = {
    "GIT_AUTHOR_NAME": "Template Keeper",
    "GIT_AUTHOR_EMAIL": "keeper@example.com",
    "GIT_COMMITTER_NAME": "Template Keeper",
    "GIT_COMMITTER_EMAIL": "keeper@example.com",
}
# The files the hook made for the project alone, which no update may touch.
OWN_FILES = (".env", "db.sqlite3", "accounts/migrations/0001_initial.py")


def git(directory, *arguments, env):
    return run(["git", *arguments], directory, env=env).stdout


def test_cruft_update_brings_a_template_change_and_keeps_the_projects_own_files(tmp_path):
    env = project_env(DJANGO_SUPERUSER_PASSWORD=SUPERUSER_PASSWORD, **IDENTITY)
    # cruft clones the template from a git repository: a copy of this one, committed.
    template = copy_tree(TEMPLATE_DIR, tmp_path / "template")
    git(template, "init", "--quiet", env=env)
    git(template, "add", "--all", env=env)
    git(template, "commit", "--quiet", "-m", "The template as it is", env=env)
    answers = {"create_superuser": True, "superuser_email": "bo@example.com"}
    out = tmp_path / "out"
    create = [CRUFT, "create", "--no-input", "--output-dir", str(out), "--extra-context", json.dumps(answers)]

    created = run([*create, str(template)], tmp_path, env=env)

    project = out / "my_auth_api"
    # cruft writes .cruft.json after the hook's first commit: the next steps say to commit it.
    [track] = [line.strip() for line in created.stdout.splitlines() if ".cruft.json" in line]
    run(["bash", "-c", track], project, env=env)
    own = {name: (project / name).read_bytes() for name in OWN_FILES}

    # The template changes: a line in the README and a variable in .env.example.
    baked = template / "{{cookiecutter.project_slug}}"
    with (baked / "README.md").open("a") as readme:
        readme.write("\nA line the template gained.\n")
    with (baked / ".env.example").open("a") as env_example:
        env_example.write("# NEW_SETTING=on\n")
    git(template, "commit", "--quiet", "--all", "-m", "A change to the template", env=env)

    updated = run([CRUFT, "update", "--skip-apply-ask", "--project-dir", str(project)], tmp_path, env=env)

    # The hooks ran again for cruft's renders, and set nothing up there.
    assert "Setting up" not in updated.stdout
    assert (project / "README.md").read_text().endswith("\nA line the template gained.\n")
    assert (project / ".env.example").read_text().endswith("# NEW_SETTING=on\n")
    assert {name: (project / name).read_bytes() for name in OWN_FILES} == own
    # git apply -3 stages what it merged; cruft writes .cruft.json afterwards.
    changed = [line[3:] for line in git(project, "status", "--porcelain", env=env).splitlines()]
    assert sorted(changed) == [".cruft.json", ".env.example", "README.md"]
    code = "from django.contrib.auth import authenticate; print(authenticate(email='bo@example.com', password='%s'))"
    assert django_shell(project, code % SUPERUSER_PASSWORD).strip() == "bo@example.com"
    run([CRUFT, "check", "--project-dir", str(project)], tmp_path, env=env)
