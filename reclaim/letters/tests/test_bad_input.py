"""Bad input on every field gets a clear error and leaves no row."""

from __future__ import annotations

import pytest
from django.core import mail

from reclaim.letters.models import Signature
from reclaim.letters.tests.helpers import sign
from reclaim.mail.models import OutgoingMail

pytestmark = pytest.mark.django_db

INDIVIDUAL_CASES = [
    ({"name": ""}, "name", "This field is required."),
    ({"name": "x" * 121}, "name", "at most 120 characters"),
    ({"name": "Jane\x00Doe"}, "name", "Null characters are not allowed."),
    ({"name": "Jane\x1bDoe"}, "name", "control characters"),
    ({"name": "Jane\nDoe"}, "name", "control characters"),
    ({"email": ""}, "email", "This field is required."),
    ({"email": "not-an-address"}, "email", "Enter a valid email address"),
    ({"email": "jane@"}, "email", "Enter a valid email address"),
    ({"email": "a" * 250 + "@example.org"}, "email", "at most 254 characters"),
    ({"country": ""}, "country", "This field is required."),
    ({"country": "XX"}, "country", "Select a valid choice."),
    ({"country": "Germany"}, "country", "Select a valid choice."),
    ({"country": "de"}, "country", "Select a valid choice."),
    ({"comment": "c" * 1001}, "comment", "at most 1000 characters"),
    ({"comment": "bad \x07 bell"}, "comment", "control characters"),
    # Text-direction overrides and isolates: invisible, and they change how a name reads.
    ({"name": "Jane \u202eeoD"}, "name", "control characters"),
    ({"name": "\u2066Jane Doe\u2069"}, "name", "control characters"),
    ({"comment": "see \u202aembedded\u202c text"}, "comment", "control characters"),
]


@pytest.mark.parametrize(("fields", "field", "message"), INDIVIDUAL_CASES)
def test_bad_input_on_each_field_is_refused_and_stores_nothing(
    client, petition, django_capture_on_commit_callbacks, fields, field, message
):
    response = sign(client, petition, django_capture_on_commit_callbacks, **fields)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert f'id="id_{field}_error"' in body
    assert 'aria-invalid="true"' in body
    assert 'role="alert"' in body
    assert not Signature.objects.exists()
    assert not OutgoingMail.objects.exists()
    assert not mail.outbox


ORGANISATION_CASES = [
    ({"name": ""}, "name", "This field is required."),
    ({"name": "o" * 201}, "name", "at most 200 characters"),
    ({"website": ""}, "website", "This field is required."),
    ({"website": "not a url"}, "website", "Enter a valid URL."),
    ({"website": "https://" + "w" * 200 + ".org"}, "website", "at most 200 characters"),
    ({"contact_name": "c" * 121}, "contact_name", "at most 120 characters"),
    ({"email": "office"}, "email", "Enter a valid email address"),
    ({"name": "Access \u202eNow"}, "name", "control characters"),
    ({"website": "https://access\u202enow.org"}, "website", "control characters"),
    ({"website": "https://accessnow.org/\u2067gro.live"}, "website", "control characters"),
    ({"contact_name": "\u2068Anna\u2069"}, "contact_name", "control characters"),
    ({"email": "off\u202eice@example.org"}, "email", "Enter a valid email address"),
]


@pytest.mark.parametrize(("fields", "field", "message"), ORGANISATION_CASES)
def test_bad_organisation_input_is_refused_and_stores_nothing(
    client, letter, django_capture_on_commit_callbacks, fields, field, message
):
    data = {
        "as": "organisation",
        "name": "Access Now",
        "website": "https://accessnow.org",
        "email": "office@example.org",
        "country": "BE",
    }
    data.update(fields)
    response = sign(client, letter, django_capture_on_commit_callbacks, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Signature.objects.exists()


DIRECTION_CONTROLS = [chr(c) for c in range(0x202A, 0x202F)] + [
    chr(c) for c in range(0x2066, 0x206A)
]


@pytest.mark.parametrize("character", DIRECTION_CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_every_text_direction_override_is_refused_like_a_control_character(
    client, petition, django_capture_on_commit_callbacks, character
):
    response = sign(
        client, petition, django_capture_on_commit_callbacks, name=f"Jane{character} Doe"
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "This field contains invisible control characters. Please remove them." in body
    assert 'id="id_name_error"' in body
    assert not Signature.objects.exists()
    assert not OutgoingMail.objects.exists()
    assert not mail.outbox


def test_a_text_direction_override_is_refused_in_the_visitors_language(
    client, petition, django_capture_on_commit_callbacks
):
    response = sign(
        client, petition, django_capture_on_commit_callbacks, language="de", name="Jane \u202eeoD"
    )
    assert response.status_code == 400
    assert "Dieses Feld enthält unsichtbare Steuerzeichen." in response.content.decode()
    assert not Signature.objects.exists()


def test_direction_marks_that_scripts_need_are_still_accepted(
    client, petition, django_capture_on_commit_callbacks
):
    """Only the overrides, embeddings and isolates are refused: the plain direction marks
    (U+200E, U+200F), which mixed-script names use, stay allowed."""
    response = sign(
        client,
        petition,
        django_capture_on_commit_callbacks,
        name="\u05e9\u05e8\u05d4\u200f Levi\u200e",
    )
    assert response.status_code == 302
    assert Signature.objects.count() == 1


def test_errors_are_shown_in_the_visitors_language(
    client, petition, django_capture_on_commit_callbacks
):
    response = sign(client, petition, django_capture_on_commit_callbacks, language="de", name="")
    assert response.status_code == 400
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()


def test_an_oversized_post_is_refused_with_a_clear_message(client, petition):
    response = client.post(
        "/en/p/ban/", {"name": "x" * 100_000, "email": "a@example.org", "country": "DE"}
    )
    assert response.status_code == 413
    assert "larger than this form accepts" in response.content.decode()
    assert not Signature.objects.exists()
