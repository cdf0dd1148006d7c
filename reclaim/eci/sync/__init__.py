"""The Commission's public counters, read on a schedule.

Two public endpoints give an initiative's figures (see ``public_counters`` in
``data/rules.json``): the central online collection system's *progression* (the online
total, live) and the register's *details* (online and paper per member state, updated about
daily). Neither is documented as an API, so everything read is checked strictly; a bad,
slow or missing answer writes no reading at all, keeps the last good figure and records
the error on ``SyncStatus``, and the page shows that figure with its age, as stale
(``reclaim.eci.figures``). So does an answer that cannot be true (``checks``), which is
also kept with its reason (``RejectedReading``) for the organisers.

- ``fetching``: the HTTP client, its retries and its limits of size and time;
- ``parsing``: the counters' JSON, the register's dates, and the organisers' CSV uploads;
- ``checks``: what no true answer says (more than a population, a total that disagrees with
  its member states, a fall, a date to come);
- here: which initiatives and counters to read, one after the other. What is read is
  stored by ``reclaim.eci.services.figures``.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx
from django.db.models import Q
from django.utils import timezone

from reclaim.eci.figures import SYNCED_STATUSES, commission_today, is_synced, latest_total
from reclaim.eci.models import CounterReading, Initiative
from reclaim.eci.services.figures import (
    record_sync_failure,
    record_sync_rejection,
    record_sync_success,
)
from reclaim.eci.sync import fetching
from reclaim.eci.sync.checks import check_answer
from reclaim.eci.sync.errors import SyncError
from reclaim.eci.sync.parsing import (
    RegisterReport,
    parse_progression,
    parse_register,
)

__all__ = ["SYNCED_STATUSES", "SyncError", "is_synced", "sync_all", "sync_initiative"]

logger = logging.getLogger(__name__)

ONLINE = CounterReading.Source.ONLINE
REGISTER = CounterReading.Source.REGISTER


def _sync_source(client: httpx.Client, initiative: Initiative, source: str) -> dict[str, Any]:
    url = initiative.online_counter_url if source == ONLINE else initiative.register_counter_url
    attempted_at = timezone.now()
    try:
        data = fetching.fetch_json(client, url)
        if source == ONLINE:
            report = RegisterReport(total=parse_progression(data), countries={}, reported_at=None)
        else:
            report = parse_register(data)
    except SyncError as exc:
        error = str(exc)[:200]
        logger.warning("ECI counter %s of %s: %s", source, initiative.slug, error)
        record_sync_failure(initiative, source, error=error, attempted_at=attempted_at)
        return {"ok": False, "error": error}
    previous = latest_total(initiative, source)
    rejection = check_answer(source, report, previous.count if previous else None, now=attempted_at)
    if rejection is not None:
        logger.warning("ECI counter %s of %s: %s", source, initiative.slug, rejection)
        record_sync_rejection(
            initiative,
            source,
            reason=rejection.reason,
            details=rejection.details,
            total=report.total,
            attempted_at=attempted_at,
        )
        return {"ok": False, "error": str(rejection), "rejected": rejection.reason}
    record_sync_success(
        initiative,
        source,
        total=report.total,
        countries=report.countries,
        attempted_at=attempted_at,
        reported_at=report.reported_at,
    )
    result: dict[str, Any] = {"ok": True, "total": report.total}
    if report.ignored:
        result["ignored"] = report.ignored
    return result


def sync_initiative(initiative: Initiative) -> dict[str, Any]:
    """Read each configured counter of one initiative; a result per source read.

    ``{"online": {"ok": True, "total": 12345}, "register": {"ok": False, "error": "…"}}``;
    a source without a URL is left out.
    """
    sources = [
        source
        for source, url in [
            (ONLINE, initiative.online_counter_url),
            (REGISTER, initiative.register_counter_url),
        ]
        if url
    ]
    if not sources:
        return {}
    with fetching.client() as client:
        return {str(source): _sync_source(client, initiative, source) for source in sources}


def sync_all() -> dict[str, Any]:
    """Sync every initiative whose figures can still move (``is_synced``) and that has a
    counter URL."""
    today = commission_today()
    initiatives = (
        Initiative.objects.filter(status__in=SYNCED_STATUSES)
        .filter(Q(collection_end__isnull=True) | Q(collection_end__gte=today))
        .filter(~Q(online_counter_url="") | ~Q(register_counter_url=""))
    )
    results: dict[str, Any] = {}
    for initiative in initiatives.order_by("pk"):
        try:
            results[initiative.slug] = sync_initiative(initiative)
        except Exception:
            # One initiative's surprise must not starve the others of their figures.
            logger.exception("ECI counter sync of %s failed", initiative.slug)
            results[initiative.slug] = {"ok": False, "error": "unexpected error"}
    return results
