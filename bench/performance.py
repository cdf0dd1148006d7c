"""The performance pass: the stack under load on one database, from a fresh data folder.

In order: the floor, signing, the counter and the petition page on each worker class;
then, on the class that signs faster, confirming, the ECI checker and dashboard, the
counter through the deployment's nginx, and how long a confirmed signature takes to show
in the public count; last, a petition with a million signatures (bulk-loaded), its
aggregation, pages, signing, export and purge.
"""

from __future__ import annotations

import time
from pathlib import Path

from bench import proxy
from bench.common import PASSPHRASE, say
from bench.figures import (
    Aggregation,
    BigPetition,
    BigPhases,
    BulkLoad,
    ChosenPhases,
    ClassRun,
    DiscardedMail,
    Export,
    PerformanceResult,
    ProxyResult,
    Purge,
    Visibility,
    WrkFigures,
    extend,
)
from bench.load import ProbeSpec
from bench.machine import cpu_busy, free_port, machine_pct
from bench.phases import CLIENTS, Options, Runner, Sizes
from bench.stack import Environment, Stack, running


def counter_path(slug: str) -> str:
    return f"/api/petitions/{slug}/count.json"


def performance_pass(db: str, sizes: Sizes, options: Options) -> PerformanceResult:
    say(f"== {db}: setting up a fresh data folder" + (" and database" if db == "postgres" else ""))
    env = Environment(db, "perf")
    runner = Runner(env, sizes, options.profile_dir)
    workers = options.worker_count()

    def stack(worker_class: str) -> Stack:
        return Stack(env, worker_class, workers, options.threads)

    try:
        started = time.monotonic()
        env.prepare()
        setup_s = time.monotonic() - started
        classes: dict[str, ClassRun] = {}
        accepted: list[str] = []
        for worker_class in options.worker_classes:
            say(f"-- {db}: gunicorn {workers} {worker_class} workers")
            with running(stack(worker_class)) as on:
                classes[worker_class] = class_run(runner, on, worker_class, accepted)
        chosen = choose(classes)
        say(f"-- {db}: the rest runs on {chosen} workers")
        with running(stack(chosen)) as on:
            # Confirmation: the tokens are in the mails of the signatures just made.
            mail_drain = runner.drain("the signing phases")
            phases = chosen_phases(runner, on, classes[chosen], accepted)
            through = proxy_phases(
                env.dir,
                env.host,
                counter_path(env.fixtures.petition),
                f"/en/p/{env.fixtures.petition}/",
                sizes.short,
                CLIENTS,
            )
            if through.failure:
                runner.failures.append(f"{db}: {through.failure}")
            visibility = count_visibility(runner, on)
            rss_mb, hwm_mb = on.rss_mb(), on.hwm_mb()
        say(f"-- {db}: loading {sizes.rows:,} confirmed signatures")
        # The mail still queued from the visibility phase is not needed: dropped, so that
        # the worker does not send it while the big-petition figures are measured.
        discarded_mail = env.ops(DiscardedMail, "discard_mail")
        million = big_petition(runner, stack(chosen))
    finally:
        env.cleanup(options.keep)
    return PerformanceResult(
        db=db,
        workers=workers,
        threads=options.threads,
        clients=CLIENTS,
        setup_s=setup_s,
        classes=classes,
        chosen=chosen,
        mail_drain=mail_drain,
        phases=phases,
        proxy=through,
        visibility=visibility,
        rss_mb=rss_mb,
        hwm_mb=hwm_mb,
        discarded_mail=discarded_mail,
        million=million,
        failures=runner.failures,
    )


def class_run(runner: Runner, stack: Stack, worker_class: str, accepted: list[str]) -> ClassRun:
    """The phases every worker class runs; the addresses it signed with go to ``accepted``."""
    petition = runner.env.fixtures.petition
    floor = runner.load(runner.scenario("floor", f"floor-{worker_class}"), stack)
    sign = runner.load(
        runner.scenario("sign", f"sign-{worker_class}"), stack, profile=f"sign-{worker_class}"
    )
    accepted += sign.accepted
    # The task worker sends the phase's mails before the next phase starts, so that no
    # phase pays for the one before; how fast it sends them is a figure too.
    mail = runner.drain(f"the signing phase ({worker_class})")
    counter = runner.load(
        runner.scenario("get", f"counter-{worker_class}", paths=[counter_path(petition)]), stack
    )
    page = runner.load(
        runner.scenario("get", f"page-{worker_class}", paths=[f"/en/p/{petition}/"]), stack
    )
    return ClassRun(
        floor=floor.figures,
        sign=sign.figures,
        mail=mail,
        counter=counter.figures,
        page=page.figures,
        rss_mb=stack.rss_mb(),
        hwm_mb=stack.hwm_mb(),
    )


