"""Comments' retention policies delete exactly what is due; data-subject requests find and
erase what a reply address ties to a person."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from reclaim.lib.emailhash import email_hash
from reclaim.mail.addresses import seal_at_rest
from reclaim.news.models import Comment, CommentReport
from reclaim.news.privacy_comments import comments as find_comments
from reclaim.news.retention_comments import POLICIES
from reclaim.news.tests.fixtures_comments import *  # noqa: F403
from reclaim.privacy.registry import find_all

ADDRESS = "mara@example.org"


def _policy(name: str):
    return next(p for p in POLICIES if p.name == name)


def _with_address(make_comment, article, days_ago: float, confirmed: bool, **fields):
    created = timezone.now() - timedelta(days=days_ago)
    return make_comment(
        article,
        reply_email_sealed=seal_at_rest(ADDRESS),
        email_hash=email_hash(ADDRESS),
        token_hash="t" * 64,
        created_at=created,
        reply_confirmed_at=created if confirmed else None,
        **fields,
    )


def test_addresses_go_after_their_period_or_unconfirmed_after_the_window(held, make_comment):
    old_confirmed = _with_address(make_comment, held, 91, True)
    young_confirmed = _with_address(make_comment, held, 89, True)
    stale_unconfirmed = _with_address(make_comment, held, 8, False)
    fresh_unconfirmed = _with_address(make_comment, held, 6, False)
    policy = _policy("news_comment_addresses_erased")
    assert policy.count_due() == 2
    assert policy.run() == 2
    assert policy.count_due() == 0
    for gone in (old_confirmed, stale_unconfirmed):
        gone.refresh_from_db()
        assert gone.reply_email_sealed is None
        assert gone.email_hash == ""
        assert gone.token_hash == ""
        assert gone.reply_confirmed_at is None
        # The comment itself stays.
        assert gone.text == "A comment."
    for kept in (young_confirmed, fresh_unconfirmed):
        kept.refresh_from_db()
        assert kept.reply_email_sealed is not None


def test_rejected_comments_go_after_their_period_and_nothing_else(held, make_comment):
    now = timezone.now()
    old = make_comment(held, Comment.State.REJECTED, moderated_at=now - timedelta(days=31))
    CommentReport.objects.create(comment=old, source_hash="a" * 32)
    make_comment(held, Comment.State.REJECTED, moderated_at=now - timedelta(days=29))
    make_comment(held, Comment.State.PUBLISHED, created_at=now - timedelta(days=400))
    make_comment(held, Comment.State.PENDING, created_at=now - timedelta(days=400))
    make_comment(held, Comment.State.HIDDEN, created_at=now - timedelta(days=400))
    policy = _policy("news_comments_rejected_deleted")
    assert policy.count_due() == 1
    assert policy.run() == 1
    assert not Comment.objects.filter(pk=old.pk).exists()
    assert Comment.objects.count() == 4


def test_a_data_request_finds_the_comments_of_an_address_and_erases_them(held, make_comment):
    published = _with_address(make_comment, held, 1, True, display_name="Mara")
    pending = _with_address(make_comment, held, 1, False, state=Comment.State.PENDING)
    other = make_comment(held, display_name="Someone else")

    found = find_all(email_hash(ADDRESS))["news_comments"]
    assert [row["display_name"] for row in found.rows] == ["Mara", "Reader"]
    assert found.rows[0]["article"] == held.title
    assert found.rows[0]["address_deleted_on"]
    assert len(found.shown) == 2

    assert found.erase() == 2
    assert not Comment.objects.filter(pk=pending.pk).exists()
    published.refresh_from_db()
    assert published.display_name == ""
    assert published.reply_email_sealed is None
    assert published.email_hash == ""
    assert published.personal_data_erased_at is not None
    assert published.text == "A comment."
    other.refresh_from_db()
    assert other.display_name == "Someone else"
    assert find_comments(email_hash(ADDRESS)).rows == []


def test_an_erased_name_shows_as_a_reader(client, held, make_comment):
    make_comment(held, display_name="", personal_data_erased_at=timezone.now())
    assert "A reader" in client.get("/en/news/held/").content.decode()
