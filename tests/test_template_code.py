import subprocess
import sys

from .helpers import TEMPLATE_DIR


def test_the_hooks_and_tests_pass_ruff():
    for command in (["check"], ["format", "--check"]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *command, "--no-cache", "."],
            cwd=TEMPLATE_DIR,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
