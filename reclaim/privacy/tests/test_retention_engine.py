"""The retention engine: each declared policy removes what is due and nothing else."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import models
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reclaim.atlas.models import Report
from reclaim.audit.models import AuditEntry
from reclaim.coalition.models import Application, Principles
from reclaim.core.hooks import Policy
from reclaim.eci.models import Initiative
from reclaim.letters.models import InvalidationRun, Petition, Signature
from reclaim.mail.models import OutgoingMail
from reclaim.mail.services import queue_mail
from reclaim.news.models import Article, Comment
from reclaim.newsletter.models import MailingList, Subscription
from reclaim.privacy import purge
from reclaim.privacy.models import DataRequest
from reclaim.privacy.purge import policies, run_purge
from reclaim.shield.models import DailySalt

pytestmark = pytest.mark.django_db

WATCHED: list[type[models.Model]] = [
    Application,
    Comment,
    Subscription,
    Initiative,
    Petition,
    Signature,
    OutgoingMail,
    DailySalt,
    InvalidationRun,
    DataRequest,
    DBTaskResult,
    Report,
]


def snapshot() -> dict[tuple[str, Any], dict[str, Any]]:
    """Every watched row, keyed by (model, pk), with all its field values."""
    return {
        (model._meta.label, row["pk"]): row
        for model in WATCHED
        for row in model.objects.values("pk", *[f.attname for f in model._meta.concrete_fields])
    }


def changed(before: dict, after: dict) -> set[tuple[str, Any]]:
    return {key for key in before if after.get(key) != before[key]} | (after.keys() - before)


def _signature(petition: Petition, n: int, **fields: Any) -> Signature:
    data: dict[str, Any] = {
        "petition": petition,
        "kind": Signature.Kind.INDIVIDUAL,
        "country": "DE",
        "language": "en",
        "sealed": b"sealed box",
        "key_id": "k1",
        "email_hash": f"{n:064x}",
        "confirmed_at": timezone.now(),
    }
    data.update(fields)
    return Signature.objects.create(**data)


def _petition(slug: str, **fields: Any) -> Petition:
    now = timezone.now()
    data: dict[str, Any] = {
        "slug": slug,
        "title": slug,
        "text": "Text.",
        "status": Petition.Status.OPEN,
        "opens_at": now - timedelta(days=10),
        "closes_at": now + timedelta(days=10),
        "retention_days": 30,
    }
    data.update(fields)
    return Petition.objects.create(**data)


def _task_result(finished_ago: timedelta) -> DBTaskResult:
    now = timezone.now()
    return DBTaskResult.objects.create(
        status="SUCCESSFUL",
        args_kwargs={"args": [], "kwargs": {}},
        task_path="reclaim.mail.tasks.deliver_pending",
        backend_name="default",
        run_after=now - finished_ago,
        finished_at=now - finished_ago,
    )


def _initiative(number: int, **fields: Any) -> Initiative:
    return Initiative.objects.create(
        slug=f"initiative-{number}",
        registration_number=f"ECI(2021){number:06d}",
        title=f"Initiative {number}",
        objectives="Objectives.",
        register_url="https://register.eci.ec.europa.eu/",
        signing_url="https://eci.ec.europa.eu/",
        representative_name=f"Representative {number}",
        representative_email=f"representative{number}@example.org",
        **fields,
    )


@pytest.fixture
def world(db) -> dict[str, set[tuple[str, Any]]]:
    """For every policy, rows that are due and rows that are not. Returns, per policy,
    the rows its run must change or delete."""
    now = timezone.now()
    sig, pet = "letters.Signature", "letters.Petition"

    open_petition = _petition("open")
    closing = _petition("closing", closes_at=now - timedelta(days=1))
    expired = _petition(
        "expired",
        status=Petition.Status.CLOSED,
        opens_at=now - timedelta(days=100),
        closes_at=now - timedelta(days=31),
    )
    # Closed, but still within its retention: nothing goes.
    recent = _petition("recent", status=Petition.Status.CLOSED, closes_at=now - timedelta(days=29))
    _signature(recent, 99)

    stale = _signature(open_petition, 1, confirmed_at=None, created_at=now - timedelta(days=8))
    _signature(open_petition, 2, confirmed_at=None, created_at=now - timedelta(days=6))
    _signature(open_petition, 3, created_at=now - timedelta(days=8))
    _signature(closing, 4)
    wiped = [_signature(expired, 5 + n, public_name=f"Listed {n}", listed=True) for n in range(2)]

    run = InvalidationRun.objects.create(rule={"source": "abcdef"}, count=1, actor="alice")
    undone = InvalidationRun.objects.create(
        rule={"source": "fedcba"}, count=1, actor="alice", undone_at=now
    )
    bot = _signature(open_petition, 10, invalidated_at=now, invalidation_run=run)
    _signature(open_petition, 11, invalidation_run=undone)
    _signature(open_petition, 12, invalidated_at=now)  # in no run (restored, say): kept

    old_mail = queue_mail("letters.confirm", "a@example.org", "en")
    OutgoingMail.objects.filter(pk=old_mail.pk).update(created_at=now - timedelta(days=8))
    queue_mail("letters.confirm", "b@example.org", "en")

    old_salt = DailySalt.objects.create(day=timezone.localdate() - timedelta(days=1), value="x")
    DailySalt.objects.create(day=timezone.localdate(), value="y")

    old_request = DataRequest.objects.create(
        email_hash="a" * 64, created_at=now - timedelta(hours=25)
    )
    DataRequest.objects.create(email_hash="b" * 64, created_at=now - timedelta(hours=23))

    # Submitted to the Commission in 2022: its paper statements went long ago, and the
    # representative's details with them. The other was registered today.
    submitted = _initiative(
        1,
        registered_on=date(2021, 1, 7),
        collection_start=date(2021, 2, 17),
        submitted_to_commission_on=date(2022, 12, 1),
    )
    _initiative(2, registered_on=timezone.localdate())

    # Applications to join: one unconfirmed past the window and one within it; one decided
    # past the retention period, one decided recently, one still under review.
    principles = Principles.objects.create(version=1, text="Principles.")

    def application(n: int, **fields: Any) -> Application:
        return Application.objects.create(
            name=f"Organisation {n}",
            description="x",
            motivation="x",
            contact_name=f"Contact {n}",
            contact_email=f"contact{n}@example.org",
            email_hash=f"{n}" * 64,
            language="en",
            principles=principles,
            **fields,
        )

    lapsed = application(1, created_at=now - timedelta(days=8))
    application(2, created_at=now - timedelta(days=6))
    long_decided = application(
        3,
        state=Application.State.DECLINED,
        created_at=now - timedelta(days=400),
        decided_at=now - timedelta(days=181),
    )
    application(4, state=Application.State.ACCEPTED, decided_at=now - timedelta(days=179))
    application(5, state=Application.State.UNDER_REVIEW, created_at=now - timedelta(days=400))

    # Readers' comments: an address past its period and one within it, an unconfirmed one
    # within the confirmation window; a rejected comment past its period, one within it,
    # and an old published one (kept with its article).
    news_article = Article.objects.create(
        language="en", slug="news", title="News", summary="s", body="b", status="published"
    )

    def comment(**fields: Any) -> Comment:
        return Comment.objects.create(
            article=news_article, display_name="Reader", text="A comment.", **fields
        )

    def with_address(days: int, confirmed: bool) -> Comment:
        created = now - timedelta(days=days)
        return comment(
            created_at=created,
            reply_email_sealed=b"sealed address",
            email_hash=f"{days}".zfill(64),
            reply_confirmed_at=created if confirmed else None,
        )

    old_address = with_address(91, True)
    with_address(89, True)
    with_address(6, False)
    old_rejected = comment(state="rejected", moderated_at=now - timedelta(days=31))
    comment(state="rejected", moderated_at=now - timedelta(days=29))
    comment(state="published", created_at=now - timedelta(days=400))

    # Newsletter subscriptions: one pending past the confirmation window and one within it;
    # one confirmed, inactive for the list's period and reminded long enough ago, one
    # inactive but reminded too recently, one renewed lately.
    news_list = MailingList.objects.create(
        slug="news", name="News", language="en", consent_text="News by mail.",
        inactive_days=365, reminder_days=30,
    )  # fmt: skip

    def subscription(n: int, **fields: Any) -> Subscription:
        return Subscription.objects.create(
            mailing_list=news_list, address_sealed=b"sealed", email_hash=f"s{n}".zfill(64),
            language="en", consent_text="News by mail.", **fields,
        )  # fmt: skip

    pending_lapsed = subscription(1, created_at=now - timedelta(days=8))
    subscription(2, created_at=now - timedelta(days=6))
    old = now - timedelta(days=400)
    inactive = subscription(
        3, confirmed_at=old, renewed_at=old, reminded_at=now - timedelta(days=31)
    )
    subscription(4, confirmed_at=old, renewed_at=old, reminded_at=now - timedelta(days=29))
    subscription(5, confirmed_at=old, renewed_at=now - timedelta(days=10))

    # Atlas reports: a contact address past its deletion date, one before it, an unconfirmed
    # one within the confirmation window; a report decided past its period, one within it,
    # and an old one still waiting for review.
    def atlas_report(**fields: Any) -> Report:
        return Report.objects.create(
            kind="device", place="A square", seen_on=date(2024, 5, 1), language="en", **fields
        )

    def atlas_contact(n: int, delete_after: date, **fields: Any) -> Report:
        return atlas_report(
            contact=b"sealed contact", contact_hash=f"r{n}".zfill(64),
            contact_delete_after=delete_after, **fields,
        )  # fmt: skip

    today = timezone.localdate()
    contact_due = atlas_contact(1, today - timedelta(days=1), contact_confirmed_at=now)
    atlas_contact(2, today + timedelta(days=1), contact_confirmed_at=now)
    atlas_contact(3, today + timedelta(days=84), created_at=now - timedelta(days=6))
    old_decided = atlas_report(state="rejected", decided_at=now - timedelta(days=31))
    atlas_report(state="accepted", decided_at=now - timedelta(days=29))
    atlas_report(created_at=now - timedelta(days=400))

    old_result = _task_result(timedelta(days=2))
    _task_result(timedelta(hours=1))

    return {
        "petitions_closed": {(pet, closing.pk)},
        "unconfirmed_deleted": {(sig, stale.pk)},
        "petitions_purged": {(pet, expired.pk)} | {(sig, s.pk) for s in wiped},
        "undelivered_mails_dropped": {("mail.OutgoingMail", old_mail.pk)},
        "daily_salts_deleted": {("shield.DailySalt", old_salt.pk)},
        "invalidated_signatures_deleted": {(sig, bot.pk), ("letters.InvalidationRun", run.pk)},
        "eci_representatives_erased": {("eci.Initiative", submitted.pk)},
        "coalition_applications_unconfirmed_deleted": {("coalition.Application", lapsed.pk)},
        "coalition_application_contacts_erased": {("coalition.Application", long_decided.pk)},
        "news_comment_addresses_erased": {("news.Comment", old_address.pk)},
        "news_comments_rejected_deleted": {("news.Comment", old_rejected.pk)},
        "newsletter_subscriptions_unconfirmed_deleted": {
            ("newsletter.Subscription", pending_lapsed.pk)
        },
        "newsletter_subscriptions_inactive_expired": {("newsletter.Subscription", inactive.pk)},
        "access_requests_deleted": {("privacy.DataRequest", old_request.pk)},
        "atlas_report_contacts_erased": {("atlas.Report", contact_due.pk)},
        "atlas_reports_decided_deleted": {("atlas.Report", old_decided.pk)},
        "task_results_pruned": {(DBTaskResult._meta.label, old_result.pk)},
    }


# In the declared order: apps as INSTALLED_APPS lists them, each app's policies as its
# retention.py lists them (petitions are closed before their data is purged).
EXPECTED_COUNTS = {
    "task_results_pruned": 1,
    "undelivered_mails_dropped": 1,
    "petitions_closed": 1,
    "unconfirmed_deleted": 1,
    "petitions_purged": 1,
    "invalidated_signatures_deleted": 1,
    "eci_representatives_erased": 1,
    "coalition_applications_unconfirmed_deleted": 1,
    "coalition_application_contacts_erased": 1,
    "news_comment_addresses_erased": 1,
    "news_comments_rejected_deleted": 1,
    "newsletter_subscriptions_unconfirmed_deleted": 1,
    "newsletter_subscriptions_inactive_expired": 1,
    "atlas_report_contacts_erased": 1,
    "atlas_reports_decided_deleted": 1,
    "daily_salts_deleted": 1,
    "access_requests_deleted": 1,
}


def test_every_app_s_policies_are_found_in_the_declared_order():
    assert [p.name for p in policies()] == list(EXPECTED_COUNTS)


@pytest.mark.parametrize("name", list(EXPECTED_COUNTS))
def test_each_policy_removes_exactly_what_is_due_and_nothing_else(world, name):
    policy = next(p for p in policies() if p.name == name)
    before = snapshot()
    assert policy.count_due() == EXPECTED_COUNTS[name]
    assert snapshot() == before

    assert policy.run() == EXPECTED_COUNTS[name]

    assert changed(before, snapshot()) == world[name]
    assert policy.count_due() == 0


def test_deleted_personal_fields_are_null_with_the_time_of_deletion(world):
    run_purge()
    for row in Signature.objects.filter(petition__slug="expired"):
        assert row.sealed is None
        assert row.email_hash is None
        assert row.token_hash is None
        assert row.public_name == ""
        assert row.personal_data_deleted_at is not None
    assert Petition.objects.get(slug="expired").data_purged_at is not None


def test_a_real_run_applies_every_policy_and_writes_one_audit_entry(world):
    before = snapshot()
    report = run_purge()
    assert report == EXPECTED_COUNTS
    assert changed(before, snapshot()) == set().union(*world.values())

    entry = AuditEntry.objects.get(action="retention.run")
    assert entry.detail["counts"] == EXPECTED_COUNTS
    assert entry.detail["failed"] == []
    assert entry.count == sum(EXPECTED_COUNTS.values())
    # The per-policy entries of the signature engine are still written.
    assert AuditEntry.objects.filter(action="signature.purge_petition", count=2).exists()

    assert run_purge() == dict.fromkeys(EXPECTED_COUNTS, 0)
    assert AuditEntry.objects.filter(action="retention.run").count() == 2


def test_the_dry_run_lists_each_policy_and_deletes_nothing(world):
    before = snapshot()
    audit_before = AuditEntry.objects.count()
    out = io.StringIO()
    call_command("purge", "--dry-run", stdout=out)
    text = out.getvalue()

    assert snapshot() == before
    assert AuditEntry.objects.count() == audit_before
    assert "Dry run: nothing is deleted" in text
    for policy in policies():
        assert f"{policy.name}: 1 — {policy.description}" in text
    assert run_purge(dry_run=True) == EXPECTED_COUNTS


def test_the_command_reports_what_a_real_run_deleted(world):
    out = io.StringIO()
    call_command("purge", stdout=out)
    assert "unconfirmed_deleted: 1" in out.getvalue()
    assert AuditEntry.objects.filter(action="retention.run").count() == 1


def test_a_failing_policy_does_not_stop_the_others_and_is_recorded(db, monkeypatch):
    ran = []

    def broken() -> int:
        raise RuntimeError("disk full")

    def working() -> int:
        ran.append(True)
        return 3

    monkeypatch.setattr(
        purge,
        "policies",
        lambda: [
            Policy("broken", "fails", broken, broken),
            Policy("ok", "works", working, working),
        ],
    )
    with pytest.raises(RuntimeError, match="disk full"):
        run_purge()
    assert ran == [True]
    entry = AuditEntry.objects.get(action="retention.run")
    assert entry.detail == {"counts": {"ok": 3}, "failed": ["broken"]}
