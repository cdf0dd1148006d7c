"""The newsroom in Chromium: accessible, fits a phone, and needs no JavaScript."""

from __future__ import annotations

import pytest

from reclaim.news.services.articles import edit_article
from reclaim.news.tests.fixtures_articles import *  # noqa: F403

PHONE = {"viewport": {"width": 390, "height": 844}}
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
LONG = (
    "Datenschutzgrundverordnungskonformitätsprüfungsverfahren und "
    "Gesichtserkennungsüberwachungsinfrastruktur"
)


@pytest.mark.browser
def test_the_list_and_an_article_pass_the_accessibility_checks(page, axe, story):
    edit_article(story, "test", body="New text.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    page.goto("/en/news/")
    axe(page, "the news list")
    page.goto("/en/news/tag/facial-recognition/")
    axe(page, "the news of a tag")
    page.goto("/en/news/parliament-vote/")
    axe(page, "an article")
    page.goto("/de/news/parlament-abstimmung/")
    axe(page, "a lagging translation")


@pytest.mark.browser
@pytest.mark.no_javascript
@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_the_pages_fit_a_phone_without_javascript(page, traffic, story, write_article, tag):
    write_article(
        "long",
        language="de",
        title=LONG,
        summary=LONG,
        body=f"# {LONG}\n\n```\n{LONG} {LONG}\n```\n\nhttps://example.org/{LONG}",
        tags=[tag],
    )
    page.goto("/de/news/")
    assert page.evaluate(OVERFLOW) == 0
    page.click("text=Gesichtserkennung")
    page.wait_for_url("**/de/news/tag/facial-recognition/")
    page.click(f"text={LONG}")
    page.wait_for_url("**/de/news/long/")
    page.wait_for_load_state("load")
    assert page.evaluate(OVERFLOW) == 0
    page.goto("/de/news/parlament-abstimmung/")
    assert page.evaluate(OVERFLOW) == 0
    page.click(".versions a[hreflang=fr]")
    page.wait_for_url("**/fr/news/vote-du-parlement/")
    traffic.assert_same_origin()
    assert not traffic.failed_assets
