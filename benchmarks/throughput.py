"""Requests per second, latency and worker memory: a default bake beside the seed project.

Both run under gunicorn with two sync workers on SQLite, with the settings a
deployment uses (ours: config.settings.production behind a simulated HTTPS
proxy; the seed's: DEBUG off) and the glibc tunables of our Dockerfile, in
virtualenvs made from their own declared requirements. wrk drives them from a
separate process on 127.0.0.1, one endpoint at a time, the seed and ours
alternating, for several rounds; the table shows the medians, and ours/seed
as the median of the rounds' ratios
(each round runs the seed and ours one after the other, so that a machine
whose speed drifts skews a round's ratio less than the medians'), with their
range.

    python benchmarks/throughput.py [--duration 10] [--rounds 3]

Needs wrk (apt install wrk) and uv (in the template's requirements.txt).
Measure on an idle machine: anything else on two cores skews the ratios.
"""

import argparse
import contextlib
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path

import uv
from argon2 import PasswordHasher
from cookiecutter.main import cookiecutter
from profile_request import PRODUCTION_ENV

BENCHMARKS = Path(__file__).resolve().parent
TEMPLATE_DIR = BENCHMARKS.parent
SEED_DIR = TEMPLATE_DIR.parent / "shared" / "anchors" / "seed-modern"
CACHE_DIR = BENCHMARKS / ".cache"
RESULTS = BENCHMARKS / "results" / "throughput.json"
WRK_SCRIPT = BENCHMARKS / "wrk.lua"

API = "/api/accounts/v1/"
EMAIL = "bench@example.com"
PASSWORD = "Blue-Otter-481!"
ACCESS_COOKIE = "my-app-auth"
REFRESH_COOKIE = "my-refresh-token"
# One wrk thread drives the connections, so that the load generator takes as
# little of the two cores as it can; token/refresh/ rotates, so there each
# connection has a thread and a refresh chain of its own (see wrk.lua).
WORKERS = 2
CONNECTIONS = {"login/": 2, "user/": 4, "token/verify/": 4, "token/refresh/": 4}
FIGURES = ("requests_per_second", "p50_ms", "p99_ms")
# Argon2's cost in Django's default hasher.
ARGON2_TIME_COST, ARGON2_MEMORY_COST_KIB, ARGON2_PARALLELISM = 2, 102_400, 8

# The glibc tunables our deployment sets (see the project's Dockerfile), for both
# servers: glibc keeps Argon2's memory between logins; PBKDF2 does not ask for any.
GLIBC_TUNABLES = re.search(
    r"GLIBC_TUNABLES=(\S+)", (TEMPLATE_DIR / "{{cookiecutter.project_slug}}" / "Dockerfile").read_text()
).group(1)  # type: ignore[union-attr]

# Ours served with glibc's default allocator: its logins show what the tunables buy.
UNTUNED = "ours without the tunables"

# What the proxy in front of a deployment adds; production settings redirect plain HTTP.
OUR_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}


@dataclass
class Server:
    """A project served by gunicorn: where, and the processes that serve it."""

    name: str
    base_url: str
    master: subprocess.Popen[bytes]
    headers: Mapping[str, str]

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.master.pid}/task/{self.master.pid}/children").read_text()
        return [int(pid) for pid in children.split()]


def run(command: Sequence[str], cwd: Path, env: Mapping[str, str] | None = None) -> str:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if result.returncode:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{result.stdout}{result.stderr}")
    return result.stdout


def make_venv(name: str, python: str, requirements: Path, *also: str) -> Path:
    """A virtualenv in benchmarks/.cache from a requirements file and the packages `also` names.

    Its bytecode is compiled, as pip leaves it. It is made again when its
    folder's requirements files or `also` changed.
    """
    venv = CACHE_DIR / name
    stamp = venv / "requirements.stamp"
    # The file may include others (-r base.txt) from its folder.
    wanted = "".join(path.read_text() for path in sorted(requirements.parent.glob("*.txt"))) + "\n".join(also)
    if not stamp.exists() or stamp.read_text() != wanted:
        shutil.rmtree(venv, ignore_errors=True)
        uv_bin = uv.find_uv_bin()
        run([uv_bin, "venv", "--quiet", "--python", python, str(venv)], BENCHMARKS)
        install = [uv_bin, "pip", "install", "--quiet", "--compile-bytecode", "--python", str(venv / "bin" / "python")]
        run([*install, "-r", requirements.name, *also], requirements.parent)
        stamp.write_text(wanted)
    return venv / "bin"


