"""The benchmark's figures as typed records, and their JSON form (bench/results/*.json).

Every record that crosses a boundary is a dataclass here: from the load process to the
harness (``LoadOutcome``), from the Django-side steps of bench/ops.py to the harness
(``Fixtures``, ``Status``, ``BulkLoad``...), from the passes to the report
(``PerformanceResult``, ``CrashResult``). Pure Python, no Django: the load process and
bench/ops.py import it as well as the harness.

``to_json`` gives the plain JSON a record is kept as, its fields in declaration order (the
key order of the result files); ``from_json`` reads it back. Reading ignores keys a record
does not declare: files written before these records carried empty ``accepted`` and
``confirmed`` lists in some phases (the signers' addresses, never kept since).
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")

# A field left out of the JSON while it is None (a part of a result that a run may not have,
# such as the proxy phases when nginx is not installed), rather than written as null.
_OMIT_IF_NONE = {"omit_if_none": True}


def optional() -> Any:
    return field(default=None, metadata=_OMIT_IF_NONE)


def to_json(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if item is None and f.metadata.get("omit_if_none"):
                continue
            out[f.name] = to_json(item)
        return out
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_json(item) for key, item in value.items()}
    return value


def from_json(kind: type[T], data: Any) -> T:
    return typing.cast(T, _read(kind, data))


@functools.cache
def _hints(kind: type) -> dict[str, Any]:
    return typing.get_type_hints(kind)


def _read(hint: Any, data: Any) -> Any:
    """``data`` as ``hint`` says: dataclasses, lists, tuples, dicts and ``X | None`` are
    rebuilt; numbers and strings are kept as they are (75, not 75.0, stays 75)."""
    if data is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _read(options[0], data) if len(options) == 1 else data
    if origin is list:
        (item,) = typing.get_args(hint)
        return [_read(item, value) for value in data]
    if origin is tuple:
        items = zip(typing.get_args(hint), data, strict=True)
        return tuple(_read(arg, value) for arg, value in items)
    if origin is dict:
        _key, item = typing.get_args(hint)
        return {key: _read(item, value) for key, value in data.items()}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        hints = _hints(hint)
        known = {f.name for f in dataclasses.fields(hint) if f.init}
        return hint(**{name: _read(hints[name], v) for name, v in data.items() if name in known})
    return data


# --- A load phase ---------------------------------------------------------------------


@dataclass(kw_only=True)
class Probe:
    """One count-visibility probe: seconds from a confirmation to the first poll of the
    public counter that shows it, and to the start of 20 polls in a row that all do."""

    status: int
    first_s: float | None = None
    stable_s: float | None = None


@dataclass(kw_only=True)
class LoadFigures:
    """What the load process measured in one phase (bench/load.py)."""

    kind: str
    name: str
    clients: int
    requests: int  # measured: after the warm-up
    ok: int
    statuses: dict[str, int]
    errors: dict[str, int]
    error_rate: float
    seconds: float
    rate: float  # accepted requests a second
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    client_cpu_s: float
    wall_s: float
    all_requests: int  # the warm-up included
    probes: list[Probe] = field(default_factory=list)


@dataclass(kw_only=True)
class LoadOutcome:
    """The load process's answer: the figures, and who got a success response (the
    addresses the harness then reads the confirmation mails of; never kept)."""

    figures: LoadFigures
    accepted: list[str] = field(default_factory=list)
    confirmed: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class PhaseFigures(LoadFigures):
    """A phase's figures with what the harness read on the machine while it ran."""

    loadavg_before: list[float]
    loadavg_after: list[float]
    cpu_machine_pct: float
    cpu_stack_s: float  # web workers, task worker, scheduler
    cpu_db_s: float  # PostgreSQL's backends (0 on SQLite: in the stack's processes)
    cpu_other_s: float  # everything else on the machine
    cpu_capacity_s: float  # wall time × cores
    rss_mb: list[float]  # per web worker, at the end of the phase
    settle_s: float  # waited for the workers to go idle before the phase


@dataclass(kw_only=True)
class MailDrain:
    """The task worker sending what a phase queued: how many, in how long, how fast."""

    queued: int
    seconds: float
    sent: int
    rate: float


# --- Django-side steps (bench/ops.py) -------------------------------------------------


@dataclass(kw_only=True)
class Fixtures:
    petition: str  # slugs
    petition_id: int
    million: str
    million_id: int
    probe: str
    eci: str
    countries: dict[str, float]  # member state -> population (millions): signers' weights
    vendor: str


@dataclass(kw_only=True)
class PetitionState:
    rows: int
    counted: int
    aggregated: int


@dataclass(kw_only=True)
class Status:
    outbox: int
    tasks_ready: int
    tasks_total: int
    petitions: dict[str, PetitionState]
    floor_rows: int


@dataclass(kw_only=True)
class BulkLoad:
    rows: int
    distinct_boxes: int
    seal_s: float
    insert_s: float
    vacuum_analyze_s: float
    rows_per_s: float


@dataclass(kw_only=True)
class Aggregation:
    catch_up_s: float
    again_s: float
    all_petitions_s: float
    petitions: int
    total: int


@dataclass(kw_only=True)
class Export:
    written: int
    other_key: int
    unreadable: int
    seconds: float
    rows_per_s: float
    bytes: int


