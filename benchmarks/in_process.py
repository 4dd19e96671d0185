"""Time per request in-process: a default bake beside the seed project, without server or network.

Each endpoint is called through Django's WSGI handler in the project's own
Python (profile_request.py --time-only), so the figures are what each
project's code costs, with none of gunicorn's or the kernel's share that
throughput.py's figures include. Both projects are set up as throughput.py
sets them up. Each round times --requests requests of one endpoint in a new
process of the seed, then of ours; the table shows the medians, and ours/seed
as the median of the rounds' speed ratios (seed's time over ours), with their
range.

    python benchmarks/in_process.py [--requests 2000] [--rounds 5]

Measure on an idle machine: anything else on two cores skews the ratios.
"""

import argparse
import json
import os
import platform
import re
import statistics
import tempfile
from pathlib import Path

from throughput import BENCHMARKS, TEMPLATE_DIR, prepare_ours, prepare_seed, run

RESULTS = BENCHMARKS / "results" / "in_process.json"
# login/ is left out: its time is the password hash's, Argon2 for ours and PBKDF2 for the seed.
ENDPOINTS = ("user/", "token/verify/", "token/refresh/")


def microseconds_per_request(project: Path, bin_dir: Path, env: dict[str, str], endpoint: str, requests: int) -> float:
    """The time of one request to the endpoint, measured in a new process of the project's Python."""
    command = [str(bin_dir / "python"), str(BENCHMARKS / "profile_request.py"), str(project), endpoint]
    output = run([*command, "--requests", str(requests), "--time-only"], project, env)
    return float(re.search(r"(\d+) µs per request", output).group(1))  # type: ignore[union-attr]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests timed per round (default 2000)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per endpoint and project (default 5)")
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(scratch)
        projects = {"seed": prepare_seed(workdir), "ours": prepare_ours(workdir)}
        runs: dict[str, dict[str, list[float]]] = {name: {endpoint: [] for endpoint in ENDPOINTS} for name in projects}
        for endpoint in ENDPOINTS:
            for _ in range(arguments.rounds):
                for name, (project, bin_dir, env) in projects.items():
                    runs[name][endpoint].append(
                        microseconds_per_request(project, bin_dir, env, endpoint, arguments.requests)
                    )

    ratios = {
        endpoint: [seed / ours for seed, ours in zip(runs["seed"][endpoint], runs["ours"][endpoint], strict=True)]
        for endpoint in ENDPOINTS
    }
    print(f"{'endpoint':<16}{'seed µs':>9}{'ours µs':>9}{'ours/seed':>11}{'range':>13}")
    for endpoint in ENDPOINTS:
        print(
            f"{endpoint:<16}{statistics.median(runs['seed'][endpoint]):>9.0f}"
            f"{statistics.median(runs['ours'][endpoint]):>9.0f}"
            f"{statistics.median(ratios[endpoint]):>10.2f}x"
            f"{min(ratios[endpoint]):>7.2f}-{max(ratios[endpoint]):.2f}"
        )
    RESULTS.parent.mkdir(exist_ok=True)
    machine = {"cores": os.cpu_count(), "python": platform.python_version(), "load_average": os.getloadavg()}
    RESULTS.write_text(
        json.dumps(
            {"machine": machine, "requests": arguments.requests, "runs_microseconds": runs, "ratios": ratios}, indent=2
        )
        + "\n"
    )
    print(f"\nWritten to {RESULTS.relative_to(TEMPLATE_DIR)}")


if __name__ == "__main__":
    main()
