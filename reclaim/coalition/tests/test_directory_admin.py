"""Organisers manage organisations in the admin: descriptions, logo, profile approval."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from reclaim.audit.models import AuditEntry
from reclaim.coalition.models import Organisation
from reclaim.coalition.tests.fixtures_directory import *  # noqa: F403
from reclaim.coalition.tests.fixtures_directory import image_bytes, upload

ADD = "/en/admin/coalition/organisation/add/"
LIST = "/en/admin/coalition/organisation/"


def _form(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Homo Digitalis",
        "slug": "homo-digitalis",
        "country": "GR",
        "tier": "lead",
        "kind": "digital_rights",
        "website": "https://homodigitalis.gr/",
        "status": "member",
        "joined_on": "2020-10-01",
        "descriptions-TOTAL_FORMS": "1",
        "descriptions-INITIAL_FORMS": "0",
        "descriptions-MIN_NUM_FORMS": "0",
        "descriptions-MAX_NUM_FORMS": "8",
        "descriptions-0-language": "en",
        "descriptions-0-text": "Digital rights in Greece.",
    }
    data.update(extra)
    return data


def test_an_organiser_adds_an_organisation_with_a_description_and_a_logo(as_user, organiser):
    photo = Image.new("RGB", (900, 300), (1, 2, 3))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (37.0, 58.0, 0.0)}
    out = io.BytesIO()
    photo.save(out, format="JPEG", exif=exif.tobytes())
    response = as_user(organiser).post(
        ADD, _form(new_logo=upload(out.getvalue(), "logo.jpg", "image/jpeg"))
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    organisation = Organisation.objects.get(slug="homo-digitalis")
    assert organisation.descriptions.get().text == "Digital rights in Greece."
    stored = Image.open(io.BytesIO(bytes(organisation.logo)))
    assert stored.format == "PNG"
    assert stored.size == (400, 133)
    assert not stored.getexif()
    assert organisation.logo_type == "image/png"
    assert len(organisation.logo_version) == 12
    # A member, but not listed until the profile is approved.
    assert not organisation.is_listed


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>x</script></svg>", "SVG"),
        ("shell.png", b"<?php echo 1; ?>", "not an image"),
    ],
)
def test_a_bad_logo_shows_an_error_and_saves_nothing(as_user, organiser, name, content, message):
    response = as_user(organiser).post(ADD, _form(new_logo=upload(content, name)))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Organisation.objects.exists()


def test_a_slug_of_another_part_of_the_site_is_refused(as_user, organiser):
    response = as_user(organiser).post(ADD, _form(slug="join"))
    assert response.status_code == 200
    assert "used by another page" in response.content.decode()
    assert not Organisation.objects.exists()


def test_a_new_logo_replaces_the_old_one_and_changes_its_address(
    as_user, organiser, make_organisation
):
    organisation = make_organisation("Homo Digitalis", slug="homo-digitalis")
    client = as_user(organiser)
    change = f"{LIST}{organisation.pk}/change/"
    client.post(change, _form(new_logo=upload(image_bytes(size=(10, 10)))))
    first = Organisation.objects.get(pk=organisation.pk).logo_version
    no_new_text = {"descriptions-TOTAL_FORMS": "0"}
    client.post(change, _form(new_logo=upload(image_bytes(size=(20, 10))), **no_new_text))
    second = Organisation.objects.get(pk=organisation.pk).logo_version
    assert first and second and first != second
    client.post(change, _form(remove_logo="on", **no_new_text))
    assert Organisation.objects.get(pk=organisation.pk).logo_version == ""
    assert AuditEntry.objects.filter(action="coalition.logo_change").count() == 3


def test_approving_profiles_lists_them_and_is_audited(as_user, organiser, make_organisation):
    waiting = make_organisation("Waiting", profile_approved_at=None)
    done = make_organisation("Done")
    response = as_user(organiser).post(
        LIST, {"action": "approve_profiles", "_selected_action": [waiting.pk, done.pk]}
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.is_listed
    entries = AuditEntry.objects.filter(action="coalition.profile_approve")
    assert [e.target for e in entries] == [f"organisation {waiting.slug}"]


def test_the_list_filters_and_searches(as_user, organiser, make_organisation):
    make_organisation("Lead one", tier="lead", country="FR")
    make_organisation("Partner two", tier="partner", country="DE")
    client = as_user(organiser)
    html = client.get(LIST, {"tier": "lead"}).content.decode()
    assert "Lead one" in html and "Partner two" not in html
    html = client.get(LIST, {"q": "partner"}).content.decode()
    assert "Partner two" in html and "Lead one" not in html
    for params in ({"status": "member"}, {"country": "DE"}, {"kind": "union"}):
        assert client.get(LIST, params).status_code == 200


def test_a_moderator_cannot_manage_organisations(as_user, moderator):
    assert as_user(moderator).get(ADD).status_code == 403


def test_a_second_description_in_one_language_is_an_error_not_a_crash(
    as_user, organiser, make_organisation
):
    organisation = make_organisation("Greek", descriptions={"en": "First."})
    response = as_user(organiser).post(f"{LIST}{organisation.pk}/change/", _form())
    assert response.status_code == 200
    assert "already" in response.content.decode()
    assert organisation.descriptions.get().text == "First."
