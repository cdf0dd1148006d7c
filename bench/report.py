"""The report: the targets, the tables, and docs/benchmarks.md rendered from every result
kept in bench/results/ (one file per mode and database: full-sqlite.json, smoke-...,
crash-..., crash-smoke-...), with the analysis of bench/findings.md at its end."""

from __future__ import annotations

import json
from dataclasses import dataclass

from bench.common import DOCS, FINDINGS, RESULTS, ROOT, BenchFailure, say
from bench.figures import (
    CrashResult,
    MailDrain,
    Meta,
    PerformanceResult,
    PhaseFigures,
    ProxyResult,
    Result,
    from_json,
    phases_of,
    to_json,
)


@dataclass(frozen=True)
class Targets:
    """What the stack should reach (issue 5). A missed target is reported, not a failure."""

    sign_rate: int = 1000  # accepted signatures a second
    sign_p99_ms: int = 100
    sign_floor_ratio: float = 0.5
    counter_rate: int = 3000
    page_rate: int = 1000
    visible_s: int = 5  # a confirmed signature in the public count
    rss_mb: int = 150  # peak per worker
    aggregate_s: int = 10  # catch-up over the big petition
    export_rows_s: int = 20_000
    purge_rows_s: int = 50_000


TARGETS = Targets()


def fmt(value: float | None, unit: str = "", digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}{unit}"


def mark(ok: bool) -> str:
    return "met" if ok else "**not met**"


