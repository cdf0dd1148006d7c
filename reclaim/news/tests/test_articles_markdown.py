"""Staff's Markdown on the public page: rendered, and nothing hostile survives."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from reclaim.news.tests.fixtures_articles import *  # noqa: F403

pytestmark = pytest.mark.django_db

HOSTILE = """# A heading

<script>alert("body")</script>

<img src="/en/news/images/1-abc.png" onerror="alert('onerror')">

[click me](javascript:alert('link'))

![tracker](https://tracker.example.com/pixel.gif)

![ours](/en/news/images/1-abc.png)

<a href="https://example.org" onclick="alert('click')">a link</a>

<iframe src="https://example.com"></iframe>
"""


class _Elements(HTMLParser):
    """Every element and attribute of the HTML (escaped text is text, not markup)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]


def _elements(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    return parser


def _body(client) -> str:
    page = client.get("/en/news/hostile/").content.decode()
    return page[page.index('<div class="article-body">') : page.index("</article>")]


def test_no_script_event_handler_or_javascript_link_survives(client, write_article):
    write_article("hostile", body=HOSTILE)
    body = _body(client)
    found = _elements(body)
    assert "script" not in found.tags and "iframe" not in found.tags
    assert not [name for name, _value in found.attributes if name.startswith("on")]
    assert not [value for _name, value in found.attributes if "javascript:" in value.lower()]
    # Raw HTML is shown as text, escaped.
    assert "&lt;script&gt;" in body
    # Headings start at h2: the page's title is the only h1.
    assert "<h2>A heading</h2>" in body


def test_a_foreign_image_is_dropped_and_our_own_kept(client, write_article):
    write_article("hostile", body=HOSTILE)
    body = _body(client)
    assert "tracker.example.com" not in body
    assert '<img src="/en/news/images/1-abc.png" alt="ours">' in body


def test_the_summary_and_title_are_escaped_text(client, write_article):
    write_article("hostile", title="<b>bold</b> title", summary="<script>x()</script>")
    page = client.get("/en/news/hostile/").content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt; title" in page
    assert "<script>x()" not in page
