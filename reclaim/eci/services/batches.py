"""Writes of paper batches: their reception and each step of their chain of custody."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reclaim.audit.services import record
from reclaim.eci.models import STEP_FIELDS, Initiative, PaperBatch


def create_batch(
    initiative: Initiative,
    actor: Any,
    *,
    reference: str,
    partner: str,
    country: str,
    sheets: int,
    statements: int,
    storage: str = "",
    received_at: datetime | None = None,
) -> PaperBatch:
    """Record paper received from a partner: numbers only, never a signatory's data.

    ``received_at`` is when the paper arrived, if not now (paper recorded late)."""
    with transaction.atomic():
        batch = PaperBatch.objects.create(
            initiative=initiative,
            reference=reference,
            partner=partner,
            country=country,
            sheets=sheets,
            statements=statements,
            storage=storage,
            received_at=received_at or timezone.now(),
        )
        record(
            actor,
            "paper.received",
            target=f"batch:{batch.reference}",
            count=statements,
            country=country,
            sheets=sheets,
        )
    return batch


def advance_batch(
    batch: PaperBatch,
    step: str,
    actor: Any,
    *,
    when: datetime | None = None,
    sent_means: str = "",
    valid_count: int | None = None,
    statements: int | None = None,
) -> PaperBatch:
    """Move a batch one step along its chain of custody, in order, once per step."""
    fields = dict(STEP_FIELDS)
    if step not in fields or step == PaperBatch.Step.RECEIVED:
        raise ValidationError(_("Unknown step."))
    order = [name for name, _field in STEP_FIELDS]
    previous = order[order.index(step) - 1]
    # Destruction may follow any step: a batch can be destroyed on a withdrawal.
    if step != PaperBatch.Step.DESTROYED and getattr(batch, fields[previous]) is None:
        raise ValidationError(_("This batch must first be %(step)s.") % {"step": previous})
    if getattr(batch, fields[step]) is not None:
        raise ValidationError(_("This step is already recorded."))
    if step == PaperBatch.Step.SENT and not sent_means.strip():
        raise ValidationError(_("Say how the batch was sent."))
    if step == PaperBatch.Step.CERTIFIED:
        if valid_count is None or valid_count < 0 or valid_count > batch.statements:
            raise ValidationError(
                _("The valid count must be between 0 and the batch's statements.")
            )
    with transaction.atomic():
        setattr(batch, fields[step], when or timezone.now())
        if step == PaperBatch.Step.COUNTED and statements is not None:
            batch.statements = statements
        if step == PaperBatch.Step.SENT:
            batch.sent_means = sent_means.strip()
        if step == PaperBatch.Step.CERTIFIED:
            batch.valid_count = valid_count
        batch.save()
        record(
            actor,
            f"paper.{step}",
            target=f"batch:{batch.reference}",
            count=(batch.valid_count or 0)
            if step == PaperBatch.Step.CERTIFIED
            else batch.statements,
            country=str(batch.country),
        )
    return batch
