"""An invented initiative collecting now, with its readings, paper batches and sponsors.

Every fact is in ``ban-biometric-surveillance-2026.json``: the registered data, where each
member state stands as a share of its threshold, the coalition partners' paper batches and
the sponsors. The readings climb from the start of collection to those shares at the latest
reading; the batches and sponsors are dated back from then. Each batch is found by its
reference and each sponsor by its name, so a second run adds none twice.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from reclaim.demo.facts import organisations
from reclaim.demo.steps import ACTOR
from reclaim.eci.demo.curves import growth, progress
from reclaim.eci.demo.loading import Loaded, ensure_initiative, enter_readings
from reclaim.eci.models import CounterReading, Initiative, PaperBatch
from reclaim.eci.services.batches import advance_batch, create_batch
from reclaim.eci.services.sponsors import record_sponsor

FACTS = Path(__file__).with_name("ban-biometric-surveillance-2026.json")


@dataclass(frozen=True)
class DemoBatch:
    """A coalition partner's paper, and how far along its custody chain it has come."""

    reference: str
    partner: str
    country: str
    sheets: int
    statements: int
    storage: str
    steps: tuple[tuple[str, int], ...]  # (step, days before the latest reading)
    valid_count: int | None = None


def facts() -> dict[str, Any]:
    return json.loads(FACTS.read_text(encoding="utf-8"))


def fields(data: dict[str, Any]) -> dict[str, Any]:
    given = data["initiative"]
    signing = given["signing_url"]
    return {
        "registration_number": given["registration_number"],
        "slug": given["slug"],
        "registered_on": date.fromisoformat(given["registered_on"]),
        "title": given["title"],
        "objectives": given["objectives"],
        "register_url": given["register_url"],
        "signing_url": signing.format(language="en"),
        "signing_links": {
            language: signing.format(language=language) for language in given["signing_languages"]
        },
        "collection_start": date.fromisoformat(given["collection_start"]),
        "collection_end": date.fromisoformat(given["collection_end"]),
        "representative_name": given["representative_name"],
        "representative_email": given["representative_email"],
        "registered_language": given["registered_language"],
        "translations": given["translations"],
        "status": Initiative.Status(given["status"]),
    }


def batches(data: dict[str, Any]) -> list[DemoBatch]:
    return [
        DemoBatch(
            reference=item["reference"],
            partner=item["partner"],
            country=item["country"],
            sheets=int(item["sheets"]),
            statements=int(item["statements"]),
            storage=item["storage"],
            steps=tuple((step, int(days)) for step, days in item["steps"]),
            valid_count=item.get("valid_count"),
        )
        for item in data["batches"]
    ]


# --- Readings -------------------------------------------------------------------------


def moments(start: date, end: date, now: datetime) -> list[datetime]:
    """Weekly register readings from the start of collection, daily in the last two weeks,
    and one now; none after collection ended."""
    first = datetime.combine(start, time(6, 0), tzinfo=UTC)
    last = min(now.replace(second=0, microsecond=0), datetime.combine(end, time.max, tzinfo=UTC))
    if last <= first:
        return []
    daily_from = last - timedelta(days=14)
    found = []
    moment = first + timedelta(days=7)
    while moment < last:
        if moment >= daily_from or (moment - first).days % 7 == 0:
            found.append(moment)
        moment += timedelta(days=1)
    return [*found, last]


def final_figures(initiative: Initiative, data: dict[str, Any]) -> dict[str, int]:
    thresholds = initiative.thresholds()
    return {
        iso: round(thresholds[iso] * share) for iso, share in data["share_of_threshold"].items()
    }


def readings(
    initiative: Initiative, data: dict[str, Any], now: datetime
) -> tuple[list[tuple[datetime, dict[str, int]]], list[tuple[datetime, int]]]:
    """The register's figures per moment, and the online totals of the last three days."""
    assert initiative.collection_start is not None and initiative.collection_end is not None
    when = moments(initiative.collection_start, initiative.collection_end, now)
    if not when:
        return [], []
    start = datetime.combine(initiative.collection_start, time(), UTC)
    final = final_figures(initiative, data)
    fractions = progress(when, start, 0.85)
    series = growth(final, fractions, random.Random("reclaim-demo-2026"), 0.06)
    total = sum(final.values())
    online = [
        (when[-1] - timedelta(days=days), round(total * share))
        for days, share in zip((2, 1, 0), data["online_share"], strict=True)
    ]
    return list(zip(when, series, strict=True)), online


# --- Paper and sponsors ---------------------------------------------------------------


def add_batches(initiative: Initiative, data: dict[str, Any], latest: datetime) -> int:
    """The partners' batches, each taken through the services up to its step.

    A batch from anyone but the coalition (the demo's ``organisations.json``) is a mistake
    in the data file: it stops the demo."""
    assert initiative.collection_start is not None
    partners = {organisation.name for organisation in organisations()}
    opening = datetime.combine(initiative.collection_start, time(), UTC)
    wanted = batches(data)
    existing = set(
        PaperBatch.objects.filter(reference__in=[b.reference for b in wanted]).values_list(
            "reference", flat=True
        )
    )
    added = 0
    for spec in wanted:
        if spec.reference in existing:
            continue
        if spec.partner not in partners:
            raise LookupError(f"{spec.partner} is not in organisations.json.")
        when = {step: max(opening, latest - timedelta(days=days)) for step, days in spec.steps}
        # A batch and its steps, or nothing: a half-recorded batch would be skipped as
        # existing by the next run.
        with transaction.atomic():
            batch = create_batch(
                initiative,
                ACTOR,
                reference=spec.reference,
                partner=spec.partner,
                country=spec.country,
                sheets=spec.sheets,
                statements=spec.statements,
                storage=spec.storage,
                received_at=when[PaperBatch.Step.RECEIVED],
            )
            for step, _days in spec.steps[1:]:
                advance_batch(
                    batch,
                    step,
                    ACTOR,
                    when=when[step],
                    sent_means=data["sent_means"] if step == PaperBatch.Step.SENT else "",
                    valid_count=spec.valid_count if step == PaperBatch.Step.CERTIFIED else None,
                )
        added += 1
    return added


def add_sponsors(initiative: Initiative, data: dict[str, Any], today: date) -> int:
    names = set(initiative.sponsors.values_list("name", flat=True))
    added = 0
    for item in data["sponsors"]:
        if item["name"] in names:
            continue
        received_on = max(initiative.registered_on, today - timedelta(days=item["days_ago"]))
        record_sponsor(initiative, item["name"], Decimal(item["amount"]), received_on, ACTOR)
        added += 1
    return added


def load(now: datetime) -> Loaded:
    data = facts()
    initiative, created = ensure_initiative(fields(data))
    register, online = readings(initiative, data, now)
    loaded = Loaded(initiative, created, enter_readings(initiative, register, online))
    # The paper's dates count back from the latest register figure, as of the first run.
    latest = initiative.readings.filter(source=CounterReading.Source.REGISTER).aggregate(
        Max("read_at")
    )["read_at__max"]
    loaded.batches = add_batches(initiative, data, latest or now)
    loaded.sponsors = add_sponsors(initiative, data, timezone.localdate(now))
    return loaded
