"""Partner accounts: a member organisation's staff, who see that organisation only.

A partner account is a Django user that is not staff (the admin stays closed to it) and
holds the ``Partners`` role (``reclaim.coalition.roles.PARTNER``), which grants no model
permission: everything a partner may open is checked against their organisation
(``reclaim.coalition.access_partners``). It signs in through the same page and second
factor as staff.

What a partner learns of the campaign is counts: how many confirmed, valid signatures (and,
once other apps add theirs, subscriptions) their own widgets brought, per campaign, per
country and per week. Never a name, an address or anything of one signature. The sources
of counts are a hook (``PARTNER_COUNTS`` in an app's ``partner_counts.py``), so that the
newsletter app adds its subscriptions without this module knowing it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from reclaim.accounts.services import remember_language
from reclaim.audit.services import record
from reclaim.coalition.models import Organisation, Partner, Widget
from reclaim.coalition.roles import PARTNER
from reclaim.core.hooks import Hook, Text


class AccountExists(ValueError):
    """An account with this address (as username) exists already."""


def make_partner_account(
    organisation: Organisation,
    email: str,
    actor: Any,
    language: str | None = None,
    username: str | None = None,
) -> Any:
    """A new partner account of ``organisation``: a user named by ``email``, without a
    usable password (the invitation lets them set one, then enrol a second factor), not
    staff, in the Partners role, with its ``Partner`` row. Raises ``AccountExists`` when a
    user of that name exists (it is never taken over). ``language`` is that of their mail.
    """
    address = get_user_model().objects.normalize_email(email.strip()).lower()
    name = username or address
    users = get_user_model().objects
    with transaction.atomic():
        if users.filter(username__iexact=name).exists():
            raise AccountExists(name)
        # Not staff (create_user's default): the admin stays closed to partners.
        user = users.create_user(username=name, email=address, password=None)
        Partner.objects.create(user=user, organisation=organisation)
        group, _created = Group.objects.get_or_create(name=PARTNER)
        user.groups.add(group)
        remember_language(user, language or settings.LANGUAGE_CODE)
        record(
            actor,
            "coalition.partner_account_create",
            target=f"organisation {organisation.slug}",
            count=1,
            user=user.pk,
        )
    return user


def partner_of(user: Any) -> Partner | None:
    """The user's partner row with its organisation, or None."""
    if not user.is_authenticated:
        return None
    return Partner.objects.select_related("organisation").filter(user=user).first()


def partner_recipients(organisation: Organisation) -> list[tuple[str, str]]:
    """(address, language) of the organisation's active partner accounts with an address."""
    partners = (
        Partner.objects.filter(organisation=organisation, user__is_active=True)
        .exclude(user__email="")
        .select_related("user__staff_profile")
        .order_by("pk")
    )
    recipients = []
    for partner in partners:
        profile = getattr(partner.user, "staff_profile", None)
        language = profile.language if profile is not None else settings.LANGUAGE_CODE
        recipients.append((partner.user.email, language))
    return recipients


# --- Counts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class WidgetCount:
    """One cell of counts: so many came through the widgets, for one campaign, from one
    country (ISO code; blank when unknown), in the week that starts on ``week`` (Monday)."""

    campaign: Text
    country: str
    week: date
    count: int


@dataclass(frozen=True)
class CountSource:
    """What partners' widgets bring, as one app counts it: ``count(keys)`` gives the cells
    for the widgets with these keys, in one or two aggregate queries and never a row per
    person."""

    name: str
    label: Text
    count: Callable[[Sequence[str]], list[WidgetCount]]


# Each app that counts what widgets bring lists its sources as PARTNER_COUNTS in its own
# partner_counts.py (the coalition's signatures are in reclaim/coalition/partner_counts.py).
PARTNER_COUNTS = Hook[CountSource]("partner_counts", "PARTNER_COUNTS", key=lambda s: s.name)


@dataclass
class Breakdown:
    """One source's counts for an organisation, summed three ways for the page."""

    name: str
    label: Text
    total: int = 0
    by_campaign: list[tuple[Text, int]] = field(default_factory=list)
    by_country: list[tuple[str, int]] = field(default_factory=list)
    # Every week from the first to the last with a count, empty weeks included, so that a
    # chart's gaps are real.
    by_week: list[tuple[date, int]] = field(default_factory=list)

    @property
    def peak(self) -> int:
        return max((count for _week, count in self.by_week), default=0)


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def breakdown(source: CountSource, cells: list[WidgetCount]) -> Breakdown:
    campaigns: dict[str, tuple[Text, int]] = {}
    countries: dict[str, int] = defaultdict(int)
    weeks: dict[date, int] = defaultdict(int)
    for cell in cells:
        label, count = campaigns.get(str(cell.campaign), (cell.campaign, 0))
        campaigns[str(cell.campaign)] = (label, count + cell.count)
        countries[cell.country] += cell.count
        weeks[monday(cell.week)] += cell.count
    result = Breakdown(source.name, source.label)
    result.total = sum(countries.values())
    result.by_campaign = sorted(campaigns.values(), key=lambda item: (-item[1], str(item[0])))
    result.by_country = sorted(countries.items(), key=lambda item: (-item[1], item[0]))
    if weeks:
        week, last = min(weeks), max(weeks)
        while week <= last:
            result.by_week.append((week, weeks.get(week, 0)))
            week += timedelta(days=7)
    return result


def organisation_counts(organisation: Organisation) -> list[Breakdown]:
    """Every source's counts for the organisation's own widgets (retired ones too: what they
    brought stays theirs)."""
    keys = list(Widget.objects.filter(organisation=organisation).values_list("key", flat=True))
    return [breakdown(source, source.count(keys) if keys else []) for source in PARTNER_COUNTS]
