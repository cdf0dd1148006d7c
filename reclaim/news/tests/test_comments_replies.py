"""Reply notifications: an optional address, double opt-in, one mail a day per article."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core import mail
from django.test import Client
from django.utils import timezone

from reclaim.audit.models import AuditEntry
from reclaim.lib.emailhash import email_hash
from reclaim.mail.addresses import open_at_rest, seal_at_rest
from reclaim.mail.models import OutgoingMail
from reclaim.news.models import Comment
from reclaim.news.services import comments as services
from reclaim.news.tests.fixtures_comments import *  # noqa: F403
from reclaim.news.tests.fixtures_comments import (
    REPLY_LINK,
    STOP_LINK,
    post_comment,
    send_mail_now,
)

ADDRESS = "mara@example.org"
MODERATION = "/en/news/moderation/"


def _post_with_address(client: Client, article: Any, capture: Any, **fields: str) -> Comment:
    post_comment(client, article, capture, reply_email=ADDRESS, **fields)
    return Comment.objects.latest("pk")


def _confirmed(make_comment: Any, article: Any, address: str, **fields: Any) -> Comment:
    return make_comment(
        article,
        reply_email_sealed=seal_at_rest(address),
        email_hash=email_hash(address),
        reply_confirmed_at=timezone.now(),
        **fields,
    )


def test_the_address_is_sealed_and_the_opt_in_link_confirms_only_by_post(
    client: Client, held, django_capture_on_commit_callbacks
):
    comment = _post_with_address(client, held, django_capture_on_commit_callbacks)
    raw = bytes(comment.reply_email_sealed or b"")
    assert ADDRESS.encode() not in raw
    assert open_at_rest(raw) == ADDRESS
    assert comment.email_hash == email_hash(ADDRESS)
    assert comment.reply_confirmed_at is None

    send_mail_now()
    [message] = mail.outbox
    assert message.to == [ADDRESS]
    assert "Please confirm reply notifications" in message.subject
    path = REPLY_LINK.search(message.body).group(1)

    page = client.get(path)
    assert page.status_code == 200
    assert "Confirm reply notifications" in page.content.decode()
    comment.refresh_from_db()
    assert comment.reply_confirmed_at is None

    response = client.post(path, HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.reply_confirmed_at is not None
    assert "Reply notifications confirmed" in client.get(path).content.decode()


def test_a_wrong_or_expired_opt_in_link_changes_nothing(client: Client, held, make_comment):
    assert client.get("/en/news/comments/reply/nonsense/").status_code == 404
    assert client.post("/en/news/comments/reply/nonsense/").status_code == 404
    comment = make_comment(
        held,
        reply_email_sealed=seal_at_rest(ADDRESS),
        email_hash=email_hash(ADDRESS),
        created_at=timezone.now() - timedelta(days=8),
    )
    token = services.issue_reply_token(comment)
    assert client.post(f"/en/news/comments/reply/{token}/").status_code == 410
    comment.refresh_from_db()
    assert comment.reply_confirmed_at is None


def test_confirmed_readers_are_told_of_a_new_published_comment_once_a_day(
    client: Client, as_user, moderator, held, make_comment, django_capture_on_commit_callbacks
):
    follower = _confirmed(make_comment, held, "follower@example.org")
    _confirmed(make_comment, held, "follower@example.org")  # a second comment, same person
    make_comment(  # not confirmed: told nothing
        held, reply_email_sealed=seal_at_rest("quiet@example.org"), email_hash="q" * 64
    )
    mine = _confirmed(make_comment, held, "writer@example.org", state=Comment.State.PENDING)
    staff = as_user(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(MODERATION, {"one": f"approve:{mine.pk}"})
    send_mail_now()
    # One mail to the follower; none to the writer about their own comment.
    [message] = mail.outbox
    assert message.to == ["follower@example.org"]
    assert "New comment on" in message.subject
    assert f"/en/news/held/#comment-{mine.pk}" in message.body

    # Someone else's comment: the writer is told now; the follower, told today, is not.
    another = make_comment(held, Comment.State.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(MODERATION, {"one": f"approve:{another.pk}"})
    send_mail_now()
    assert [m.to for m in mail.outbox] == [["follower@example.org"], ["writer@example.org"]]
    # A third publication the same day mails nobody.
    more = make_comment(held, Comment.State.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(MODERATION, {"one": f"approve:{more.pk}"})
    send_mail_now()
    assert len(mail.outbox) == 2

    # The next day the follower is told again, and so is the writer of the earlier one.
    Comment.objects.update(reply_notified_at=timezone.now() - timedelta(days=1, minutes=1))
    third = make_comment(held, Comment.State.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(MODERATION, {"one": f"approve:{third.pk}"})
    send_mail_now()
    assert sorted(m.to[0] for m in mail.outbox[2:]) == [
        "follower@example.org",
        "writer@example.org",
    ]

    # The stop link: GET shows a page, POST erases the address.
    path = STOP_LINK.search(mail.outbox[0].body).group(1)
    assert client.get(path).status_code == 200
    follower.refresh_from_db()
    assert follower.reply_email_sealed is not None
    assert client.post(path).status_code == 302
    assert not Comment.objects.filter(email_hash=email_hash("follower@example.org")).exists()
    assert AuditEntry.objects.filter(action="news.comment_reply_stopped").exists()
    assert "Reply notifications stopped" in client.get(path).content.decode()


def test_an_unpublished_comment_notifies_nobody(
    held, make_comment, django_capture_on_commit_callbacks
):
    _confirmed(make_comment, held, "follower@example.org")
    comment = make_comment(held, Comment.State.PENDING)
    services.moderate([comment], "reject", "bob")
    assert not OutgoingMail.objects.filter(kind=services.REPLY_MAIL).exists()


def test_a_stop_link_with_a_bad_signature_is_refused(client: Client):
    assert client.get("/en/news/comments/stop/1:abc:def/").status_code == 404
