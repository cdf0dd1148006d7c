"""The front page and the navigation: what the campaign is, what it asks, every public
section reachable from the header, and the organisers' pages from the staff area."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from reclaim.core.services import save_front_page
from reclaim.eci.models import Initiative
from reclaim.letters.models import Petition

pytestmark = pytest.mark.django_db


def _text(response: object) -> str:
    return re.sub(r"\s+", " ", response.content.decode())  # type: ignore[attr-defined]


def test_the_front_page_says_what_the_organisers_wrote_in_the_visitor_s_language(
    client: Client,
) -> None:
    save_front_page(
        "en",
        title="Reclaim your face",
        lead="Ban biometric mass surveillance.",
        body="First paragraph.\n\nSecond paragraph.",
        action_label="Sign the petition",
        action_url="/en/p/ban/",
    )
    save_front_page("de", title="Gesicht zeigen", lead="Verbot der Massenüberwachung.")

    english = _text(client.get("/en/"))
    assert '<h1 id="intro-title">Reclaim your face</h1>' in english
    assert "<p>Second paragraph.</p>" in english
    assert '<a class="button" href="/en/p/ban/">Sign the petition</a>' in english

    german = _text(client.get("/de/"))
    assert "Gesicht zeigen" in german and "Reclaim your face" not in german


def test_a_language_without_its_own_words_shows_the_default_one_marked_as_such(
    client: Client,
) -> None:
    save_front_page("en", title="Reclaim your face", lead="Ban it.")
    french = _text(client.get("/fr/"))
    assert 'class="intro" lang="en"' in french
    assert "Reclaim your face" in french


def test_without_any_words_the_front_page_still_welcomes(client: Client) -> None:
    response = client.get("/en/")
    assert response.status_code == 200
    assert "Welcome" in _text(response)


def test_the_front_page_invites_to_sign_what_is_open_and_to_the_initiative(
    client: Client, petition: Petition, letter: Petition, initiative: Initiative
) -> None:
    Petition.objects.create(
        slug="old",
        title="A closed petition",
        text="Done.",
        status=Petition.Status.CLOSED,
        opens_at=timezone.now() - timedelta(days=90),
        closes_at=timezone.now() - timedelta(days=30),
    )
    page = _text(client.get("/en/"))

    assert f'href="/en/p/{petition.slug}/">Sign the petition</a>' in page
    assert f'href="/en/p/{letter.slug}/">Co-sign the letter</a>' in page
    assert "A closed petition" not in page
    assert initiative.title in page
    assert 'href="/en/eci/ban-biometric/">Can I support it?</a>' in page
    assert "0 of the 7 member states needed over their threshold" in page


def test_every_public_section_is_reachable_from_the_header_and_footer(
    client: Client, petition: Petition, initiative: Initiative
) -> None:
    page = client.get(f"/en/p/{petition.slug}/").content.decode()
    assert '<a class="skip-link" href="#main">Skip to content</a>' in page
    header = page.split("</header>")[0]
    footer = page.split('<footer class="site-footer">')[1]
    links = set(re.findall(r'href="(/en/[^"]*)"', header + footer))
    assert {"/en/", "/en/petitions/", "/en/eci/", "/en/privacy/", "/en/privacy/data/"} <= links
    for link in links:
        assert client.get(link).status_code == 200, link


def test_the_header_marks_the_section_the_visitor_is_in(client: Client, petition: Petition) -> None:
    page = client.get("/en/petitions/").content.decode()
    assert '<a href="/en/petitions/" aria-current="page">Petitions and letters</a>' in page
    assert 'href="/en/eci/" aria-current' not in page


def test_a_reader_of_the_front_page_gets_no_cookie(client: Client, petition: Petition) -> None:
    response = client.get("/en/")
    assert not response.cookies


def test_the_staff_area_lists_the_organisers_pages_by_permission(
    as_user: object, organiser: object, moderator: object, initiative: Initiative
) -> None:
    start = _text(as_user(organiser).get("/en/admin/"))  # type: ignore[operator]
    assert "Campaign tools" in start
    assert 'href="/en/eci/ban-biometric/organise/"' in start
    assert 'href="/en/eci/ban-biometric/organise/figures/"' in start
    assert 'href="/en/moderation/alerts/"' in start
    assert 'href="/en/audit/export.csv"' in start

    moderated = _text(as_user(moderator).get("/en/admin/"))  # type: ignore[operator]
    assert "/organise/" not in moderated
    assert "/moderation/alerts/" not in moderated
