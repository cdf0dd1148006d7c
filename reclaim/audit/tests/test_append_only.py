"""The audit log can be written and read, never changed or deleted."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from reclaim.audit.models import AppendOnlyError, AuditEntry
from reclaim.audit.services import record

pytestmark = pytest.mark.django_db


def test_an_entry_cannot_be_changed_or_deleted_through_the_application():
    entry = record("alice", "signature.export", target="petition:1", count=3)
    entry.action = "nothing"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="nothing")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "signature.export"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigger exists on PostgreSQL only")
def test_on_postgresql_the_database_refuses_changes_too():
    entry = record("alice", "signature.export", count=1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = 'x' WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk, action="signature.export").exists()


def test_the_admin_offers_no_way_to_change_the_log(organiser, as_user):
    entry = record("alice", "signature.export", count=1)
    client = as_user(organiser)
    assert client.get(f"/en/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403
    client.post(f"/en/admin/audit/auditentry/{entry.pk}/change/", {"action": "x"})
    assert AuditEntry.objects.get(pk=entry.pk).action == "signature.export"
