"""Bulk invalidation: an exact preview, one step, an audit entry, an undo until the purge."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone

from reclaim.audit.models import AuditEntry
from reclaim.letters.counting import aggregate_counts
from reclaim.letters.models import Alert, CountryCount, InvalidationRun, Petition, Signature
from reclaim.letters.moderation import invalidation, trending
from reclaim.letters.moderation.invalidation import Rule
from reclaim.letters.tests.test_trending import (
    BOT_DOMAIN,
    BOT_SOURCES,
    make_background,
    make_bot_run,
)

pytestmark = pytest.mark.django_db

URL = "/en/moderation/invalidate/"
FORMAT = "%Y-%m-%dT%H:%M:%S"


@pytest.fixture
def now() -> datetime:
    return timezone.now()


@pytest.fixture
def flagged(petition: Petition, now: datetime) -> list[Alert]:
    """The usual day, a bot run on top, and the detection job's alerts."""
    make_background(petition, now)
    make_bot_run(petition, now)
    return trending.detect(now=now)


def counted(petition: Petition) -> int:
    aggregate_counts()
    return CountryCount.objects.filter(petition=petition).aggregate(n=Sum("count"))["n"] or 0


def bot_rows() -> Any:
    return Signature.objects.filter(source_hash__in=BOT_SOURCES)


