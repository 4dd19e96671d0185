"""The supported combinations cover every value and every pair of values; refused ones stop with one line.

The bakes of the supported combinations are checked in test_baked_project.py.
"""

import json
import shlex
import subprocess
import sys

import pytest
import yaml

from .combinations import (
    ACCEPTED,
    COMBINATIONS,
    REFUSED,
    all_answers,
    first_with,
    matrix,
    option_values,
    pairwise,
    template_option_values,
    uncovered_pairs,
    uncovered_values,
)
from .helpers import TEMPLATE_DIR, cookiecutter_command

VALUES = template_option_values()
PROMPTS = [name for name in json.loads((TEMPLATE_DIR / "cookiecutter.json").read_text()) if not name.startswith("_")]
# The combinations the suite needs by name; pairwise() adds what they leave uncovered.
NAMED = ("default", "everything-on")


def test_choice_and_yes_no_prompts_give_their_values_default_first_and_free_text_none():
    cookiecutter_json = {
        "project_name": "My API",
        "site_id": 1,
        "database": ["sqlite", "postgresql"],
        "use_docker": False,
        "init_git": True,
        "_copy_without_render": ["*.html"],
        "__prompts__": {"database": "Database"},
    }

    assert option_values(cookiecutter_json) == {
        "database": ["sqlite", "postgresql"],
        "use_docker": ["no", "yes"],
        "init_git": ["yes", "no"],
    }


def test_every_value_and_every_pair_of_values_of_two_prompts_is_covered():
    missing_values = uncovered_values(COMBINATIONS.values(), VALUES)
    missing_pairs = uncovered_pairs(COMBINATIONS.values(), VALUES)
    suggestion = {
        f"pairwise-{number:02}": answers
        for number, answers in enumerate(pairwise(VALUES, [COMBINATIONS[name] for name in NAMED]), start=1)
    }

    assert (missing_values, missing_pairs) == ([], []), (
        f"Uncovered in tests/combinations.py; these would do after {', '.join(NAMED)}: {suggestion}"
    )


def test_combinations_answer_real_prompts_with_their_own_values_and_state_no_default():
    # cookiecutter ignores a key it does not know: a misspelt prompt would bake the default silently.
    mistakes = [
        f"{name}: {key}={value}"
        for name, answers in COMBINATIONS.items()
        for key, value in answers.items()
        if key not in PROMPTS or (key in VALUES and (value not in VALUES[key] or value == VALUES[key][0]))
    ]

    assert mistakes == []


def test_the_list_is_no_longer_than_the_pairwise_construction_makes_it():
    assert list(COMBINATIONS)[: len(NAMED)] == list(NAMED)
    assert len(COMBINATIONS) <= len(NAMED) + len(pairwise(VALUES, [COMBINATIONS[name] for name in NAMED]))


def test_everything_on_has_every_service_and_integration():
    answers = all_answers(COMBINATIONS["everything-on"], VALUES)

    assert COMBINATIONS["default"] == {}
    assert answers["database"] == "postgresql"
    assert answers["cache"] == "redis"
    assert answers["email_verification"] == "mandatory"
    assert [name for name in ("google", "kakao") if answers[f"use_{name}_login"] != "yes"] == []
    assert answers["use_docker"] == answers["use_github_actions"] == "yes"


def test_pairwise_covers_every_pair_in_as_many_combinations_as_the_two_largest_prompts_have_pairs():
    values = {"size": ["s", "m", "l"], "colour": ["red", "blue"], "boxed": ["no", "yes"], "gift": ["no", "yes"]}

    combinations = pairwise(values)

    assert uncovered_pairs(combinations, values) == []
    assert len(combinations) == 3 * 2
    assert combinations[0] == {}
    assert [answers for answers in combinations if set(answers.items()) & {("boxed", "no"), ("gift", "no")}] == []


def test_with_one_prompt_pairwise_gives_each_value_once():
    assert pairwise({"colour": ["red", "blue"]}) == [{}, {"colour": "blue"}]
    assert pairwise({"colour": ["red", "blue"]}, [{}]) == [{"colour": "blue"}]


