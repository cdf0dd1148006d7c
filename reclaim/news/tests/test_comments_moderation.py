"""Reports hide a comment; moderators decide, one by one or in bulk, each decision audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from reclaim.audit.models import AuditEntry
from reclaim.news.models import Comment, CommentReport
from reclaim.news.tests.fixtures_comments import *  # noqa: F403
from reclaim.news.tests.fixtures_comments import report

URL = "/en/news/moderation/"


def test_three_reports_from_different_networks_hide_a_comment(client: Client, held, make_comment):
    comment = make_comment(held, text="Rude words.")
    assert report(client, comment, "198.51.100.7").status_code == 200
    # The same network again (another address of its /24) counts once.
    response = report(client, comment, "198.51.100.8")
    assert "Your report has been counted" in response.content.decode()
    comment.refresh_from_db()
    assert comment.reports == 1
    assert comment.state == Comment.State.PUBLISHED
    report(client, comment, "203.0.113.1")
    assert "Rude words." in client.get("/en/news/held/").content.decode()
    report(client, comment, "192.0.2.1")
    comment.refresh_from_db()
    assert comment.reports == 3
    assert comment.state == Comment.State.HIDDEN
    assert "Rude words." not in client.get("/en/news/held/").content.decode()
    entry = AuditEntry.objects.get(action="news.comment_hidden_by_reports")
    assert entry.target == f"comment:{comment.pk}"
    # No address is stored, only the day's keyed hash of the network.
    for row in CommentReport.objects.all():
        assert "198.51" not in row.source_hash
        assert len(row.source_hash) == 32


def test_the_threshold_is_a_setting(client: Client, held, make_comment, settings: Any):
    settings.RECLAIM = settings.RECLAIM | {"NEWS_COMMENT_REPORTS_TO_HIDE": 1}
    comment = make_comment(held)
    report(client, comment)
    comment.refresh_from_db()
    assert comment.state == Comment.State.HIDDEN


def test_only_published_comments_can_be_reported(client: Client, held, make_comment):
    pending = make_comment(held, Comment.State.PENDING)
    assert report(client, pending).status_code == 404
    comment = make_comment(held)
    assert client.get(f"/en/news/comments/{comment.pk}/report/").status_code == 405
    assert not CommentReport.objects.exists()


def test_reports_are_guarded(client: Client, held, make_comment, settings: Any):
    settings.RECLAIM = settings.RECLAIM | {
        "THROTTLES_BY_SCOPE": {"news.comment_report": {"source_burst": (1, 60)}}
    }
    first, second = make_comment(held), make_comment(held)
    assert report(client, first).status_code == 200
    response = report(client, second)
    assert response.status_code == 429
    assert "Your report has not been counted." in response.content.decode()
    second.refresh_from_db()
    assert second.reports == 0


def test_the_queue_needs_a_moderator(client: Client, outsider, as_user):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/staff/" in response["Location"] or "login" in response["Location"]
    assert as_user(outsider).get(URL).status_code == 403
    assert as_user(outsider).post(URL, {"action": "approve"}).status_code == 403


@pytest.mark.parametrize("persona", ["moderator", "organiser"])
def test_moderators_and_organisers_see_waiting_comments_first(
    request, persona, as_user, held, make_comment
):
    user = request.getfixturevalue(persona)
    make_comment(held, text="Already published.")
    make_comment(held, Comment.State.HIDDEN, text="Hidden after reports.", reports=3)
    make_comment(held, Comment.State.PENDING, text="Waiting one.")
    response = as_user(user).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index("Hidden after reports.") < body.index("Already published.")
    assert body.index("Waiting one.") < body.index("Already published.")
    assert "2 comments wait for a decision" in body


def test_the_queue_filters_by_state_and_article(as_user, moderator, make_article, make_comment):
    first, second = make_article(slug="first"), make_article(slug="second")
    make_comment(first, Comment.State.PENDING, text="On the first.")
    make_comment(second, Comment.State.PENDING, text="On the second.")
    make_comment(second, text="Published on the second.")
    client = as_user(moderator)
    body = client.get(URL, {"article": second.pk}).content.decode()
    assert "On the first." not in body
    assert "On the second." in body
    body = client.get(URL, {"article": second.pk, "state": "published"}).content.decode()
    assert "On the second." not in body
    assert "Published on the second." in body
    assert client.get(URL, {"state": "nonsense", "article": "x"}).status_code == 200


@pytest.mark.parametrize(
    ("start", "action", "end"),
    [
        (Comment.State.PENDING, "approve", Comment.State.PUBLISHED),
        (Comment.State.PENDING, "reject", Comment.State.REJECTED),
        (Comment.State.HIDDEN, "approve", Comment.State.PUBLISHED),
        (Comment.State.HIDDEN, "reject", Comment.State.REJECTED),
        (Comment.State.PUBLISHED, "hide", Comment.State.HIDDEN),
        (Comment.State.PUBLISHED, "reject", Comment.State.REJECTED),
    ],
)
def test_a_moderator_decides_one_comment_with_an_audit_entry(
    as_user, moderator, held, make_comment, start, action, end
):
    comment = make_comment(held, start)
    other = make_comment(held, start)
    response = as_user(moderator).post(
        URL, {"one": f"{action}:{comment.pk}", "back": "?state=pending"}
    )
    assert response.status_code == 302
    assert response["Location"] == URL + "?state=pending"
    comment.refresh_from_db()
    other.refresh_from_db()
    assert comment.state == end
    assert comment.moderated_at is not None
    assert other.state == start
    entry = AuditEntry.objects.get(action=f"news.comment_{action}")
    assert entry.actor == "bob"
    assert entry.target == f"comment:{comment.pk}"
    assert entry.detail["before"] == start


def test_an_approved_comment_that_was_hidden_by_reports_starts_over(
    client: Client, as_user, organiser, held, make_comment
):
    comment = make_comment(held)
    for network in ("198.51.100.1", "203.0.113.1", "192.0.2.1"):
        report(client, comment, network)
    comment.refresh_from_db()
    assert comment.state == Comment.State.HIDDEN
    as_user(organiser).post(URL, {"one": f"approve:{comment.pk}"})
    comment.refresh_from_db()
    assert comment.state == Comment.State.PUBLISHED
    assert comment.reports == 0
    assert not CommentReport.objects.exists()


def test_bulk_actions_apply_to_the_ticked_comments_only(as_user, moderator, held, make_comment):
    a, b, c = (make_comment(held, Comment.State.PENDING) for _ in range(3))
    response = as_user(moderator).post(URL, {"action": "approve", "comments": [a.pk, b.pk]})
    assert response.status_code == 302
    states = {x.pk: x.state for x in Comment.objects.all()}
    assert states == {a.pk: "published", b.pk: "published", c.pk: "pending"}
    assert AuditEntry.objects.filter(action="news.comment_approve").count() == 2
    # Hiding applies to published comments only: the pending one is left alone.
    as_user(moderator).post(URL, {"action": "hide", "comments": [a.pk, c.pk]})
    states = {x.pk: x.state for x in Comment.objects.all()}
    assert states == {a.pk: "hidden", b.pk: "published", c.pk: "pending"}


def test_a_bad_moderation_post_changes_nothing(as_user, moderator, held, make_comment):
    comment = make_comment(held, Comment.State.PENDING)
    client = as_user(moderator)
    for data in (
        {"action": "delete", "comments": [comment.pk]},
        {"action": "approve"},
        {"one": "approve:999999"},
        {"one": f"explode:{comment.pk}"},
        {},
    ):
        response = client.post(URL, data, follow=True)
        assert response.status_code == 200
    comment.refresh_from_db()
    assert comment.state == Comment.State.PENDING
    assert not AuditEntry.objects.filter(action__startswith="news.comment_").exists()
    assert (
        "Tick at least one comment."
        in client.post(URL, {"action": "approve"}, follow=True).content.decode()
    )


def test_the_staff_start_page_links_the_queue(as_user, moderator):
    body = as_user(moderator).get("/en/admin/").content.decode()
    assert "/en/news/moderation/" in body
