"""Organisers read and export the audit log; role changes land in it with their author."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Group

from reclaim.accounts.roles import MODERATOR, ORGANISER
from reclaim.audit.models import AuditEntry
from reclaim.audit.services import record

pytestmark = pytest.mark.django_db


def test_an_organiser_exports_the_log_as_csv_and_the_export_is_audited(organiser, as_user):
    record("alice", "signature.export", target="petition:1", count=12, key_id="abc")
    response = as_user(organiser).get("/en/audit/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert any(r["action"] == "signature.export" and r["count"] == "12" for r in rows)
    assert AuditEntry.objects.filter(action="audit.export", actor="alice").exists()


def test_moderators_outsiders_and_visitors_cannot_export(moderator, outsider, as_user, client):
    assert as_user(moderator).get("/en/audit/export.csv").status_code == 403
    assert as_user(outsider).get("/en/audit/export.csv").status_code == 403
    response = client.get("/en/audit/export.csv")
    assert response.status_code == 302 and "login" in response["Location"]
    assert not AuditEntry.objects.filter(action="audit.export").exists()


def test_role_changes_are_audited_with_who_made_them(organiser, outsider, as_user, db):
    from django.contrib.auth.models import User

    admin_user = User.objects.create_superuser("root", password="pw-root-12345")
    client = as_user(admin_user)
    moderators = Group.objects.get(name=MODERATOR)
    organisers = Group.objects.get(name=ORGANISER)
    response = client.post(
        f"/en/admin/auth/user/{outsider.pk}/change/",
        {
            "username": outsider.username,
            "is_active": "on",
            "is_staff": "on",
            "groups": [moderators.pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "last_login_0": "",
            "last_login_1": "",
            # The staff profile inline (the language of staff mail), left as it is.
            "staff_profile-TOTAL_FORMS": "0",
            "staff_profile-INITIAL_FORMS": "0",
            "staff_profile-MIN_NUM_FORMS": "0",
            "staff_profile-MAX_NUM_FORMS": "1",
        },
    )
    assert response.status_code in (200, 302)
    entry = AuditEntry.objects.filter(action="role.add", target=f"user:{outsider.pk}").first()
    assert entry is not None, list(AuditEntry.objects.values_list("action", "actor"))
    assert entry.actor == "root"
    assert entry.detail["roles"] == [MODERATOR]
    outsider.groups.remove(moderators)
    assert AuditEntry.objects.filter(action="role.remove", actor="system").exists()
    outsider.is_superuser = True
    outsider.save()
    assert AuditEntry.objects.filter(action="role.flags", detail__is_superuser=True).exists()
    assert organisers  # the organiser role exists too


def test_the_audit_export_writes_formulas_as_text_and_numbers_as_numbers(organiser, as_user):
    """An actor or target is text someone chose (a username, `reclaim export --by`): a
    spreadsheet must show it, not run it (reclaim.lib.safecsv)."""
    formula = '=HYPERLINK("http://x","y")'
    record(formula, "signature.export", target="@evil", count=3)
    record("+31 20", "signature.export", target="-1+1", count=0)
    record("\tsomeone", "signature.export", target="\rsomething", count=1)
    response = as_user(organiser).get("/en/audit/export.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode(), newline="")))
    exported = {(r["actor"], r["target"], r["count"]) for r in rows}
    assert ("'" + formula, "'@evil", "3") in exported
    assert ("'+31 20", "'-1+1", "0") in exported
    assert ("'\tsomeone", "'\rsomething", "1") in exported
    assert not any(r["actor"].startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows)
