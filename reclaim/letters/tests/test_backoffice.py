"""The organiser back office: each persona allowed what its role permits, refused the rest."""

from __future__ import annotations

import pytest
from django.utils import timezone

from reclaim.audit.models import AuditEntry
from reclaim.letters.models import Signature

pytestmark = pytest.mark.django_db


@pytest.fixture
def signatures(letter):
    now = timezone.now()
    org = Signature.objects.create(
        petition=letter,
        kind="organisation",
        country="BE",
        language="en",
        listed=True,
        public_name="Liga voor Mensenrechten",
        review="pending",
        confirmed_at=now,
    )
    person = Signature.objects.create(
        petition=letter,
        kind="individual",
        country="FR",
        language="en",
        listed=True,
        public_name="Rude Name",
        confirmed_at=now,
    )
    return org, person


def _act(client, action, *signatures):
    return client.post(
        "/en/admin/letters/signature/",
        {"action": action, "_selected_action": [s.pk for s in signatures]},
    )


def test_the_organiser_sees_petitions_signatures_counts_and_the_audit_log(
    organiser, as_user, signatures
):
    client = as_user(organiser)
    for url in [
        "/en/admin/letters/petition/",
        "/en/admin/letters/signature/",
        "/en/admin/audit/auditentry/",
        "/en/admin/letters/petition/add/",
    ]:
        assert client.get(url).status_code == 200, url


def test_the_organiser_can_invalidate_and_restore_and_both_are_audited(
    organiser, as_user, signatures
):
    _, person = signatures
    client = as_user(organiser)
    _act(client, "invalidate", person)
    person.refresh_from_db()
    assert person.invalidated_at is not None
    _act(client, "restore", person)
    person.refresh_from_db()
    assert person.invalidated_at is None
    actions = list(AuditEntry.objects.values_list("actor", "action", "count"))
    assert ("alice", "signature.invalidate", 1) in actions
    assert ("alice", "signature.restore", 1) in actions


def test_the_moderator_approves_organisations_and_hides_names(moderator, as_user, signatures):
    org, person = signatures
    client = as_user(moderator)
    _act(client, "approve", org)
    _act(client, "hide", person)
    org.refresh_from_db()
    person.refresh_from_db()
    assert org.review == "approved"
    assert person.hidden_at is not None
    assert AuditEntry.objects.filter(actor="bob", action="signature.hide").exists()


def test_the_moderator_cannot_invalidate_or_edit_petitions(moderator, as_user, signatures, letter):
    _, person = signatures
    client = as_user(moderator)
    response = _act(client, "invalidate", person)
    person.refresh_from_db()
    assert person.invalidated_at is None
    assert response.status_code in (200, 302, 400)
    assert client.get("/en/admin/letters/petition/add/").status_code == 403
    assert client.get("/en/admin/audit/auditentry/").status_code == 403
    assert client.post(f"/en/admin/letters/petition/{letter.pk}/change/", {}).status_code == 403


def test_the_outsider_is_refused_everything(outsider, as_user, signatures):
    org, person = signatures
    client = as_user(outsider)
    for url in [
        "/en/admin/letters/petition/",
        "/en/admin/letters/signature/",
        "/en/admin/audit/auditentry/",
    ]:
        assert client.get(url).status_code == 403, url
    _act(client, "approve", org)
    _act(client, "invalidate", person)
    org.refresh_from_db()
    person.refresh_from_db()
    assert org.review == "pending"
    assert person.invalidated_at is None
    assert not AuditEntry.objects.filter(actor="charlie").exists()


def test_an_anonymous_visitor_is_sent_to_the_login(client, signatures):
    response = client.get("/en/admin/letters/signature/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_nobody_can_delete_signatures_or_edit_them_by_hand(organiser, as_user, signatures):
    _, person = signatures
    client = as_user(organiser)
    assert client.get(f"/en/admin/letters/signature/{person.pk}/delete/").status_code == 403
    client.post(f"/en/admin/letters/signature/{person.pk}/change/", {"public_name": "Changed"})
    person.refresh_from_db()
    assert person.public_name == "Rude Name"