def choose(classes: dict[str, ClassRun]) -> str:
    """The faster signer; within 10 % of each other, the one with the lower p99."""
    chosen = max(classes, key=lambda k: classes[k].sign.rate)
    for other in classes:
        a, b = classes[chosen].sign, classes[other].sign
        if b.rate >= 0.9 * a.rate and b.p99_ms < a.p99_ms:
            chosen = other
    return chosen


def chosen_phases(
    runner: Runner, stack: Stack, first: ClassRun, accepted: list[str]
) -> ChosenPhases:
    """Confirming the signatures of the signing phases, then the ECI pages."""
    pairs = runner.tokens(accepted)
    confirm = runner.load(
        runner.scenario("confirm", "confirm", tokens=pairs, max_requests=len(pairs)), stack
    )
    eci = runner.env.fixtures.eci
    short = runner.sizes.short
    check = runner.load(
        runner.scenario(
            "get",
            "eci-check",
            paths=[f"/en/eci/{eci}/check/?nationality=DE&age=34"],
            duration=short,
        ),
        stack,
    )
    dashboard = runner.load(
        runner.scenario(
            "get", "eci-dashboard", paths=[f"/en/eci/{eci}/dashboard/"], duration=short
        ),
        stack,
    )
    return extend(
        first,
        ChosenPhases,
        confirm=confirm.figures,
        eci_check=check.figures,
        eci_dashboard=dashboard.figures,
    )


def proxy_phases(
    directory: Path, upstream: str, counter: str, page: str, seconds: float, clients: int
) -> ProxyResult:
    """The counter and a petition's page as the deployment serves them: through nginx with
    the caching rules of docs/deploy/reclaim-locations.conf (TLS included), and for
    comparison straight from gunicorn (at ``upstream``), both driven by wrk (C, so that the
    load generator is not the limit)."""
    missing = proxy.available()
    if missing:
        say(f"  proxy phases skipped: not installed: {missing}")
        return ProxyResult(skipped=f"not installed: {missing}")

    def drive(what: str, name: str, url: str, headers: dict[str, str]) -> WrkFigures:
        before = cpu_busy()
        figures = proxy.wrk(url, seconds, clients, headers)
        figures.cpu_machine_pct = machine_pct(before, cpu_busy())
        say(
            f"  {what}, wrk {name:<14} {figures.rate:8.1f}/s  p50 {figures.p50_ms:7.1f}"
            f" ms  p99 {figures.p99_ms:7.1f} ms  errors {figures.error_rate:.1%}"
        )
        return figures

    direct = {"X-Forwarded-Proto": "https"}
    px = proxy.Proxy(directory, upstream, free_port())
    px.start()
    try:
        probes = [px.probe(counter) for _ in range(3)]
        page_probes = [px.probe(page) for _ in range(3)]
        result = ProxyResult(probes=probes, page_probes=page_probes)
        result.direct = drive("counter", "direct", f"http://{upstream}{counter}", direct)
        result.through_proxy = drive(
            "counter", "through_proxy", f"https://127.0.0.1:{px.port}{counter}", {}
        )
        result.page_direct = drive("page", "direct", f"http://{upstream}{page}", direct)
        result.page_through_proxy = drive(
            "page", "through_proxy", f"https://127.0.0.1:{px.port}{page}", {}
        )
    finally:
        px.stop()
    for what, seen in (("counter", probes), ("petition page", page_probes)):
        if [status for status, _ in seen] != [200, 200, 200] or "HIT" not in {c for _, c in seen}:
            result.failure = f"the proxy did not serve the {what} from its cache: {seen}"
    return result