@dataclass(kw_only=True)
class Purge:
    petitions: int
    wiped: int
    left_with_data: int
    seconds: float
    rows_per_s: float


@dataclass(kw_only=True)
class ConfirmedRows:
    confirmed: int


@dataclass(kw_only=True)
class DiscardedMail:
    mails: int
    tasks: int


@dataclass(kw_only=True)
class CrashCheck:
    accepted: int
    rows: int
    missing: int
    missing_examples: list[str]
    rows_without_success_response: int
    duplicates: int
    confirm_acknowledged: int
    confirm_lost: int
    not_mailed: int
    outbox_left: int
    counted_rows: int
    aggregated_by_scheduler: int
    aggregated_now: int
    per_country_match: bool


# --- The machine and the run ----------------------------------------------------------


@dataclass(kw_only=True)
class Machine:
    commit: str = ""  # git describe, "-dirty" with uncommitted changes
    nproc: int
    memory_gb: float
    cpu: str
    kernel: str
    python: str
    django: str
    gunicorn: str
    sqlite: str
    postgresql: str


@dataclass(kw_only=True)
class Meta:
    date: str
    command: str
    machine: Machine
    loadavg_before: list[float]
    loadavg_after: list[float] = field(default_factory=list)


# --- The performance pass -------------------------------------------------------------


@dataclass(kw_only=True)
class ClassRun:
    """One gunicorn worker class's phases, on the same fresh data and in the same order."""

    floor: PhaseFigures
    sign: PhaseFigures
    mail: MailDrain
    counter: PhaseFigures
    page: PhaseFigures
    rss_mb: list[float]
    hwm_mb: list[float]


@dataclass(kw_only=True)
class ChosenPhases(ClassRun):
    """The chosen class's phases, then those that run on it alone."""

    confirm: PhaseFigures
    eci_check: PhaseFigures
    eci_dashboard: PhaseFigures


@dataclass(kw_only=True)
class WrkFigures:
    tool: str
    requests: int
    ok: int
    rate: float
    p50_ms: float
    p99_ms: float
    error_rate: float
    errors: int
    wall_s: float
    cpu_machine_pct: float = 0.0


@dataclass(kw_only=True)
class ProxyResult:
    """The counter and a petition's page through the deployment's nginx and straight from
    gunicorn, by wrk."""

    skipped: str | None = optional()  # what is not installed
    probes: list[tuple[int, str]] | None = optional()  # (status, X-Cache) through nginx
    direct: WrkFigures | None = optional()
    through_proxy: WrkFigures | None = optional()
    page_probes: list[tuple[int, str]] | None = optional()
    page_direct: WrkFigures | None = optional()
    page_through_proxy: WrkFigures | None = optional()
    failure: str | None = optional()


@dataclass(kw_only=True)
class Visibility:
    load: PhaseFigures  # the signing load the probes ran under
    probes: list[Probe]
    timeout: float
    idle: list[Probe] | None = optional()  # the same probe with no load


@dataclass(kw_only=True)
class BigPhases:
    counter: PhaseFigures
    page: PhaseFigures
    signatories: PhaseFigures
    sign: PhaseFigures


@dataclass(kw_only=True)
class BigPetition:
    """The petition with a million signatures (a thousand in the smoke run)."""

    rows: int
    bulkload: BulkLoad
    aggregate: Aggregation
    phases: BigPhases
    export: Export
    purge: Purge


@dataclass(kw_only=True)
class PerformanceResult:
    db: str
    workers: int
    threads: int
    clients: int
    setup_s: float
    classes: dict[str, ClassRun]
    chosen: str
    mail_drain: MailDrain
    phases: ChosenPhases
    proxy: ProxyResult
    visibility: Visibility
    rss_mb: list[float]
    hwm_mb: list[float]
    discarded_mail: DiscardedMail
    million: BigPetition
    failures: list[str]
    meta: Meta | None = optional()  # set when the result is saved


# --- The crash pass -------------------------------------------------------------------


@dataclass(kw_only=True)
class BurstFigures(LoadFigures):
    """The burst the stack was killed in: its figures, and how many signatures and
    confirmations got a success response."""

    accepted: int
    confirmed: int


@dataclass(kw_only=True)
class Convergence:
    """The public counter reaching the confirmed rows after the restart."""

    target: int
    seen: int
    seconds: float


@dataclass(kw_only=True)
class CrashResult:
    db: str
    workers: int
    worker_class: str
    restart_s: float
    burst: BurstFigures
    drain: MailDrain
    counter: Convergence
    check: CrashCheck
    passed: bool
    problems: list[str]
    failures: list[str]
    meta: Meta | None = optional()


Result = PerformanceResult | CrashResult


def phases_of(record: Any) -> list[tuple[str, PhaseFigures]]:
    """The load phases of a record of phases, by name, in order (the rest left out)."""
    return [
        (f.name, getattr(record, f.name))
        for f in dataclasses.fields(record)
        if isinstance(getattr(record, f.name), PhaseFigures)
    ]


def extend(record: Any, kind: type[T], **more: Any) -> T:
    """``record`` as a record of ``kind`` (a subclass of its class) with further fields."""
    own = {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}
    return kind(**own, **more)
