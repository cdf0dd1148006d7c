"""reclaim's benchmark (issue 5): the production stack under load, on SQLite and PostgreSQL.

    python bench/run.py [--smoke] [--db sqlite|postgres|both] [--crash] [--profile DIR]

Starts gunicorn (reclaim.core.gunicorn_conf, 2 workers per core), the django-tasks worker
and the scheduler against a fresh data folder (and, for PostgreSQL, a fresh database made
and dropped for the pass), drives them from a separate load process on 127.0.0.1, prints
the figures and writes docs/benchmarks.md. ``--smoke`` is the same harness with tiny counts
(CI runs it so that it never rots). ``--crash`` kills the stack with SIGKILL in the middle
of a signing burst and checks that nothing acknowledged was lost or counted twice.

Exits non-zero when the harness fails: a server that does not start, more than 1 % errors
in a phase, a failed check. A missed performance target is reported, not a failure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import proxy  # noqa: E402
from bench.mails import Mailbox  # noqa: E402

RESULTS = ROOT / "bench" / "results"
DOCS = ROOT / "docs" / "benchmarks.md"
FINDINGS = ROOT / "bench" / "findings.md"
PYTHON = sys.executable
PASSPHRASE = "bench-passphrase-not-a-secret"  # noqa: S105 (a throwaway key for the bench)
PG_SERVER = os.environ.get("RECLAIM_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
CLIENTS = 64
MAX_ERROR_RATE = 0.01


@dataclass(frozen=True)
class Sizes:
    duration: float  # seconds of measured load per phase
    warmup: float  # seconds of load before measuring starts
    short: float  # measured seconds for the secondary phases
    max_requests: int
    rows: int  # signatures in the big-petition phase
    probes: int
    probe_timeout: float
    drain_timeout: float
    crash_first: int  # signatures made (and mailed) before the crash burst
    crash_burst: float
    crash_kill_after: float


FULL = Sizes(15, 2, 8, 200_000, 1_000_000, 3, 75, 600, 2000, 12, 5)
SMOKE = Sizes(2, 0.3, 1.0, 400, 1000, 1, 6, 120, 150, 4, 1.5)


class BenchFailure(Exception):
    pass


def say(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


# --- The machine ----------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kb = int(line.split()[1])
    pg = ""
    try:
        pg = subprocess.run(
            ["psql", f"{PG_SERVER}/postgres", "-tAc", "SHOW server_version"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    versions = subprocess.run(
        [PYTHON, "-c", "import django, gunicorn; print(django.__version__, gunicorn.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty", "--exclude", "*"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "commit": commit,
        "nproc": os.cpu_count() or 1,
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": versions[0],
        "gunicorn": versions[1],
        "sqlite": sqlite3.sqlite_version,
        "postgresql": pg,
    }


def loadavg() -> list[float]:
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]


def cpu_busy() -> tuple[float, float]:
    """(busy, total) clock ticks of the whole machine since boot."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


TICK = os.sysconf("SC_CLK_TCK")


