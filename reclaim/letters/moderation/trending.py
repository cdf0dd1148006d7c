"""Trending sources: who is signing far above their usual rate, right now.

Every few minutes the scheduler counts, per petition, the signatures of the last window
(confirmed or not: a bot may never confirm, or may confirm through its own mailboxes) by
hashed network source, by hashed email domain and by country, and compares each count with
that key's usual rate over the baseline. A jump raises an :class:`Alert` and one mail,
through the outbox, to each staff member who may invalidate signatures. Only hashes, public
domain names and country codes are involved: no address, and no way back from a hash to
one.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from disposable_email_domains import blocklist
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from reclaim.accounts.services import staff_recipients
from reclaim.audit.services import record
from reclaim.letters.models import Signature
from reclaim.letters.moderation.access import PERMISSION
from reclaim.letters.moderation.models import Alert
from reclaim.lib.emailhash import PROVIDERS
from reclaim.mail.services import queue_mail
from reclaim.shield.network import domain_hash

ALERT_MAIL = "letters.alert"
# How much of a source hash is shown. 8 hex digits tell today's sources apart (the hashes
# change with the daily salt) without looking like an identifier worth copying around.
SOURCE_PREFIX = 8

FIELDS: dict[str, str] = {
    Alert.Kind.SOURCE: "source_hash",
    Alert.Kind.DOMAIN: "email_domain_hash",
    Alert.Kind.COUNTRY: "country",
}


@functools.lru_cache(maxsize=2)
def _public_domains(key: str) -> dict[str, str]:
    # Keyed by the hash key so that a changed key (tests, rotation) builds a new map.
    # About 10,000 HMACs: a few milliseconds, once per process.
    names = set(blocklist) | set(PROVIDERS)
    return {domain_hash(name): name for name in names}


def public_domain(hashed: str) -> str | None:
    """The name behind a domain hash, if it is a domain everybody knows (a disposable mail
    service or a large provider); None for any other, which stays unnamed."""
    return _public_domains(settings.EMAIL_HASH_KEY).get(hashed)


def describe(alert: Alert) -> str:
    """What an alert is about, for people, in the active language."""
    if alert.kind == Alert.Kind.SOURCE:
        return _("network source %(prefix)s") % {"prefix": alert.label}
    if alert.kind == Alert.Kind.DOMAIN:
        if alert.label:
            return _("email domain %(domain)s") % {"domain": alert.label}
        return _("an uncommon domain (%(prefix)s)") % {"prefix": alert.key[:SOURCE_PREFIX]}
    return _("signatures from %(country)s") % {"country": countries.name(alert.key) or alert.key}


def _label(kind: str, key: str) -> str:
    if kind == Alert.Kind.SOURCE:
        return key[:SOURCE_PREFIX]
    if kind == Alert.Kind.DOMAIN:
        return public_domain(key) or ""
    return key


def _conf() -> dict[str, Any]:
    return dict(settings.RECLAIM["TRENDING"])


def detect(now: datetime | None = None) -> list[Alert]:
    """Raise alerts for keys far above their usual rate; returns the alerts raised now.

    A key alerts when its count in the last window exceeds ``factor`` times its usual count
    per window, where the usual count is floored at ``min_count / factor``: without a
    baseline (a new petition, a new source) it takes more than ``min_count`` signatures.
    While an unresolved alert covers an overlapping window, it is extended instead of
    repeated, so one continuous run is one alert and one mail.
    """
    conf = _conf()
    now = now or timezone.now()
    window = timedelta(minutes=conf["window_minutes"])
    start = now - window
    baseline_start = now - timedelta(hours=conf["baseline_hours"])
    factor = float(conf["factor"])
    min_count = int(conf["min_count"])
    floor = min_count / factor

    # Invalidated signatures neither trend nor raise anyone's usual rate.
    live = Signature.objects.filter(invalidated_at__isnull=True).order_by()
    recent = live.filter(created_at__gte=start, created_at__lt=now)
    # No key can pass min_count in a petition that did not get that many in the window.
    busy = list(
        recent.values_list("petition_id")
        .annotate(n=Count("id"))
        .filter(n__gt=min_count)
        .values_list("petition_id", flat=True)
    )
    if not busy:
        return []
    # The baseline runs from when the petition started to receive signatures, so a
    # petition opened an hour ago is compared with its hour, not with a quiet day.
    first_seen = dict(
        Signature.objects.filter(petition_id__in=busy)
        .order_by()
        .values_list("petition_id")
        .annotate(first=Min("created_at"))
        .values_list("petition_id", "first")
    )

    def windows_of(petition_id: int) -> float:
        since = max(baseline_start, first_seen.get(petition_id) or start)
        return max((start - since) / window, 0.0)

    # Every count is read first, outside any transaction: on SQLite a transaction takes
    # the database's only write lock at BEGIN, and during a spike these grouped counts
    # read every signature of the window (seconds at a million rows), which would stop
    # every signer for as long. Only the alerts are written under the lock.
    jumps: list[tuple[str, str, int, int, float]] = []
    for kind, field in FIELDS.items():
        counts = {
            (pid, key): n
            for pid, key, n in recent.filter(petition_id__in=busy)
            .exclude(**{field: ""})
            .values_list("petition_id", field)
            .annotate(n=Count("id"))
            .filter(n__gt=min_count)
            .values_list("petition_id", field, "n")
        }
        if not counts:
            continue
        usual_counts: dict[tuple[int, str], int] = defaultdict(int)
        for pid, key, n in (
            live.filter(
                created_at__gte=baseline_start,
                created_at__lt=start,
                petition_id__in={pid for pid, _key in counts},
                **{f"{field}__in": {key for _pid, key in counts}},
            )
            .values_list("petition_id", field)
            .annotate(n=Count("id"))
            .values_list("petition_id", field, "n")
        ):
            usual_counts[(pid, key)] = n
        for (pid, key), count in sorted(counts.items()):
            windows = windows_of(pid)
            usual = usual_counts[(pid, key)] / windows if windows >= 1 else 0.0
            if count > factor * max(usual, floor):
                jumps.append((kind, key, pid, count, usual))

    raised: list[Alert] = []
    if not jumps:
        return raised
    with transaction.atomic():
        for kind, key, pid, count, usual in jumps:
            alert = _raise(kind, key, pid, start, now, count, usual, window)
            if alert is not None:
                raised.append(alert)
        if raised:
            ids = [a.pk for a in raised]
            record("system", "signature.alert", count=len(raised), alerts=ids)
            mail_staff(ids)
    return raised


def _raise(
    kind: str,
    key: str,
    petition_id: int,
    start: datetime,
    end: datetime,
    count: int,
    usual: float,
    window: timedelta,
) -> Alert | None:
    """A new alert, or None after extending the open one whose window overlaps."""
    open_alert = (
        Alert.objects.select_for_update()
        .filter(
            kind=kind,
            key=key,
            petition_id=petition_id,
            resolved_at__isnull=True,
            window_start__lt=end,
            window_end__gte=start,
        )
        .order_by("-window_end")
        .first()
    )
    if open_alert is None:
        return Alert.objects.create(
            kind=kind,
            key=key,
            label=_label(kind, key),
            petition_id=petition_id,
            window_start=start,
            window_end=end,
            count=count,
            usual=round(usual, 2),
        )
    # One continuous run, one alert: stretch its window and recount it exactly. "Usual"
    # scales with the window so the two numbers stay comparable.
    if end > open_alert.window_end:
        whole = (
            Signature.objects.filter(
                invalidated_at__isnull=True,
                petition_id=petition_id,
                created_at__gte=open_alert.window_start,
                created_at__lt=end,
                **{FIELDS[kind]: key},
            )
            .order_by()
            .count()
        )
        open_alert.usual = round(usual * ((end - open_alert.window_start) / window), 2)
        open_alert.window_end = end
        open_alert.count = whole
        open_alert.save(update_fields=["window_end", "count", "usual"])
    return None


def mail_staff(alert_ids: list[int]) -> int:
    """Queue one mail per staff member who may invalidate signatures, listing the new
    alerts in their language. Call it inside the transaction that raised them."""
    recipients = staff_recipients(PERMISSION)
    for address, language in recipients:
        queue_mail(ALERT_MAIL, address, language, params={"alerts": alert_ids})
    return len(recipients)


def resolve(alert: Alert, actor: Any) -> None:
    """Mark an alert dealt with; the next jump of the same key raises a new one."""
    with transaction.atomic():
        updated = Alert.objects.filter(pk=alert.pk, resolved_at__isnull=True).update(
            resolved_at=timezone.now()
        )
        if updated:
            record(actor, "signature.alert_resolve", target=f"alert:{alert.pk}", count=1)
