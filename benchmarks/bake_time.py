"""How long a bake takes, as a person meets it: a table on the terminal, and JSON in results/.

    .venv/bin/python benchmarks/bake_time.py --runs 5

Four ways, each the median of --runs bakes with the default answers (after one
bake that is not counted, so that package caches are warm):

(a) the Python running cookiecutter holds the default bake's stack (a
    virtualenv made for it from the bake's requirements/local.txt);
(b) cookiecutter alone, in a Python of its own, with uv on PATH;
(c) the same without uv on PATH;
(d) from the prompt to the first authenticated request: bake with (a), then
    the next steps' `make serve`, a sign-up and `GET user/` with its cookie.

Each bake goes into a new temporary folder. The load average before and after
is in the JSON: on a busy machine the figures say little.
"""

import argparse
import http.cookiejar
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path

import uv
from throughput import make_venv

TEMPLATE_DIR = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results" / "bake_time.json"
PROJECT = "my_auth_api"
API = "/api/accounts/v1"
COOKIECUTTER = "cookiecutter==2.7.1"
# Where a person's shell finds git, make and the system's Python.
SYSTEM_PATH = "/usr/bin:/bin"
# The sign-up of (d), in a project that lives for one request.
PASSWORD = "quiet-harbor-lantern-42"


def clean_env(path: str) -> dict[str, str]:
    """This environment with another PATH, as a person's shell has it: no virtualenv, Django or bytecode settings."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONDONTWRITEBYTECODE"} and not name.startswith("DJANGO_")
    }
    return {**env, "PATH": path}


def bake(python: Path, output: Path, env: Mapping[str, str]) -> None:
    """Bake the default answers into output with the cookiecutter next to python."""
    command = [str(python.with_name("cookiecutter")), "--no-input", "--output-dir", str(output), str(TEMPLATE_DIR)]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0 or result.stderr:
        raise SystemExit(f"The bake failed:\n{result.stdout}\n{result.stderr}")


def timed_bake(python: Path, env: Mapping[str, str]) -> float:
    with tempfile.TemporaryDirectory() as output:
        started = time.perf_counter()
        bake(python, Path(output), env)
        return time.perf_counter() - started


def cookiecutter_only_python(directory: Path) -> Path:
    """A virtualenv with cookiecutter and pip, as `pipx install cookiecutter` gives: no Django, no uv."""
    subprocess.run([sys.executable, "-m", "venv", str(directory)], check=True)
    python = directory / "bin" / "python"
    install = [str(python), "-m", "pip", "install", "--quiet", COOKIECUTTER]
    subprocess.run(install, check=True, capture_output=True)
    return python


def stack_python() -> Path:
    """A virtualenv with cookiecutter and the default bake's requirements/local.txt (in benchmarks/.cache).

    That is the stack a person's Python holds when it can run the project:
    no PostgreSQL driver, which the default bake does without.
    """
    with tempfile.TemporaryDirectory() as output:
        bake(Path(sys.executable), Path(output), clean_env(f"{Path(sys.executable).parent}:{SYSTEM_PATH}"))
        requirements = Path(output, PROJECT, "requirements", "local.txt")
        return make_venv("stack", sys.executable, requirements, COOKIECUTTER) / "python"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_listening(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as connection:
            if connection.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.02)
    raise SystemExit(f"Nothing listened on port {port} within {timeout} s.")


def first_authenticated_request(base_url: str) -> None:
    """Sign up, then read the current user with the cookie the sign-up set."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    email = "ada@example.com"
    body = json.dumps({"email": email, "password1": PASSWORD, "password2": PASSWORD}).encode()
    headers = {"Content-Type": "application/json"}
    opener.open(urllib.request.Request(f"{base_url}{API}/registration/", body, headers), timeout=30)
    with opener.open(f"{base_url}{API}/user/", timeout=30) as answer:
        if json.load(answer)["email"] != email:
            raise SystemExit("user/ did not answer with the user who signed up.")


def prompt_to_first_request(python: Path, env: Mapping[str, str]) -> float:
    """Bake, `make serve` as the next steps say, sign up and GET user/."""
    with tempfile.TemporaryDirectory() as output:
        port = free_port()
        started = time.perf_counter()
        bake(python, Path(output), env)
        serve = ["make", "serve", f"PYTHON={python}", f"PORT={port}"]
        server = subprocess.Popen(
            serve,
            cwd=Path(output, PROJECT),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            wait_until_listening(port)
            first_authenticated_request(f"http://127.0.0.1:{port}")
            return time.perf_counter() - started
        finally:
            # make, runserver and its autoreloader's child share one process group.
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=10)


def measured(runs: int, measure: Callable[[], float]) -> list[float]:
    """One run to warm the caches, then `runs` more, in seconds."""
    measure()
    return [round(measure(), 3) for _ in range(runs)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="bakes measured per way (default 5)")
    runs = parser.parse_args().runs

    load_before = os.getloadavg()
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        python = stack_python()
        bare = cookiecutter_only_python(Path(scratch, "cookiecutter-only"))
        uv_only = Path(scratch, "uv-only")
        uv_only.mkdir()
        (uv_only / "uv").symlink_to(uv.find_uv_bin())
        ways: dict[str, tuple[str, Callable[[], float]]] = {
            "a": (
                "(a) the running Python holds the stack",
                lambda: timed_bake(python, clean_env(f"{python.parent}:{SYSTEM_PATH}")),
            ),
            "b": (
                "(b) cookiecutter-only Python, uv on PATH",
                lambda: timed_bake(bare, clean_env(f"{bare.parent}:{uv_only}:{SYSTEM_PATH}")),
            ),
            "c": (
                "(c) cookiecutter-only Python, no uv on PATH",
                lambda: timed_bake(bare, clean_env(f"{bare.parent}:{SYSTEM_PATH}")),
            ),
            "d": (
                "(d) prompt to the first authenticated request",
                lambda: prompt_to_first_request(python, clean_env(f"{python.parent}:{SYSTEM_PATH}")),
            ),
        }
        print(f"{'way':<48} {'median':>8}   runs (s)")
        for key, (title, measure) in ways.items():
            seconds = measured(runs, measure)
            median = round(statistics.median(seconds), 3)
            results[key] = {"title": title, "median_seconds": median, "seconds": seconds}
            print(f"{title:<48} {median:>6.2f} s   {' '.join(f'{run:.2f}' for run in seconds)}", flush=True)

    report = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "uv": shutil.which("uv") or uv.find_uv_bin(),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "runs": runs,
        "results": results,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"Load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}; written to {RESULTS}")


if __name__ == "__main__":
    main()
