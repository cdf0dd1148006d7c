"""Paper batches: numbers and a chain of custody, each step audited, in order."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from reclaim.audit.models import AuditEntry
from reclaim.eci.batches import destruction_deadline, overdue_batches
from reclaim.eci.models import PaperBatch
from reclaim.eci.services.batches import advance_batch, create_batch
from reclaim.eci.services.overdue_mail import mail_overdue_batches

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(initiative, organiser):
    return create_batch(
        initiative,
        organiser,
        reference="de-berlin-01",
        partner="Digitalcourage",
        country="DE",
        sheets=40,
        statements=380,
    )


def test_each_custody_step_is_recorded_in_order_and_audited(batch, organiser):
    advance_batch(batch, "counted", organiser)
    advance_batch(batch, "stored", organiser)
    advance_batch(batch, "sent", organiser, sent_means="registered post")
    advance_batch(batch, "certified", organiser, valid_count=351)
    advance_batch(batch, "destroyed", organiser)
    batch.refresh_from_db()
    assert batch.step == "destroyed"
    assert batch.sent_means == "registered post"
    assert batch.valid_count == 351
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions[-6:] == [
        "paper.received",
        "paper.counted",
        "paper.stored",
        "paper.sent",
        "paper.certified",
        "paper.destroyed",
    ]
    assert AuditEntry.objects.get(action="paper.certified").count == 351


def test_a_step_cannot_be_skipped_or_repeated(batch, organiser):
    with pytest.raises(ValidationError):
        advance_batch(batch, "sent", organiser, sent_means="post")
    advance_batch(batch, "counted", organiser)
    with pytest.raises(ValidationError):
        advance_batch(batch, "counted", organiser)
    with pytest.raises(ValidationError):
        advance_batch(batch, "received", organiser)


def test_sending_needs_the_means_and_a_certificate_a_plausible_count(batch, organiser):
    advance_batch(batch, "counted", organiser)
    advance_batch(batch, "stored", organiser)
    with pytest.raises(ValidationError):
        advance_batch(batch, "sent", organiser, sent_means="  ")
    advance_batch(batch, "sent", organiser, sent_means="courier")
    with pytest.raises(ValidationError):
        advance_batch(batch, "certified", organiser, valid_count=381)
    with pytest.raises(ValidationError):
        advance_batch(batch, "certified", organiser, valid_count=None)
    batch.refresh_from_db()
    assert batch.certified_at is None


def test_a_batch_may_be_destroyed_at_any_step_after_a_withdrawal(batch, organiser):
    advance_batch(batch, "destroyed", organiser)
    assert PaperBatch.objects.get(pk=batch.pk).destroyed_at is not None


def test_overdue_batches_are_flagged(initiative, batch, organiser):
    initiative.submitted_to_commission_on = date(2026, 9, 1)
    initiative.save()
    deadline = destruction_deadline(initiative)
    assert deadline is not None
    assert not overdue_batches(initiative, deadline)
    assert overdue_batches(initiative, deadline + timedelta(days=1)) == [batch]
    advance_batch(batch, "destroyed", organiser)
    assert not overdue_batches(initiative, deadline + timedelta(days=1))


def test_the_organiser_records_and_advances_a_batch_through_http(initiative, organiser, as_user):
    client = as_user(organiser)
    response = client.post(
        "/en/eci/ban-biometric/organise/batches/",
        {
            "reference": "fr-lyon-02",
            "partner": "La Quadrature du Net",
            "country": "FR",
            "sheets": "12",
            "statements": "110",
        },
    )
    assert response.status_code == 302
    batch = PaperBatch.objects.get(reference="fr-lyon-02")
    client.post(f"/en/eci/ban-biometric/organise/batches/{batch.pk}/", {"step": "counted"})
    batch.refresh_from_db()
    assert batch.counted_at is not None
    page = client.get("/en/eci/ban-biometric/organise/").content.decode()
    assert "fr-lyon-02" in page
    response = client.post(f"/en/eci/ban-biometric/organise/batches/{batch.pk}/", {"step": "sent"})
    batch.refresh_from_db()
    assert batch.sent_at is None  # must be stored first
    assert "must first be" in client.get("/en/eci/ban-biometric/organise/").content.decode()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("reference", ""),
        ("reference", "has spaces"),
        ("country", "US"),
        ("country", "XX"),
        ("sheets", "0"),
        ("statements", "-1"),
        ("partner", "x" * 201),
        ("partner", "A\x07B"),
    ],
)
def test_bad_batch_input_is_refused_and_stores_nothing(
    initiative, organiser, as_user, field, value
):
    data = {
        "reference": "ok-1",
        "partner": "Partner",
        "country": "FR",
        "sheets": "1",
        "statements": "1",
    }
    data[field] = value
    response = as_user(organiser).post("/en/eci/ban-biometric/organise/batches/", data)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not PaperBatch.objects.exists()


def test_moderators_and_outsiders_cannot_see_or_touch_batches(
    initiative, batch, moderator, outsider, as_user, client
):
    for user in (moderator, outsider):
        c = as_user(user)
        assert c.get("/en/eci/ban-biometric/organise/").status_code == 403
        c.post(f"/en/eci/ban-biometric/organise/batches/{batch.pk}/", {"step": "counted"})
        assert (
            c.post(
                "/en/eci/ban-biometric/organise/batches/",
                {
                    "reference": "x",
                    "partner": "p",
                    "country": "FR",
                    "sheets": "1",
                    "statements": "1",
                },
            ).status_code
            == 403
        )
    batch.refresh_from_db()
    assert batch.counted_at is None
    assert PaperBatch.objects.count() == 1
    response = client.get("/en/eci/ban-biometric/organise/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_batch_counts_show_on_the_dashboard_once_counted(initiative, batch, organiser, client):
    advance_batch(batch, "counted", organiser, when=timezone.now() - timedelta(hours=1))
    page = client.get("/en/eci/ban-biometric/dashboard/").content.decode()
    assert "380" in page


def test_organisers_get_one_mail_a_day_about_overdue_batches(
    initiative, batch, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    organiser.email = "alice@example.org"
    organiser.save()
    initiative.submitted_to_commission_on = date(2026, 1, 10)
    initiative.save()
    late = destruction_deadline(initiative) + timedelta(days=3)
    # The mail waits in the outbox until the transaction commits, then goes out.
    with django_capture_on_commit_callbacks(execute=True):
        assert mail_overdue_batches(late) == 1
    assert mailoutbox[0].to == ["alice@example.org"]
    assert "de-berlin-01" in mailoutbox[0].body
    assert mail_overdue_batches(late) == 0  # not twice in a day
    assert len(mailoutbox) == 1


def test_the_overdue_mail_speaks_the_organiser_s_language(
    initiative, batch, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    from reclaim.accounts.models import StaffProfile

    organiser.email = "alice@example.org"
    organiser.save()
    StaffProfile.objects.create(user=organiser, language="fr")
    initiative.submitted_to_commission_on = date(2026, 1, 10)
    initiative.save()
    with django_capture_on_commit_callbacks(execute=True):
        mail_overdue_batches(destruction_deadline(initiative) + timedelta(days=3))
    assert "Ces lots papier ont dépassé" in mailoutbox[0].body
    assert "/fr/eci/" in mailoutbox[0].body
    assert "de-berlin-01" in mailoutbox[0].body