def prepare_ours(workdir: Path) -> tuple[Path, Path, dict[str, str]]:
    """A default bake, migrated, with the benchmark's user; its folder, its venv's bin and its environment."""
    requirements = TEMPLATE_DIR / "{{cookiecutter.project_slug}}" / "requirements" / "production.txt"
    bin_dir = make_venv("ours", sys.executable, requirements)
    project = Path(cookiecutter(str(TEMPLATE_DIR), no_input=True, output_dir=str(workdir)))
    env = {**os.environ, **PRODUCTION_ENV, "GLIBC_TUNABLES": GLIBC_TUNABLES}
    run([str(bin_dir / "python"), "manage.py", "migrate", "--no-input"], project, env)
    create_user = f"from accounts.models import User; User.objects.create_user({EMAIL!r}, {PASSWORD!r})"
    run([str(bin_dir / "python"), "manage.py", "shell", "-c", create_user], project, env)
    run([str(bin_dir / "python"), "manage.py", "collectstatic", "--no-input", "-v", "0"], project, env)
    return project, bin_dir, env


def prepare_seed(workdir: Path) -> tuple[Path, Path, dict[str, str]]:
    """The seed project copied out of its read-only folder, migrated, with the benchmark's user."""
    bin_dir = make_venv("seed", "3.11", SEED_DIR / "requirements-py311.lock")
    project = workdir / "seed"
    shutil.copytree(SEED_DIR / "modern", project)
    project.chmod(0o755)
    env = {
        **os.environ,
        "SEED_DB": str(workdir / "seed.sqlite3"),
        "SEED_DEBUG": "0",
        "GLIBC_TUNABLES": GLIBC_TUNABLES,
        "DJANGO_SETTINGS_MODULE": "api.settings",
    }
    run([str(bin_dir / "python"), "manage.py", "migrate", "--no-input"], project, env)
    create_user = f"from accounts.models import User; User.objects.create_user({EMAIL!r}, {PASSWORD!r})"
    run([str(bin_dir / "python"), "manage.py", "shell", "-c", create_user], project, env)
    return project, bin_dir, env


@contextlib.contextmanager
def serving(name: str, project: Path, bin_dir: Path, env: Mapping[str, str], wsgi: str) -> Iterator[Server]:
    """gunicorn with two workers on a port the system picks, until the block ends."""
    log = project / "gunicorn.log"
    command = [
        str(bin_dir / "gunicorn"),
        "--workers",
        str(WORKERS),
        "--bind",
        "127.0.0.1:0",
        "--error-logfile",
        str(log),
        wsgi,
    ]
    master = subprocess.Popen(command, cwd=project, env=env)
    try:
        deadline = time.monotonic() + 30
        while not (found := re.search(r"Listening at: (http://\S+)", log.read_text() if log.exists() else "")):
            if time.monotonic() > deadline or master.poll() is not None:
                raise SystemExit(f"{name} did not start:\n{log.read_text() if log.exists() else ''}")
            time.sleep(0.1)
        server = Server(name, found.group(1), master, {} if name == "seed" else OUR_HEADERS)
        while len(server.worker_pids()) < WORKERS or "Booting worker" not in log.read_text():
            time.sleep(0.1)
        yield server
    finally:
        master.terminate()
        master.wait(timeout=30)
        log.unlink(missing_ok=True)


def log_in(server: Server) -> SimpleCookie:
    """The cookies a password login sets."""
    body = json.dumps({"email": EMAIL, "password": PASSWORD}).encode()
    headers = {**server.headers, "Content-Type": "application/json"}
    request = urllib.request.Request(server.base_url + API + "login/", body, headers, method="POST")
    with urllib.request.urlopen(request) as response:
        cookies = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie"):
            cookies.load(header)
        return cookies


def lua_table(config: Mapping[str, object]) -> str:
    """A Lua chunk that returns the config: ASCII strings, lists and string tables, as wrk.lua reads them."""

    def literal(value: object) -> str:
        if isinstance(value, str):
            return json.dumps(value, ensure_ascii=True)  # JSON's escapes of ASCII text are Lua's too
        if isinstance(value, list):
            return "{" + ", ".join(literal(item) for item in value) + "}"
        if isinstance(value, Mapping):
            return "{" + ", ".join(f"[{literal(key)}] = {literal(item)}" for key, item in value.items()) + "}"
        raise TypeError(value)

    return "return " + literal(config) + "\n"


