"""The combinations of answers the template supports, and those it refuses.

COMBINATIONS covers every value of every choice and yes/no prompt of
cookiecutter.json, and every pair of values of two such prompts (pairwise);
tests/test_combinations.py proves it from cookiecutter.json, so a new prompt
fails that test until a combination answers it. Each combination states only
the answers that differ from the defaults, as `cookiecutter --no-input` takes
them. The template suite bakes and checks every one; the template's CI bakes
the matrix that `python -m tests.combinations` prints:
{"include": [{"name": ..., "args": "key=value ..."}]}, args being shell words.

REFUSED lists answers that must stop the bake with one line, each beside the
start of that line; ACCEPTED, answers one step from a refused one that bake.
"""

import itertools
import json
import shlex
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

TEMPLATE_DIR = Path(__file__).resolve().parent.parent

Answers = Mapping[str, str]
# One value of one prompt, and two such values of two prompts.
Value = tuple[str, str]
Pair = tuple[Value, Value]

COMBINATIONS: dict[str, dict[str, str]] = {
    # What `cookiecutter --no-input` bakes: the baked suite runs on Django 5.2 and on Django 6.
    "default": {},
    # Every service and integration at once: the baked suite runs on the real PostgreSQL and Redis,
    # in a database of its own name (test_everything_on) on a server other bakes share.
    "everything-on": {
        "project_slug": "everything_on",
        "database": "postgresql",
        "email_verification": "mandatory",
        "use_google_login": "yes",
        "use_kakao_login": "yes",
        "cache": "redis",
        "use_docker": "yes",
        "use_github_actions": "yes",
    },
    # The pairs the two above leave uncovered (from `pairwise`, then frozen here).
    "pairwise-01": {
        "email_verification": "optional",
        "use_google_login": "yes",
        "cache": "redis",
        "use_github_actions": "yes",
        "init_git": "no",
        "create_superuser": "yes",
    },
    "pairwise-02": {
        "open_source_license": "BSD-3-Clause",
        "database": "postgresql",
        "use_kakao_login": "yes",
        "use_docker": "yes",
        "init_git": "no",
        "create_superuser": "yes",
    },
    "pairwise-03": {
        "open_source_license": "BSD-3-Clause",
        "email_verification": "optional",
        "use_kakao_login": "yes",
        "cache": "redis",
    },
    "pairwise-04": {
        "open_source_license": "BSD-3-Clause",
        "email_verification": "mandatory",
        "use_docker": "yes",
        "use_github_actions": "yes",
        "init_git": "no",
    },
    "pairwise-05": {"open_source_license": "Apache-2.0", "use_google_login": "yes", "create_superuser": "yes"},
    "pairwise-06": {
        "open_source_license": "Apache-2.0",
        "database": "postgresql",
        "email_verification": "optional",
        "use_docker": "yes",
        "use_github_actions": "yes",
        "init_git": "no",
    },
    "pairwise-07": {
        "open_source_license": "Apache-2.0",
        "email_verification": "mandatory",
        "use_kakao_login": "yes",
        "cache": "redis",
        "create_superuser": "yes",
    },
    "pairwise-08": {"open_source_license": "GPL-3.0-or-later", "cache": "redis", "use_github_actions": "yes"},
    "pairwise-09": {
        "open_source_license": "GPL-3.0-or-later",
        "database": "postgresql",
        "email_verification": "optional",
        "use_google_login": "yes",
        "use_kakao_login": "yes",
        "init_git": "no",
        "create_superuser": "yes",
    },
    "pairwise-10": {"open_source_license": "GPL-3.0-or-later", "email_verification": "mandatory", "use_docker": "yes"},
    "pairwise-11": {"open_source_license": "Not open source"},
    "pairwise-12": {
        "open_source_license": "Not open source",
        "database": "postgresql",
        "email_verification": "optional",
        "use_google_login": "yes",
        "use_kakao_login": "yes",
        "cache": "redis",
        "use_docker": "yes",
        "use_github_actions": "yes",
        "init_git": "no",
        "create_superuser": "yes",
    },
    "pairwise-13": {"open_source_license": "Not open source", "email_verification": "mandatory"},
    "pairwise-14": {"open_source_license": "BSD-3-Clause", "use_google_login": "yes"},
}

# Answers that cannot work together, and the start of the one line that refuses them.
REFUSED: dict[str, tuple[dict[str, str], str]] = {
    "refresh-cookie-named-like-the-access-cookie": (
        {"jwt_auth_refresh_cookie": "my-app-auth"},
        "jwt_auth_refresh_cookie 'my-app-auth' must differ from jwt_auth_cookie.",
    ),
    "superuser-with-a-bad-email": (
        {"create_superuser": "yes", "superuser_email": "boss"},
        "superuser_email 'boss' must be an email address such as 'admin@example.com'.",
    ),
    # superuser_email defaults to the author's email.
    "superuser-with-the-authors-bad-email": (
        {"create_superuser": "yes", "email": "zoe"},
        "superuser_email 'zoe' must be an email address such as 'admin@example.com'.",
    ),
    "postgresql-database-named-template1": (
        {"database": "postgresql", "project_slug": "template1"},
        "project_slug 'template1' must not be one of PostgreSQL's own databases",
    ),
    # project_slug defaults to the project name, slugified.
    "postgresql-database-named-postgres": (
        {"database": "postgresql", "project_name": "Postgres"},
        "project_slug 'postgres' must not be one of PostgreSQL's own databases",
    ),
    "postgresql-database-name-without-room-for-test_": (
        {"database": "postgresql", "project_slug": "a" * 59},
        f"project_slug '{'a' * 59}' must be at most 58 characters with database 'postgresql'",
    ),
}

