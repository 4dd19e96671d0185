"""Servers that a test owns, to stop and start at will: Redis, PostgreSQL, and gunicorn serving a bake.

Each listens on a free port of 127.0.0.1, so stopping one disturbs nothing else.
"""

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from .helpers import project_env

# PostgreSQL refuses to run as root; as root, its commands run as this user.
POSTGRES_USER = "postgres"


def free_port() -> int:
    """A port nothing listens on: the one the system picked for a socket, closed again."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def wait_for(condition: str, check: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"Waited {seconds} s for {condition}")
        time.sleep(0.1)


def answers_on(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
        return True
    return False


class PrivateRedis:
    """A redis-server of the test's own, keeping nothing on disk."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(f"Redis on port {self.port}", lambda: answers_on(self.port))

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def postgres_binary(name: str) -> str:
    """A PostgreSQL server program (initdb, pg_ctl), which Debian keeps out of PATH."""
    installed = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    found = shutil.which(name) or (str(installed[0]) if installed else None)
    if found is None:
        raise AssertionError(f"{name} not found: install PostgreSQL's server package (Debian: postgresql).")
    return found


class PrivatePostgres:
    """A PostgreSQL cluster of the test's own, made by initdb in a temporary folder.

    The folder is one of the system's temporary ones: pytest's are private to
    the user running the tests, which PostgreSQL may not be.
    """

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="private-postgres-"))
        self.data = self.folder / "data"
        self.port = free_port()

    def url(self, database: str) -> str:
        return f"postgres://{POSTGRES_USER}@127.0.0.1:{self.port}/{database}"

    def run(self, *command: str) -> None:
        as_postgres = ["runuser", "-u", POSTGRES_USER, "--"] if os.geteuid() == 0 else []
        result = subprocess.run([*as_postgres, *command], capture_output=True, text=True, check=False)
        assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"

    def create(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.folder, POSTGRES_USER)
        self.run(postgres_binary("initdb"), "--auth=trust", f"--username={POSTGRES_USER}", "-D", str(self.data))

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.folder / "server.log")
        self.run(postgres_binary("pg_ctl"), "-D", str(self.data), "-o", options, "-l", log, "-w", "start")

    def stop(self) -> None:
        self.run(postgres_binary("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def create_database(self, name: str) -> None:
        self.run(postgres_binary("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", POSTGRES_USER, name)


@contextlib.contextmanager
def gunicorn_serving(project: Path, env: Mapping[str, str], workers: int = 4) -> Iterator[tuple[str, Path]]:
    """gunicorn serving the project with these variables; its base URL, and the file its log goes to."""
    with tempfile.TemporaryDirectory() as folder:
        log_path = Path(folder, "server.log")
        command = [
            *(sys.executable, "-m", "gunicorn", "config.wsgi:application"),
            *("--workers", str(workers), "--bind", "127.0.0.1:0", "--preload"),
            *("--access-logfile", "-", "--access-logformat", "%(m)s %(U)s %(s)s"),
        ]
        with log_path.open("w") as log:
            server = subprocess.Popen(command, cwd=project, env={**project_env(), **env}, stdout=log, stderr=log)
        try:
            url: list[str] = []

            def listening() -> bool:
                found = re.search(r"Listening at: (http://\S+)", log_path.read_text())
                if found and log_path.read_text().count("Booting worker") == workers:
                    url.append(found[1])
                    return True
                if server.poll() is not None:
                    raise AssertionError(f"gunicorn stopped:\n{log_path.read_text()}")
                return False

            wait_for("gunicorn", listening)
            yield url[0], log_path
        finally:
            server.terminate()
            server.wait(timeout=30)
