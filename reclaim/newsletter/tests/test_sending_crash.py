"""10,000 subscribers, a mail server that fails at random, a sender killed halfway: everyone
gets the issue exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from reclaim.mail.models import OutgoingMail
from reclaim.newsletter.models import Delivery, Issue
from reclaim.newsletter.services.issues import send_now
from reclaim.newsletter.tests.fixtures_sending import (  # noqa: F401
    SENDER,
    STOP_AFTER_ENV,
    STOPPED_ENV,
    address,
    issue_fixture,
    issue_list_fixture,
    make_subscribers,
    sender_env,
)

SUBSCRIBERS = 10_000
HALFWAY = 5_000
TIMEOUT = 120
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))


def _start(issue: Issue, env: dict[str, str], log: Path) -> subprocess.Popen[str]:
    # Output to a file, not a pipe: a warning per refused mail would fill a pipe nobody
    # reads while the sender runs, and block it.
    with log.open("w") as out:
        return subprocess.Popen(
            [sys.executable, "-c", SENDER, str(issue.pk)],
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )


@pytest.mark.django_db(transaction=True)
def test_a_sender_killed_halfway_and_restarted_mails_each_of_10000_subscribers_exactly_once(
    issue, issue_list, settings, tmp_path
):
    make_subscribers(issue_list, SUBSCRIBERS)
    send_now(issue, "alice")
    sink = tmp_path / "accepted.tsv"
    stopped = tmp_path / "stopped"
    common = {"NEWSLETTER_TEST_SINK": str(sink), "NEWSLETTER_TEST_BATCH": "500"}

    # The first sender stops right after the mail server accepted the 5,000th mail, before
    # it could write that down, and is killed there with SIGKILL: no clean-up runs.
    stop = {STOP_AFTER_ENV: str(HALFWAY), STOPPED_ENV: str(stopped)}
    first_log = tmp_path / "first.log"
    first = _start(issue, sender_env(settings, tmp_path, **common, **stop), first_log)
    try:
        deadline = time.monotonic() + TIMEOUT
        while not stopped.exists():
            assert first.poll() is None, first_log.read_text()[-3000:]
            assert time.monotonic() < deadline, "the first sender never got halfway"
            time.sleep(0.05)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert first.returncode == -signal.SIGKILL
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENDING
    assert Delivery.objects.filter(issue=issue, state=Delivery.State.SENDING).count() == 1

    # A fresh sender, another seed: it finishes the issue.
    second_log = tmp_path / "second.log"
    env = sender_env(settings, tmp_path, **common, NEWSLETTER_TEST_SEED="31")
    second = _start(issue, env, second_log)
    try:
        second.wait(timeout=TIMEOUT)
    finally:
        if second.poll() is None:
            second.kill()
            second.wait()
    assert second.returncode == 0, second_log.read_text()[-3000:]

    accepted = Counter(line.split("\t")[0] for line in sink.read_text().splitlines())
    assert len(accepted) == SUBSCRIBERS
    assert set(accepted) == {address(n) for n in range(SUBSCRIBERS)}
    assert set(accepted.values()) == {1}, [a for a, n in accepted.items() if n > 1][:5]

    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert issue.recipients == SUBSCRIBERS
    # The copy in flight at the kill did arrive, but nobody could know it: it is counted
    # as failed rather than sent again (services/sending.py: at most once).
    assert (issue.sent_count, issue.failed_count) == (SUBSCRIBERS - 1, 1)
    assert issue.finished_at is not None
    # Counts only: no per-person trace of the send is left, and no address in the outbox.
    assert not Delivery.objects.exists()
    assert not OutgoingMail.objects.exists()
