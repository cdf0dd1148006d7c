"""Importing subscribers from another tool: pending until each confirms; suppressed skipped."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from reclaim.audit.models import AuditEntry
from reclaim.newsletter.models import Subscription, Suppression
from reclaim.newsletter.partner_counts import subscription_counts
from reclaim.newsletter.services.addresses import hash_address
from reclaim.newsletter.tests.fixtures_subscriptions import (  # noqa: F401
    CONFIRM_LINK,
    link_in,
    news_list_fixture,
)

pytestmark = pytest.mark.django_db

CSV = """email,consent_date
one@example.org,2024-05-31
two@example.org,2023-01-02T10:00:00
not-an-address,2024-01-01
three@example.org,yesterday
gone@example.org,2024-02-02
one@example.org,2024-06-01
four@example.org,2999-01-01
"""


def _upload(client: Client, news_list: Any, text: str = CSV, **fields: Any) -> Any:
    data = {
        "mailing_list": str(news_list.pk),
        "file": SimpleUploadedFile("list.csv", text.encode(), content_type="text/csv"),
        "confirm": "on",
        **fields,
    }
    return client.post("/en/newsletter/staff/import/", data)


def test_an_organiser_imports_a_csv_as_pending_subscriptions_with_confirmation_mails(
    as_user: Any, organiser: Any, news_list: Any, django_capture_on_commit_callbacks: Any
) -> None:
    Suppression.objects.create(mailing_list=news_list, email_hash=hash_address("gone@example.org"))
    client = as_user(organiser)
    assert client.get("/en/newsletter/staff/import/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, news_list)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Import done" in page
    for line in ("Line 4", "Line 5", "Line 8"):
        assert line in page
    added = Subscription.objects.filter(source=Subscription.Source.IMPORT)
    assert added.count() == 2
    assert all(s.confirmed_at is None and s.imported_consent_at for s in added)
    assert len(mail.outbox) == 2
    assert "moved its newsletter" in mail.outbox[0].body
    entry = AuditEntry.objects.get(action="newsletter.import")
    assert entry.count == 2
    assert entry.detail["suppressed"] == 1 and entry.detail["duplicates"] == 1
    assert entry.detail["invalid"] == 3
    assert "example.org" not in str(entry.detail)
    # Imported addresses count nowhere until confirmed.
    assert not Subscription.objects.filter(confirmed_at__isnull=False).exists()
    Subscription.objects.update(widget_key="w1")
    assert subscription_counts(["w1"]) == []
    Client().post(link_in(CONFIRM_LINK))
    assert sum(cell.count for cell in subscription_counts(["w1"])) == 1


def test_importing_again_adds_nothing(
    as_user: Any, organiser: Any, news_list: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = as_user(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, news_list)
        response = _upload(client, news_list)
    assert Subscription.objects.count() == 3
    assert "Already on the list" in response.content.decode()


def test_a_file_without_the_columns_is_refused_and_changes_nothing(
    as_user: Any, organiser: Any, news_list: Any
) -> None:
    response = _upload(as_user(organiser), news_list, text="address;when\nx@example.org;2024")
    assert response.status_code == 400
    assert "The first line must name the columns" in response.content.decode()
    assert not Subscription.objects.exists()


def test_the_import_must_be_confirmed_by_the_organiser(
    as_user: Any, organiser: Any, news_list: Any
) -> None:
    response = _upload(as_user(organiser), news_list, confirm="")
    assert response.status_code == 400
    assert not Subscription.objects.exists()


def test_staff_without_the_permission_and_visitors_cannot_import(
    as_user: Any, moderator: Any, outsider: Any, client: Client, news_list: Any
) -> None:
    for user in (moderator, outsider):
        assert as_user(user).get("/en/newsletter/staff/import/").status_code == 403
        assert _upload(as_user(user), news_list).status_code == 403
    assert client.get("/en/newsletter/staff/import/").status_code == 302
    assert not Subscription.objects.exists()


def test_the_command_imports_and_reports(
    news_list: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> None:
    path = tmp_path / "list.csv"
    path.write_text(CSV, encoding="utf-8")
    out, err = StringIO(), StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("newsletter_import", "news", str(path), stdout=out, stderr=err)
    assert "asked to confirm: 3" in out.getvalue()
    assert "line 4: not a valid email address" in err.getvalue()
    assert len(mail.outbox) == 3
    with pytest.raises(CommandError):
        call_command("newsletter_import", "nope", str(path))


def test_the_import_page_is_listed_for_organisers_on_the_admin_start_page(
    as_user: Any, organiser: Any, moderator: Any
) -> None:
    assert "/en/newsletter/staff/import/" in as_user(organiser).get("/en/admin/").content.decode()
    assert (
        "/en/newsletter/staff/import/" not in as_user(moderator).get("/en/admin/").content.decode()
    )
