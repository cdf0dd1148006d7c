"""Paper forms: one printable PDF per member state, read back and checked column by column."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from reclaim.eci import rules
from reclaim.eci.models import Initiative
from reclaim.eci.paperforms import build_form_pdf

pytestmark = pytest.mark.django_db

TITLE = "Ban biometric mass surveillance"
CERTIFICATION = (
    "I hereby certify that the information I have provided in this form is correct and that "
    "I have not already supported this proposed citizens' initiative."
)


@pytest.fixture
def initiative() -> Initiative:
    return Initiative.objects.create(
        slug="reclaim",
        registration_number="ECI(2021)000001",
        registered_on=date(2021, 1, 7),
        title=TITLE,
        objectives="We ask the Commission to ban indiscriminate biometric surveillance.",
        register_url="https://citizens-initiative.europa.eu/initiatives/details/2021/000001_en",
        signing_url="https://eci.ec.europa.eu/017/public/",
    )


def pdf_text(content: bytes) -> str:
    """The PDF's text with every run of whitespace made one space, as wrapping varies."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def fetch(client, path: str):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response


@pytest.mark.parametrize("iso", rules.load().codes())
def test_each_member_state_gets_a_form_with_its_own_columns(client, initiative, iso):
    country = rules.load().country(iso)
    response = fetch(client, f"/en/eci/reclaim/forms/{iso}.pdf")
    text = pdf_text(response.content)
    lowered = text.lower()

    assert "ECI(2021)000001" in text
    assert TITLE in text
    assert country.name in text
    assert f"at least {country.min_age} years old" in text
    assert CERTIFICATION in text
    assert "Privacy statement for paper collection" in text
    assert "1 month after the initiative is submitted to the Commission" in text
    assert "21 months after the collection started" in text
    assert "data protection authority" in text
    assert "Full first names" in text
    assert "Family names" in text
    assert "Date and signature" in text
    if country.data_part == "A":
        assert "PART A" in text
        assert "Residence (street, number, postal code, city, country)" in text
        assert "Date of birth" in text
        assert "identification number" not in lowered
        assert "document number" not in lowered
    else:
        assert "PART B" in text
        assert "Personal identification number or document number" in text
        for document in country.id_documents:
            assert " ".join(document.split()) in text
        assert "date of birth" not in lowered
        assert "residence" not in lowered
    assert f'filename="ECI-2021-000001-{iso}-en.pdf"' in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("inline;")


def test_the_pdf_says_what_it_is_and_in_which_language(client, initiative):
    response = fetch(client, "/de/eci/reclaim/forms/AT.pdf")
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata is not None
    assert "ECI(2021)000001" in (reader.metadata.title or "")
    assert re.search(rb"/Lang\s*\(de\)", response.content)


def test_a_german_form_has_german_headings(client, initiative):
    response = fetch(client, "/de/eci/reclaim/forms/DE.pdf")
    text = pdf_text(response.content)
    assert "Deutschland" in text
    assert "Vollständige Vornamen" in text
    assert "Familiennamen" in text
    assert "Datum und Unterschrift" in text
    assert "Datenschutzerklärung" in text
    assert "Full first names" not in text
    assert 'filename="ECI-2021-000001-DE-de.pdf"' in response["Content-Disposition"]


@pytest.mark.parametrize("code", ["EL", "GR", "el", "gr"])
def test_greece_answers_to_its_eu_code_and_its_iso_code(client, initiative, code):
    response = fetch(client, f"/en/eci/reclaim/forms/{code}.pdf")
    assert "Greece" in pdf_text(response.content)
    assert 'filename="ECI-2021-000001-GR-en.pdf"' in response["Content-Disposition"]


@pytest.mark.parametrize("code", ["XX", "UK", "CH", "EU", "DEU", "1"])
def test_an_unknown_country_code_is_not_found(client, initiative, code):
    assert client.get(f"/en/eci/reclaim/forms/{code}.pdf").status_code == 404


def test_an_unknown_initiative_has_no_forms(client, initiative):
    assert client.get("/en/eci/nothing/forms/DE.pdf").status_code == 404
    assert client.get("/en/eci/nothing/forms/").status_code == 404


@pytest.mark.parametrize("rows", ["abc", "999", "0", "-3", "", "1.5", "1e3"])
def test_bad_row_counts_still_give_the_default_form(client, initiative, rows):
    response = fetch(client, f"/en/eci/reclaim/forms/DE.pdf?rows={rows}")
    text = pdf_text(response.content)
    assert re.search(r"\b10\b", text)
    assert not re.search(r"\b11\b", text)


