"""Readers post comments under an article: held, published at once, or refused."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.test import Client

from reclaim.news.models import Article, Comment
from reclaim.news.tests.fixtures_comments import *  # noqa: F403
from reclaim.news.tests.fixtures_comments import post_comment


def test_the_article_page_shows_the_comment_form_and_the_deletion_date(client: Client, held):
    response = client.get("/en/news/held/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'action="/en/news/held/comments/"' in body
    assert "Write a comment" in body
    assert "Comments are published once a moderator has read them." in body
    assert "The address is deleted on" in body
    assert 'name="altcha"' in body
    # The page is the same for every reader: no cookie, no token.
    assert "csrfmiddlewaretoken" not in body
    assert not response.cookies


def test_a_held_comment_waits_and_is_not_shown(
    client: Client, held, django_capture_on_commit_callbacks
):
    response = post_comment(client, held, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == "/en/news/held/comments/waiting/"
    comment = Comment.objects.get()
    assert comment.state == Comment.State.PENDING
    assert comment.display_name == "Mara"
    assert comment.reply_email_sealed is None
    assert comment.email_hash == ""
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Your comment waits for moderation" in page.content.decode()
    assert "Thank you for this report." not in client.get("/en/news/held/").content.decode()
    assert mail.outbox == []


def test_a_comment_on_an_article_that_publishes_first_is_shown_at_once(
    client: Client, open_article, django_capture_on_commit_callbacks
):
    response = post_comment(client, open_article, django_capture_on_commit_callbacks)
    comment = Comment.objects.get()
    assert comment.state == Comment.State.PUBLISHED
    assert response.status_code == 302
    assert response["Location"] == f"/en/news/open/#comment-{comment.pk}"
    body = client.get("/en/news/open/").content.decode()
    assert f'id="comment-{comment.pk}"' in body
    assert "Thank you for this report." in body
    assert "Comments are published at once and read by a moderator afterwards." in body


def test_a_closed_article_refuses_comments_with_a_clear_message(client: Client, make_article):
    article = make_article(Article.Comments.CLOSED, slug="closed")
    assert (
        "Comments are closed for this article." in client.get("/en/news/closed/").content.decode()
    )
    response = post_comment(client, article)
    assert response.status_code == 403
    assert "takes no more comments. Nothing was saved." in response.content.decode()
    assert not Comment.objects.exists()


def test_an_unpublished_article_takes_no_comments(client: Client, make_article):
    article = make_article(status=Article.Status.DRAFT, slug="draft")
    assert post_comment(client, article).status_code == 404
    assert not Comment.objects.exists()


def test_the_form_only_takes_posts(client: Client, held):
    assert client.get("/en/news/held/comments/").status_code == 405


def test_a_post_from_another_site_is_refused(client: Client, held):
    response = client.post(
        "/en/news/held/comments/",
        {"display_name": "X", "text": "Hello there"},
        HTTP_SEC_FETCH_SITE="cross-site",
    )
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_html_in_a_comment_is_escaped_and_links_are_nofollow_ugc(client: Client, open_article):
    text = (
        '<script>alert("x")</script> <b>bold</b> see https://example.org/report?a=1&b=2'
        ' and <a href="javascript:alert(1)" rel="nofollow">me</a>\n\nSecond paragraph.'
    )
    post_comment(client, open_article, display_name="<img src=x onerror=alert(1)>", text=text)
    body = client.get("/en/news/open/").content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    assert "<b>bold</b>" not in body
    assert "<img src=x" not in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
    assert (
        '<a href="https://example.org/report?a=1&amp;b=2" rel="nofollow ugc">'
        "https://example.org/report?a=1&amp;b=2</a>"
    ) in body
    assert 'href="javascript:' not in body
    assert "<p>Second paragraph.</p>" in body


def test_bad_input_gets_clear_errors_and_stores_nothing(client: Client, held):
    cases: list[tuple[dict[str, str], str]] = [
        ({"display_name": ""}, "This field is required."),
        ({"display_name": "   "}, "This field is required."),
        ({"text": ""}, "This field is required."),
        ({"text": "x" * 4001}, "Ensure this value has at most 4000 characters"),
        ({"display_name": "n" * 81}, "Ensure this value has at most 80 characters"),
        ({"text": "Hello \x00 there"}, "Null characters are not allowed."),
        ({"text": "Hello \x07 there"}, "invisible control characters"),
        ({"display_name": "evil\u202egnp.exe"}, "invisible control characters"),
        ({"display_name": "two\nlines"}, "invisible control characters"),
        ({"reply_email": "not an address"}, "Enter a valid email address"),
    ]
    for fields, message in cases:
        response = post_comment(client, held, **fields)
        assert response.status_code == 400, fields
        body = response.content.decode()
        assert message in body, (fields, message)
        assert "Please correct the following:" in body
        assert "<title>Error:" in body
    assert not Comment.objects.exists()


def test_the_guard_refuses_too_many_comments_and_stores_nothing(
    client: Client, held, settings: Any
):
    settings.RECLAIM = settings.RECLAIM | {
        "THROTTLES_BY_SCOPE": {"news.comment": {"source_burst": (1, 60)}}
    }
    assert post_comment(client, held).status_code == 302
    response = post_comment(client, held, text="Another one.")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    body = response.content.decode()
    assert "Too many comments from your network right now." in body
    assert "Your comment has not been saved." in body
    assert Comment.objects.count() == 1


def test_the_challenge_endpoint_serves_the_comment_scope(client: Client, held):
    response = client.get(f"/shield/challenge/news.comment/{held.pk}/")
    assert response.status_code in (200, 204)
