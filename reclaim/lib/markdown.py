"""Markdown written by staff (articles, newsletter issues), rendered to HTML that is safe to
show: markdown-it-py renders CommonMark, then nh3 (the Rust ``ammonia`` sanitiser) keeps only
the tags and attributes below. No script, style, event handler, iframe or ``javascript:``
address survives, whatever the text says, raw HTML included.

Images are allowed only from our own origin (a relative address such as
``/en/news/images/3-ab12.png``): a picture from another site would make every reader's
browser call that site (PRODUCT.md invariant 1).
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "figcaption", "figure", "h2", "h3", "h4",
    "hr", "img", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align"},
    "th": {"align", "scope"},
}
SCHEMES = {"http", "https", "mailto"}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # "commonmark" plus tables and strikethrough; linkify off (no extra dependency), typographer
    # off (quotes stay as written in every language).
    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def _own_origin_images(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        # Relative to our origin only: no scheme, no protocol-relative "//host".
        return value if value.startswith("/") and not value.startswith("//") else None
    return value


def render(text: str) -> str:
    """The text's HTML, sanitised. Headings start at h2: the page's title is the h1."""
    html = _parser().render(text or "")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=_own_origin_images,
        strip_comments=True,
    )


def plain_text(text: str) -> str:
    """The text for a plain-text mail: Markdown is already readable as text; only raw HTML
    tags are removed."""
    return (
        nh3.clean(text or "", tags=set())
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
    )
