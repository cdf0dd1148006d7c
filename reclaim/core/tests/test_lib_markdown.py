"""Staff Markdown becomes safe HTML (reclaim.lib.markdown)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from reclaim.lib.markdown import plain_text, render


class Elements(HTMLParser):
    """Every element the browser would build, with its attributes."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def test_it_renders_commonmark_with_headings_under_the_page_title() -> None:
    html = render("# Victory\n\nThe **Parliament** voted.\n\n- one\n- two")
    assert "<h2>Victory</h2>" in html
    assert "<strong>Parliament</strong>" in html
    assert "<li>one</li>" in html


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src="/x.png" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="#" onclick="alert(1)">x</a>',
        "<iframe src='https://evil.example'></iframe>",
        "<style>body{display:none}</style>",
        '<svg onload="alert(1)"></svg>',
    ],
)
def test_no_script_or_event_handler_survives(hostile: str) -> None:
    html = render(f"Text before.\n\n{hostile}\n\nText after.")
    for tag, attrs in Elements(html).found:
        assert tag not in {"script", "iframe", "style", "svg", "object", "embed"}
        assert not [name for name in attrs if name.startswith("on")]
        assert "javascript:" not in (attrs.get("href") or "").lower()
    assert "Text after." in html


def test_images_load_from_our_origin_only() -> None:
    html = render("![Cameras](/en/news/images/1-ab.png)\n\n![Tracker](https://evil.example/p.gif)")
    assert 'src="/en/news/images/1-ab.png"' in html
    assert 'alt="Cameras"' in html
    assert "evil.example" not in html


def test_links_keep_their_address_and_open_safely() -> None:
    html = render("[EDRi](https://edri.org/)")
    assert 'href="https://edri.org/"' in html
    assert 'rel="noopener noreferrer"' in html


def test_plain_text_drops_raw_tags_only() -> None:
    assert plain_text("**Bold** <b>x</b> & co") == "**Bold** x & co"
