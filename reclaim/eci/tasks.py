from __future__ import annotations

from typing import Any

from django_tasks import task

from reclaim.eci import sync


@task()
def sync_counters() -> dict[str, Any]:
    """Read the Commission's public counters of every initiative that is still moving."""
    return sync.sync_all()
