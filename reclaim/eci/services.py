"""Writes around an initiative: paper batches and their chain of custody."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reclaim.audit.services import record
from reclaim.eci.models import STEP_FIELDS, CounterReading, Initiative, PaperBatch


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
) -> PaperBatch:
    """Record paper received from a partner: numbers only, never a signatory's data."""
    with transaction.atomic():
        batch = PaperBatch.objects.create(
            initiative=initiative,
            reference=reference,
            partner=partner,
            country=country,
            sheets=sheets,
            statements=statements,
            storage=storage,
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


def destruction_deadline(initiative: Initiative) -> date | None:
    from reclaim.eci.deadlines import batch_destruction_deadline

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


def stale_sources(initiative: Initiative) -> dict[str, Any]:
    """Per counter source: its age and whether it is stale (see sync.is_stale)."""
    from reclaim.eci import sync

    # Only a live initiative's figures go stale: a closed one's last figures are final.
    live = initiative.status in (Initiative.Status.COLLECTING, Initiative.Status.VERIFICATION)
    result = {}
    now = timezone.now()
    for source in (CounterReading.Source.ONLINE, CounterReading.Source.REGISTER):
        age = sync.figure_age(initiative, source, now)
        result[str(source)] = {
            # sync.is_stale(), without reading the newest figure a second time.
            "stale": live and (age is None or age > sync.stale_after(source)),
            "read_at": now - age if age is not None else None,
        }
    return result


def sponsors_stale(initiative: Initiative, today: date) -> bool:
    from reclaim.eci.sponsors import disclosure_is_stale

    return disclosure_is_stale(initiative, today)


def mail_overdue_batches(today: date | None = None) -> int:
    """Once a day, tell the organisers about paper that should have been destroyed."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from reclaim.accounts.roles import ORGANISER
    from reclaim.audit.models import AuditEntry
    from reclaim.lib import emails

    today = today or timezone.localdate()
    if AuditEntry.objects.filter(
        action="paper.overdue_mail", at__gte=timezone.now() - timedelta(hours=23)
    ).exists():
        return 0
    overdue = [
        (initiative, batches)
        for initiative in Initiative.objects.all()
        if (batches := overdue_batches(initiative, today))
    ]
    if not overdue:
        return 0
    recipients = (
        get_user_model()
        .objects.filter(Q(groups__name=ORGANISER) | Q(is_superuser=True), is_active=True)
        .exclude(email="")
        .distinct()
    )
    sent = 0
    for user in recipients:
        emails.send("eci-overdue-batches", user.email, {"overdue": overdue}, "en")
        sent += 1
    record("system", "paper.overdue_mail", count=sum(len(b) for _, b in overdue), mails=sent)
    return sent
