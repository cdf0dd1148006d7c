"""The public directory and each organisation's page."""

from __future__ import annotations

import contextlib
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from reclaim.coalition.models import CoSignatureLink, Organisation
from reclaim.coalition.services.directory import sort_by_name
from reclaim.coalition.tests.fixtures_directory import *  # noqa: F403

T = Organisation.Tier


def _names(html: str) -> list[str]:
    return re.findall(r'<a href="/\w\w/coalition/[^/"]+/">([^<]+)</a>', html)


def test_only_members_with_an_approved_profile_are_listed(client, make_organisation):
    make_organisation("Listed member")
    make_organisation("Applicant", status=Organisation.Status.APPLICANT)
    make_organisation("Former member", status=Organisation.Status.LEFT)
    make_organisation("Not approved yet", profile_approved_at=None)
    html = client.get("/en/coalition/").content.decode()
    assert _names(html) == ["Listed member"]


def test_tiers_come_lead_partners_then_supporters(client, make_organisation):
    make_organisation("A supporter", tier=T.SUPPORTER)
    make_organisation("A partner", tier=T.PARTNER)
    make_organisation("Z lead", tier=T.LEAD)
    html = client.get("/en/coalition/").content.decode()
    assert _names(html) == ["Z lead", "A partner", "A supporter"]
    assert (
        html.index("Lead organisation") < html.index("Campaign partner") < html.index("Supporter")
    )


def test_names_sort_as_people_read_them_not_by_code_point():
    names = [
        "Homo Digitalis",
        "epicenter.works",
        "Zebra",
        "EDRi",
        "Österreich digital",
        "Digitalcourage",
        "Électronique libre",
        "access now",
        "Panoptykon",
    ]
    assert sort_by_name(names, name=str) == [
        "access now",
        "Digitalcourage",
        "EDRi",
        "Électronique libre",
        "epicenter.works",
        "Homo Digitalis",
        "Österreich digital",
        "Panoptykon",
        "Zebra",
    ]


def test_the_directory_page_is_in_collation_order(client, make_organisation):
    for name in ["Homo Digitalis", "epicenter.works", "EDRi", "Digitalcourage", "Österreich"]:
        make_organisation(name)
    html = client.get("/de/coalition/").content.decode()
    assert _names(html) == [
        "Digitalcourage",
        "EDRi",
        "epicenter.works",
        "Homo Digitalis",
        "Österreich",
    ]


def test_it_filters_by_country_and_by_international(client, make_organisation):
    make_organisation("Austrian", country="AT")
    make_organisation("Worldwide", country="")
    make_organisation("German", country="DE")
    assert _names(client.get("/en/coalition/?country=AT").content.decode()) == ["Austrian"]
    assert _names(client.get("/en/coalition/?country=international").content.decode()) == [
        "Worldwide"
    ]


def test_it_filters_by_kind(client, make_organisation):
    make_organisation("Union", kind=Organisation.Kind.UNION)
    make_organisation("Group")
    assert _names(client.get("/en/coalition/?kind=union").content.decode()) == ["Union"]


@pytest.mark.parametrize(
    "query",
    ["country=XX", "country=%00", "kind=spaceship", "kind[]=x", "page-lead=-1", "page-lead=abc"],
)
def test_unknown_filter_values_are_ignored_with_a_clear_message(client, make_organisation, query):
    make_organisation("Still here", tier=T.LEAD)
    response = client.get(f"/en/coalition/?{query}")
    assert response.status_code == 200
    assert _names(response.content.decode()) == ["Still here"]
    if query.startswith(("country=", "kind=")):
        assert "not understood" in response.content.decode()


def test_it_searches_names_and_descriptions_in_the_visitors_language(client, make_organisation):
    make_organisation("Alpha", descriptions={"en": "Fights facial recognition", "de": "Kameras"})
    make_organisation("Beta", descriptions={"en": "Cameras in cities"})
    assert _names(client.get("/en/coalition/?q=cameras").content.decode()) == ["Beta"]
    assert _names(client.get("/de/coalition/?q=kameras").content.decode()) == ["Alpha"]
    assert _names(client.get("/en/coalition/?q=ALPHA").content.decode()) == ["Alpha"]
    assert _names(client.get("/en/coalition/?q=kameras").content.decode()) == []