# Answers one step from refused ones that bake: each rule is about the combination.
ACCEPTED: dict[str, dict[str, str]] = {
    "bad-superuser-email-and-no-superuser": {"create_superuser": "no", "superuser_email": "boss"},
    "sqlite-project-named-template1": {"project_slug": "template1"},
    "postgresql-database-name-of-58-characters": {"database": "postgresql", "project_slug": "a" * 58},
    "sqlite-project-slug-of-59-characters": {"project_slug": "a" * 59},
}


def option_values(cookiecutter_json: Mapping[str, Any]) -> dict[str, list[str]]:
    """Each choice and yes/no prompt's values as answered on the command line, its default first.

    Free-text prompts (project_name, email, ...) are left out: any value is theirs.
    """
    values = {}
    for name, default in cookiecutter_json.items():
        if name.startswith("_"):
            continue
        if isinstance(default, bool):
            values[name] = ["yes", "no"] if default else ["no", "yes"]
        elif isinstance(default, list):
            values[name] = [str(choice) for choice in default]
    return values


def template_option_values() -> dict[str, list[str]]:
    return option_values(json.loads((TEMPLATE_DIR / "cookiecutter.json").read_text()))


def all_answers(combination: Answers, values: Mapping[str, list[str]]) -> dict[str, str]:
    """A combination's answer to every choice and yes/no prompt, the defaults included."""
    return {name: combination.get(name, choices[0]) for name, choices in values.items()}


def all_pairs(values: Mapping[str, list[str]]) -> list[Pair]:
    """Every pair of values of two prompts, in prompt order."""
    return [
        ((first, first_value), (second, second_value))
        for first, second in itertools.combinations(values, 2)
        for first_value in values[first]
        for second_value in values[second]
    ]


def pairs_of(answers: Mapping[str, str]) -> set[Pair]:
    """The pairs one set of answers covers (keys in the same order as all_pairs)."""
    return set(itertools.combinations(answers.items(), 2))


def uncovered_values(combinations: Iterable[Answers], values: Mapping[str, list[str]]) -> list[Value]:
    covered = {item for combination in combinations for item in all_answers(combination, values).items()}
    return [(name, value) for name, choices in values.items() for value in choices if (name, value) not in covered]


def uncovered_pairs(combinations: Iterable[Answers], values: Mapping[str, list[str]]) -> list[Pair]:
    covered = set().union(*(pairs_of(all_answers(combination, values)) for combination in combinations))
    return [pair for pair in all_pairs(values) if pair not in covered]


def pairwise(values: Mapping[str, list[str]], start: Iterable[Answers] = ()) -> list[dict[str, str]]:
    """Combinations that, with `start`, cover every pair of values; each states only what differs from the defaults.

    IPOG (Lei and Tai): every combination of the values of the two prompts
    with the most values first, then one prompt at a time: each combination
    takes the value that covers the most pairs still uncovered (the default
    wins a tie), and the pairs left over fill unanswered places or make new
    combinations. Unanswered places keep the default.
    """
    order = sorted(values, key=lambda name: -len(values[name]))
    rows: list[dict[str, str]] = [all_answers(combination, values) for combination in start]
    fixed = len(rows)
    leading = order[:2]
    covered = {tuple(row[name] for name in leading) for row in rows}
    rows += [
        dict(zip(leading, answers, strict=True))
        for answers in itertools.product(*(values[name] for name in leading))
        if answers not in covered
    ]
    for index, name in enumerate(order[2:], start=2):
        earlier = order[:index]
        uncovered = {
            (other, other_value, value) for other in earlier for other_value in values[other] for value in values[name]
        } - {(other, row[other], row[name]) for row in rows[:fixed] for other in earlier}
        for row in rows[fixed:]:
            gains = [
                sum((other, row[other], value) in uncovered for other in earlier if other in row)
                for value in values[name]
            ]
            row[name] = values[name][gains.index(max(gains))]
            uncovered -= {(other, row[other], row[name]) for other in earlier if other in row}
        for other, other_value, value in sorted(uncovered, key=lambda triple: (order.index(triple[0]), triple[1:])):
            room = next((row for row in rows[fixed:] if row[name] == value and other not in row), None)
            if room is None:
                rows.append({other: other_value, name: value})
            else:
                room[other] = other_value
    return [
        {name: row[name] for name in values if name in row and row[name] != values[name][0]} for row in rows[fixed:]
    ]


def first_with(**wanted: str) -> str:
    """The name of the first combination with these answers, defaults included."""
    values = template_option_values()
    return next(
        name for name, answers in COMBINATIONS.items() if all_answers(answers, values).items() >= wanted.items()
    )


def matrix(combinations: Mapping[str, Answers]) -> dict[str, list[dict[str, str]]]:
    """The GitHub Actions matrix of the combinations: a name and the answers as shell words."""
    return {
        "include": [
            {"name": name, "args": shlex.join(f"{key}={value}" for key, value in answers.items())}
            for name, answers in combinations.items()
        ]
    }


if __name__ == "__main__":
    print(json.dumps(matrix(COMBINATIONS)))  # noqa: T201 - the matrix is this command's output
