"""What subscribers get: RFC 8058 headers, an unsubscribe link without login, and no link or
image that points anywhere but the article, our own site's pages or what the text links."""

from __future__ import annotations

import email
import re
from email.message import Message
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.core import mail

from reclaim.newsletter.models import Delivery, Issue, Subscription, Suppression
from reclaim.newsletter.services.issues import send_now
from reclaim.newsletter.services.sending import run_sending
from reclaim.newsletter.services.subscriptions import read_unsubscribe_token
from reclaim.newsletter.tests.fixtures_sending import (  # noqa: F401
    EXPLICIT_LINKS,
    OWN_PATHS,
    address,
    issue_fixture,
    issue_list_fixture,
    make_issue,
    make_subscribers,
)
from reclaim.newsletter.tests.fixtures_subscriptions import make_list

ONE_CLICK = re.compile(
    "<"
    + re.escape(settings.BASE_URL)
    + r"/en/newsletter/unsubscribe/(?P<token>[\w:-]+)/one-click/>"
)
PAGE = re.compile(re.escape(settings.BASE_URL) + r"/en/newsletter/unsubscribe/(?P<token>[\w:-]+)/")


def _owner(token: str) -> int | None:
    found = read_unsubscribe_token(token)
    return found[0] if found else None


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if (tag, name) in {("a", "href"), ("img", "src")} or name in {"src", "background"}:
                self.found.append((tag, value or ""))


def _parts(message: Message) -> tuple[str, str]:
    text = html = ""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            text = part.get_payload(decode=True).decode()
        elif part.get_content_type() == "text/html":
            html = part.get_payload(decode=True).decode()
    return text, html


def test_every_mail_carries_rfc_8058_headers_and_links_only_where_it_should(issue, issue_list):
    subscriptions = {s.pk: s for s in make_subscribers(issue_list, 50)}
    send_now(issue, "alice")
    run_sending()

    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert (issue.recipients, issue.sent_count, issue.failed_count) == (50, 50, 0)
    assert len(mail.outbox) == 50
    ordered = sorted(subscriptions.values(), key=lambda s: s.pk)
    by_address = {address(n): s for n, s in enumerate(ordered)}
    own = urlsplit(settings.BASE_URL)
    for sent in mail.outbox:
        message = email.message_from_bytes(sent.message().as_bytes())
        subscription = by_address[message["To"]]
        assert message["Subject"] == "News from the campaign & more"
        # Unfolded: a long header is folded over lines, as RFC 5322 allows.
        target = ONE_CLICK.fullmatch("".join(message["List-Unsubscribe"].split()))
        assert target and _owner(target["token"]) == subscription.pk
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        text, html = _parts(message)
        # The visible link, in both parts: this subscriber's own page, no sign-in.
        found = PAGE.search(text)
        assert found and _owner(found["token"]) == subscription.pk
        page = found[0]
        assert f'href="{page}"' in html
        parser = Links()
        parser.feed(html)
        for tag, url in parser.found:
            parts = urlsplit(url)
            if url in EXPLICIT_LINKS:
                assert tag == "a"
                continue
            # Anything else is on our own origin: the article, an image of ours, or this
            # subscriber's own unsubscribe page. No redirect, no pixel, no one else's host.
            assert (parts.scheme, parts.netloc) == (own.scheme, own.netloc), url
            assert parts.path in OWN_PATHS or url == page, url
        assert [url for tag, url in parser.found if tag == "img"] == [
            settings.BASE_URL + "/media/news/vote.jpg"
        ]
        # Links stay as written: the outside link is the one in the text, nothing wraps it.
        assert "https://www.europarl.europa.eu/news/en/press-room" in text
        assert settings.BASE_URL + "/en/news/victory/" in text


