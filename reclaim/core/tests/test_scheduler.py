from __future__ import annotations

import pytest
from django.utils import timezone

from reclaim.core.hooks import JOBS
from reclaim.core.scheduler import run_forever
from reclaim.letters.counting import counts_for
from reclaim.letters.models import Signature

pytestmark = pytest.mark.django_db


def test_the_scheduler_runs_every_job_and_counts_confirmed_signatures(petition, monkeypatch):
    # The test's transaction must survive the scheduler's per-turn connection recycling.
    monkeypatch.setattr("reclaim.core.scheduler.close_old_connections", lambda: None)
    Signature.objects.create(
        petition=petition,
        kind="individual",
        country="IE",
        language="en",
        confirmed_at=timezone.now(),
    )
    run_forever(stop_after=0.1)
    assert counts_for(petition)["by_country"] == {"IE": 1}
    assert {job.name for job in JOBS} >= {"aggregate counts", "deliver stale mail", "purge"}


def test_the_reclaim_command_wraps_the_management_commands(capsys):
    import sys

    from reclaim import cli

    argv = sys.argv
    sys.argv = ["reclaim", "help", "purge"]
    try:
        cli.main()
    finally:
        sys.argv = argv
    assert "--dry-run" in capsys.readouterr().out
