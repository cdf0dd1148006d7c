"""The retention engine: every app's declared deletions, run by `reclaim purge` and daily
by the scheduler.

Each app declares what it deletes, and when, as ``POLICIES`` in its own ``retention.py``
(``reclaim.core.hooks.Policy``). The engine runs them in the declared order (apps in
``INSTALLED_APPS`` order, each app's list in its order: petitions are closed before their
data is purged) and writes one audit entry per real run with every policy's count.
"""

from __future__ import annotations

import logging

from django.db import transaction

from reclaim.audit.services import record
from reclaim.core.hooks import POLICIES, Policy

logger = logging.getLogger(__name__)


def policies() -> list[Policy]:
    return POLICIES.items()


def run_purge(dry_run: bool = False, actor: str = "purge") -> dict[str, int]:
    """Run every policy (or, in a dry run, count what each would delete).

    Returns {policy name: rows}. One failing policy does not stop the others: it is logged
    and named in the audit entry, and its error is raised after the run so that the
    scheduler and the command report it.
    """
    counts: dict[str, int] = {}
    failed: list[str] = []
    error: Exception | None = None
    for policy in policies():
        try:
            counts[policy.name] = policy.count_due() if dry_run else policy.run()
        except Exception as exc:
            logger.exception("retention policy %s failed", policy.name)
            failed.append(policy.name)
            error = error or exc
    if not dry_run:
        with transaction.atomic():
            record(
                actor,
                "retention.run",
                target="retention",
                count=sum(counts.values()),
                counts=counts,
                failed=failed,
            )
    if error is not None:
        raise error
    return counts