def test_pairwise_adds_only_what_the_given_combinations_leave_uncovered():
    values = {"size": ["s", "m", "l"], "colour": ["red", "blue"], "boxed": ["no", "yes"]}
    start = [{}, {"size": "l", "colour": "blue", "boxed": "yes"}]

    combinations = pairwise(values, start)

    assert uncovered_pairs([*start, *combinations], values) == []
    assert [answers for answers in combinations if answers in start] == []
    assert pairwise(values, [*start, *combinations]) == []


def test_the_ci_matrix_names_each_combination_and_its_answers_as_shell_words():
    result = subprocess.run(
        [sys.executable, "-m", "tests.combinations"], cwd=TEMPLATE_DIR, capture_output=True, text=True, check=True
    )

    printed = json.loads(result.stdout)
    assert printed == matrix(COMBINATIONS)
    assert list(printed) == ["include"]
    assert [set(entry) for entry in printed["include"]] == [{"name", "args"}] * len(COMBINATIONS)
    assert [entry["name"] for entry in printed["include"]] == list(COMBINATIONS)
    for entry in printed["include"]:
        assert shlex.split(entry["args"]) == [f"{key}={value}" for key, value in COMBINATIONS[entry["name"]].items()]


def answer_splitting_of_the_smoke_bakes():
    """The lines of the template workflow's Bake step that turn $ANSWERS into the array `answers`."""
    workflow = yaml.safe_load((TEMPLATE_DIR / ".github" / "workflows" / "ci.yml").read_text())
    (step,) = [step for step in workflow["jobs"]["bake"]["steps"] if "ANSWERS" in step.get("env", {})]
    lines = step["run"].splitlines()
    return "\n".join(lines[: next(index for index, line in enumerate(lines) if line.startswith("cookiecutter "))])


@pytest.mark.parametrize("name", list(COMBINATIONS))
def test_the_smoke_bakes_get_each_combinations_answers_word_for_word(name):
    args = matrix(COMBINATIONS)["include"][list(COMBINATIONS).index(name)]["args"]
    script = answer_splitting_of_the_smoke_bakes() + '\nfor answer in "${answers[@]}"; do echo "$answer"; done'

    result = subprocess.run(
        ["bash", "-e", "-c", script], env={"ANSWERS": args}, capture_output=True, text=True, check=True
    )

    assert result.stdout.splitlines() == [f"{key}={value}" for key, value in COMBINATIONS[name].items()]


def bake_on_the_command_line(tmp_path, answers):
    command = cookiecutter_command(sys.executable, tmp_path, *(f"{key}={value}" for key, value in answers.items()))
    return subprocess.run(command, capture_output=True, text=True, check=False)


@pytest.mark.parametrize("name", list(REFUSED))
def test_a_refused_combination_stops_with_one_line_and_leaves_no_folder(tmp_path, name):
    answers, message = REFUSED[name]

    result = bake_on_the_command_line(tmp_path, answers)

    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR:")]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(f"ERROR: {message}")
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


@pytest.mark.parametrize("name", list(ACCEPTED))
def test_one_answer_away_from_a_refused_combination_the_bake_succeeds(tmp_path, name):
    answers = ACCEPTED[name]
    slug = answers.get("project_slug", "my_auth_api")

    result = bake_on_the_command_line(tmp_path, answers)

    assert result.returncode == 0, result.stderr
    assert "ERROR:" not in result.stderr
    project = tmp_path / "out" / slug
    assert (project / "manage.py").exists()
    if answers.get("database") == "postgresql":
        assert f"DATABASE_URL=postgres://postgres@127.0.0.1:5432/{slug}\n" in (project / ".env").read_text()


def test_first_with_names_the_first_combination_with_the_answers_defaults_included():
    kakao_only = first_with(use_kakao_login="yes", use_google_login="no")

    assert first_with() == "default"
    assert first_with(database="postgresql") == "everything-on"
    assert COMBINATIONS[kakao_only]["use_kakao_login"] == "yes"
    assert "use_google_login" not in COMBINATIONS[kakao_only]
    assert list(COMBINATIONS).index(kakao_only) > list(COMBINATIONS).index("everything-on")