def post_data(initial: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """The rule form as the browser submits it, from the page's prefilled values."""
    data: dict[str, Any] = {"include_confirmed": "on"}
    for name, value in initial.items():
        if isinstance(value, datetime):
            value = timezone.localtime(value).strftime(FORMAT)
        data[name] = value
    data.update(extra)
    return data


def test_a_flagged_bot_run_is_invalidated_in_one_step_with_an_exact_preview(
    petition, flagged, organiser, as_user
):
    client = as_user(organiser)
    before = counted(petition)
    assert before == 480 + 150  # the background and the bot's confirmed signatures

    # The organiser ticks the three source alerts: one rule, prefilled.
    sources = [a for a in flagged if a.kind == Alert.Kind.SOURCE]
    page = client.get(URL, {"alert": [a.pk for a in sources]})
    assert page.status_code == 200
    initial = page.context["form"].initial
    assert sorted(initial["source"].split()) == sorted(s[:8] for s in BOT_SOURCES)
    assert initial["petition"] == petition.pk

    preview = client.post(URL, post_data(initial, action="preview"))
    assert preview.status_code == 200
    assert preview.context["count"] == 200 == bot_rows().count()
    html = preview.content.decode()
    assert "This rule matches exactly 200 signatures." in html
    assert "Invalidate these 200 signatures" in html
    assert ("DE", 20, 10) in preview.context["breakdown"]

    response = client.post(URL, post_data(initial, action="run", expected_count=200))
    assert response.status_code == 302
    assert "200 signatures invalidated" in client.get(response["Location"]).content.decode()

    run = InvalidationRun.objects.get()
    assert run.count == 200
    assert run.actor == "alice"
    assert bot_rows().filter(invalidated_at__isnull=False, invalidation_run=run).count() == 200
    assert Signature.objects.filter(invalidated_at__isnull=False).count() == 200
    assert counted(petition) == 480
    entry = AuditEntry.objects.get(action="signature.invalidate")
    assert (entry.actor, entry.count, entry.target) == ("alice", 200, f"invalidation:{run.pk}")
    assert sorted(entry.detail["rule"]["sources"]) == sorted(s[:8] for s in BOT_SOURCES)
    assert "@" not in str(entry.detail)

    # Undo, until the purge.
    response = client.post(f"{URL}{run.pk}/undo/")
    assert response.status_code == 302
    assert "200 signatures restored" in client.get(response["Location"]).content.decode()
    assert Signature.objects.filter(invalidated_at__isnull=False).count() == 0
    assert counted(petition) == before
    run.refresh_from_db()
    assert run.undone_at is not None
    assert AuditEntry.objects.filter(action="signature.undo", count=200).exists()

    # Again, and this time the purge comes first.
    client.post(URL, post_data(initial, action="run", expected_count=200))
    assert invalidation.purge_invalidated(dry_run=True) == 200
    assert bot_rows().count() == 200
    assert invalidation.purge_invalidated() == 200
    assert bot_rows().count() == 0
    assert Signature.objects.count() == 480
    second = InvalidationRun.objects.get(undone_at__isnull=True)
    assert second.purged_at is not None
    run.refresh_from_db()
    assert run.purged_at is None  # the undone run kept nothing to purge
    assert AuditEntry.objects.filter(action="signature.purge_invalidated", count=200).exists()

    response = client.post(f"{URL}{second.pk}/undo/", follow=True)
    assert "deleted by the purge" in response.content.decode()
    second.refresh_from_db()
    assert second.undone_at is None
    assert invalidation.purge_invalidated() == 0
    assert counted(petition) == 480


def test_a_stale_preview_is_refused_and_nothing_changes(petition, flagged, organiser, as_user):
    client = as_user(organiser)
    source = next(a for a in flagged if a.kind == Alert.Kind.SOURCE)
    initial = client.get(URL, {"alert": source.pk}).context["form"].initial
    preview = client.post(URL, post_data(initial, action="preview"))
    expected = preview.context["count"]
    assert expected == Signature.objects.filter(source_hash=source.key).count()

    # One more signature from that network arrives before the organiser confirms.
    make_bot_run(petition, source.window_end - timedelta(seconds=1), count=1, sources=[source.key])
    response = client.post(URL, post_data(initial, action="run", expected_count=expected))

    assert response.status_code == 409
    assert response.context["count"] == expected + 1
    assert f"now matches {expected + 1} signatures, not the {expected}" in (
        response.content.decode()
    )
    assert not Signature.objects.filter(invalidated_at__isnull=False).exists()
    assert not InvalidationRun.objects.exists()
    assert not AuditEntry.objects.filter(action="signature.invalidate").exists()

    with pytest.raises(invalidation.StalePreview):
        invalidation.run(Rule(source=source.label), organiser, expected)


def test_a_rule_without_a_criterion_is_refused(petition, organiser, as_user):
    response = as_user(organiser).post(
        URL, {"action": "preview", "petition": petition.pk, "include_confirmed": "on"}
    )
    assert response.status_code == 400
    assert "Choose at least one criterion besides the petition" in response.content.decode()
    with pytest.raises(ValidationError):
        invalidation.matching(Rule(petition_id=petition.pk))
    with pytest.raises(ValidationError):
        invalidation.run(Rule(petition_id=petition.pk, include_confirmed=False), organiser, 1)


@pytest.mark.parametrize(
    "fields, error",
    [
        ({"source": "abc"}, "first 6 to 32 characters"),
        ({"source": "not-a-hash!"}, "first 6 to 32 characters"),
        ({"email_domain": "not a domain"}, "Enter a domain such as example.org"),
        (
            {"created_from": "2026-01-02T00:00:00", "created_to": "2026-01-01T00:00:00"},
            "must be after its start",
        ),
    ],
)
def test_a_malformed_rule_is_refused_with_a_clear_error(
    fields, error, petition, organiser, as_user
):
    response = as_user(organiser).post(URL, {"action": "preview", **fields})
    assert response.status_code == 400
    assert error in response.content.decode()


def test_a_domain_rule_compares_hashes_and_records_no_private_domain(petition, now, organiser):
    make_background(petition, now)
    make_bot_run(petition, now)
    rule = Rule(email_domain=" Bot-Farm.EXAMPLE ")
    assert invalidation.preview(rule) == 200

    run = invalidation.run(rule, organiser, 200)

    assert BOT_DOMAIN not in str(run.rule)
    assert run.rule["email_domain"].startswith("hash:")
    public = invalidation.run(Rule(email_domain="gmail.com"), organiser, 120)
    assert public.rule["email_domain"] == "gmail.com"


def test_unconfirmed_only_leaves_the_confirmed_signatures(petition, now, organiser):
    make_bot_run(petition, now)
    rule = Rule(source=" ".join(s[:8] for s in BOT_SOURCES), include_confirmed=False)
    assert invalidation.preview(rule) == 50
    invalidation.run(rule, organiser, 50)
    assert bot_rows().filter(invalidated_at__isnull=True).count() == 150
    assert not bot_rows().filter(invalidated_at__isnull=False, confirmed_at__isnull=False).exists()


def test_a_time_window_is_start_inclusive_and_end_exclusive(petition, now, organiser):
    rows = make_bot_run(petition, now, count=4)
    rule = Rule(created_from=rows[1].created_at, created_to=rows[3].created_at)
    assert invalidation.preview(rule) == 2


@pytest.mark.parametrize("persona", ["moderator", "outsider"])
def test_moderators_and_outsiders_are_refused(persona, request, petition, now, as_user):
    make_bot_run(petition, now)
    run = invalidation.run(Rule(source=BOT_SOURCES[0][:8]), "alice", 67)
    client = as_user(request.getfixturevalue(persona))
    data = {"source": BOT_SOURCES[1][:8], "include_confirmed": "on"}
    assert client.get(URL).status_code == 403
    assert client.post(URL, {**data, "action": "preview"}).status_code == 403
    assert client.post(URL, {**data, "action": "run", "expected_count": 67}).status_code == 403
    assert client.post(f"{URL}{run.pk}/undo/").status_code == 403
    assert Signature.objects.filter(invalidated_at__isnull=False).count() == 67
    run.refresh_from_db()
    assert run.undone_at is None


def test_anonymous_visitors_are_sent_to_the_login(client, petition, now):
    make_bot_run(petition, now)
    run = invalidation.run(Rule(source=BOT_SOURCES[0][:8]), "alice", 67)
    for response in [
        client.get(URL),
        client.post(URL, {"source": BOT_SOURCES[1][:8], "action": "run", "expected_count": 67}),
        client.post(f"{URL}{run.pk}/undo/"),
    ]:
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
    assert Signature.objects.filter(invalidated_at__isnull=False).count() == 67
