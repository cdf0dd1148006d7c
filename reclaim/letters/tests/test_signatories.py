"""The public list of signatories: one page at a time, at the same cost at any size."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reclaim.letters import views
from reclaim.letters.counting import aggregate_counts
from reclaim.letters.models import Petition, Signature

URL = "/en/p/letter/signatories/"
NEXT = re.compile(r'href="\?after=(\d+)" rel="next"')
PREVIOUS = re.compile(r'href="\?before=(\d+)" rel="prev"')
NAME = re.compile(r"<li>(?:<a [^>]*>)?([^<]+?)(?:</a>)? <span class=\"meta\">")

pytestmark = pytest.mark.django_db


def add(petition: Petition, name: str, **fields: Any) -> Signature:
    """A signature listed publicly under ``name`` unless ``fields`` say otherwise."""
    values: dict[str, Any] = {
        "petition": petition,
        "kind": Signature.Kind.INDIVIDUAL,
        "country": "FR",
        "language": "en",
        "listed": True,
        "public_name": name,
        "confirmed_at": timezone.now(),
    }
    values.update(fields)
    return Signature.objects.create(**values)


def people(html: str) -> list[str]:
    return NAME.findall(html.split('id="people"', 1)[1])


def organisations(html: str) -> list[str]:
    if 'id="orgs"' not in html:
        return []
    return NAME.findall(html.split('id="orgs"', 1)[1].split('id="people"', 1)[0])


@pytest.fixture
def two_per_page(settings: Any) -> None:
    settings.RECLAIM = {**settings.RECLAIM, "SIGNATORIES_PER_PAGE": 2}


@pytest.fixture
def crowd(letter: Petition) -> list[str]:
    """Seven listed people in signing order (three share one instant: the id breaks the
    tie), among everyone who must never be listed."""
    start = timezone.now() - timedelta(hours=1)
    same = start + timedelta(minutes=30)
    # Stored first, signed last: the list follows signing time, not the id.
    add(letter, "Last One", created_at=start + timedelta(minutes=50))
    order = []
    for n, at in enumerate([start, start + timedelta(minutes=1), same, same, same]):
        add(letter, f"Person {n}", created_at=at)
        order.append(f"Person {n}")
    # Stored last, signed first.
    add(letter, "Early Bird", created_at=start - timedelta(minutes=5))

    now = timezone.now()
    at = {"created_at": start + timedelta(minutes=10)}
    add(letter, "Unlisted", listed=False, **at)
    add(letter, "Unconfirmed", confirmed_at=None, **at)
    add(letter, "Invalidated", invalidated_at=now, **at)
    add(letter, "Hidden", hidden_at=now, **at)
    add(letter, "", **at)  # listed without a name
    org = {"kind": Signature.Kind.ORGANISATION, "country": "BE"}
    add(letter, "Approved Org", review=Signature.Review.APPROVED, **org)
    add(letter, "Another Org", review=Signature.Review.APPROVED, **org)
    add(letter, "Pending Org", review=Signature.Review.PENDING, **org)
    add(letter, "Rejected Org", review=Signature.Review.REJECTED, **org)
    add(letter, "Hidden Org", review=Signature.Review.APPROVED, hidden_at=now, **org)
    # Another petition's signer never shows here.
    other = Petition.objects.create(
        slug="other", title="Other", text="x", status=Petition.Status.OPEN, closes_at=now
    )
    add(other, "Someone Else", **at)
    return ["Early Bird", *order, "Last One"]


NEVER = ["Unlisted", "Unconfirmed", "Invalidated", "Hidden", "Pending Org", "Rejected Org"]


def walk(client: Any, start: str = URL) -> list[str]:
    """Follow the Next links from ``start`` to the end; the pages' names in order."""
    html = client.get(start).content.decode()
    pages = [html]
    while match := NEXT.search(html):
        response = client.get(f"{URL}?after={match.group(1)}")
        assert response.status_code == 200
        html = response.content.decode()
        pages.append(html)
        assert len(pages) < 20, "the Next links go round in circles"
    return pages


def test_the_next_links_walk_every_listed_person_once_in_signing_order(
    client, letter, crowd, two_per_page
):
    pages = walk(client)
    assert [people(page) for page in pages] == [crowd[i : i + 2] for i in range(0, 7, 2)]
    for page in pages:
        for name in [*NEVER, "Hidden Org", "Someone Else"]:
            assert name not in page
    # Organisations are on the first page only, by name.
    assert organisations(pages[0]) == ["Another Org", "Approved Org"]
    assert all(organisations(page) == [] for page in pages[1:])
    assert PREVIOUS.search(pages[0]) is None
    assert NEXT.search(pages[-1]) is None


