"""The article page with its comments, and the "waiting for moderation" page, in Chromium."""

from __future__ import annotations

import pytest

from reclaim.news.models import Comment
from reclaim.news.tests.fixtures_comments import *  # noqa: F403


@pytest.mark.browser
def test_the_comments_and_the_waiting_page_pass_the_accessibility_checks(
    page, axe, traffic, held, make_comment
):
    make_comment(held, display_name="Niamh", text="See https://example.org/report for more.")
    make_comment(held, display_name="", text="A comment whose writer asked to be erased.")
    make_comment(held, Comment.State.PENDING, text="Not shown.")
    page.goto("/en/news/held/")
    axe(page, "an article with readers' comments")
    page.fill("#id_display_name", "Mara")
    page.fill("#id_text", "Thank you for the clear summary.")
    page.click("text=Send the comment")
    page.wait_for_url("**/comments/waiting/")
    assert page.locator("h1").inner_text() == "Your comment waits for moderation"
    axe(page, "the waiting for moderation page")
    assert Comment.objects.filter(display_name="Mara").count() == 1
    traffic.assert_same_origin()


@pytest.mark.browser
def test_a_comment_with_errors_shows_them_accessibly(page, axe, held):
    page.goto("/en/news/held/")
    page.fill("#id_text", "No name given.")
    page.click("text=Send the comment")
    page.wait_for_selector("#error-summary")
    assert "Please correct the following:" in page.content()
    axe(page, "the comment form with errors")
