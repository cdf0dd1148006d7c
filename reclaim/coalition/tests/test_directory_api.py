"""The directory in the public API: exactly the listed organisations, public fields only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from reclaim.coalition.models import Application, Description, Organisation, Partner, Principles

pytestmark = pytest.mark.django_db


def _org(name: str, slug: str, **fields: Any) -> Organisation:
    values: dict[str, Any] = {
        "status": Organisation.Status.MEMBER,
        "profile_approved_at": timezone.now(),
        "country": "DE",
    }
    values.update(fields)
    return Organisation.objects.create(name=name, slug=slug, **values)


@pytest.fixture
def directory(django_user_model: Any) -> dict[str, Organisation]:
    listed = _org("Digitalcourage", "digitalcourage", kind=Organisation.Kind.DIGITAL_RIGHTS)
    Description.objects.create(organisation=listed, language="de", text="Grundrechte.")
    international = _org("Access Now", "access-now", country="", tier="lead")
    unapproved = _org("Not approved yet", "not-approved", profile_approved_at=None)
    left = _org("Gone", "gone", status=Organisation.Status.LEFT)
    applicant = _org("Applying", "applying", status=Organisation.Status.APPLICANT)
    user = django_user_model.objects.create_user("partner@example.org", "partner@example.org")
    Partner.objects.create(user=user, organisation=listed)
    Application.objects.create(
        name="Applying",
        description="x",
        motivation="x",
        contact_name="Secret Contact",
        contact_email="secret.contact@example.org",
        language="en",
        principles=Principles.objects.create(version=1, text="Principles."),
        organisation=applicant,
    )
    return {
        "listed": listed,
        "international": international,
        "unapproved": unapproved,
        "left": left,
        "applicant": applicant,
    }


def test_the_list_holds_the_listed_organisations_only(
    client: Client, directory: dict[str, Organisation]
) -> None:
    response = client.get("/api/v1/organisations")
    assert response.status_code == 200
    body = response.json()
    assert [item["slug"] for item in body["items"]] == ["access-now", "digitalcourage"]
    assert body["count"] == 2
    first = body["items"][1]
    assert first["descriptions"] == {"de": "Grundrechte."}
    assert first["kind"] == "digital_rights"
    assert first["url"].endswith("/coalition/digitalcourage/")
    assert body["items"][0]["country"] == ""


def test_it_filters_by_country_tier_and_kind(
    client: Client, directory: dict[str, Organisation]
) -> None:
    def slugs(query: str) -> list[str]:
        response = client.get(f"/api/v1/organisations?{query}")
        assert response.status_code == 200, response.content
        return [item["slug"] for item in response.json()["items"]]

    assert slugs("country=international") == ["access-now"]
    assert slugs("country=de") == ["digitalcourage"]
    assert slugs("tier=lead") == ["access-now"]
    assert slugs("kind=digital_rights") == ["digitalcourage"]
    assert client.get("/api/v1/organisations?tier=boss").status_code == 400


@pytest.mark.parametrize("slug", ["not-approved", "gone", "applying", "nobody"])
def test_an_organisation_the_directory_does_not_list_is_not_found(
    client: Client, directory: dict[str, Organisation], slug: str
) -> None:
    response = client.get(f"/api/v1/organisations/{slug}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_no_answer_carries_partners_or_applicants_personal_data(
    client: Client, directory: dict[str, Organisation]
) -> None:
    answers = [
        client.get("/api/v1/organisations").content,
        client.get("/api/v1/organisations/digitalcourage").content,
        client.get("/api/v1/openapi.json").content,
    ]
    for content in answers:
        assert b"partner@example.org" not in content
        assert b"secret.contact" not in content
        assert b"Secret Contact" not in content
        assert b"widget" not in content.lower()
