from __future__ import annotations

from django_tasks import task

from reclaim.letters import counting


@task()
def aggregate_counts() -> int:
    return counting.aggregate_counts()
