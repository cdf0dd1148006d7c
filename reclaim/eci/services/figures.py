"""Writes of an initiative's figures: counter readings, and each counter's sync status.

Every figure is a new ``CounterReading`` row (a time series, never overwritten). Rows
written together share one ``read_at``, and each set has a total row (blank country): the
dashboard's cache (``reclaim.eci.dashboard_cache``) relies on the newest total changing
with every write. Figures come from the sync (``reclaim.eci.sync``, not audited: the
Commission's public figures, read on a schedule) or from an organiser (audited).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from reclaim.audit.services import record
from reclaim.eci.models import (
    MAX_COUNT,
    CounterReading,
    Initiative,
    RejectedReading,
    SyncStatus,
)
from reclaim.eci.rules import member_state


def _write_readings(
    initiative: Initiative,
    source: str,
    origin: str,
    total: int,
    countries: dict[str, int],
    read_at: datetime,
    reported_at: datetime | None,
) -> list[CounterReading]:
    """One row per member state, then the total (blank country), all read at one moment."""
    figures = [*sorted(countries.items()), ("", total)]
    return CounterReading.objects.bulk_create(
        CounterReading(
            initiative=initiative,
            source=source,
            origin=origin,
            country=code,
            count=count,
            read_at=read_at,
            reported_at=reported_at,
        )
        for code, count in figures
    )


# --- From the sync --------------------------------------------------------------------


def record_sync_success(
    initiative: Initiative,
    source: str,
    *,
    total: int,
    countries: dict[str, int],
    attempted_at: datetime,
    reported_at: datetime | None = None,
) -> list[CounterReading]:
    """Store a counter's figures as read from the Commission (already checked by
    ``reclaim.eci.sync.parsing``), and mark the counter as read without error."""
    with transaction.atomic():
        rows = _write_readings(
            initiative,
            source,
            CounterReading.Origin.SYNC,
            total,
            countries,
            read_at=attempted_at,
            reported_at=reported_at,
        )
        SyncStatus.objects.update_or_create(
            initiative=initiative,
            source=source,
            defaults={
                "last_attempt_at": attempted_at,
                "last_success_at": attempted_at,
                "last_error": "",
            },
        )
    return rows


def record_sync_failure(
    initiative: Initiative, source: str, *, error: str, attempted_at: datetime
) -> None:
    """Note that a counter could not be read; its last good figure stays as it was."""
    with transaction.atomic():
        SyncStatus.objects.update_or_create(
            initiative=initiative,
            source=source,
            defaults={"last_attempt_at": attempted_at, "last_error": error},
        )


def record_sync_rejection(
    initiative: Initiative,
    source: str,
    *,
    reason: str,
    details: dict[str, Any],
    total: int,
    attempted_at: datetime,
) -> RejectedReading:
    """Note that a counter answered something that cannot be true (see
    ``reclaim.eci.sync.checks``): no reading is written, the last good figure stays, and
    the refusal is kept for the organisers. The same refusal as the last one of that
    counter is counted on its row rather than added as a new one."""
    with transaction.atomic():
        SyncStatus.objects.update_or_create(
            initiative=initiative,
            source=source,
            defaults={"last_attempt_at": attempted_at, "last_error": f"rejected: {reason}"},
        )
        last = (
            RejectedReading.objects.select_for_update()
            .filter(initiative=initiative, source=source)
            .order_by("-last_seen_at", "-id")
            .first()
        )
        if last is not None and last.reason == reason and last.details == details:
            last.last_seen_at = attempted_at
            last.times += 1
            last.save(update_fields=["last_seen_at", "times"])
            return last
        return RejectedReading.objects.create(
            initiative=initiative,
            source=source,
            reason=reason,
            details=details,
            total=total,
            first_seen_at=attempted_at,
            last_seen_at=attempted_at,
        )


# --- By hand --------------------------------------------------------------------------


def _check_source(source: str) -> None:
    if source not in CounterReading.Source.values:
        raise ValueError(f"unknown source {source!r}")


def _check_count(count: Any, what: str) -> None:
    if type(count) is not int or not 0 <= count <= MAX_COUNT:
        raise ValueError(f"bad count for {what!r}")


def _record_manual(
    initiative: Initiative,
    source: str,
    total: int,
    countries: dict[str, int],
    actor: Any,
    read_at: datetime | None,
    reported_at: datetime | None,
) -> list[CounterReading]:
    with transaction.atomic():
        rows = _write_readings(
            initiative,
            source,
            CounterReading.Origin.MANUAL,
            total,
            countries,
            read_at=read_at or timezone.now(),
            reported_at=reported_at,
        )
        record(
            actor,
            "eci.figures.manual",
            target=f"initiative:{initiative.pk}",
            count=total,
            source=source,
            countries=sorted(countries),
            reported_at=reported_at.isoformat() if reported_at else None,
        )
    return rows


def record_manual_figures(
    initiative: Initiative,
    source: str,
    figures: dict[str, int],
    actor: Any,
    reported_at: datetime | None = None,
    *,
    read_at: datetime | None = None,
) -> list[CounterReading]:
    """Write figures an organiser typed or uploaded, with their total, and audit it.

    The figures are taken as a complete picture of that counter: the total is their sum,
    and a member state left out has no row (it is not read as zero). ``read_at`` is when
    they were read, if not now (figures noted down earlier and entered late).
    """
    _check_source(source)
    if not figures:
        raise ValueError("no figures")
    countries: dict[str, int] = {}
    for code, count in figures.items():
        iso = member_state(code)
        if iso is None or iso in countries:
            raise ValueError(f"bad or repeated member state {code!r}")
        _check_count(count, code)
        countries[iso] = count
    total = sum(countries.values())
    if total > MAX_COUNT:
        raise ValueError("total too large")
    return _record_manual(initiative, source, total, countries, actor, read_at, reported_at)


def record_manual_total(
    initiative: Initiative,
    source: str,
    total: int,
    actor: Any,
    reported_at: datetime | None = None,
    *,
    read_at: datetime | None = None,
) -> list[CounterReading]:
    """Write a total an organiser read without its member states (the online counter
    shows only that), and audit it. ``read_at`` as for ``record_manual_figures``."""
    _check_source(source)
    _check_count(total, "total")
    return _record_manual(initiative, source, total, {}, actor, read_at, reported_at)
