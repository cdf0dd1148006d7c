from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from reclaim.audit.models import AuditEntry
from reclaim.eci.models import Initiative, Sponsor
from reclaim.eci.services.sponsors import record_sponsor
from reclaim.eci.sponsors import disclosed, disclosure_is_stale

WARNING = "For the organisers: this list is out of date."


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Pages in English whatever an earlier test left active (the middleware never resets)."""
    with translation.override("en"):
        yield


@pytest.fixture
def ryf(db: Any) -> Initiative:
    return Initiative.objects.create(
        slug="ryf",
        registration_number="ECI(2021)000001",
        registered_on=date(2021, 1, 7),
        title="Civil society initiative for a ban on biometric mass surveillance practices",
        objectives="Ban biometric mass surveillance.",
        register_url="https://register.eci.ec.europa.eu/core/initiative/2021/000001",
        signing_url="https://eci.ec.europa.eu/016/public/",
        collection_start=date(2021, 2, 17),
    )


@pytest.fixture
def listed(ryf: Initiative) -> Initiative:
    """Three sponsors: two above EUR 500, one at exactly 500 (not disclosed)."""
    Sponsor.objects.create(
        initiative=ryf, name="Open Society", amount=Decimal("12500"), received_on=date(2021, 5, 3)
    )
    Sponsor.objects.create(
        initiative=ryf,
        name="Digitalcourage",
        amount=Decimal("500.01"),
        received_on=date(2021, 3, 1),
    )
    Sponsor.objects.create(
        initiative=ryf, name="Small Donor", amount=Decimal("500"), received_on=date(2021, 4, 1)
    )
    ryf.sponsors_updated_on = timezone.localdate() - timedelta(days=100)
    ryf.save()
    return ryf


def test_only_sponsors_strictly_above_500_are_disclosed_oldest_first(listed: Initiative) -> None:
    assert [s.name for s in disclosed(listed)] == ["Digitalcourage", "Open Society"]


def test_a_list_never_updated_is_stale() -> None:
    assert disclosure_is_stale(Initiative(sponsors_updated_on=None), today=date(2024, 1, 1))


def test_a_list_is_stale_only_after_two_months() -> None:
    initiative = Initiative(sponsors_updated_on=date(2024, 1, 31))
    assert not disclosure_is_stale(initiative, today=date(2024, 3, 31))
    assert disclosure_is_stale(initiative, today=date(2024, 4, 1))


def test_record_sponsor_writes_an_audit_entry_and_dates_the_list(
    ryf: Initiative, organiser: User
) -> None:
    sponsor = record_sponsor(ryf, "EDRi", Decimal("2000"), date(2021, 6, 1), organiser)
    entry = AuditEntry.objects.get(action="sponsor.add")
    assert entry.actor == "alice"
    assert entry.target == f"sponsor:{sponsor.pk}"
    assert entry.detail["amount"] == "2000"
    assert "EDRi" not in str(entry.detail)
    ryf.refresh_from_db()
    assert ryf.sponsors_updated_on == timezone.localdate()
    assert not disclosure_is_stale(ryf)


def test_the_sponsors_page_lists_only_disclosed_sponsors_with_a_total(
    client: Client, listed: Initiative
) -> None:
    response = client.get(reverse("eci:sponsors", args=[listed.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Open Society" in page
    assert "Digitalcourage" in page
    assert "Small Donor" not in page
    assert "EUR 12,500.00" in page
    assert "EUR 13,000.01" in page  # the total of the disclosed sponsors
    assert "<caption>" in page
    assert 'scope="row"' in page


def test_the_stale_warning_is_shown_to_an_organiser(
    as_user: Any, organiser: User, listed: Initiative
) -> None:
    response = as_user(organiser).get(reverse("eci:sponsors", args=[listed.slug]))
    assert WARNING in response.content.decode()


def test_the_stale_warning_is_not_shown_to_an_anonymous_visitor(
    client: Client, listed: Initiative
) -> None:
    response = client.get(reverse("eci:sponsors", args=[listed.slug]))
    assert WARNING not in response.content.decode()


def test_the_stale_warning_is_not_shown_to_staff_without_the_organiser_role(
    as_user: Any, outsider: User, listed: Initiative
) -> None:
    response = as_user(outsider).get(reverse("eci:sponsors", args=[listed.slug]))
    assert WARNING not in response.content.decode()


def test_no_warning_for_an_organiser_when_the_list_is_fresh(
    as_user: Any, organiser: User, listed: Initiative
) -> None:
    listed.sponsors_updated_on = timezone.localdate()
    listed.save()
    response = as_user(organiser).get(reverse("eci:sponsors", args=[listed.slug]))
    assert WARNING not in response.content.decode()


def test_adding_a_sponsor_in_the_admin_is_audited(
    as_user: Any, organiser: User, ryf: Initiative
) -> None:
    response = as_user(organiser).post(
        reverse("admin:eci_sponsor_add"),
        {"initiative": ryf.pk, "name": "EDRi", "amount": "750", "received_on": "2021-06-01"},
    )
    assert response.status_code == 302
    sponsor = Sponsor.objects.get(name="EDRi")
    assert AuditEntry.objects.filter(action="sponsor.add", target=f"sponsor:{sponsor.pk}").exists()
    ryf.refresh_from_db()
    assert ryf.sponsors_updated_on == timezone.localdate()


def test_changing_a_sponsor_in_the_admin_is_audited(
    as_user: Any, organiser: User, listed: Initiative
) -> None:
    sponsor = Sponsor.objects.get(name="Open Society")
    response = as_user(organiser).post(
        reverse("admin:eci_sponsor_change", args=[sponsor.pk]),
        {
            "initiative": listed.pk,
            "name": "Open Society",
            "amount": "12600",
            "received_on": "2021-05-03",
        },
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(
        action="sponsor.change", target=f"sponsor:{sponsor.pk}"
    ).exists()


def test_an_outsider_cannot_add_a_sponsor_in_the_admin(
    as_user: Any, outsider: User, ryf: Initiative
) -> None:
    response = as_user(outsider).post(
        reverse("admin:eci_sponsor_add"),
        {"initiative": ryf.pk, "name": "EDRi", "amount": "750", "received_on": "2021-06-01"},
    )
    assert response.status_code == 403
    assert not Sponsor.objects.exists()
    assert not AuditEntry.objects.filter(action="sponsor.add").exists()
