"""The crash pass: the whole stack killed with SIGKILL in the middle of a signing burst.

Half the burst's clients sign, half confirm signatures made before it. gunicorn (master
and workers), the task worker and the scheduler are killed at once, restarted, and the
burst goes on. Then every remaining signature is confirmed and the checks run: nothing
acknowledged lost, nothing stored twice, every signer mailed, the counts equal to the rows.
"""

from __future__ import annotations

import json
import time
import urllib.request

from bench.common import say
from bench.figures import BurstFigures, Convergence, CrashCheck, CrashResult, extend
from bench.phases import Options, Runner, Sizes, load_outcome, start_load
from bench.stack import Environment, Stack


def crash_pass(db: str, sizes: Sizes, options: Options) -> CrashResult:
    say(f"== {db}: crash safety")
    env = Environment(db, "crash")
    runner = Runner(env, sizes)
    workers = options.worker_count()
    worker_class = options.worker_classes[0]
    stack: Stack | None = None
    try:
        env.prepare()
        stack = Stack(env, worker_class, workers, options.threads)
        stack.start()
        first = runner.load(
            runner.scenario("sign", "crash-before", max_requests=sizes.crash_first, duration=60)
        )
        runner.drain("the signatures before the crash")
        pairs = runner.tokens(first.accepted)
        client, result_file = start_load(
            env,
            runner.scenario(
                "crash", "crash-burst", tokens=pairs, warmup=0, duration=sizes.crash_burst
            ),
        )
        time.sleep(sizes.crash_kill_after)
        say(
            f"  SIGKILL to gunicorn (master and {len(stack.worker_pids())} workers), "
            "the task worker and the scheduler"
        )
        stack.kill()
        killed_at = time.monotonic()
        time.sleep(1)
        stack = Stack(env, worker_class, workers, options.threads)
        stack.start()
        restart_s = time.monotonic() - killed_at
        say(f"  restarted after {restart_s:.1f} s")
        burst = load_outcome(client, result_file, "crash-burst")
        say(f"  burst: {burst.figures.statuses} {burst.figures.errors}")
        accepted = first.accepted + burst.accepted
        confirmed = list(burst.confirmed)
        # Mails whose worker nudge died with the processes go out through the scheduler's
        # stale-mail job (every 30 s, for mails older than 30 s).
        drain = runner.drain("after the crash")
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
        confirmed += after.confirmed
        files = write_down(env, accepted, confirmed)
        counter = converge(env)
        check = env.ops(CrashCheck, "crashcheck", *files)
        problems = crash_problems(check, counter, bool(burst.accepted))
        say(f"  check: {check}")
        say("  PASSED" if not problems else f"  FAILED: {problems}")
        runner.failures += [f"{db} crash: {x}" for x in problems]
    finally:
        if stack is not None:
            stack.stop()
        env.cleanup(options.keep)
    return CrashResult(
        db=db,
        workers=workers,
        worker_class=worker_class,
        restart_s=restart_s,
        burst=extend(
            burst.figures,
            BurstFigures,
            accepted=len(burst.accepted),
            confirmed=len(burst.confirmed),
        ),
        drain=drain,
        counter=counter,
        check=check,
        passed=not problems,
        problems=problems,
        failures=runner.failures,
    )


def converge(env: Environment, limit: float = 120) -> Convergence:
    """Wait for the public counter to reach the confirmed rows."""
    target = env.status().petitions[env.fixtures.petition].counted
    started = time.monotonic()
    seen = -1
    while time.monotonic() - started < limit:
        request = urllib.request.Request(
            f"http://{env.host}/api/petitions/{env.fixtures.petition}/count.json",
            headers={"X-Forwarded-Proto": "https"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            seen = json.loads(response.read())["total"]
        if seen == target:
            break
        time.sleep(0.5)
    return Convergence(target=target, seen=seen, seconds=time.monotonic() - started)


def write_down(env: Environment, accepted: list[str], confirmed: list[str]) -> list[str]:
    """Files of what the clients were told and of who was mailed, for the check of
    bench/ops.py to hold the rows against."""
    env.mailbox.scan()
    files = []
    for name, data in (
        ("accepted", accepted),
        ("confirmed", confirmed),
        ("mailed", sorted(env.mailbox.mailed)),
    ):
        path = env.dir / f"crash-{name}.json"
        path.write_text(json.dumps(data))
        files.append(str(path))
    return files


def crash_problems(check: CrashCheck, counter: Convergence, burst_accepted: bool) -> list[str]:
    problems = []
    if check.missing:
        problems.append(f"{check.missing} acknowledged signatures missing")
    if check.duplicates:
        problems.append(f"{check.duplicates} addresses stored twice")
    if check.confirm_lost:
        problems.append(f"{check.confirm_lost} acknowledged confirmations lost")
    if check.not_mailed or check.outbox_left:
        problems.append(f"{check.not_mailed} signers never mailed")
    if not check.per_country_match or check.aggregated_now != check.counted_rows:
        problems.append("aggregated counts differ from the rows")
    if counter.seen != counter.target:
        problems.append(
            f"public count {counter.seen} never reached the {counter.target} confirmed rows"
        )
    if not burst_accepted:
        problems.append("no signature was accepted during the burst")
    return problems
