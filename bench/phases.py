"""One load phase: its scenario, the load process that drives it, and what the machine
did meanwhile; and between phases, the mail the task worker still has to send.

``Sizes`` says how big each phase of a pass is (``FULL``, or ``SMOKE`` for CI).
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import PYTHON, ROOT, BenchFailure, say
from bench.figures import LoadOutcome, MailDrain, PhaseFigures, extend, from_json, to_json
from bench.load import Scenario
from bench.machine import TICK, cpu_busy, loadavg, machine_pct, pids_with, proc_cpu
from bench.stack import Environment, Stack, megabytes

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


@dataclass(frozen=True)
class Options:
    """How the passes run the stack, from the command line."""

    workers: int  # gunicorn workers; 0: two per core
    threads: int  # per gthread worker
    worker_classes: list[str]  # compared in this order; the first runs the crash pass
    profile_dir: Path | None  # py-spy and pyinstrument output here
    keep: bool  # keep the data folder and database

    def worker_count(self) -> int:
        return self.workers or 2 * (os.cpu_count() or 1)


@dataclass
class Phase:
    """A phase's figures, and the addresses it got a success response for (kept in memory
    only, to read their confirmation mails)."""

    figures: PhaseFigures
    accepted: list[str]
    confirmed: list[str]


def start_load(env: Environment, scenario: Scenario) -> tuple[subprocess.Popen[bytes], Path]:
    """The load process for ``scenario``, started; and the file it writes its answer to."""
    spec_file = env.dir / f"scenario-{scenario.name}.json"
    result_file = env.dir / f"result-{scenario.name}.json"
    spec_file.write_text(json.dumps(to_json(scenario)))
    client = subprocess.Popen(
        [PYTHON, "-m", "bench.load", str(spec_file), str(result_file)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return client, result_file


def load_outcome(client: subprocess.Popen[bytes], result_file: Path, name: str) -> LoadOutcome:
    client.wait()
    if client.returncode != 0:
        raise BenchFailure(f"the load process failed in phase {name}")
    return from_json(LoadOutcome, json.loads(result_file.read_text()))


class Runner:
    """Runs the load phases of one pass against its environment; collects its failures."""

    def __init__(self, env: Environment, sizes: Sizes, profile_dir: Path | None = None) -> None:
        self.env, self.sizes, self.profile_dir = env, sizes, profile_dir
        self.failures: list[str] = []
        self.run_id = 0

    def scenario(self, kind: str, name: str, **extra: Any) -> Scenario:
        """A phase of the pass's usual size on the main petition; ``extra`` overrides."""
        self.run_id += 1
        fx = self.env.fixtures
        scenario = Scenario(
            kind=kind,
            name=name,
            connect=self.env.host,
            host=self.env.host,
            clients=CLIENTS,
            duration=self.sizes.duration,
            warmup=self.sizes.warmup,
            max_requests=self.sizes.max_requests,
            run_id=f"{self.env.db[0]}{os.getpid()}r{self.run_id}",
            sign_path=f"/en/p/{fx.petition}/",
            form_path=f"/en/p/{fx.petition}/",
            countries=list(fx.countries),
            weights=list(fx.countries.values()),
        )
        return dataclasses.replace(scenario, **extra)

    def load(
        self,
        scenario: Scenario,
        stack: Stack | None = None,
        check: bool = True,
        profile: str | None = None,
    ) -> Phase:
        """Run one load phase in a separate process; returns its figures with the CPU
        the stack, the database, the client and everything else on the machine used."""
        settle_s = self.settle(stack) if stack else 0.0
        pg_name = self.env.pg_name
        ours = stack.pids() if stack else []
        db_pids = pids_with(pg_name) if pg_name else []
        before = {pid: proc_cpu(pid) for pid in ours + db_pids}
        busy0 = cpu_busy()
        load0 = loadavg()
        spy = None
        if profile and stack and self.profile_dir:
            spy = self.py_spy(stack, self.profile_dir / f"{self.env.db}-{profile}.txt", scenario)
        client, result_file = start_load(self.env, scenario)
        memory_seen: list[dict[str, float]] = []
        while client.poll() is None:
            time.sleep(0.25)
            if stack:
                memory_seen = stack.memory() or memory_seen
        if spy:
            spy.wait()
        outcome = load_outcome(client, result_file, scenario.name)
        busy1 = cpu_busy()
        load = outcome.figures
        ncpu = os.cpu_count() or 1
        after = stack.pids() if stack else []
        stack_cpu = sum(proc_cpu(pid) - before.get(pid, 0.0) for pid in after)
        # Backends come and go (connections are recycled): a new one counts from zero, one
        # that ended is lost (its CPU is then in "other").
        db_now = pids_with(pg_name) if pg_name else []
        db_cpu = sum(max(0.0, proc_cpu(pid) - before.get(pid, 0.0)) for pid in db_now)
        machine_cpu = (busy1[0] - busy0[0]) / TICK
        figures = extend(
            load,
            PhaseFigures,
            loadavg_before=load0,
            loadavg_after=loadavg(),
            cpu_machine_pct=machine_pct(busy0, busy1),
            cpu_stack_s=stack_cpu,
            cpu_db_s=db_cpu,
            cpu_other_s=max(0.0, machine_cpu - stack_cpu - db_cpu - load.client_cpu_s),
            cpu_capacity_s=load.wall_s * ncpu,
            rss_mb=megabytes(memory_seen, "VmRSS"),
            settle_s=settle_s,
        )
        say(
            f"  {scenario.name:<22} {load.rate:8.1f}/s  p50 {load.p50_ms:7.1f} ms  "
            f"p99 {load.p99_ms:7.1f} ms  ok {load.ok}/{load.requests}  "
            f"errors {load.error_rate:.1%}  cpu: stack {stack_cpu:.1f}s db {db_cpu:.1f}s "
            f"client {load.client_cpu_s:.1f}s other {figures.cpu_other_s:.1f}s "
            f"of {load.wall_s * ncpu:.1f}s"
        )
        if check and (load.error_rate > MAX_ERROR_RATE or load.ok == 0):
            self.failures.append(
                f"{self.env.db} {scenario.name}: {load.error_rate:.1%} errors "
                f"{load.statuses} {load.errors}"
            )
        return Phase(figures, outcome.accepted, outcome.confirmed)

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

    def py_spy(self, stack: Stack, out: Path, scenario: Scenario) -> subprocess.Popen[bytes]:
        seconds = int(scenario.warmup + scenario.duration) + 1
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

    def drain(self, what: str) -> MailDrain:
        """Wait until the worker has sent every queued mail. Returns how many were queued,
        how long it took and the worker's sending rate (from the mail files' times)."""
        started = time.monotonic()
        wall = time.time()
        before = self.env.status()
        while before.outbox or before.tasks_ready:
            time.sleep(2)
            state = self.env.status()
            if state.outbox == 0 and state.tasks_ready == 0:
                break
            if time.monotonic() - started > self.sizes.drain_timeout:
                self.failures.append(f"{self.env.db}: mail for {what} not sent: {state}")
                break
        elapsed = time.monotonic() - started
        # Messages, not files: one file holds a whole batch sent over one connection.
        mailbox = self.env.mailbox
        read_before = len(mailbox.times)
        mailbox.scan()
        times = [t for t in mailbox.times[read_before:] if t >= wall]
        span = (max(times) - wall) if times else 0.0
        return MailDrain(
            queued=before.outbox,
            seconds=elapsed,
            sent=len(times),
            rate=len(times) / span if span > 0 else 0.0,
        )

    def tokens(self, addresses: list[str]) -> list[list[str]]:
        """[address, token] of each address's confirmation link, from the mails."""
        self.env.mailbox.scan()
        pairs = []
        for address in addresses:
            token = self.env.mailbox.token(address)
            if token:
                pairs.append([address, token])
        if len(pairs) < len(addresses):
            self.failures.append(
                f"{self.env.db}: {len(addresses) - len(pairs)} of {len(addresses)} "
                "accepted signatures have no confirmation mail"
            )
        return pairs