def test_search_ignores_accents_and_case(client, make_organisation):
    make_organisation("Österreich digital")
    assert _names(client.get("/en/coalition/?q=osterreich").content.decode()) == [
        "Österreich digital"
    ]


@pytest.mark.parametrize(
    "query", ["' OR 1=1 --", "<script>alert(1)</script>", "%", "_", '"; DROP TABLE x; --', "\\"]
)
def test_search_with_sql_and_html_characters_finds_nothing_and_escapes(
    client, make_organisation, query
):
    make_organisation("Harmless")
    response = client.get("/en/coalition/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert _names(html) == []
    assert "<script>alert(1)</script>" not in html


def test_an_overlong_search_is_refused_with_a_message(client, make_organisation):
    make_organisation("Kept")
    response = client.get("/en/coalition/", {"q": "x" * 500})
    assert response.status_code == 200
    assert "not understood" in response.content.decode()
    assert _names(response.content.decode()) == ["Kept"]


def test_the_filter_form_is_a_get_form_with_labels(client, make_organisation):
    make_organisation("One")
    html = client.get("/en/coalition/").content.decode()
    assert 'method="get"' in html
    for field in ("q", "country", "kind"):
        assert f'<label for="id_{field}"' in html


def test_each_tier_shows_100_a_page_with_a_link_to_the_next(client, make_organisation):
    for n in range(150):
        make_organisation(f"Supporter {n:03}", tier=T.SUPPORTER)
    make_organisation("Lead", tier=T.LEAD)
    first = client.get("/en/coalition/").content.decode()
    assert len(_names(first)) == 101
    assert "page-supporter=2" in first
    second = client.get("/en/coalition/?page-supporter=2").content.decode()
    assert _names(second)[0] == "Lead"
    assert len(_names(second)) == 51
    assert "Supporter 149" in second


def test_a_thousand_organisations_render_with_a_bounded_number_of_queries(
    client, make_organisation, django_assert_max_num_queries, settings
):
    settings.RECLAIM = {**settings.RECLAIM, "PROCESS_CACHE_SECONDS": 0}
    tiers = [T.LEAD, T.PARTNER, T.SUPPORTER]
    organisations = [
        Organisation(
            name=f"Organisation {n}",
            slug=f"organisation-{n}",
            country=["DE", "FR", "AT", ""][n % 4],
            tier=tiers[0 if n < 30 else 1 if n < 300 else 2],
            status=Organisation.Status.MEMBER,
            profile_approved_at=timezone.now(),
            logo_version="abc" if n % 2 else "",
        )
        for n in range(1000)
    ]
    Organisation.objects.bulk_create(organisations)
    from reclaim.coalition.services.directory import forget_directory

    forget_directory()
    # Two reads (organisations, their descriptions in the language) whatever the count.
    with django_assert_max_num_queries(3):
        response = client.get("/en/coalition/")
    assert response.status_code == 200
    assert len(_names(response.content.decode())) == 30 + 100 + 100
    with django_assert_max_num_queries(3):
        client.get("/en/coalition/?q=organisation+5&country=DE")


def test_the_sorted_list_is_kept_and_forgotten_when_an_organisation_changes(
    client, make_organisation, django_assert_max_num_queries
):
    organisation = make_organisation("Before")
    client.get("/en/coalition/")
    with django_assert_max_num_queries(0):
        client.get("/en/coalition/")
    organisation.name = "After"
    organisation.save()
    assert _names(client.get("/en/coalition/").content.decode()) == ["After"]


def test_the_header_links_to_the_coalition(client, db):
    html = client.get("/en/coalition/").content.decode()
    assert '<a href="/en/coalition/" aria-current="page">Coalition</a>' in html


# --- One organisation's page ---------------------------------------------------------


def test_the_page_shows_what_the_directory_knows(client, listed):
    html = client.get(f"/en/coalition/{listed.slug}/").content.decode()
    assert "<h1>epicenter.works</h1>" in html
    assert "Austria" in html
    assert "Lead organisation" in html
    assert "Digital-rights group" in html
    assert "Defends fundamental rights online." in html
    assert 'href="https://epicenter.works/" rel="noopener' in html
    assert "March 14, 2021" in html or "14 March 2021" in html


def test_the_joined_date_is_written_in_the_visitors_language(client, listed):
    assert "14. März 2021" in client.get(f"/de/coalition/{listed.slug}/").content.decode()
    assert "14 mars 2021" in client.get(f"/fr/coalition/{listed.slug}/").content.decode()


def test_a_missing_description_falls_back_and_says_which_language(client, listed):
    html = client.get(f"/fr/coalition/{listed.slug}/").content.decode()
    assert "Defends fundamental rights online." in html
    assert 'lang="en"' in html
    assert "anglais" in html.lower() or "English" in html


def test_an_international_organisation_says_so(client, make_organisation):
    worldwide = make_organisation("Worldwide", country="")
    assert "International" in client.get(f"/en/coalition/{worldwide.slug}/").content.decode()


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Organisation.Status.APPLICANT},
        {"status": Organisation.Status.LEFT},
        {"profile_approved_at": None},
    ],
)
def test_an_unlisted_organisation_has_no_page(client, make_organisation, fields):
    hidden = make_organisation("Hidden", **fields)
    assert client.get(f"/en/coalition/{hidden.slug}/").status_code == 404


