"""The stack a pass runs: its data folder and database (``Environment``), and the
processes of the production stack on them (``Stack``: gunicorn, the task worker and the
scheduler; nginx, for the proxy phases, is in bench/proxy.py)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from bench.common import PASSPHRASE, PG_SERVER, PYTHON, ROOT, BenchFailure, say
from bench.figures import Fixtures, Status, from_json
from bench.machine import children, free_port, memory
from bench.mails import Mailbox

T = TypeVar("T")

# Invented signatures the demo adds to its own petition: its least (one per member state),
# as the bench measures its own petitions, not the demo's.
DEMO_SIGNATURES = 27


class Environment:
    """A fresh data folder (and database) with reclaim migrated, the demo content, the
    bench's key and its fixtures."""

    def __init__(self, db: str, label: str) -> None:
        self.db = db
        self.dir = Path(tempfile.mkdtemp(prefix=f"reclaim-bench-{db}-"))
        self.port = free_port()
        self.host = f"127.0.0.1:{self.port}"
        self.mail_dir = self.dir / "mail"
        self.key_file = self.dir / "bench.key.json"
        self.pg_name = f"reclaim_bench_{label}_{os.getpid()}" if db == "postgres" else ""
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "bench.settings_bench",
            "RECLAIM_DATA_DIR": str(self.dir),
            "RECLAIM_ENV": "production",
            "RECLAIM_ALLOWED_HOSTS": "127.0.0.1",
            "RECLAIM_BASE_URL": f"https://{self.host}",
            "RECLAIM_FROM_EMAIL": "campaign@example.org",
            "RECLAIM_EMAIL_HOST": "smtp.invalid",  # required in production; mail goes to files
            "RECLAIM_BENCH_MAIL_DIR": str(self.mail_dir),
            "RECLAIM_TRUSTED_PROXY_HOPS": "1",
            "RECLAIM_KEY_PASSPHRASE": PASSPHRASE,
            "RECLAIM_LOG_LEVEL": "WARNING",
        }
        self.env.pop("DATABASE_URL", None)
        if db == "postgres":
            self.env["DATABASE_URL"] = f"{PG_SERVER}/{self.pg_name}"
        self.mailbox = Mailbox(self.mail_dir)
        self._fixtures: Fixtures | None = None

    @property
    def fixtures(self) -> Fixtures:
        if self._fixtures is None:
            raise BenchFailure("the environment is not prepared")
        return self._fixtures

    def psql(self, sql: str) -> None:
        result = subprocess.run(
            ["psql", f"{PG_SERVER}/postgres", "-qc", sql],
            capture_output=True,
            text=True,
            timeout=120,
        )
        if result.returncode != 0:
            raise BenchFailure(f"psql {sql!r} on {PG_SERVER}: {result.stderr.strip()}")

    def prepare(self) -> None:
        self.mail_dir.mkdir()
        if self.db == "postgres":
            self.psql(f"DROP DATABASE IF EXISTS {self.pg_name}")
            self.psql(f"CREATE DATABASE {self.pg_name}")
        self.manage("migrate", "--noinput", "-v", "0")
        self.manage("collectstatic", "--noinput", "-v", "0")
        # The demo brings the ECI initiatives the ECI phases measure (with their staff,
        # organisations and readings). The settings are production's, hence the flag.
        self.manage("demo", "--signatures", str(DEMO_SIGNATURES), "--allow-production")
        # The bench's key after the demo's: the newest active key is the one new data is
        # sealed to, so the signatures of the pass open with this key file.
        self.manage("keys", "create", "--holder", "Benchmark", "--out", str(self.key_file))
        self._fixtures = self.ops(Fixtures, "fixtures")

    def cleanup(self, keep: bool) -> None:
        if self.db == "postgres" and not keep:
            try:
                self.psql(f"DROP DATABASE IF EXISTS {self.pg_name} WITH (FORCE)")
            except (BenchFailure, subprocess.SubprocessError) as exc:
                say(f"could not drop {self.pg_name}: {exc}")
        if keep:
            say(f"kept {self.dir}" + (f" and database {self.pg_name}" if self.pg_name else ""))
        else:
            shutil.rmtree(self.dir, ignore_errors=True)

    def run(self, cmd: list[str], extra_env: dict[str, str] | None = None) -> str:
        result = subprocess.run(
            cmd,
            cwd=ROOT,
            env={**self.env, **(extra_env or {})},
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BenchFailure(
                f"{' '.join(cmd[:6])} failed ({result.returncode}):\n{result.stderr[-3000:]}"
            )
        return result.stdout

    def manage(self, *args: str) -> str:
        """A ``reclaim`` command (reclaim.cli, as ``reclaim serve`` runs the stack)."""
        return self.run([PYTHON, "-m", "reclaim.cli", *args])

    def ops(self, kind: type[T], *args: str, profile: Path | None = None) -> T:
        """A Django-side step of bench/ops.py; its answer is its last line of output."""
        extra = {"RECLAIM_BENCH_PROFILE": str(profile)} if profile else None
        out = self.run([PYTHON, "-m", "bench.ops", *args], extra)
        return from_json(kind, json.loads(out.strip().splitlines()[-1]))

    def status(self) -> Status:
        return self.ops(Status, "status")


class Stack:
    """gunicorn, the task worker and the scheduler, each in its own process group."""

    def __init__(self, env: Environment, worker_class: str, workers: int, threads: int) -> None:
        self.env = env
        self.worker_class = worker_class
        self.workers = workers
        self.threads = threads
        self.procs: dict[str, subprocess.Popen[bytes]] = {}

    def commands(self) -> dict[str, list[str]]:
        gunicorn = [
            PYTHON,
            "-m",
            "gunicorn",
            "reclaim.wsgi:application",
            "--config",
            "python:reclaim.core.gunicorn_conf",
            "--bind",
            self.env.host,
            "--workers",
            str(self.workers),
            "--worker-class",
            self.worker_class,
            # gunicorn 27 opens a control socket at one path per user; two servers on one
            # machine (this one and a test run) would fight over it.
            "--no-control-socket",
        ]
        if self.worker_class == "gthread":
            gunicorn += ["--threads", str(self.threads)]
        manage = [PYTHON, "-m", "reclaim.cli"]
        return {
            "gunicorn": gunicorn,
            "db_worker": [*manage, "db_worker", "--queue-name", "*", "--no-reload", "-v", "0"],
            "scheduler": [*manage, "scheduler"],
        }

    def start(self) -> None:
        for name, cmd in self.commands().items():
            log = open(self.env.dir / f"{name}.log", "ab")  # noqa: SIM115 (lives with the process)
            self.procs[name] = subprocess.Popen(
                cmd, cwd=ROOT, env=self.env.env, stdout=log, stderr=log, start_new_session=True
            )
        self.wait_ready()

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, proc in self.procs.items():
                if proc.poll() is not None:
                    log = (self.env.dir / f"{name}.log").read_text(errors="replace")[-3000:]
                    raise BenchFailure(f"{name} exited with {proc.returncode}:\n{log}")
            try:
                request = urllib.request.Request(
                    f"http://{self.env.host}/healthz", headers={"X-Forwarded-Proto": "https"}
                )
                with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                    if response.status == 200 and len(self.worker_pids()) >= self.workers:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise BenchFailure(f"gunicorn did not answer on {self.env.host} within {timeout} s")

    def worker_pids(self) -> list[int]:
        master = self.procs.get("gunicorn")
        return children(master.pid) if master else []

    def pids(self) -> list[int]:
        return [p.pid for p in self.procs.values()] + self.worker_pids()

    def stop(self) -> None:
        """SIGTERM to each process group (gunicorn first), SIGKILL after 20 s."""
        for name, proc in list(self.procs.items()):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            del self.procs[name]

    def kill(self) -> None:
        """SIGKILL to every process of the stack at once: no handler runs, nothing flushes."""
        for proc in self.procs.values():
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for proc in self.procs.values():
            proc.wait()
        self.procs.clear()

    def memory(self) -> list[dict[str, float]]:
        """VmRSS and VmHWM of each web worker, in MB."""
        return [memory(pid) for pid in self.worker_pids()]

    def rss_mb(self) -> list[float]:
        return megabytes(self.memory(), "VmRSS")

    def hwm_mb(self) -> list[float]:
        return megabytes(self.memory(), "VmHWM")


@contextmanager
def running(stack: Stack) -> Iterator[Stack]:
    """The stack started, and stopped when the block ends however it ends."""
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()


def megabytes(readings: list[dict[str, float]], which: str) -> list[float]:
    return [round(reading.get(which, 0), 1) for reading in readings]
