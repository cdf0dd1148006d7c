"""Reading the paper batches: where each stands against the destruction deadline.

The batches are written only through ``reclaim.eci.services.batches``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reclaim.eci.deadlines import batch_destruction_deadline
from reclaim.eci.models import Initiative, PaperBatch


def destruction_deadline(initiative: Initiative) -> date | None:
    return batch_destruction_deadline(initiative)


@dataclass
class BatchLine:
    batch: PaperBatch
    deadline: date | None
    overdue: bool


def batch_overview(initiative: Initiative, today: date) -> list[BatchLine]:
    deadline = destruction_deadline(initiative)
    return [
        BatchLine(
            batch,
            deadline,
            overdue=deadline is not None and batch.destroyed_at is None and today > deadline,
        )
        for batch in initiative.batches.order_by("received_at", "pk")
    ]


def overdue_batches(initiative: Initiative, today: date) -> list[PaperBatch]:
    return [line.batch for line in batch_overview(initiative, today) if line.overdue]


def overdue_by_initiative(today: date) -> list[tuple[Initiative, list[PaperBatch]]]:
    return [
        (initiative, batches)
        for initiative in Initiative.objects.all()
        if (batches := overdue_batches(initiative, today))
    ]
