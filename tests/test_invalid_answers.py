"""A bad answer stops the bake with one line naming the answer and its rule, and leaves nothing behind.

Answers refused only together are in tests/combinations.py (REFUSED).
"""

import subprocess
import sys

import pytest
from cookiecutter.exceptions import FailedHookException
from cookiecutter.main import cookiecutter

from .helpers import TEMPLATE_DIR, cookiecutter_command, write_cookiecutter_config

CASES = [
    ({"project_slug": "my-api"}, "project_slug 'my-api' must be a Python identifier"),
    ({"project_slug": "class"}, "project_slug 'class' must not be a Python keyword."),
    ({"project_slug": "django"}, "project_slug 'django' must not be the name of a module"),
    ({"project_name": 'The "Best" API'}, "project_name 'The \"Best\" API' must be printable text"),
    ({"project_name": "2 Fast"}, "project_slug '2_fast' must be a Python identifier"),
    ({"jwt_auth_cookie": "my cookie"}, "jwt_auth_cookie 'my cookie' must be a cookie name"),
    ({"jwt_auth_cookie": 'say"hi'}, "jwt_auth_cookie 'say\"hi' must be a cookie name"),
    ({"jwt_auth_refresh_cookie": "a;b"}, "jwt_auth_refresh_cookie 'a;b' must be a cookie name"),
    ({"jwt_auth_refresh_cookie": "back\\slash"}, "jwt_auth_refresh_cookie 'back\\\\slash' must be a cookie name"),
    ({"jwt_auth_cookie": "sessionid"}, "jwt_auth_cookie 'sessionid' must not be one of Django's own cookies"),
    ({"jwt_auth_refresh_cookie": "csrftoken"}, "jwt_auth_refresh_cookie 'csrftoken' must not be one of Django's"),
    ({"jwt_auth_cookie": "Expires"}, "jwt_auth_cookie 'Expires' must not be a cookie attribute name"),
    ({"jwt_auth_cookie": "__Host-jwt"}, "jwt_auth_cookie '__Host-jwt' must not start with __Host-"),
    ({"site_id": "0"}, "site_id '0' must be a whole number from 1 to 2147483647."),
    ({"site_id": "abc"}, "site_id 'abc' must be a whole number from 1 to 2147483647."),
    ({"time_zone": "Mars/Olympus"}, "time_zone 'Mars/Olympus' must be an IANA time zone name"),
    ({"language_code": "kr"}, "language_code 'kr' must be one of Django's language codes"),
    ({"frontend_url": "localhost:3000"}, "frontend_url 'localhost:3000' must be an http or https URL"),
]


@pytest.mark.parametrize(("answers", "message"), CASES, ids=[message.split()[0] for _, message in CASES])
def test_a_bad_answer_is_refused(tmp_path, capfd, answers, message):
    output_dir = tmp_path / "out"
    output_dir.mkdir()

    with pytest.raises(FailedHookException):
        cookiecutter(
            str(TEMPLATE_DIR),
            no_input=True,
            extra_context=answers,
            output_dir=str(output_dir),
            config_file=str(write_cookiecutter_config(tmp_path)),
        )

    errors = [line for line in capfd.readouterr().err.splitlines() if line.startswith("ERROR:")]
    assert len(errors) == 1
    assert errors[0].startswith(f"ERROR: {message}")
    assert list(output_dir.iterdir()) == []


def test_the_command_line_shows_the_rule_and_no_error_of_the_hook_itself(tmp_path):
    command = cookiecutter_command(sys.executable, tmp_path, "site_id=-3")

    result = subprocess.run(command, capture_output=True, text=True, check=False)

    assert result.returncode != 0
    assert "ERROR: site_id '-3' must be a whole number from 1 to 2147483647." in result.stderr.splitlines()
    # cookiecutter logs its own FailedHookException traceback; none comes from the hook.
    frames = [line for line in result.stderr.splitlines() if line.startswith('  File "')]
    assert all("/cookiecutter/" in frame for frame in frames)
    assert "SyntaxError" not in result.stderr
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_an_unknown_database_is_refused_before_anything_is_written(tmp_path):
    command = cookiecutter_command(sys.executable, tmp_path, "database=mysql")

    result = subprocess.run(command, capture_output=True, text=True, check=False)

    assert result.returncode != 0
    assert "mysql provided for choice variable database, but the choices are ['sqlite', 'postgresql']" in result.stderr
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_an_unknown_license_is_refused_before_anything_is_written(tmp_path):
    command = cookiecutter_command(sys.executable, tmp_path, "open_source_license=WTFPL")

    result = subprocess.run(command, capture_output=True, text=True, check=False)

    assert result.returncode != 0
    assert "WTFPL provided for choice variable open_source_license, but the choices are" in result.stderr
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []
