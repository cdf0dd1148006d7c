"""The public ECI pages through HTTP: checker, dashboard, embed. No cookie, no third party."""

from __future__ import annotations

import re

import pytest

from reclaim.eci import rules

pytestmark = pytest.mark.django_db
EXTERNAL_ASSET = re.compile(
    r"""(?:src|href)\s*=\s*["'](?:https?:)?//(?!testserver)[^"']*\.(?:js|css|woff2?|png|svg|jpg)"""
)


@pytest.mark.parametrize("country", rules.load().countries, ids=lambda c: c.iso)
def test_the_checker_is_right_for_every_member_state(client, initiative, country):
    ok = client.get(
        "/en/eci/ban-biometric/check/", {"nationality": country.iso, "age": country.min_age}
    )
    body = ok.content.decode()
    assert ok.status_code == 200
    assert "You can support this initiative" in body
    assert f"Your support counts for {country.name}" in body
    if country.data_part == "A":
        assert "your date of birth" in body
        assert "the number of one of these documents" not in body
    else:
        assert "the number of one of these documents" in body
        for document in country.id_documents:
            assert document.split(" (")[0].split(" / ")[0] in body.replace("&#x27;", "'")
    assert "https://eci.ec.europa.eu/050/public/?lg=en" in body
    young = client.get(
        "/en/eci/ban-biometric/check/", {"nationality": country.iso, "age": country.min_age - 1}
    )
    assert "You cannot support this initiative" in young.content.decode()
    assert f"from the age of {country.min_age}" in young.content.decode()
    assert "signing page" not in young.content.decode()


def test_the_checker_links_to_the_signing_page_in_the_visitors_language(client, initiative):
    body = client.get("/de/eci/ban-biometric/check/", {"nationality": "AT", "age": "16"})
    assert "https://eci.ec.europa.eu/050/public/?lg=de" in body.content.decode()


def test_the_checker_takes_a_date_of_birth(client, initiative):
    body = client.get(
        "/en/eci/ban-biometric/check/", {"nationality": "GR", "birth_date": "2000-01-01"}
    ).content.decode()
    assert "You can support this initiative" in body


def test_a_non_eu_citizen_is_told_why_not(client, initiative):
    body = client.get("/en/eci/ban-biometric/check/", {"nationality": "other", "age": "30"})
    assert "Only citizens of a member state" in body.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"nationality": "DE"},
        {"nationality": "XX", "age": "20"},
        {"nationality": "DE", "age": "-1"},
        {"nationality": "DE", "age": "abc"},
        {"nationality": "DE", "birth_date": "2999-01-01"},
        {"nationality": "DE", "birth_date": "not a date"},
        {"age": "20"},
    ],
)
def test_bad_checker_input_gets_a_clear_error(client, initiative, query):
    response = client.get("/en/eci/ban-biometric/check/", query)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_the_checker_stores_nothing_and_sets_no_cookie(
    client, initiative, django_assert_max_num_queries
):
    from reclaim.audit.models import AuditEntry

    with django_assert_max_num_queries(2):
        response = client.get("/en/eci/ban-biometric/check/", {"nationality": "DE", "age": "30"})
    assert not response.cookies
    assert not AuditEntry.objects.exclude(action__startswith="role.").exists()


def test_the_dashboard_lists_all_27_states_with_their_thresholds(client, initiative):
    body = client.get("/en/eci/ban-biometric/dashboard/").content.decode()
    thresholds = initiative.thresholds()
    for country in rules.load().countries:
        assert f'<th scope="row">{country.name}</th>' in body
        assert f"{thresholds[country.iso]:,}" in body
    assert body.count('class="tile ') == 27
    assert "0 of the 7 needed" in body
    assert not EXTERNAL_ASSET.search(body)


def test_the_embed_may_be_framed_and_the_dashboard_may_not(client, initiative):
    embed = client.get("/en/eci/ban-biometric/embed/?partner=edri")
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed.headers
    assert not embed.cookies
    page = client.get("/en/eci/ban-biometric/dashboard/")
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert page["X-Frame-Options"] == "DENY"


def test_the_embed_speaks_the_visitors_language(client, initiative):
    response = client.get("/eci/ban-biometric/embed/", headers={"accept-language": "fr"})
    assert response.status_code == 302
    assert response["Location"].startswith("/fr/eci/ban-biometric/embed/")


def test_an_unknown_initiative_is_404(client):
    assert client.get("/en/eci/nothing-here/dashboard/").status_code == 404


def test_member_states_are_named_in_the_visitors_language(client, initiative):
    check = client.get("/de/eci/ban-biometric/check/", {"nationality": "DE", "age": "30"})
    assert "Deutschland" in check.content.decode()
    board = client.get("/fr/eci/ban-biometric/dashboard/").content.decode()
    assert '<th scope="row">Allemagne</th>' in board


def test_the_checker_links_to_the_signing_page_in_french_without_a_french_address(
    client, initiative
):
    body = client.get("/fr/eci/ban-biometric/check/", {"nationality": "BE", "age": "16"})
    assert "https://eci.ec.europa.eu/050/public/?lg=fr" in body.content.decode()


def test_the_checker_offers_the_signing_page_in_all_24_official_languages(client, initiative):
    body = client.get(
        "/en/eci/ban-biometric/check/", {"nationality": "MT", "age": "16"}
    ).content.decode()
    for language in rules.load().languages:
        assert f"https://eci.ec.europa.eu/050/public/?lg={language.code}" in body
    assert len(rules.load().languages) == 24
    assert 'hreflang="mt" lang="mt" rel="noopener">Malti</a>' in body
    # An address given for a language wins over the default one.
    assert "https://eci.ec.europa.eu/050/public/?lg=de" in body


def test_a_closed_initiative_does_not_say_you_can_support_it(client, rfy_initiative):
    body = client.get(
        "/en/eci/reclaim-your-face/check/", {"nationality": "DE", "age": "30"}
    ).content.decode()
    assert "You can support this initiative" not in body
    assert "Collection is closed" in body
    assert "stopped collecting statements of support on Aug. 1, 2022" in body
    assert "signing page" not in body
    detail = client.get("/en/eci/reclaim-your-face/").content.decode()
    assert "It can no longer be supported" in detail
    assert 'action="/en/eci/reclaim-your-face/check/"' not in detail


def test_a_closed_initiative_offers_no_paper_forms(client, rfy_initiative):
    page = client.get("/en/eci/reclaim-your-face/forms/").content.decode()
    assert "Paper forms are no longer offered" in page
    assert ".pdf" not in page
    assert "signing page" not in page
    assert client.get("/en/eci/reclaim-your-face/forms/DE.pdf").status_code == 404
    for path in ("", "dashboard/", "calendar/", "sponsors/"):
        body = client.get(f"/en/eci/reclaim-your-face/{path}").content.decode()
        assert "/en/eci/reclaim-your-face/forms/" not in body, path


def test_a_collecting_initiative_links_its_paper_forms(client, initiative):
    body = client.get("/en/eci/ban-biometric/dashboard/").content.decode()
    assert "/en/eci/ban-biometric/forms/" in body
