"""Readings of the machine and of processes, from /proc: what the machine is, its load,
the CPU time and memory of the processes the harness started, and a free port."""

from __future__ import annotations

import os
import platform
import socket
import sqlite3
import subprocess
from pathlib import Path

from bench.common import PG_SERVER, PYTHON, ROOT
from bench.figures import Machine

TICK = os.sysconf("SC_CLK_TCK")


def machine() -> Machine:
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
    return Machine(
        commit=commit,
        nproc=os.cpu_count() or 1,
        memory_gb=round(mem_kb / 1024 / 1024, 1),
        cpu=cpu,
        kernel=platform.release(),
        python=platform.python_version(),
        django=versions[0],
        gunicorn=versions[1],
        sqlite=sqlite3.sqlite_version,
        postgresql=pg,
    )


def loadavg() -> list[float]:
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]


def cpu_busy() -> tuple[float, float]:
    """(busy, total) clock ticks of the whole machine since boot."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def machine_pct(before: tuple[float, float], after: tuple[float, float]) -> float:
    """How busy the whole machine was between two ``cpu_busy`` readings, in per cent."""
    return 100 * (after[0] - before[0]) / max(after[1] - before[1], 1)


def proc_cpu(pid: int) -> float:
    """CPU seconds (user and system) a process has used; 0 once it is gone."""
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
    """VmRSS and VmHWM (the peak) of a process, in MB; empty once it is gone."""
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
