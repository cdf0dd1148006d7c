"""Counting signatures without a hot row.

Requests only insert signatures and flip their own row's ``confirmed_at``. A periodic job
recounts confirmed signatures per petition and country in one grouped query (served by a
covering index) and writes the result with one upsert per petition. The UK Parliament
petitions site fell over in March 2019 on exactly the counter row this avoids.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from reclaim.letters.models import CountryCount, MilestoneReached, Petition, Signature

CACHE_KEY = "letters:counts:{pk}"


def aggregate_counts(petition_ids: list[int] | None = None) -> int:
    """Rebuild the per-country counts of live petitions. Returns the petitions updated."""
    petitions = Petition.objects.exclude(status=Petition.Status.ARCHIVED)
    if petition_ids is not None:
        petitions = petitions.filter(pk__in=petition_ids)
    updated = 0
    for petition in petitions:
        _aggregate_one(petition)
        updated += 1
    return updated


def _aggregate_one(petition: Petition) -> None:
    now = timezone.now()
    fresh = dict(
        Signature.objects.counted()
        .filter(petition=petition)
        .values_list("country")
        .annotate(n=Count("id"))
        .values_list("country", "n")
    )
    known = set(CountryCount.objects.filter(petition=petition).values_list("country", flat=True))
    rows = [
        CountryCount(
            petition=petition, country=country, count=fresh.get(country, 0), updated_at=now
        )
        for country in set(fresh) | known
    ]
    total = sum(fresh.values())
    # The public list's figures, so that its page never counts: an index-only count over
    # the partial index of listed rows (sig_public_list_idx).
    listed = dict(
        Signature.objects.publicly_listed()
        .filter(petition=petition)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    people = listed.get(Signature.Kind.INDIVIDUAL, 0)
    organisations = listed.get(Signature.Kind.ORGANISATION, 0)
    with transaction.atomic():
        if rows:
            CountryCount.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["petition", "country"],
                update_fields=["count", "updated_at"],
            )
        # Store the moment each milestone (and the goal) was first crossed.
        crossed = [m for m in {*petition.milestones, petition.goal} if 0 < m <= total]
        if crossed:
            MilestoneReached.objects.bulk_create(
                [MilestoneReached(petition=petition, threshold=m, reached_at=now) for m in crossed],
                ignore_conflicts=True,
            )
        # Written only when it changed: no new row version every few seconds for nothing.
        Petition.objects.filter(pk=petition.pk).exclude(
            listed_people=people, listed_organisations=organisations
        ).update(listed_people=people, listed_organisations=organisations)
    cache.set(CACHE_KEY.format(pk=petition.pk), _snapshot(petition, fresh, now), None)


def _snapshot(petition: Petition, per_country: dict[str, int], at: Any) -> dict[str, Any]:
    return {
        "petition": petition.slug,
        "total": sum(per_country.values()),
        "goal": petition.goal,
        "by_country": dict(sorted(per_country.items(), key=lambda item: (-item[1], item[0]))),
        "updated_at": at.isoformat(),
    }


def counts_for(petition: Petition) -> dict[str, Any]:
    """The public figures, from the cache; rebuilt from the count table if it is cold.

    With a shared cache (``settings.SHARED_CACHE``: Redis, or the default disk cache on a
    SQLite site, whose processes are all on one machine) the aggregation job's own entry is
    read, so a new count is public as soon as the job has run. Otherwise the job's entry may
    be in another cache than the web process's: each web process re-reads the count table
    (one indexed query) at most once a second, so a count is public within about
    AGGREGATE_EVERY + 1 s.
    """
    data = cache.get(CACHE_KEY.format(pk=petition.pk))
    if data is None:
        rows = list(CountryCount.objects.filter(petition=petition, count__gt=0))
        at = max((row.updated_at for row in rows), default=petition.created_at)
        data = _snapshot(petition, {str(row.country): row.count for row in rows}, at)
        cache.set(CACHE_KEY.format(pk=petition.pk), data, 60 if settings.SHARED_CACHE else 1)
    return data