def table(rows: list[list[str]], header: list[str]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def meta_of(result: Result) -> Meta:
    if result.meta is None:
        raise BenchFailure(f"the {result.db} result has no meta (date, command, machine)")
    return result.meta


# --- Targets --------------------------------------------------------------------------


def target_rows(res: PerformanceResult, t: Targets = TARGETS) -> list[list[str]]:
    """[target, value, met or not] for each target."""
    ph = res.phases
    floor = ph.floor.rate or 1
    probes = res.visibility.probes
    stable = [x.stable_s for x in probes]
    worst = max(s for s in stable if s is not None) if stable and None not in stable else None
    first = [x.first_s for x in probes if x.first_s is not None]
    rss = max(res.hwm_mb or [0])
    big = res.million
    timeout = res.visibility.timeout
    worst_text = fmt(worst, " s", 1) if worst is not None else f"> {timeout:.0f} s"
    visible = f"{worst_text} / {fmt(max(first) if first else None, ' s', 1)}"
    worst_ok = worst is not None and worst < t.visible_s
    rows = [
        (
            f"Signing, accepted/s (≥ {t.sign_rate:,})",
            fmt(ph.sign.rate),
            ph.sign.rate >= t.sign_rate,
        ),
        (
            f"Signing p99 at {res.clients} clients (< {t.sign_p99_ms} ms)",
            fmt(ph.sign.p99_ms, " ms"),
            ph.sign.p99_ms < t.sign_p99_ms,
        ),
        (
            f"Signing ÷ floor (≥ {t.sign_floor_ratio})",
            fmt(ph.sign.rate / floor, "", 2),
            ph.sign.rate / floor >= t.sign_floor_ratio,
        ),
        (
            f"Counter JSON, req/s (≥ {t.counter_rate:,})",
            fmt(ph.counter.rate),
            ph.counter.rate >= t.counter_rate,
        ),
    ]
    through = res.proxy.through_proxy
    if through:
        rows.append(
            (
                "Counter JSON through the deployment's nginx (docs/deploy), "
                f"req/s (≥ {t.counter_rate:,})",
                fmt(through.rate),
                through.rate >= t.counter_rate,
            )
        )
    rows.append(
        (
            f"Petition page, req/s (≥ {t.page_rate:,})",
            fmt(ph.page.rate),
            ph.page.rate >= t.page_rate,
        )
    )
    page_through = res.proxy.page_through_proxy
    if page_through:
        rows.append(
            (
                "Petition page through the deployment's nginx (docs/deploy), "
                f"req/s (≥ {t.page_rate:,})",
                fmt(page_through.rate),
                page_through.rate >= t.page_rate,
            )
        )
    rows += [
        (
            f"Count visible under load (< {t.visible_s} s): every poll / first poll",
            visible,
            worst_ok,
        ),
        (f"Peak RSS per worker (< {t.rss_mb} MB)", fmt(rss, " MB", 1), rss < t.rss_mb),
        (
            f"{big.rows:,} rows: aggregation catch-up (< {t.aggregate_s} s)",
            fmt(big.aggregate.catch_up_s, " s", 2),
            big.aggregate.catch_up_s < t.aggregate_s,
        ),
        (
            f"{big.rows:,} rows: export rows/s (≥ {t.export_rows_s:,})",
            fmt(big.export.rows_per_s),
            big.export.rows_per_s >= t.export_rows_s,
        ),
        (
            f"{big.rows:,} rows: purge rows/s (≥ {t.purge_rows_s:,})",
            fmt(big.purge.rows_per_s),
            big.purge.rows_per_s >= t.purge_rows_s,
        ),
    ]
    return [[name, value, mark(ok)] for name, value, ok in rows]


# --- Tables ---------------------------------------------------------------------------


def phase_table(phases: list[tuple[str, PhaseFigures]], floor_rate: float) -> list[str]:
    """One row per phase. "CPU ms/request" is the stack's CPU (web workers, task worker,
    scheduler, and on PostgreSQL its backends) per request of the phase: the figure that
    other load on the machine disturbs least, and 1000 × cores ÷ it is the rate the
    stack could reach on this machine were it alone and CPU-bound."""
    lines = [
        "| phase | ok/s | p50 | p99 | ÷ floor | requests | errors | CPU ms/request "
        "| CPU s: stack / db / client / other of capacity |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, r in phases:
        per_request = 1000 * (r.cpu_stack_s + r.cpu_db_s) / max(r.all_requests, 1)
        lines.append(
            f"| {name} | {fmt(r.rate)} | {fmt(r.p50_ms, ' ms', 1)} | "
            f"{fmt(r.p99_ms, ' ms', 1)} | {r.rate / (floor_rate or 1):.2f} | "
            f"{r.requests:,} | {r.error_rate:.1%} | {per_request:.2f} | "
            f"{r.cpu_stack_s:.1f} / {r.cpu_db_s:.1f} / {r.client_cpu_s:.1f} / "
            f"{r.cpu_other_s:.1f} of {r.cpu_capacity_s:.1f} s |"
        )
    return lines


def proxy_lines(px: ProxyResult, clients: int) -> list[str]:
    if px.skipped:
        return [f"Counter through the deployment's nginx: skipped ({px.skipped}).", ""]
    rows = [
        [
            what,
            label,
            fmt(figures.rate),
            fmt(figures.p50_ms, " ms", 1),
            fmt(figures.p99_ms, " ms", 1),
            f"{figures.requests:,}",
            f"{figures.error_rate:.1%}",
            f"{figures.cpu_machine_pct:.0f} %",
        ]
        for what, label, figures in (
            ("counter JSON", "gunicorn directly", px.direct),
            ("counter JSON", "nginx (TLS, cache) in front", px.through_proxy),
            ("petition page", "gunicorn directly", px.page_direct),
            ("petition page", "nginx (TLS, cache) in front", px.page_through_proxy),
        )
        if figures is not None
    ]
    if not rows:
        return []
    probes = [list(probe) for probe in px.probes or []]
    page_probes = [list(probe) for probe in px.page_probes or []]
    return (
        [
            f"The counter JSON and a petition's page driven by wrk ({clients} connections), "
            "straight from gunicorn and through nginx configured with "
            "`docs/deploy/reclaim-locations.conf` (the deployment's caching rules, TLS with a "
            "self-signed certificate). First three requests through nginx (status, X-Cache): "
            f"counter {probes}, page {page_probes}.",
            "",
        ]
        + table(
            rows, ["what", "served by", "ok/s", "p50", "p99", "requests", "errors", "machine CPU"]
        )
        + [""]
    )


def machine_lines(meta: Meta) -> list[str]:
    m = meta.machine
    return [
        f"Machine: {m.nproc} cores ({m.cpu}, from /proc/cpuinfo), {m.memory_gb} GB "
        f"memory, Linux {m.kernel}; Python {m.python}, Django {m.django}, gunicorn "
        f"{m.gunicorn}, SQLite {m.sqlite}, PostgreSQL {m.postgresql}; reclaim at "
        f"commit {m.commit or 'unknown'} (`-dirty`: with uncommitted changes). Other "
        "engineers' test runs share this machine: the 'other' CPU column of each phase says "
        "how much of its capacity they took while it ran.",
        "",
    ]


def mail_line(r: PerformanceResult) -> str:
    mails: list[tuple[str, MailDrain]] = [(wc, ph.mail) for wc, ph in r.classes.items()]
    if not mails:
        mails = [("both classes", r.mail_drain)]
    return (
        "Mail: the single task worker sends confirmation mails while the signing goes "
        "on; when a signing phase ended, "
        + "; ".join(
            f"{md.queued:,} were still queued ({wc}) and went out in "
            f"{md.seconds:.1f} s (the harness polls every 2 s), at least "
            f"{fmt(md.queued / md.seconds if md.seconds else 0)} mails/s"
            for wc, md in mails
        )
        + "."
    )


# --- The document ---------------------------------------------------------------------


def performance_lines(title: str, runs: dict[str, PerformanceResult]) -> list[str]:
    lines = [f"## {title}", ""]
    lines += machine_lines(meta_of(next(iter(runs.values()))))
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
        lines += run_lines(db, r)
    return lines


def run_lines(db: str, r: PerformanceResult) -> list[str]:
    meta = meta_of(r)
    floor = r.phases.floor.rate
    lines = [
        f"### {db}: {r.workers} gunicorn {r.chosen} workers"
        + (f" × {r.threads} threads" if r.chosen == "gthread" else "")
        + f", {r.clients} clients",
        "",
        f"`{meta.command}`, {meta.date}, load average before / after "
        f"{meta.loadavg_before} / {meta.loadavg_after}.",
        "",
    ]
    if r.failures:
        lines += ["Failures of this run:", ""]
        lines += [f"- {f}" for f in r.failures] + [""]
    lines += phase_table(phases_of(r.phases), floor) + [""]
    lines += ["Worker classes compared (same fresh data, same order of phases):", ""]
    rows = []
    for wc, ph in r.classes.items():
        for name, x in phases_of(ph):
            rows.append([wc, name, fmt(x.rate), fmt(x.p50_ms, " ms", 1), fmt(x.p99_ms, " ms", 1)])
        rows.append([wc, "RSS after (MB)", ", ".join(map(str, ph.rss_mb)), "", ""])
    lines += table(rows, ["class", "phase", "ok/s", "p50", "p99"]) + [""]
    lines += proxy_lines(r.proxy, r.clients)
    vis = r.visibility
    lines += [
        "Count visibility: a confirmation posted on the probe petition while "
        f"{r.clients} clients sign the main one "
        f"({fmt(vis.load.rate)} accepted/s during the probes): seconds until the "
        "first poll of the public counter shows it, and until every poll shows it "
        "(20 polls in a row, 100 ms apart):",
        "",
    ]
    lines += table(
        [
            [str(i + 1), fmt(x.first_s, " s", 2), fmt(x.stable_s, " s", 2)]
            for i, x in enumerate(vis.probes)
        ],
        ["probe", "first poll", "every poll"],
    ) + [""]
    for idle in vis.idle or []:
        lines += [
            "The same probe with no load on the site: first poll "
            f"{fmt(idle.first_s, ' s', 2)}, every poll {fmt(idle.stable_s, ' s', 2)} "
            f"(– : not within {vis.timeout:.0f} s).",
            "",
        ]
    lines += [
        mail_line(r),
        "",
        f"Resident memory per worker at the end (VmRSS): {r.rss_mb} MB; "
        f"peak (VmHWM): {r.hwm_mb} MB.",
        "",
    ]
    big = r.million
    b = big.bulkload
    lines += [
        f"With {big.rows:,} confirmed signatures (bulk-loaded in {b.insert_s:.1f} s, "
        f"{fmt(b.rows_per_s)} rows/s, {b.distinct_boxes} distinct real sealed boxes "
        "reused; PostgreSQL then VACUUM ANALYZE as autovacuum would):",
        "",
    ]
    agg, exp, pur = big.aggregate, big.export, big.purge
    rows = [
        ["aggregation, first run (catch-up)", fmt(agg.catch_up_s, " s", 2)],
        ["aggregation, next run (every 3 s)", fmt(agg.again_s, " s", 2)],
        [
            "export (decrypt to CSV)",
            f"{fmt(exp.rows_per_s)} rows/s ({exp.written:,} rows in {exp.seconds:.1f} s)",
        ],
        [
            "purge (retention)",
            f"{fmt(pur.rows_per_s)} rows/s ({pur.wiped:,} rows in {pur.seconds:.1f} s)",
        ],
    ]
    lines += table(rows, ["operation", "result"]) + [""]
    lines += phase_table(phases_of(big.phases), floor) + [""]
    return lines


def crash_lines(crash: dict[str, CrashResult]) -> list[str]:
    first = next(iter(crash.values()))
    meta = meta_of(first)
    lines = ["## Crash safety", ""]
    lines += [
        f"`{meta.command}`, {meta.date}. During a burst of {first.burst.clients} clients (half "
        "signing, half confirming signatures made before), gunicorn (master and workers), "
        "the task worker and the scheduler are killed with SIGKILL, restarted, and the "
        "burst goes on. Then every remaining signature is confirmed and the checks run.",
        "",
    ]
    rows = []
    for db, r in crash.items():
        c = r.check
        rows.append(
            [
                db,
                "passed" if r.passed else "**FAILED**: " + "; ".join(r.problems),
                f"{c.accepted:,}",
                f"{c.missing}",
                f"{c.rows_without_success_response}",
                f"{c.duplicates}",
                f"{c.confirm_acknowledged:,} / {c.confirm_lost}",
                f"{c.not_mailed}",
                f"{c.counted_rows:,} / {c.aggregated_now:,} / {r.counter.seen:,}",
                f"{r.burst.statuses}",
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
    return lines


def render(collected: dict[str, dict[str, Result]]) -> str:
    """docs/benchmarks.md from the results by mode ("full", "smoke", "crash"...) and db."""
    lines = ["# Benchmarks", ""]
    lines += [
        "Written by `python bench/run.py` (issue 5); the numbers below are regenerated on every "
        "run, the analysis at the end is kept in `bench/findings.md`. Ratios to the floor are "
        "what to compare between machines.",
        "",
    ]
    for key, title in (("full", "Full run"), ("smoke", "Smoke run (CI)")):
        runs = {
            db: r for db, r in collected.get(key, {}).items() if isinstance(r, PerformanceResult)
        }
        if runs:
            lines += performance_lines(title, runs)
    crash = {
        db: r
        for db, r in (collected.get("crash") or collected.get("crash-smoke") or {}).items()
        if isinstance(r, CrashResult)
    }
    if crash:
        lines += crash_lines(crash)
    if FINDINGS.exists():
        lines += [FINDINGS.read_text().rstrip(), ""]
    return "\n".join(lines) + "\n"


# --- Files ----------------------------------------------------------------------------


def save(mode: str, results: dict[str, Result], meta: Meta) -> None:
    """Keep each database's result of this run as bench/results/<mode>-<db>.json."""
    RESULTS.mkdir(exist_ok=True)
    for db, r in results.items():
        r.meta = meta
        (RESULTS / f"{mode}-{db}.json").write_text(json.dumps(to_json(r), indent=1))


def collect() -> dict[str, dict[str, Result]]:
    """Every result kept in bench/results/, by mode and database."""
    collected: dict[str, dict[str, Result]] = {}
    for path in sorted(RESULTS.glob("*.json")):
        mode, _, db = path.stem.rpartition("-")
        kind: type[Result] = CrashResult if mode.startswith("crash") else PerformanceResult
        collected.setdefault(mode, {})[db] = from_json(kind, json.loads(path.read_text()))
    return collected


def render_docs() -> None:
    DOCS.write_text(render(collect()))
    say(f"wrote {DOCS.relative_to(ROOT)}")


def print_summary(results: dict[str, Result]) -> None:
    for db, r in results.items():
        print(f"\n{db}:")
        if isinstance(r, CrashResult):
            print("  crash safety:", "passed" if r.passed else f"FAILED {r.problems}")
            print("  ", r.check)
            continue
        for name, value, status in target_rows(r):
            print(f"  {name:<58} {value:>22}  {status.replace('*', '')}")
