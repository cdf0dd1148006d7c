"""Every mail is a kind some app declares, goes through the outbox, and a list mail carries
its one-click unsubscribe (RFC 8058)."""

from __future__ import annotations

import email.policy
from email import message_from_bytes
from typing import Any

import pytest
from django.core import mail

from reclaim.mail.builders import MAILS, Letter, UnknownMail
from reclaim.mail.models import OutgoingMail
from reclaim.mail.services import deliver_pending, queue_mail
from reclaim.mail.tests.backends import declare_mail

pytestmark = pytest.mark.django_db

UNSUBSCRIBE = "https://campaign.example/en/newsletter/u/token-of-the-subscriber/"


def _issue(queued: OutgoingMail) -> Letter:
    return Letter(
        "letters-already-signed",
        {"petition": {"title": "News"}, "confirmed": True, "link": ""},
        unsubscribe_url=UNSUBSCRIBE if queued.params.get("with_link") else "",
    )


def test_a_mail_of_a_kind_no_app_declares_is_refused_before_it_is_queued() -> None:
    with pytest.raises(UnknownMail, match="letters.confrim"):
        queue_mail("letters.confrim", "a@example.org", "en", 1)
    assert not OutgoingMail.objects.exists()


def test_every_app_s_mails_are_found() -> None:
    kinds = {mail_kind.kind for mail_kind in MAILS}
    assert {
        "letters.confirm",
        "letters.already_signed",
        "letters.alert",
        "privacy.access",
        "eci.overdue_batches",
    } <= kinds


def test_a_list_mail_carries_list_unsubscribe_and_one_click_post(monkeypatch: Any) -> None:
    declare_mail(monkeypatch, "news.issue", _issue, list_mail=True)
    queue_mail("news.issue", "reader@example.org", "en", params={"with_link": True})

    assert deliver_pending() == 1

    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe"] == f"<{UNSUBSCRIBE}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # As a mail program reads the sent message (a long header may be folded).
    sent = message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    assert sent["List-Unsubscribe"].strip() == f"<{UNSUBSCRIBE}>"
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert not OutgoingMail.objects.exists()


def test_a_list_mail_without_its_unsubscribe_address_is_not_sent(monkeypatch: Any) -> None:
    declare_mail(monkeypatch, "news.issue", _issue, list_mail=True)
    queue_mail("news.issue", "reader@example.org", "en", params={"with_link": False})

    assert deliver_pending() == 0

    assert not mail.outbox
    assert OutgoingMail.objects.get().attempts == 1  # kept, and counted as a failure


def test_a_mail_that_is_not_a_list_mail_has_no_list_headers(
    client: Any, petition: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from reclaim.letters.tests.helpers import sign

    sign(client, petition, django_capture_on_commit_callbacks)

    assert "List-Unsubscribe" not in mail.outbox[0].message().as_string()