@pytest.mark.parametrize("rows", [1, 5, 30])
def test_a_chosen_number_of_rows_is_numbered_on_the_sheet(client, initiative, rows):
    response = fetch(client, f"/en/eci/reclaim/forms/BE.pdf?rows={rows}")
    text = pdf_text(response.content)
    assert re.search(rf"\b{rows}\b", text)
    assert not re.search(rf"\b{rows + 1}\b", text)
    reader = PdfReader(io.BytesIO(response.content))
    for page in reader.pages:
        page_text = page.extract_text()
        assert "ECI(2021)000001" in page_text
        assert "Full first names" in page_text


def test_the_form_only_answers_get(client, initiative):
    assert client.post("/en/eci/reclaim/forms/DE.pdf").status_code == 405


def test_the_forms_page_links_every_member_state(client, initiative):
    response = client.get("/en/eci/reclaim/forms/")
    assert response.status_code == 200
    body = response.content.decode()
    links = re.findall(r'href="/en/eci/reclaim/forms/([A-Z]{2})\.pdf"', body)
    assert sorted(links) == sorted(rules.load().codes())
    assert len(links) == 27
    assert "Part A: address and date of birth" in body
    assert "Part B: identification or document number" in body
    assert "Who may sign on paper" in body


def test_the_forms_page_in_german_links_german_forms(client, initiative):
    body = client.get("/de/eci/reclaim/forms/").content.decode()
    assert len(re.findall(r'href="/de/eci/reclaim/forms/[A-Z]{2}\.pdf"', body)) == 27
    assert "Österreich" in body


def test_several_sheets_each_carry_the_header_and_the_privacy_statement(initiative):
    content = build_form_pdf(initiative, "EL", "en", rows_per_sheet=4, sheets=3)
    pages = PdfReader(io.BytesIO(content)).pages
    assert len(pages) == 3
    for page in pages:
        text = " ".join(page.extract_text().split())
        assert "ECI(2021)000001" in text
        assert "Greece" in text
        assert CERTIFICATION in text
        assert "Privacy statement for paper collection" in text


GERMAN_TITLE = "Biometrische Massenüberwachung verbieten"
GERMAN_OBJECTIVES = "Wir fordern die Kommission auf, biometrische Massenüberwachung zu verbieten."


@pytest.fixture
def registered(initiative):
    """The initiative with its collection period, representative and a German version."""
    initiative.collection_start = date(2021, 2, 17)
    initiative.collection_end = date(2022, 2, 17)
    initiative.representative_name = "Ella Jakubowska"
    initiative.representative_email = "representative@reclaim.example"
    initiative.translations = {"de": {"title": GERMAN_TITLE, "objectives": GERMAN_OBJECTIVES}}
    initiative.save()
    return initiative


def test_the_header_names_the_collection_period_and_the_representative(client, registered):
    text = pdf_text(fetch(client, "/en/eci/reclaim/forms/DE.pdf").content)
    assert "Collection period" in text
    assert "From Feb. 17, 2021 to Feb. 17, 2022" in text
    assert "Ella Jakubowska, representative@reclaim.example" in text
    assert TITLE in text
    assert "No version in this language was registered" not in text


def test_a_german_form_carries_the_title_and_objectives_registered_in_german(client, registered):
    response = fetch(client, "/de/eci/reclaim/forms/DE.pdf")
    text = pdf_text(response.content)
    assert GERMAN_TITLE in text
    assert GERMAN_OBJECTIVES in text
    assert TITLE not in text
    assert "representative@reclaim.example" in text
    assert PdfReader(io.BytesIO(response.content)).metadata.subject == GERMAN_TITLE


def test_a_form_in_a_language_without_a_registered_version_falls_back_with_a_note(
    client, registered
):
    text = pdf_text(fetch(client, "/fr/eci/reclaim/forms/FR.pdf").content)
    assert TITLE in text
    assert GERMAN_TITLE not in text
    # The note is in French once the catalogue has it; the language's name is Django's
    # own, already in French.
    assert "Anglais" in text


def test_without_a_period_or_representative_the_header_points_to_the_register(client, initiative):
    text = pdf_text(fetch(client, "/en/eci/reclaim/forms/BE.pdf").content)
    assert "Not fixed yet: see the Commission's register." in text
    assert "See the Commission's register." in text