def wrk(server: Server, endpoint: str, duration: int) -> dict[str, float]:
    """One wrk run against one endpoint: requests/s and latency percentiles in ms."""
    connections = CONNECTIONS[endpoint]
    if endpoint == "login/":
        method, body, cookies = "POST", json.dumps({"email": EMAIL, "password": PASSWORD}), [""]
    elif endpoint == "token/verify/":
        access = log_in(server)[ACCESS_COOKIE].value
        method, body, cookies = "POST", json.dumps({"token": access}), [""]
    elif endpoint == "user/":
        access = log_in(server)[ACCESS_COOKIE].value
        method, body, cookies = "GET", "", [f"{ACCESS_COOKIE}={access}"]
    else:  # token/refresh/: one login session per connection
        method, body = "POST", ""
        cookies = [f"{REFRESH_COOKIE}={log_in(server)[REFRESH_COOKIE].value}" for _ in range(connections)]
    with tempfile.TemporaryDirectory() as scratch:
        config = Path(scratch) / "request.lua"
        result = Path(scratch) / "result.json"
        config.write_text(
            lua_table(
                {
                    "method": method,
                    "body": body,
                    "headers": {**server.headers, "Content-Type": "application/json"},
                    "cookies": cookies,
                    "refresh_cookie": REFRESH_COOKIE if endpoint == "token/refresh/" else "",
                    "result": str(result),
                }
            )
        )
        threads = connections if endpoint == "token/refresh/" else 1
        command = ["wrk", f"--threads={threads}", f"--connections={connections}", f"--duration={duration}s"]
        command += ["--timeout=10s", "--latency", "--script", str(WRK_SCRIPT), server.base_url + API + endpoint]
        subprocess.run(command, env={**os.environ, "WRK_CONFIG": str(config)}, check=True, capture_output=True)
        figures: dict[str, float] = json.loads(result.read_text())
    if figures["bad_answers"] or figures["errors"]:
        raise SystemExit(f"{server.name} {endpoint}: {figures['bad_answers']:.0f} answers were not 200: {figures}")
    return figures


def argon2_cpu_per_verify() -> float:
    """The CPU time of one Argon2 verification with Django's default cost, in this process, in seconds."""
    hasher = PasswordHasher(
        time_cost=ARGON2_TIME_COST, memory_cost=ARGON2_MEMORY_COST_KIB, parallelism=ARGON2_PARALLELISM
    )
    encoded = hasher.hash(PASSWORD)
    before = resource.getrusage(resource.RUSAGE_SELF)
    runs = 10
    for _ in range(runs):
        hasher.verify(encoded, PASSWORD)
    after = resource.getrusage(resource.RUSAGE_SELF)
    return (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) / runs


def argon2_logins_per_second_limit(cores: int, glibc_tunables: str = "") -> float:
    """How many Argon2 verifications per second the cores can do at most, from their CPU time.

    Measured in a process of its own, started with these glibc tunables, as a
    server would be: glibc reads them only when a process starts.
    """
    measure = "from throughput import argon2_cpu_per_verify; print(argon2_cpu_per_verify())"
    cpu_per_verify = run([sys.executable, "-c", measure], BENCHMARKS, {**os.environ, "GLIBC_TUNABLES": glibc_tunables})
    return cores / float(cpu_per_verify)