def count_visibility(runner: Runner, stack: Stack) -> Visibility:
    """How long a confirmed signature takes to reach the public count, under load and
    without. The probe petition gets nothing but the probes' confirmations."""
    env, sizes = runner.env, runner.sizes
    probe = env.fixtures.probe
    say(f"-- {env.db}: count visibility under signing load")
    signed = runner.load(
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
    tokens = [token for _address, token in runner.tokens(signed.accepted)]
    idle_token = tokens.pop() if len(tokens) > 1 else None
    under_load = runner.load(
        runner.scenario(
            "sign",
            "sign-while-probing",
            probe=ProbeSpec(
                tokens=tokens,
                baseline=env.status().petitions[probe].counted,
                form_path=f"/en/p/{probe}/",
                counter_path=counter_path(probe),
                delay=sizes.warmup + 1,
                timeout=sizes.probe_timeout,
                gap=1.0,
                max_seconds=sizes.warmup + len(tokens) * (sizes.probe_timeout + 2) + 5,
            ),
        ),
        stack,
    )
    visibility = Visibility(
        load=under_load.figures, probes=under_load.figures.probes, timeout=sizes.probe_timeout
    )
    say(f"  probes: {visibility.probes}")
    if idle_token:
        # The same with no load at all: the lag is then set by the caches alone.
        idle = runner.load(
            runner.scenario(
                "sign",
                "probe-without-load",
                clients=0,
                warmup=0,
                duration=0,
                probe=ProbeSpec(
                    tokens=[idle_token],
                    baseline=env.status().petitions[probe].counted,
                    form_path=f"/en/p/{probe}/",
                    counter_path=counter_path(probe),
                    delay=0.5,
                    timeout=sizes.probe_timeout,
                    gap=0,
                    max_seconds=sizes.probe_timeout + 10,
                ),
            ),
            stack,
            check=False,
        )
        visibility.idle = idle.figures.probes
        say(f"  probe without load: {visibility.idle}")
    return visibility


def big_petition(runner: Runner, stack: Stack) -> BigPetition:
    """A million signatures (a thousand in the smoke run) bulk-loaded with the stack
    stopped, then aggregated; the stack restarted for the pages and signing at that size,
    and left idle beside the export (decryption) and the purge."""
    env, sizes = runner.env, runner.sizes
    db, million = env.db, env.fixtures.million
    profiles = runner.profile_dir
    bulkload = env.ops(BulkLoad, "bulkload", str(sizes.rows))
    say(f"  bulk load: {bulkload}")
    aggregate = env.ops(
        Aggregation, "aggregate", profile=profiles / f"{db}-aggregate.txt" if profiles else None
    )
    say(f"  aggregation: {aggregate}")
    with running(stack) as on:
        counter = runner.load(
            runner.scenario(
                "get", "big-counter", paths=[counter_path(million)], duration=sizes.short
            ),
            on,
        )
        page = runner.load(
            runner.scenario("get", "big-page", paths=[f"/en/p/{million}/"], duration=sizes.short),
            on,
        )
        # The list of signatories pages through the listed people: few clients and a long
        # timeout, so that a slow page is measured rather than timed out.
        signatories = runner.load(
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
            on,
        )
        sign = runner.load(
            runner.scenario(
                "sign",
                "big-sign",
                sign_path=f"/en/p/{million}/",
                form_path=f"/en/p/{million}/",
                duration=sizes.short,
            ),
            on,
        )
        say(f"-- {db}: export (decryption) of the big petition, the stack idle beside it")
        export = env.ops(
            Export,
            "export",
            str(env.key_file),
            PASSPHRASE,
            str(env.dir / "export.csv"),
            profile=profiles / f"{db}-export.txt" if profiles else None,
        )
        say(f"  export: {export}")
        purge = env.ops(Purge, "purge", profile=profiles / f"{db}-purge.txt" if profiles else None)
        say(f"  purge: {purge}")
    big = BigPetition(
        rows=sizes.rows,
        bulkload=bulkload,
        aggregate=aggregate,
        phases=BigPhases(
            counter=counter.figures,
            page=page.figures,
            signatories=signatories.figures,
            sign=sign.figures,
        ),
        export=export,
        purge=purge,
    )
    if export.written < sizes.rows or purge.left_with_data:
        runner.failures.append(f"{db}: export or purge incomplete: {big}")
    return big