def proc_cpu(pid: int) -> float:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def pids_with(text: str) -> list[int]:
    """Processes whose command line mentions ``text`` (PostgreSQL backends name their DB)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if text.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def memory(pid: int) -> dict[str, float]:
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                out[line.split(":")[0]] = int(line.split()[1]) / 1024
    except OSError:
        pass
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- One pass's environment -----------------------------------------------------------


class Pass:
    """A fresh data folder (and database) with reclaim migrated, a key and the fixtures."""

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
        self.fixtures: dict[str, Any] = {}
        self.mailbox = Mailbox(self.mail_dir)

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
        self.manage("keys", "create", "--holder", "Benchmark", "--out", str(self.key_file))
        out = self.run(
            [
                PYTHON,
                "manage.py",
                "shell",
                "-c",
                "from bench.ops import setup_fixtures; setup_fixtures()",
            ]
        )
        self.fixtures = json.loads(out.strip().splitlines()[-1])

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
        return self.run([PYTHON, "-m", "reclaim.cli", *args])

    def ops(self, *args: str, profile: Path | None = None) -> dict[str, Any]:
        extra = {"RECLAIM_BENCH_PROFILE": str(profile)} if profile else None
        out = self.run([PYTHON, "-m", "bench.ops", *args], extra)
        return json.loads(out.strip().splitlines()[-1])

    def status(self) -> dict[str, Any]:
        return self.ops("status")


# --- The stack ------------------------------------------------------------------------


class Stack:
    """gunicorn, the task worker and the scheduler, each in its own process group."""

    def __init__(self, env: Pass, worker_class: str, workers: int, threads: int) -> None:
        self.p = env
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
            self.p.host,
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

    def start(self, only: list[str] | None = None) -> None:
        for name, cmd in self.commands().items():
            if only is not None and name not in only:
                continue
            log = open(self.p.dir / f"{name}.log", "ab")  # noqa: SIM115 (lives with the process)
            self.procs[name] = subprocess.Popen(
                cmd, cwd=ROOT, env=self.p.env, stdout=log, stderr=log, start_new_session=True
            )
        self.wait_ready()

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, proc in self.procs.items():
                if proc.poll() is not None:
                    log = (self.p.dir / f"{name}.log").read_text(errors="replace")[-3000:]
                    raise BenchFailure(f"{name} exited with {proc.returncode}:\n{log}")
            try:
                request = urllib.request.Request(
                    f"http://{self.p.host}/healthz", headers={"X-Forwarded-Proto": "https"}
                )
                with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                    if response.status == 200 and len(self.worker_pids()) >= self.workers:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise BenchFailure(f"gunicorn did not answer on {self.p.host} within {timeout} s")

    def worker_pids(self) -> list[int]:
        master = self.procs.get("gunicorn")
        return children(master.pid) if master else []

    def pids(self) -> list[int]:
        return [p.pid for p in self.procs.values()] + self.worker_pids()

    def stop(self, names: list[str] | None = None) -> None:
        for name, proc in list(self.procs.items()):
            if names is not None and name not in names:
                continue
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

    def rss(self) -> list[dict[str, float]]:
        return [memory(pid) for pid in self.worker_pids()]


# --- Load phases ----------------------------------------------------------------------


class Runner:
    def __init__(self, p: Pass, sizes: Sizes, args: argparse.Namespace) -> None:
        self.p, self.sizes, self.args = p, sizes, args
        self.failures: list[str] = []
        self.run_id = 0

    def scenario(self, kind: str, name: str, **extra: Any) -> dict[str, Any]:
        self.run_id += 1
        fx = self.p.fixtures
        return {
            "kind": kind,
            "name": name,
            "connect": self.p.host,
            "host": self.p.host,
            "clients": CLIENTS,
            "duration": self.sizes.duration,
            "warmup": self.sizes.warmup,
            "max_requests": self.sizes.max_requests,
            "run_id": f"{self.p.db[0]}{os.getpid()}r{self.run_id}",
            "sign_path": f"/en/p/{fx['petition']}/",
            "form_path": f"/en/p/{fx['petition']}/",
            "countries": list(fx["countries"]),
            "weights": list(fx["countries"].values()),
            **extra,
        }

    def load(
        self,
        spec: dict[str, Any],
        stack: Stack | None = None,
        check: bool = True,
        profile: str | None = None,
    ) -> dict[str, Any]:
        """Run one load phase in a separate process; returns its figures with the CPU
        the stack, the database, the client and everything else on the machine used."""
        settle_s = self.settle(stack) if stack else 0.0
        spec_file = self.p.dir / f"scenario-{spec['name']}.json"
        result_file = self.p.dir / f"result-{spec['name']}.json"
        spec_file.write_text(json.dumps(spec))
        ours = stack.pids() if stack else []
        db_pids = pids_with(self.p.pg_name) if self.p.pg_name else []
        before = {pid: proc_cpu(pid) for pid in ours + db_pids}
        busy0, total0 = cpu_busy()
        load0 = loadavg()
        spy = None
        if profile and stack:
            spy = self.py_spy(stack, profile, spec)
        client = subprocess.Popen(
            [PYTHON, "-m", "bench.load", str(spec_file), str(result_file)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        rss_peak: list[dict[str, float]] = []
        while client.poll() is None:
            time.sleep(0.25)
            if stack:
                rss_peak = stack.rss() or rss_peak
        if spy:
            spy.wait()
        if client.returncode != 0:
            raise BenchFailure(f"the load process failed in phase {spec['name']}")
        busy1, total1 = cpu_busy()
        result = json.loads(result_file.read_text())
        ncpu = os.cpu_count() or 1
        wall = result["wall_s"]
        after = stack.pids() if stack else []
        stack_cpu = sum(proc_cpu(pid) - before.get(pid, 0.0) for pid in after)
        # Backends come and go (connections are recycled): a new one counts from zero, one
        # that ended is lost (its CPU is then in "other").
        db_now = pids_with(self.p.pg_name) if self.p.pg_name else []
        db_cpu = sum(max(0.0, proc_cpu(pid) - before.get(pid, 0.0)) for pid in db_now)
        machine_cpu = (busy1 - busy0) / TICK
        result.update(
            loadavg_before=load0,
            loadavg_after=loadavg(),
            cpu_machine_pct=100 * (busy1 - busy0) / max(total1 - total0, 1),
            cpu_stack_s=stack_cpu,
            cpu_db_s=db_cpu,
            cpu_other_s=max(0.0, machine_cpu - stack_cpu - db_cpu - result["client_cpu_s"]),
            cpu_capacity_s=wall * ncpu,
            rss_mb=[round(m.get("VmRSS", 0), 1) for m in rss_peak],
            settle_s=settle_s,
        )
        say(
            f"  {spec['name']:<22} {result['rate']:8.1f}/s  p50 {result['p50_ms']:7.1f} ms  "
            f"p99 {result['p99_ms']:7.1f} ms  ok {result['ok']}/{result['requests']}  "
            f"errors {result['error_rate']:.1%}  cpu: stack {stack_cpu:.1f}s db {db_cpu:.1f}s "
            f"client {result['client_cpu_s']:.1f}s other {result['cpu_other_s']:.1f}s "
            f"of {wall * ncpu:.1f}s"
        )
        if check and (result["error_rate"] > MAX_ERROR_RATE or result["ok"] == 0):
            self.failures.append(
                f"{self.p.db} {spec['name']}: {result['error_rate']:.1%} errors "
                f"{result['statuses']} {result['errors']}"
            )
        return result

    def settle(self, stack: Stack, limit: float = 180) -> float:
        """Wait until the web workers are idle: a phase must not start while the workers
        still answer the requests of the one before (a sync worker finishes every request
        it accepted, even when its client gave up). Returns the seconds waited."""
        started = time.monotonic()
        while time.monotonic() - started < limit:
            pids = stack.worker_pids()
            before = sum(proc_cpu(pid) for pid in pids)
            time.sleep(0.5)
            if sum(proc_cpu(pid) for pid in pids) - before < 0.05:
                break
        return time.monotonic() - started

    def py_spy(self, stack: Stack, profile: str, spec: dict[str, Any]) -> subprocess.Popen[bytes]:
        out = Path(self.args.profile) / f"{self.p.db}-{profile}.txt"
        seconds = int(spec["warmup"] + spec["duration"]) + 1
        master = stack.procs["gunicorn"].pid
        return subprocess.Popen(
            [
                str(Path(PYTHON).parent / "py-spy"),
                "record",
                "--pid",
                str(master),
                "--subprocesses",
                "--duration",
                str(seconds),
                "--rate",
                "200",
                "--format",
                "raw",
                "--output",
                str(out),
                "--nonblocking",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def drain(self, what: str) -> dict[str, Any]:
        """Wait until the worker has sent every queued mail. Returns how many were queued,
        how long it took and the worker's sending rate (from the mail files' times)."""
        started = time.monotonic()
        wall = time.time()
        before = self.p.status()
        while before["outbox"] or before["tasks_ready"]:
            time.sleep(2)
            state = self.p.status()
            if state["outbox"] == 0 and state["tasks_ready"] == 0:
                break
            if time.monotonic() - started > self.sizes.drain_timeout:
                self.failures.append(f"{self.p.db}: mail for {what} not sent: {state}")
                break
        elapsed = time.monotonic() - started
        # Messages, not files: one file holds a whole batch sent over one connection.
        read_before = len(self.p.mailbox.times)
        self.p.mailbox.scan()
        times = [t for t in self.p.mailbox.times[read_before:] if t >= wall]
        span = (max(times) - wall) if times else 0.0
        return {
            "queued": before["outbox"],
            "seconds": elapsed,
            "sent": len(times),
            "rate": len(times) / span if span > 0 else 0.0,
        }

    def tokens(self, addresses: list[str]) -> list[list[str]]:
        self.p.mailbox.scan()
        pairs = []
        for address in addresses:
            token = self.p.mailbox.token(address)
            if token:
                pairs.append([address, token])
        if len(pairs) < len(addresses):
            self.failures.append(
                f"{self.p.db}: {len(addresses) - len(pairs)} of {len(addresses)} "
                "accepted signatures have no confirmation mail"
            )
        return pairs


def strip(result: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in result.items() if k not in ("accepted", "confirmed")}


# --- The performance pass -------------------------------------------------------------


def performance_pass(db: str, sizes: Sizes, args: argparse.Namespace) -> dict[str, Any]:
    say(f"== {db}: setting up a fresh data folder" + (" and database" if db == "postgres" else ""))
    p = Pass(db, "perf")
    runner = Runner(p, sizes, args)
    ncpu = os.cpu_count() or 1
    workers = args.workers or 2 * ncpu
    out: dict[str, Any] = {
        "db": db,
        "workers": workers,
        "threads": args.threads,
        "clients": CLIENTS,
    }
    stack: Stack | None = None
    try:
        started = time.monotonic()
        p.prepare()
        out["setup_s"] = time.monotonic() - started
        fx = p.fixtures
        petition, million, eci = fx["petition"], fx["million"], fx["eci"]
        accepted: list[str] = []
        classes: dict[str, Any] = {}
        for worker_class in args.worker_classes:
            say(f"-- {db}: gunicorn {workers} {worker_class} workers")
            stack = Stack(p, worker_class, workers, args.threads)
            stack.start()
            phases: dict[str, Any] = {}
            prof = "sign-" + worker_class if args.profile else None
            phases["floor"] = runner.load(runner.scenario("floor", f"floor-{worker_class}"), stack)
            sign = runner.load(runner.scenario("sign", f"sign-{worker_class}"), stack, profile=prof)
            accepted += sign["accepted"]
            phases["sign"] = strip(sign)
            # The task worker sends the phase's mails before the next phase starts, so that
            # no phase pays for the one before; how fast it sends them is a figure too.
            phases["mail"] = runner.drain(f"the signing phase ({worker_class})")
            counter = f"/api/petitions/{petition}/count.json"
            phases["counter"] = runner.load(
                runner.scenario("get", f"counter-{worker_class}", paths=[counter]), stack
            )
            phases["page"] = runner.load(
                runner.scenario("get", f"page-{worker_class}", paths=[f"/en/p/{petition}/"]),
                stack,
            )
            phases["rss_mb"] = [round(m.get("VmRSS", 0), 1) for m in stack.rss()]
            phases["hwm_mb"] = [round(m.get("VmHWM", 0), 1) for m in stack.rss()]
            classes[worker_class] = phases
            stack.stop(["gunicorn"])
            stack.stop()
            stack = None
        out["classes"] = {
            k: {n: strip(v) if isinstance(v, dict) else v for n, v in ph.items()}
            for k, ph in classes.items()
        }
        # The faster signer; within 10 % of each other, the one with the lower p99.
        chosen = max(classes, key=lambda k: classes[k]["sign"]["rate"])
        for other in classes:
            a, b = classes[chosen]["sign"], classes[other]["sign"]
            if b["rate"] >= 0.9 * a["rate"] and b["p99_ms"] < a["p99_ms"]:
                chosen = other
        out["chosen"] = chosen
        say(f"-- {db}: the rest runs on {chosen} workers")
        stack = Stack(p, chosen, workers, args.threads)
        stack.start()
        phases = dict(classes[chosen])

        # Confirmation: the tokens are in the mails of the signatures just made.
        out["mail_drain"] = runner.drain("the signing phases")
        pairs = runner.tokens(accepted)
        phases["confirm"] = strip(
            runner.load(
                runner.scenario("confirm", "confirm", tokens=pairs, max_requests=len(pairs)),
                stack,
            )
        )
        check = f"/en/eci/{eci}/check/?nationality=DE&age=34"
        phases["eci_check"] = runner.load(
            runner.scenario("get", "eci-check", paths=[check], duration=sizes.short), stack
        )
        phases["eci_dashboard"] = runner.load(
            runner.scenario(
                "get", "eci-dashboard", paths=[f"/en/eci/{eci}/dashboard/"], duration=sizes.short
            ),
            stack,
        )
        out["phases"] = phases
        out["proxy"] = proxy_phases(p, sizes, f"/api/petitions/{petition}/count.json")
        if "failure" in out["proxy"]:
            runner.failures.append(f"{db}: {out['proxy']['failure']}")

        # How long a confirmed signature takes to reach the public count, under load.
        say(f"-- {db}: count visibility under signing load")
        probe = fx["probe"]
        probe_sign = runner.load(
            runner.scenario(
                "sign",
                "probe-signatures",
                clients=1,
                warmup=0,
                duration=60,
                max_requests=sizes.probes + 1,
                sign_path=f"/en/p/{probe}/",
                form_path=f"/en/p/{probe}/",
            ),
            stack,
        )
        runner.drain("the probe signatures")
        probe_tokens = [t for _a, t in runner.tokens(probe_sign["accepted"])]
        idle_token = probe_tokens.pop() if len(probe_tokens) > 1 else None
        baseline = p.status()["petitions"][probe]["counted"]
        vis = runner.load(
            runner.scenario(
                "sign",
                "sign-while-probing",
                probe={
                    "tokens": probe_tokens,
                    "baseline": baseline,
                    "form_path": f"/en/p/{probe}/",
                    "counter_path": f"/api/petitions/{probe}/count.json",
                    "delay": sizes.warmup + 1,
                    "timeout": sizes.probe_timeout,
                    "gap": 1.0,
                    "max_seconds": sizes.warmup + len(probe_tokens) * (sizes.probe_timeout + 2) + 5,
                },
            ),
            stack,
        )
        out["visibility"] = {
            "load": strip(vis),
            "probes": vis["probes"],
            "timeout": sizes.probe_timeout,
        }
        say(f"  probes: {vis['probes']}")
        if idle_token:
            # The same with no load at all: the lag is then set by the caches alone.
            idle = runner.load(
                runner.scenario(
                    "sign",
                    "probe-without-load",
                    clients=0,
                    warmup=0,
                    duration=0,
                    probe={
                        "tokens": [idle_token],
                        "baseline": p.status()["petitions"][probe]["counted"],
                        "form_path": f"/en/p/{probe}/",
                        "counter_path": f"/api/petitions/{probe}/count.json",
                        "delay": 0.5,
                        "timeout": sizes.probe_timeout,
                        "gap": 0,
                        "max_seconds": sizes.probe_timeout + 10,
                    },
                ),
                stack,
                check=False,
            )
            out["visibility"]["idle"] = idle["probes"]
            say(f"  probe without load: {idle['probes']}")
        out["rss_mb"] = [round(m.get("VmRSS", 0), 1) for m in stack.rss()]
        out["hwm_mb"] = [round(m.get("VmHWM", 0), 1) for m in stack.rss()]

        # A million signatures (a thousand in the smoke run).
        say(f"-- {db}: loading {sizes.rows:,} confirmed signatures")
        stack.stop()
        stack = None
        # The mail still queued from the visibility phase is not needed: dropped, so that
        # the worker does not send it while the big-petition figures are measured.
        out["discarded_mail"] = p.ops("discard_mail")
        big: dict[str, Any] = {"rows": sizes.rows}
        big["bulkload"] = p.ops("bulkload", str(sizes.rows))
        say(f"  bulk load: {big['bulkload']}")
        prof_dir = Path(args.profile) if args.profile else None
        big["aggregate"] = p.ops(
            "aggregate", profile=prof_dir / f"{db}-aggregate.txt" if prof_dir else None
        )
        say(f"  aggregation: {big['aggregate']}")
        stack = Stack(p, chosen, workers, args.threads)
        stack.start()
        big_phases: dict[str, Any] = {}
        big_phases["counter"] = runner.load(
            runner.scenario(
                "get",
                "big-counter",
                paths=[f"/api/petitions/{million}/count.json"],
                duration=sizes.short,
            ),
            stack,
        )
        big_phases["page"] = runner.load(
            runner.scenario("get", "big-page", paths=[f"/en/p/{million}/"], duration=sizes.short),
            stack,
        )
        # The list of signatories pages through the listed people: few clients and a long
        # timeout, so that a slow page is measured rather than timed out.
        big_phases["signatories"] = runner.load(
            runner.scenario(
                "get",
                "big-signatories",
                paths=[f"/en/p/{million}/signatories/"],
                clients=4,
                warmup=0,
                duration=1,
                warm_request=False,
                max_requests=8,
                timeout=600,
            ),
            stack,
        )
        big_phases["sign"] = strip(
            runner.load(
                runner.scenario(
                    "sign",
                    "big-sign",
                    sign_path=f"/en/p/{million}/",
                    form_path=f"/en/p/{million}/",
                    duration=sizes.short,
                ),
                stack,
            )
        )
        big["phases"] = big_phases
        say(f"-- {db}: export (decryption) of the big petition, the stack idle beside it")
        big["export"] = p.ops(
            "export",
            str(p.key_file),
            PASSPHRASE,
            str(p.dir / "export.csv"),
            profile=prof_dir / f"{db}-export.txt" if prof_dir else None,
        )
        say(f"  export: {big['export']}")
        big["purge"] = p.ops("purge", profile=prof_dir / f"{db}-purge.txt" if prof_dir else None)
        say(f"  purge: {big['purge']}")
        if big["export"]["written"] < sizes.rows or big["purge"]["left_with_data"]:
            runner.failures.append(f"{db}: export or purge incomplete: {big}")
        out["million"] = big
    finally:
        if stack is not None:
            stack.stop()
        p.cleanup(args.keep)
    out["failures"] = runner.failures
    return out


# --- The deployment's proxy -----------------------------------------------------------


def proxy_phases(p: Pass, sizes: Sizes, counter: str) -> dict[str, Any]:
    """The counter as the deployment serves it: through nginx with the caching rules of
    docs/deploy/reclaim-locations.conf (TLS included), and for comparison straight from
    gunicorn, both driven by wrk (C, so that the load generator is not the limit)."""
    missing = proxy.available()
    if missing:
        say(f"  proxy phases skipped: not installed: {missing}")
        return {"skipped": f"not installed: {missing}"}
    px = proxy.Proxy(p.dir, p.host, free_port())
    px.start()
    try:
        probes = [px.probe(counter) for _ in range(3)]
        out: dict[str, Any] = {"probes": probes}
        for name, url, headers in (
            ("direct", f"http://{p.host}{counter}", {"X-Forwarded-Proto": "https"}),
            ("through_proxy", f"https://127.0.0.1:{px.port}{counter}", {}),
        ):
            busy0, total0 = cpu_busy()
            result = proxy.wrk(url, sizes.short, CLIENTS, headers)
            busy1, total1 = cpu_busy()
            result["cpu_machine_pct"] = 100 * (busy1 - busy0) / max(total1 - total0, 1)
            say(
                f"  counter, wrk {name:<14} {result['rate']:8.1f}/s  p50 {result['p50_ms']:7.1f}"
                f" ms  p99 {result['p99_ms']:7.1f} ms  errors {result['error_rate']:.1%}"
            )
            result.pop("raw")
            out[name] = result
    finally:
        px.stop()
    if [status for status, _ in probes] != [200, 200, 200] or "HIT" not in {c for _, c in probes}:
        out["failure"] = f"the proxy did not serve the counter from its cache: {probes}"
    return out


# --- Crash safety ---------------------------------------------------------------------


def crash_pass(db: str, sizes: Sizes, args: argparse.Namespace) -> dict[str, Any]:
    say(f"== {db}: crash safety")
    p = Pass(db, "crash")
    runner = Runner(p, sizes, args)
    workers = args.workers or 2 * (os.cpu_count() or 1)
    worker_class = args.worker_classes[0]
    out: dict[str, Any] = {"db": db, "workers": workers, "worker_class": worker_class}
    stack: Stack | None = None
    try:
        p.prepare()
        stack = Stack(p, worker_class, workers, args.threads)
        stack.start()
        first = runner.load(
            runner.scenario("sign", "crash-before", max_requests=sizes.crash_first, duration=60)
        )
        runner.drain("the signatures before the crash")
        pairs = runner.tokens(first["accepted"])
        spec = runner.scenario(
            "crash",
            "crash-burst",
            tokens=pairs,
            warmup=0,
            duration=sizes.crash_burst,
        )
        spec_file = p.dir / "scenario-crash.json"
        result_file = p.dir / "result-crash.json"
        spec_file.write_text(json.dumps(spec))
        client = subprocess.Popen(
            [PYTHON, "-m", "bench.load", str(spec_file), str(result_file)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        time.sleep(sizes.crash_kill_after)
        say(
            f"  SIGKILL to gunicorn (master and {len(stack.worker_pids())} workers), "
            "the task worker and the scheduler"
        )
        stack.kill()
        killed_at = time.monotonic()
        time.sleep(1)
        stack = Stack(p, worker_class, workers, args.threads)
        stack.start()
        out["restart_s"] = time.monotonic() - killed_at
        say(f"  restarted after {out['restart_s']:.1f} s")
        client.wait()
        if client.returncode != 0:
            raise BenchFailure("the crash burst's load process failed")
        burst = json.loads(result_file.read_text())
        out["burst"] = strip(burst) | {
            "accepted": len(burst["accepted"]),
            "confirmed": len(burst["confirmed"]),
        }
        say(f"  burst: {burst['statuses']} {burst['errors']}")
        accepted = first["accepted"] + burst["accepted"]
        confirmed = list(burst["confirmed"])
        # Mails whose worker nudge died with the processes go out through the scheduler's
        # stale-mail job (every 30 s, for mails older than 30 s).
        out["drain"] = runner.drain("after the crash")
        done = set(confirmed)
        rest = [pair for pair in runner.tokens(accepted) if pair[0] not in done]
        after = runner.load(
            runner.scenario(
                "confirm",
                "crash-confirm-rest",
                tokens=rest,
                max_requests=len(rest),
                warmup=0,
                duration=120,
            ),
            check=False,
        )
        confirmed += after["confirmed"]
        p.mailbox.scan()
        files = {}
        for name, data in (
            ("accepted", accepted),
            ("confirmed", confirmed),
            ("mailed", sorted(p.mailbox.mailed)),
        ):
            files[name] = p.dir / f"crash-{name}.json"
            files[name].write_text(json.dumps(data))
        # The counts converge: the public counter reaches the confirmed rows.
        target = p.status()["petitions"][p.fixtures["petition"]]["counted"]
        started = time.monotonic()
        seen = -1
        while time.monotonic() - started < 120:
            request = urllib.request.Request(
                f"http://{p.host}/api/petitions/{p.fixtures['petition']}/count.json",
                headers={"X-Forwarded-Proto": "https"},
            )
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                seen = json.loads(response.read())["total"]
            if seen == target:
                break
            time.sleep(0.5)
        out["counter"] = {"target": target, "seen": seen, "seconds": time.monotonic() - started}
        check = p.ops(
            "crashcheck", str(files["accepted"]), str(files["confirmed"]), str(files["mailed"])
        )
        out["check"] = check
        problems = []
        if check["missing"]:
            problems.append(f"{check['missing']} acknowledged signatures missing")
        if check["duplicates"]:
            problems.append(f"{check['duplicates']} addresses stored twice")
        if check["confirm_lost"]:
            problems.append(f"{check['confirm_lost']} acknowledged confirmations lost")
        if check["not_mailed"] or check["outbox_left"]:
            problems.append(f"{check['not_mailed']} signers never mailed")
        if not check["per_country_match"] or check["aggregated_now"] != check["counted_rows"]:
            problems.append("aggregated counts differ from the rows")
        if seen != target:
            problems.append(f"public count {seen} never reached the {target} confirmed rows")
        if not burst["accepted"]:
            problems.append("no signature was accepted during the burst")
        out["passed"] = not problems
        out["problems"] = problems
        say(f"  check: {check}")
        say("  PASSED" if not problems else f"  FAILED: {problems}")
        runner.failures += [f"{db} crash: {x}" for x in problems]
    finally:
        if stack is not None:
            stack.stop()
        p.cleanup(args.keep)
    out["failures"] = runner.failures
    return out


# --- Report ---------------------------------------------------------------------------

TARGETS = {
    "sign_rate": 1000,
    "sign_p99_ms": 100,
    "sign_floor_ratio": 0.5,
    "counter_rate": 3000,
    "page_rate": 1000,
    "visible_s": 5,
    "rss_mb": 150,
    "aggregate_s": 10,
    "export_rows_s": 20_000,
    "purge_rows_s": 50_000,
}


def fmt(value: float | None, unit: str = "", digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}{unit}"


def mark(ok: bool) -> str:
    return "met" if ok else "**not met**"


def target_rows(res: dict[str, Any]) -> list[list[str]]:
    ph = res["phases"]
    floor = ph["floor"]["rate"] or 1
    probes = res["visibility"]["probes"]
    stable = [x["stable_s"] for x in probes]
    worst = None if not stable or None in stable else max(stable)
    first = [x["first_s"] for x in probes if x["first_s"] is not None]
    rss = max(res.get("hwm_mb") or [0])
    big = res["million"]
    timeout = res["visibility"].get("timeout", 0)
    worst_text = fmt(worst, " s", 1) if worst is not None else f"> {timeout:.0f} s"
    visible = f"{worst_text} / {fmt(max(first) if first else None, ' s', 1)}"
    worst_ok = worst is not None and worst < 5
    rows = [
        ("Signing, accepted/s (≥ 1,000)", fmt(ph["sign"]["rate"]), ph["sign"]["rate"] >= 1000),
        (
            "Signing p99 at 64 clients (< 100 ms)",
            fmt(ph["sign"]["p99_ms"], " ms"),
            ph["sign"]["p99_ms"] < 100,
        ),
        (
            "Signing ÷ floor (≥ 0.5)",
            fmt(ph["sign"]["rate"] / floor, "", 2),
            ph["sign"]["rate"] / floor >= 0.5,
        ),
        (
            "Counter JSON, req/s (≥ 3,000)",
            fmt(ph["counter"]["rate"]),
            ph["counter"]["rate"] >= 3000,
        ),
    ]
    through = res.get("proxy", {}).get("through_proxy")
    if through:
        rows.append(
            (
                "Counter JSON through the deployment's nginx (docs/deploy), req/s (≥ 3,000)",
                fmt(through["rate"]),
                through["rate"] >= 3000,
            )
        )
    rows += [
        ("Petition page, req/s (≥ 1,000)", fmt(ph["page"]["rate"]), ph["page"]["rate"] >= 1000),
        ("Count visible under load (< 5 s): every poll / first poll", visible, worst_ok),
        ("Peak RSS per worker (< 150 MB)", fmt(rss, " MB", 1), rss < 150),
        (
            f"{big['rows']:,} rows: aggregation catch-up (< 10 s)",
            fmt(big["aggregate"]["catch_up_s"], " s", 2),
            big["aggregate"]["catch_up_s"] < 10,
        ),
        (
            f"{big['rows']:,} rows: export rows/s (≥ 20,000)",
            fmt(big["export"]["rows_per_s"]),
            big["export"]["rows_per_s"] >= 20000,
        ),
        (
            f"{big['rows']:,} rows: purge rows/s (≥ 50,000)",
            fmt(big["purge"]["rows_per_s"]),
            big["purge"]["rows_per_s"] >= 50000,
        ),
    ]
    return [[name, value, mark(ok)] for name, value, ok in rows]


def proxy_lines(px: dict[str, Any]) -> list[str]:
    if not px:
        return []
    if "skipped" in px:
        return [f"Counter through the deployment's nginx: skipped ({px['skipped']}).", ""]
    rows = [
        [
            label,
            fmt(px[key]["rate"]),
            fmt(px[key]["p50_ms"], " ms", 1),
            fmt(px[key]["p99_ms"], " ms", 1),
            f"{px[key]['requests']:,}",
            f"{px[key]['error_rate']:.1%}",
            f"{px[key]['cpu_machine_pct']:.0f} %",
        ]
        for label, key in (
            ("gunicorn directly", "direct"),
            ("nginx (TLS, cache) in front", "through_proxy"),
        )
        if key in px
    ]
    return (
        [
            f"The counter JSON driven by wrk ({CLIENTS} connections), straight from gunicorn "
            "and through nginx configured with `docs/deploy/reclaim-locations.conf` (the "
            "deployment's caching rules, TLS with a self-signed certificate). First three "
            f"requests through nginx (status, X-Cache): {px['probes']}.",
            "",
        ]
        + table(rows, ["counter", "ok/s", "p50", "p99", "requests", "errors", "machine CPU"])
        + [""]
    )


def phase_table(phases: dict[str, Any], floor_rate: float) -> list[str]:
    """One row per phase. "CPU ms/request" is the stack's CPU (web workers, task worker,
    scheduler, and on PostgreSQL its backends) per request of the phase: the figure that
    other load on the machine disturbs least, and 1000 × cores ÷ it is the rate the
    stack could reach on this machine were it alone and CPU-bound."""
    lines = [
        "| phase | ok/s | p50 | p99 | ÷ floor | requests | errors | CPU ms/request "
        "| CPU s: stack / db / client / other of capacity |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, r in phases.items():
        if not isinstance(r, dict) or "p50_ms" not in r:
            continue
        per_request = 1000 * (r["cpu_stack_s"] + r["cpu_db_s"]) / max(r["all_requests"], 1)
        lines.append(
            f"| {name} | {fmt(r['rate'])} | {fmt(r['p50_ms'], ' ms', 1)} | "
            f"{fmt(r['p99_ms'], ' ms', 1)} | {r['rate'] / (floor_rate or 1):.2f} | "
            f"{r['requests']:,} | {r['error_rate']:.1%} | {per_request:.2f} | "
            f"{r['cpu_stack_s']:.1f} / {r['cpu_db_s']:.1f} / {r['client_cpu_s']:.1f} / "
            f"{r['cpu_other_s']:.1f} of {r['cpu_capacity_s']:.1f} s |"
        )
    return lines


def table(rows: list[list[str]], header: list[str]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def render(all_results: dict[str, Any]) -> str:
    lines = ["# Benchmarks", ""]
    lines += [
        "Written by `python bench/run.py` (issue 5); the numbers below are regenerated on every "
        "run, the analysis at the end is kept in `bench/findings.md`. Ratios to the floor are "
        "what to compare between machines.",
        "",
    ]
    for key in ("full", "smoke"):
        runs = {db: r for db, r in all_results.get(key, {}).items()}
        if not runs:
            continue
        lines += [f"## {'Full run' if key == 'full' else 'Smoke run (CI)'}", ""]
        lines += machine_lines(next(iter(runs.values()))["meta"])
        dbs = list(runs)
        lines += ["### Targets", ""]
        per_db = {db: target_rows(r) for db, r in runs.items()}
        rows = []
        for i, first in enumerate(per_db[dbs[0]]):
            row = [first[0]]
            for db in dbs:
                row += [per_db[db][i][1], per_db[db][i][2]]
            rows.append(row)
        header = ["target"] + [h for db in dbs for h in (db, "")]
        lines += table(rows, header) + [""]
        for db, r in runs.items():
            floor = r["phases"]["floor"]["rate"]
            lines += [
                f"### {db}: {r['workers']} gunicorn {r['chosen']} workers"
                + (f" × {r['threads']} threads" if r["chosen"] == "gthread" else "")
                + f", {r['clients']} clients",
                "",
                f"`{r['meta']['command']}`, {r['meta']['date']}, load average before / after "
                f"{r['meta']['loadavg_before']} / {r['meta']['loadavg_after']}.",
                "",
            ]
            if r.get("failures"):
                lines += ["Failures of this run:", ""]
                lines += [f"- {f}" for f in r["failures"]] + [""]
            lines += phase_table(r["phases"], floor) + [""]
            lines += ["Worker classes compared (same fresh data, same order of phases):", ""]
            rows = []
            for wc, ph in r["classes"].items():
                for name in ("floor", "sign", "counter", "page"):
                    x = ph[name]
                    rows.append(
                        [
                            wc,
                            name,
                            fmt(x["rate"]),
                            fmt(x["p50_ms"], " ms", 1),
                            fmt(x["p99_ms"], " ms", 1),
                        ]
                    )
                rows.append([wc, "RSS after (MB)", ", ".join(map(str, ph["rss_mb"])), "", ""])
            lines += table(rows, ["class", "phase", "ok/s", "p50", "p99"]) + [""]
            lines += proxy_lines(r.get("proxy", {}))
            vis = r["visibility"]
            lines += [
                "Count visibility: a confirmation posted on the probe petition while "
                f"{CLIENTS} clients sign the main one "
                f"({fmt(vis['load']['rate'])} accepted/s during the probes): seconds until the "
                "first poll of the public counter shows it, and until every poll shows it "
                "(20 polls in a row, 100 ms apart):",
                "",
            ]
            lines += table(
                [
                    [str(i + 1), fmt(x["first_s"], " s", 2), fmt(x["stable_s"], " s", 2)]
                    for i, x in enumerate(vis["probes"])
                ],
                ["probe", "first poll", "every poll"],
            ) + [""]
            for x in vis.get("idle", []):
                lines += [
                    "The same probe with no load on the site: first poll "
                    f"{fmt(x['first_s'], ' s', 2)}, every poll {fmt(x['stable_s'], ' s', 2)} "
                    f"(– : not within {vis['timeout']:.0f} s).",
                    "",
                ]
            mails = [(wc, ph["mail"]) for wc, ph in r["classes"].items() if "mail" in ph]
            if not mails:
                mails = [("both classes", r["mail_drain"])]
            lines += [
                "Mail: the single task worker sends confirmation mails while the signing goes "
                "on; when a signing phase ended, "
                + "; ".join(
                    f"{md['queued']:,} were still queued ({wc}) and went out in "
                    f"{md['seconds']:.1f} s (the harness polls every 2 s), at least "
                    f"{fmt(md['queued'] / md['seconds'] if md['seconds'] else 0)} mails/s"
                    for wc, md in mails
                )
                + ".",
                "",
                f"Resident memory per worker at the end (VmRSS): {r['rss_mb']} MB; "
                f"peak (VmHWM): {r['hwm_mb']} MB.",
                "",
            ]
            big = r["million"]
            b = big["bulkload"]
            lines += [
                f"With {big['rows']:,} confirmed signatures (bulk-loaded in {b['insert_s']:.1f} s, "
                f"{fmt(b['rows_per_s'])} rows/s, {b['distinct_boxes']} distinct real sealed boxes "
                "reused; PostgreSQL then VACUUM ANALYZE as autovacuum would):",
                "",
            ]
            agg, exp, pur = big["aggregate"], big["export"], big["purge"]
            rows = [
                ["aggregation, first run (catch-up)", fmt(agg["catch_up_s"], " s", 2)],
                ["aggregation, next run (every 3 s)", fmt(agg["again_s"], " s", 2)],
                [
                    "export (decrypt to CSV)",
                    f"{fmt(exp['rows_per_s'])} rows/s ({exp['written']:,} rows in "
                    f"{exp['seconds']:.1f} s)",
                ],
                [
                    "purge (retention)",
                    f"{fmt(pur['rows_per_s'])} rows/s ({pur['wiped']:,} rows in "
                    f"{pur['seconds']:.1f} s)",
                ],
            ]
            lines += table(rows, ["operation", "result"]) + [""]
            lines += phase_table(big["phases"], floor) + [""]
    crash = all_results.get("crash", {}) or all_results.get("crash-smoke", {})
    if crash:
        meta = next(iter(crash.values()))["meta"]
        lines += ["## Crash safety", ""]
        lines += [
            f"`{meta['command']}`, {meta['date']}. During a burst of {CLIENTS} clients (half "
            "signing, half confirming signatures made before), gunicorn (master and workers), "
            "the task worker and the scheduler are killed with SIGKILL, restarted, and the "
            "burst goes on. Then every remaining signature is confirmed and the checks run.",
            "",
        ]
        rows = []
        for db, r in crash.items():
            c = r["check"]
            rows.append(
                [
                    db,
                    "passed" if r["passed"] else "**FAILED**: " + "; ".join(r["problems"]),
                    f"{c['accepted']:,}",
                    f"{c['missing']}",
                    f"{c['rows_without_success_response']}",
                    f"{c['duplicates']}",
                    f"{c['confirm_acknowledged']:,} / {c['confirm_lost']}",
                    f"{c['not_mailed']}",
                    f"{c['counted_rows']:,} / {c['aggregated_now']:,} / {r['counter']['seen']:,}",
                    f"{r['burst']['statuses']}",
                ]
            )
        lines += table(
            rows,
            [
                "db",
                "result",
                "acknowledged signatures",
                "missing",
                "rows without a 302",
                "stored twice",
                "confirmations acknowledged / lost",
                "never mailed",
                "confirmed rows / aggregated / public counter",
                "burst responses (-1: refused)",
            ],
        ) + [""]
    if FINDINGS.exists():
        lines += [FINDINGS.read_text().rstrip(), ""]
    return "\n".join(lines) + "\n"


def machine_lines(meta: dict[str, Any]) -> list[str]:
    m = meta["machine"]
    return [
        f"Machine: {m['nproc']} cores ({m['cpu']}, from /proc/cpuinfo), {m['memory_gb']} GB "
        f"memory, Linux {m['kernel']}; Python {m['python']}, Django {m['django']}, gunicorn "
        f"{m['gunicorn']}, SQLite {m['sqlite']}, PostgreSQL {m['postgresql']}; reclaim at "
        f"commit {m.get('commit') or 'unknown'} (`-dirty`: with uncommitted changes). Other "
        "engineers' test runs share this machine: the 'other' CPU column of each phase says "
        "how much of its capacity they took while it ran.",
        "",
    ]


def save_and_render(mode: str, results: dict[str, Any], meta: dict[str, Any], write: bool) -> None:
    """Keep the pass's figures in bench/results/ and rewrite docs/benchmarks.md from all of
    them; with ``write`` false (--no-docs, as CI runs it) nothing is written."""
    if not write:
        return
    RESULTS.mkdir(exist_ok=True)
    for db, r in results.items():
        r["meta"] = meta
        (RESULTS / f"{mode}-{db}.json").write_text(json.dumps(r, indent=1, default=str))
    render_docs()


def render_docs() -> None:
    collected: dict[str, dict[str, Any]] = {}
    for path in sorted(RESULTS.glob("*.json")):
        mode_name, _, db = path.stem.rpartition("-")
        collected.setdefault(mode_name, {})[db] = json.loads(path.read_text())
    DOCS.write_text(render(collected))
    say(f"wrote {DOCS.relative_to(ROOT)}")


def print_summary(results: dict[str, Any], crash: bool) -> None:
    for db, r in results.items():
        print(f"\n{db}:")
        if crash:
            print("  crash safety:", "passed" if r.get("passed") else f"FAILED {r.get('problems')}")
            print("  ", r.get("check"))
            continue
        for name, value, status in target_rows(r):
            print(f"  {name:<58} {value:>22}  {status.replace('*', '')}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="a few seconds of each, tiny counts")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--crash", action="store_true", help="the crash-safety check instead")
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (2 × cores)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument(
        "--worker-class",
        dest="worker_classes",
        action="append",
        choices=["sync", "gthread"],
        help="repeatable; default: both, and the faster signer is used for the rest",
    )
    parser.add_argument("--profile", metavar="DIR", help="py-spy and pyinstrument output here")
    parser.add_argument("--keep", action="store_true", help="keep the data folder and database")
    parser.add_argument(
        "--no-docs", action="store_true", help="write neither bench/results/ nor the docs"
    )
    parser.add_argument(
        "--render", action="store_true", help="only rewrite the docs from bench/results/"
    )
    args = parser.parse_args()
    if args.render:
        render_docs()
        return 0
    args.worker_classes = args.worker_classes or ["sync", "gthread"]
    if args.profile:
        Path(args.profile).mkdir(parents=True, exist_ok=True)
    sizes = SMOKE if args.smoke else FULL
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    meta: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "python bench/run.py " + " ".join(sys.argv[1:]),
        "machine": machine(),
        "loadavg_before": loadavg(),
    }
    say(f"machine: {meta['machine']}; load average {meta['loadavg_before']}")
    results: dict[str, Any] = {}
    failures: list[str] = []
    for db in dbs:
        try:
            if args.crash:
                results[db] = crash_pass(db, sizes, args)
            else:
                results[db] = performance_pass(db, sizes, args)
            failures += results[db]["failures"]
        except (BenchFailure, subprocess.SubprocessError, OSError) as exc:
            failures.append(f"{db}: {exc}")
            say(f"FAILED: {exc}")
    meta["loadavg_after"] = loadavg()
    mode = (
        ("crash" if args.crash else "full")
        if not args.smoke
        else ("crash-smoke" if args.crash else "smoke")
    )
    complete = {db: r for db, r in results.items() if r}
    if complete:
        save_and_render(mode, complete, meta, not args.no_docs)
    print_summary(complete, args.crash)
    if failures:
        print("\nFAILURES:\n  " + "\n  ".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