def memory_per_worker(server: Server, duration: int) -> dict[str, float]:
    """Resident memory per worker before a burst of logins, and its peak during it (MiB, the largest worker)."""

    def status(pid: int, field: str) -> float:
        text = Path(f"/proc/{pid}/status").read_text()
        return int(re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE).group(1)) / 1024  # type: ignore[union-attr]

    log_in(server)  # every worker imports what a login needs before the baseline
    log_in(server)
    before = max(status(pid, "VmRSS") for pid in server.worker_pids())
    wrk(server, "login/", duration)
    peak = max(status(pid, "VmHWM") for pid in server.worker_pids())
    return {"rss_before_mib": before, "peak_during_logins_mib": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    parser.add_argument("--rounds", type=int, default=3, help="runs per endpoint and project (default 3)")
    arguments = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt install wrk")

    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(scratch)
        projects = {
            "seed": (*prepare_seed(workdir), "api.wsgi"),
            "ours": (*prepare_ours(workdir), "config.wsgi"),
        }
        runs: dict[str, dict[str, list[dict[str, float]]]] = {}
        memory: dict[str, dict[str, float]] = {}
        for endpoint in CONNECTIONS:
            for _ in range(arguments.rounds):
                for name, (project, bin_dir, env, wsgi) in projects.items():
                    variants = [(name, env)]
                    if name == "ours" and endpoint == "login/":
                        variants.append((UNTUNED, {**env, "GLIBC_TUNABLES": ""}))  # what the tunables buy
                    for label, variant_env in variants:
                        with serving(label, project, bin_dir, variant_env, wsgi) as server:
                            wrk(server, endpoint, 2)  # warm-up: imports, connections, caches
                            figures = wrk(server, endpoint, arguments.duration)
                            runs.setdefault(label, {}).setdefault(endpoint, []).append(figures)
        for name, (project, bin_dir, env, wsgi) in projects.items():
            with serving(name, project, bin_dir, env, wsgi) as server:
                memory[name] = memory_per_worker(server, arguments.duration)

    cores = os.cpu_count() or 1
    login_limit = argon2_logins_per_second_limit(cores)
    login_limit_tuned = argon2_logins_per_second_limit(cores, GLIBC_TUNABLES)
    medians = {
        name: {
            endpoint: {key: statistics.median(run[key] for run in endpoint_runs) for key in FIGURES}
            for endpoint, endpoint_runs in by_endpoint.items()
        }
        for name, by_endpoint in runs.items()
    }
    ratios = {
        endpoint: [
            ours["requests_per_second"] / seed["requests_per_second"]
            for seed, ours in zip(runs["seed"][endpoint], runs["ours"][endpoint], strict=True)
        ]
        for endpoint in CONNECTIONS
    }
    print(f"{'endpoint':<16}{'seed req/s':>11}{'ours req/s':>11}{'ours/seed':>10}{'range':>13}", end="")
    print(f"{'seed p50/p99 ms':>18}{'ours p50/p99 ms':>18}")
    for endpoint in CONNECTIONS:
        seed, ours = medians["seed"][endpoint], medians["ours"][endpoint]
        print(
            f"{endpoint:<16}{seed['requests_per_second']:>11.1f}{ours['requests_per_second']:>11.1f}"
            f"{statistics.median(ratios[endpoint]):>9.2f}x"
            f"{min(ratios[endpoint]):>7.2f}-{max(ratios[endpoint]):.2f}"
            f"{seed['p50_ms']:>10.1f} / {seed['p99_ms']:<6.1f}{ours['p50_ms']:>10.1f} / {ours['p99_ms']:<6.1f}"
        )
    ours_logins = medians["ours"]["login/"]["requests_per_second"]
    untuned_logins = medians[UNTUNED]["login/"]["requests_per_second"]
    print(f"{UNTUNED}: login/ {untuned_logins:.1f} req/s; the tunables give {ours_logins / untuned_logins - 1:+.0%}.")
    print(
        f"\nArgon2's limit on {cores} cores: {login_limit:.1f} logins/s with glibc's defaults, "
        f"{login_limit_tuned:.1f} with the tunables that keep its memory;"
        f" ours reach {ours_logins / login_limit:.0%} and {ours_logins / login_limit_tuned:.0%} of them."
    )
    for name, figures in memory.items():
        print(
            f"{name}: a worker holds {figures['rss_before_mib']:.0f} MiB, "
            f"at most {figures['peak_during_logins_mib']:.0f} MiB during a burst of logins."
        )
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "machine": {"cores": cores, "python": platform.python_version(), "load_average": os.getloadavg()},
                "duration_seconds": arguments.duration,
                "rounds": arguments.rounds,
                "runs": runs,
                "medians": medians,
                "ratios": ratios,
                "glibc_tunables": GLIBC_TUNABLES,
                "argon2_logins_per_second_limit": login_limit,
                "argon2_logins_per_second_limit_with_tunables": login_limit_tuned,
                "memory_mib": memory,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"\nWritten to {RESULTS.relative_to(TEMPLATE_DIR)}")


if __name__ == "__main__":
    main()
