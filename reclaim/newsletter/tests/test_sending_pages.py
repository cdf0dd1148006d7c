"""The staff pages: who may open them, writing, preview, a test to oneself, sending now or
at a set time, cancelling, and the audit entries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from reclaim.audit.models import AuditEntry
from reclaim.newsletter.models import Issue
from reclaim.newsletter.services.sending import run_sending
from reclaim.newsletter.tests.fixtures_sending import (  # noqa: F401
    issue_fixture,
    issue_list_fixture,
    make_subscribers,
)

STAFF = "/en/newsletter/staff/"


def _pages(issue):
    return [STAFF, f"{STAFF}new/", f"{STAFF}{issue.pk}/", f"{STAFF}{issue.pk}/edit/",
            f"{STAFF}{issue.pk}/mail.html"]  # fmt: skip


def test_anonymous_visitors_are_sent_to_sign_in(client, issue):
    for url in _pages(issue):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]
    assert (
        client.post(f"{STAFF}{issue.pk}/send/", {"when": "now", "confirmed": "on"}).status_code
        == 302
    )


@pytest.mark.parametrize("persona", ["outsider", "moderator"])
def test_staff_without_the_permission_are_refused(request, as_user, issue, persona):
    client = as_user(request.getfixturevalue(persona))
    for url in _pages(issue):
        assert client.get(url).status_code == 403
    for action in ("test", "send", "cancel"):
        assert client.post(f"{STAFF}{issue.pk}/{action}/", {"when": "now"}).status_code == 403
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.DRAFT


def test_an_organiser_writes_previews_and_tests_an_issue(
    as_user, organiser, issue_list, django_capture_on_commit_callbacks
):
    organiser.email = "alice@example.org"
    organiser.save()
    client = as_user(organiser)
    assert client.get(f"{STAFF}new/").status_code == 200
    bad = client.post(f"{STAFF}new/", {"mailing_list": issue_list.pk, "subject": "", "body": "x"})
    assert bad.status_code == 400
    response = client.post(
        f"{STAFF}new/",
        {"mailing_list": issue_list.pk, "subject": "Spring news", "body": "**Good** news."},
    )
    issue = Issue.objects.get()
    assert response["Location"] == f"{STAFF}{issue.pk}/"
    page = client.get(f"{STAFF}{issue.pk}/").content.decode()
    assert "**Good** news." in page  # the plain-text part
    assert f"{STAFF}{issue.pk}/mail.html" in page  # the HTML part, framed
    frame = client.get(f"{STAFF}{issue.pk}/mail.html")
    assert "<strong>Good</strong> news." in frame.content.decode()
    assert "frame-ancestors 'self'" in frame["Content-Security-Policy"]

    client.post(
        f"{STAFF}{issue.pk}/edit/",
        {"mailing_list": issue_list.pk, "subject": "Spring news!", "body": "Better."},
    )
    assert Issue.objects.get().subject == "Spring news!"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{STAFF}{issue.pk}/test/")
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert mail.outbox[0].subject == "[Test] Spring news!"
    assert mail.outbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert AuditEntry.objects.filter(action="newsletter.issue_test", actor="alice").exists()


def test_sending_now_asks_for_confirmation_with_the_number_of_recipients(
    as_user, organiser, issue, issue_list
):
    make_subscribers(issue_list, 7)
    make_subscribers(issue_list, 2, start=50, confirmed=False)
    client = as_user(organiser)
    confirm = client.post(f"{STAFF}{issue.pk}/send/", {"when": "now"})
    assert confirm.status_code == 200
    assert "7 confirmed subscribers" in confirm.content.decode()
    assert Issue.objects.get().status == Issue.Status.DRAFT

    client.post(f"{STAFF}{issue.pk}/send/", {"when": "now", "confirmed": "on"})
    issue.refresh_from_db()
    assert (issue.status, issue.recipients) == (Issue.Status.SENDING, 7)
    # Once sending, the issue cannot be changed or sent again.
    assert client.get(f"{STAFF}{issue.pk}/edit/").status_code == 302
    run_sending()
    issue.refresh_from_db()
    assert (issue.status, issue.sent_count) == (Issue.Status.SENT, 7)
    assert len(mail.outbox) == 7
    listing = client.get(STAFF).content.decode()
    assert "Sent" in listing
    assert AuditEntry.objects.filter(action="newsletter.issue_send", count=7).exists()
    assert AuditEntry.objects.filter(action="newsletter.issue_finish", count=7).exists()


def test_a_scheduled_issue_waits_for_its_time_and_can_be_cancelled(
    as_user, organiser, issue, issue_list
):
    make_subscribers(issue_list, 3)
    client = as_user(organiser)
    past = client.post(f"{STAFF}{issue.pk}/send/", {"when": "at", "send_at": "2020-01-01T08:00"})
    assert past.status_code == 400
    assert "Choose a time in the future." in past.content.decode()
    at = (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    confirm = client.post(f"{STAFF}{issue.pk}/send/", {"when": "at", "send_at": at})
    assert "UTC" in confirm.content.decode()
    client.post(f"{STAFF}{issue.pk}/send/", {"when": "at", "send_at": at, "confirmed": "on"})
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SCHEDULED
    run_sending()
    assert mail.outbox == []

    client.post(f"{STAFF}{issue.pk}/cancel/")
    issue.refresh_from_db()
    assert (issue.status, issue.send_at) == (Issue.Status.DRAFT, None)
    assert AuditEntry.objects.filter(action="newsletter.issue_cancel").exists()

    client.post(f"{STAFF}{issue.pk}/send/", {"when": "at", "send_at": at, "confirmed": "on"})
    Issue.objects.filter(pk=issue.pk).update(send_at=timezone.now() - timedelta(minutes=1))
    run_sending()
    issue.refresh_from_db()
    assert (issue.status, issue.sent_count) == (Issue.Status.SENT, 3)
    assert AuditEntry.objects.filter(action="newsletter.issue_schedule").count() == 2