def test_the_one_click_post_from_a_sent_mail_unsubscribes_without_login(client, issue, issue_list):
    make_subscribers(issue_list, 1)
    send_now(issue, "alice")
    run_sending()
    message = email.message_from_bytes(mail.outbox[0].message().as_bytes())
    target = "".join(message["List-Unsubscribe"].split()).strip("<>")
    response = client.post(
        urlsplit(target).path, {"List-Unsubscribe": "One-Click"}, REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code < 400
    assert not Subscription.objects.exists()
    assert Suppression.objects.count() == 1


def test_only_confirmed_unsuppressed_subscribers_of_the_list_get_the_issue(issue, issue_list):
    make_subscribers(issue_list, 3)
    make_subscribers(issue_list, 2, start=100, confirmed=False)
    other = make_list("other")
    make_subscribers(other, 2, start=200)
    suppressed = make_subscribers(issue_list, 1, start=300)[0]
    Suppression.objects.create(mailing_list=issue_list, email_hash=suppressed.email_hash)

    send_now(issue, "alice")
    run_sending()

    assert sorted(m.to[0] for m in mail.outbox) == [address(n) for n in range(3)]
    issue.refresh_from_db()
    assert (issue.recipients, issue.sent_count) == (3, 3)


def test_someone_who_unsubscribes_after_queueing_gets_nothing(issue, issue_list, settings):
    from reclaim.newsletter.services.sending import queue_next, send_queued

    first, second = make_subscribers(issue_list, 2)
    send_now(issue, "alice")
    queue_next(issue.pk)
    Subscription.objects.filter(pk=second.pk).delete()
    assert send_queued(issue.pk) == 1
    assert [m.to[0] for m in mail.outbox] == [address(0)]
    run_sending()
    issue.refresh_from_db()
    assert (issue.status, issue.sent_count, issue.failed_count) == (Issue.Status.SENT, 1, 0)
    assert not Delivery.objects.exists()


def test_the_generic_outbox_worker_leaves_newsletter_copies_to_the_sender(issue, issue_list):
    from reclaim.mail.models import OutgoingMail
    from reclaim.mail.services import deliver_pending, deliver_stale
    from reclaim.newsletter.services.sending import queue_next

    make_subscribers(issue_list, 3)
    send_now(issue, "alice")
    queue_next(issue.pk)
    assert deliver_pending() == 0
    assert deliver_stale() == 0
    assert mail.outbox == []
    assert OutgoingMail.objects.count() == 3
    # And the address in the outbox is sealed under the outbox's key, never in clear.
    assert not OutgoingMail.objects.filter(to_sealed__contains="example.org").exists()


def test_a_refused_mail_is_retried_and_counted_once(issue, issue_list, settings, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    make_subscribers(issue_list, 4)
    settings.RECLAIM["NEWSLETTER_BATCH_SECONDS"] = 0
    refused = {address(1)}
    original = EmailBackend.send_messages

    def flaky(self, messages):
        if messages[0].to[0] in refused:
            refused.clear()
            raise OSError("451 try again")
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    send_now(issue, "alice")
    run_sending()
    run_sending()
    assert sorted(m.to[0] for m in mail.outbox) == [address(n) for n in range(4)]
    issue.refresh_from_db()
    assert (issue.status, issue.sent_count, issue.failed_count) == (Issue.Status.SENT, 4, 0)


def test_the_body_cannot_bring_an_image_from_another_site_or_a_script(issue_list):
    issue = make_issue(
        issue_list,
        body='![pixel](https://tracker.example/p.gif) <img src="https://t.example/x.gif">'
        "<script>alert(1)</script>",
    )
    make_subscribers(issue_list, 1)
    send_now(issue, "alice")
    run_sending()
    _text, html = _parts(email.message_from_bytes(mail.outbox[0].message().as_bytes()))
    parser = Links()
    parser.feed(html)
    # Raw HTML is shown as text, never as markup; the Markdown image loses its address.
    assert [url for tag, url in parser.found if tag == "img"] == []
    assert "tracker.example" not in html
    assert "<script" not in html
