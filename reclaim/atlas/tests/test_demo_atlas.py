"""The atlas's demo steps: Belgrade's camera network in every verification state, the other
deployments the campaign's pages mention, a review queue with work in it, a reviewer who
can sign in; twice without harm, quickly, and in our own words."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from reclaim.atlas import demo_facts, demo_reports
from reclaim.atlas.demo import STEPS
from reclaim.atlas.demo_devices import LAT_RANGE, LON_RANGE, tally
from reclaim.atlas.models import (
    Agreement,
    Deployment,
    Device,
    Evidence,
    FoiRequest,
    Photo,
    Report,
    Verification,
    Vote,
)
from reclaim.atlas.services.public import needs_recheck, public_devices
from reclaim.demo.steps import DemoContext

SEEDS = Path("/work/shared/seeds")


def _run(tmp_path: Path) -> list[str]:
    context = DemoContext(data_dir=tmp_path, now=timezone.now(), signatures=0)
    lines: list[str] = []
    for step in STEPS:
        report = step.run(context)
        assert not report.warnings, report.warnings
        lines += report.lines
    return lines


@pytest.fixture
def demo(db: Any, tmp_path: Path) -> list[str]:
    return _run(tmp_path)


@pytest.fixture
def belgrade(demo: list[str]) -> Deployment:
    return Deployment.objects.get(slug=demo_facts.BELGRADE.slug)


def _counts() -> dict[str, int]:
    return {
        "users": get_user_model().objects.count(),
        "deployments": Deployment.objects.count(),
        "devices": Device.objects.count(),
        "votes": Vote.objects.count(),
        "evidence": Evidence.objects.count(),
        "foi": FoiRequest.objects.count(),
        "reports": Report.objects.count(),
        "photos": Photo.objects.count(),
        "history": Device.history.count() + Deployment.history.count(),
    }


# --- Belgrade ---------------------------------------------------------------------------


def test_belgrade_has_its_operator_vendor_and_a_refused_foi_request(belgrade, client):
    assert belgrade.published
    assert belgrade.system == "Safe City"
    assert belgrade.vendor == "Huawei"
    assert "Ministry of the Interior" in belgrade.operator
    assert belgrade.capabilities.filter(kind="face").exists()
    assert belgrade.foi_requests.filter(status=FoiRequest.Status.REFUSED).exists()
    assert belgrade.evidence.exclude(url="").filter(read_on__isnull=False).count() >= 3
    assert belgrade.verification == Verification.CORROBORATED
    try:
        url = reverse("atlas:deployment", args=[belgrade.slug])
    except NoReverseMatch:  # the records part's pages are not installed yet
        return
    page = client.get(url)
    assert page.status_code == 200
    assert "Huawei" in page.content.decode()


def test_belgrade_has_a_few_hundred_public_devices_within_the_city(belgrade):
    devices = public_devices().filter(deployment=belgrade)
    assert devices.count() >= 200
    assert not devices.exclude(latitude__range=LAT_RANGE, longitude__range=LON_RANGE).exists()
    # Spread over the city, not piled on one point.
    assert devices.values("latitude", "longitude").distinct().count() > 300
    assert devices.values("place").distinct().count() >= 20
    assert devices.filter(model="").count() == devices.count()  # no model is known


def test_every_verification_state_is_there(belgrade):
    devices = Device.objects.filter(deployment=belgrade)
    public = public_devices().filter(deployment=belgrade)
    for state in Verification.values:
        assert public.filter(verification=state).exists(), state
    for agreement in (Agreement.UNANIMOUS, Agreement.MAJORITY, Agreement.SPLIT):
        assert public.filter(agreement=agreement).exists(), agreement
    assert public.filter(agreement=Agreement.SPLIT, votes_total__gte=3).exists()
    assert needs_recheck().filter(deployment=belgrade).count() >= 10
    assert devices.filter(removed_on__isnull=False, published=True).count() >= 5
    assert devices.filter(published=False).exists()
    confirmed = public.filter(verification=Verification.CONFIRMED)
    assert confirmed.count() == confirmed.filter(evidence__kind=Evidence.Kind.OFFICIAL).count()


def test_the_counts_on_each_record_are_those_of_its_votes(demo):
    devices = Device.objects.annotate(
        n=Count("vote_set"), yes=Count("vote_set", filter=Q(vote_set__verdict="confirm"))
    )
    for device in devices:
        verdicts = tuple(device.vote_set.values_list("verdict", flat=True))
        official = device.evidence.filter(kind__in=Evidence.OFFICIAL_KINDS).exists()
        expected = tally(verdicts, official)
        assert (device.votes_total, device.votes_for) == (device.n, device.yes)
        assert device.agreement == expected["agreement"]
        assert device.verification == expected["verification"]
    assert Vote.objects.values("reviewer").distinct().count() == 3
    try:
        from reclaim.atlas.services.verification import tally as recount
    except ImportError:  # the review part's service is not there yet
        return
    fields = ("votes_for", "votes_total", "agreement", "verification")
    for device in Device.objects.filter(votes_total__gt=0)[:40]:
        before = [getattr(device, name) for name in fields]
        recount(device)
        device.refresh_from_db()
        assert [getattr(device, name) for name in fields] == before


# --- Other cities -----------------------------------------------------------------------


def test_the_other_deployments_of_the_campaign_pages_are_there(demo):
    others = Deployment.objects.exclude(slug=demo_facts.BELGRADE.slug)
    assert 5 <= others.count() <= 8
    assert {str(d.country) for d in others} >= {"IT", "CZ", "GR", "FR", "NL"}
    assert len(set(others.values_list("status", flat=True))) >= 4
    for deployment in others:
        assert deployment.capabilities.exists(), deployment
    # Evidence where the pages give it, and one visibly without.
    assert others.filter(evidence__isnull=True).exists()
    assert others.filter(evidence__isnull=False).distinct().count() >= 5
    assert Device.objects.filter(deployment__slug="como-biometric-surveillance").count() >= 3


# --- Review queue and reviewer ----------------------------------------------------------


def test_the_review_queue_has_pending_reports_of_each_kind(demo):
    pending = Report.objects.filter(state=Report.State.PENDING)
    assert set(pending.values_list("kind", flat=True)) == set(Report.Kind.values)
    recheck = pending.filter(kind=Report.Kind.RECHECK).first()
    assert recheck is not None and recheck.device is not None
    photo = Photo.objects.get(report__in=pending)
    content = bytes(photo.content)
    assert photo.content_type == "image/jpeg" and content.startswith(b"\xff\xd8")
    assert b"Exif" not in content and photo.alt
    assert photo.device is None  # nothing of a report is public before review


def test_the_reviewer_is_in_the_reviewers_role_and_signs_in_with_the_printed_password(demo):
    users = get_user_model().objects
    reviewer = users.get(username="reviewer", is_staff=True)
    assert reviewer.groups.filter(name="Reviewers").exists()
    for name in ("reviewer2", "reviewer3"):
        voter = users.get(username=name)
        assert voter.groups.filter(name="Reviewers").exists()
        assert not voter.has_usable_password()
    line = next(line for line in demo if line.startswith("reviewer "))
    password = line.split()[1]
    client = Client()
    response = client.post(
        "/en/admin/login/?next=/en/admin/",
        {"username": "reviewer", "password": password, "next": "/en/admin/"},
        follow=True,
    )
    assert client.session["_auth_user_id"] == str(reviewer.pk), response.status_code


# --- Twice, quickly ---------------------------------------------------------------------


def test_a_second_run_changes_no_count(demo, tmp_path):
    first = _counts()
    _run(tmp_path)
    assert _counts() == first


def test_the_records_step_is_quick(db, tmp_path):
    started = time.monotonic()
    _run(tmp_path)
    assert time.monotonic() - started < 10


# --- Our own words ----------------------------------------------------------------------

RUN = 12


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower().replace("’", "'"))


def _runs(text: str) -> set[tuple[str, ...]]:
    words = _words(text)
    return {tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}


def _demo_texts() -> Iterator[str]:
    for facts in demo_facts.DEPLOYMENTS:
        yield from (facts.name, facts.description, facts.legal_basis)
        yield from (source.title for source in facts.sources)
        yield from (foi.answer for foi in facts.foi)
    yield from (pending.description for pending in demo_reports.PENDING)


def test_no_text_copies_a_run_of_twelve_words_from_the_seed_pages():
    if not SEEDS.is_dir():
        pytest.skip("the campaign's seed pages are not on this machine")
    seeds: set[tuple[str, ...]] = set()
    for page in SEEDS.glob("*.txt"):
        seeds |= _runs(page.read_text(encoding="utf-8"))
    assert seeds
    for text in _demo_texts():
        assert not _runs(text) & seeds, text


def test_the_demo_records_show_on_the_public_pages(belgrade, client):
    confirmed = public_devices().filter(verification=Verification.CONFIRMED).first()
    stale = needs_recheck().filter(deployment=belgrade).first()
    assert confirmed is not None and stale is not None
    try:
        pages = [
            reverse("atlas:device", args=[confirmed.pk]),
            reverse("atlas:device", args=[stale.pk]),
            reverse("atlas:recheck"),
            reverse("atlas:list"),
        ]
    except NoReverseMatch:  # the records part's pages are not installed yet
        pytest.skip("the atlas's public pages are not installed")
    for url in pages:
        assert client.get(url).status_code == 200, url
    withdrawn = Device.objects.filter(deployment=belgrade, published=False).first()
    assert withdrawn is not None
    assert client.get(reverse("atlas:device", args=[withdrawn.pk])).status_code == 404