def test_an_unknown_address_is_a_404(client, db):
    assert client.get("/en/coalition/no-such-organisation/").status_code == 404
    assert client.get("/en/coalition/%3Cscript%3E/").status_code == 404


def test_it_lists_the_letters_it_co_signed_once_confirmed_and_valid(
    client, listed, org_signature, letter
):
    valid = org_signature("epicenter.works")
    CoSignatureLink.objects.create(signature=valid, organisation=listed)
    html = client.get(f"/en/coalition/{listed.slug}/").content.decode()
    assert letter.title in html
    assert f'href="{letter.get_absolute_url()}"' in html


@pytest.mark.parametrize("fields", [{"confirmed_at": None}, {"invalidated_at": timezone.now()}])
def test_an_unconfirmed_or_invalidated_co_signature_is_not_shown(
    client, listed, org_signature, letter, fields
):
    signature = org_signature("epicenter.works", **fields)
    CoSignatureLink.objects.create(signature=signature, organisation=listed)
    assert letter.title not in client.get(f"/en/coalition/{listed.slug}/").content.decode()


def test_it_lists_the_campaigns_it_is_part_of(client, listed, petition, initiative):
    listed.petitions.add(petition)
    listed.initiatives.add(initiative)
    html = client.get(f"/en/coalition/{listed.slug}/").content.decode()
    assert f'href="{petition.get_absolute_url()}"' in html
    assert f'href="{reverse("eci:detail", args=[initiative.slug])}"' in html


def test_the_other_parts_of_the_coalition_keep_their_addresses():
    from django.urls import Resolver404, resolve

    for path in ("/en/coalition/join/", "/en/coalition/partner/", "/en/coalition/widgets/"):
        # A part not built yet may not resolve at all: the directory must not take it.
        with contextlib.suppress(Resolver404):
            assert resolve(path).url_name != "organisation"


def test_the_organisation_page_uses_few_queries(
    client, listed, org_signature, django_assert_max_num_queries
):
    for n in range(5):
        signature = org_signature(f"S{n}")
        CoSignatureLink.objects.create(signature=signature, organisation=listed)
    with django_assert_max_num_queries(6):
        assert client.get(f"/en/coalition/{listed.slug}/").status_code == 200


def test_joined_date_is_optional(client, make_organisation):
    organisation = make_organisation("Undated", joined_on=None)
    assert client.get(f"/en/coalition/{organisation.slug}/").status_code == 200
    assert date.today()  # the page does not invent one