def test_the_previous_links_walk_back_to_the_first_page(client, letter, crowd, two_per_page):
    pages = walk(client)
    html = pages[-1]
    back = []
    while match := PREVIOUS.search(html):
        response = client.get(f"{URL}?before={match.group(1)}")
        assert response.status_code == 200
        html = response.content.decode()
        back.append(people(html))
        assert len(back) < 20
    assert back == [people(page) for page in reversed(pages[:-1])]
    # Back at the start it is the first page again, organisations included.
    assert organisations(html) == ["Another Org", "Approved Org"]


def test_a_signer_hidden_or_invalidated_later_leaves_the_list(client, letter, crowd):
    assert "Person 2" in client.get(URL).content.decode()
    Signature.objects.filter(public_name="Person 2").update(hidden_at=timezone.now())
    Signature.objects.filter(public_name="Person 3").update(invalidated_at=timezone.now())
    html = client.get(URL).content.decode()
    assert people(html) == [name for name in crowd if name not in ("Person 2", "Person 3")]


@pytest.mark.parametrize(
    "query",
    [
        "after=abc",
        "after=",
        "after=0",
        "after=-3",
        "after=1e3",
        "after=%201",
        "after=99999999999999999999",
        "after=9223372036854775808",
        "before=x",
        "after=1&before=1",
    ],
)
def test_a_malformed_cursor_is_not_found(client, letter, crowd, query):
    assert client.get(f"{URL}?{query}").status_code == 404


def test_a_cursor_on_anyone_not_on_the_list_is_not_found(client, letter, crowd):
    for name in ["Unlisted", "Unconfirmed", "Invalidated", "Hidden", "Someone Else"]:
        pk = Signature.objects.get(public_name=name).pk
        assert client.get(f"{URL}?after={pk}").status_code == 404
        assert client.get(f"{URL}?before={pk}").status_code == 404
    org = Signature.objects.get(public_name="Approved Org").pk
    assert client.get(f"{URL}?after={org}").status_code == 404
    assert client.get(f"{URL}?after=9223372036854775807").status_code == 404


def test_an_old_page_number_gives_the_first_page(client, letter, crowd, two_per_page):
    response = client.get(f"{URL}?page=3")
    assert response.status_code == 200
    assert people(response.content.decode()) == crowd[:2]


def test_the_totals_are_the_ones_stored_by_the_aggregation(client, letter, crowd):
    letter.refresh_from_db()
    assert (letter.listed_people, letter.listed_organisations) == (0, 0)
    aggregate_counts()
    letter.refresh_from_db()
    assert (letter.listed_people, letter.listed_organisations) == (7, 2)
    html = client.get(URL).content.decode()
    assert "7 people who chose to be listed" in html
    assert "2 organisations" in html

    Signature.objects.filter(public_name="Person 0").update(hidden_at=timezone.now())
    Signature.objects.filter(public_name="Approved Org").update(review="rejected")
    aggregate_counts()
    letter.refresh_from_db()
    assert (letter.listed_people, letter.listed_organisations) == (6, 1)
    other = Petition.objects.get(slug="other")
    assert (other.listed_people, other.listed_organisations) == (1, 0)


def test_a_page_never_counts_or_skips_over_signatures(client, letter, crowd, two_per_page):
    after = Signature.objects.get(public_name="Person 1").pk
    for url in [URL, f"{URL}?after={after}", f"{URL}?before={after}"]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        on_signatures = [q["sql"] for q in queries if "letters_signature" in q["sql"]]
        assert on_signatures, url
        for sql in on_signatures:
            assert "COUNT(" not in sql.upper(), sql
            assert "OFFSET" not in sql.upper(), sql
            assert "LIMIT" in sql.upper(), sql
        # The cursor's row, the page (twice when going back reaches the first page), the
        # organisations: a few queries of at most a page each, whatever the list's size.
        assert len(on_signatures) <= 4, on_signatures


def test_the_organisations_are_capped_on_the_first_page(client, letter, crowd, monkeypatch):
    monkeypatch.setattr(views, "ORGANISATIONS_SHOWN", 1)
    aggregate_counts()
    html = client.get(URL).content.decode()
    assert organisations(html) == ["Another Org"]
    assert "2 organisations" in html
    assert "The first 1 are shown, in alphabetical order." in html


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner has no statistics")
def test_sqlite_reads_a_page_from_the_partial_index(letter):
    """Without ANALYZE, SQLite's planner picks an index by its terms alone: the page must
    come from sig_public_list_idx in order, not from sig_count_idx with a sort of every
    confirmed row of the petition (see PUBLICLY_LISTED in letters/models.py)."""
    listed = Signature.objects.publicly_listed().filter(petition=letter, kind="individual")
    now = timezone.now()
    for qs in [
        listed.order_by("created_at", "pk")[:101],
        listed.filter(created_at__gte=now).order_by("created_at", "pk")[:101],
        listed.filter(created_at__lte=now).order_by("-created_at", "-pk")[:101],
    ]:
        plan = qs.explain()
        assert "sig_public_list_idx" in plan, plan
        assert "TEMP B-TREE" not in plan, plan
