"""A partner edits their organisation's profile: the edit waits for an organiser, who
approves it (applied, audited, mailed) or rejects it with a reason."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from reclaim.audit.models import AuditEntry
from reclaim.coalition.models import Description, Organisation, ProfileChange
from reclaim.coalition.services.profile_changes import DECIDED_MAIL
from reclaim.coalition.tests.fixtures_partners import *  # noqa: F403
from reclaim.mail.models import OutgoingMail

pytestmark = pytest.mark.django_db

EDIT = "/en/coalition/partner/digital-a/profile/"


def png(size: tuple[int, int] = (40, 20)) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "logo.png"
    return buffer


def values(**changes: Any) -> dict[str, Any]:
    data = {
        "name": "Digital A",
        "website": "https://digital-a.example.org",
        "country": "DE",
        "kind": "other",
        "description_en": "",
        "description_de": "",
        "description_fr": "",
    }
    return {**data, **changes}


def test_the_form_starts_from_the_profile_as_it_is(partner_a: Any, as_user: Any) -> None:
    response = as_user(partner_a).get(EDIT)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="Digital A"' in body
    assert "Send for approval" in body


def test_an_edit_waits_for_approval_and_changes_nothing_yet(
    org_a: Organisation,
    partner_a: Any,
    as_user: Any,
) -> None:
    client = as_user(partner_a)
    response = client.post(EDIT, values(name="Digital A e.V.", description_de="Wir."))
    assert response.status_code == 302
    assert response["Location"] == "/en/coalition/partner/digital-a/"
    org_a.refresh_from_db()
    assert org_a.name == "Digital A"
    assert not Description.objects.filter(organisation=org_a).exists()
    change = ProfileChange.objects.get(organisation=org_a)
    assert change.state == ProfileChange.State.PENDING
    assert change.proposed["name"] == "Digital A e.V."
    assert change.proposed["descriptions"] == {"de": "Wir."}
    assert AuditEntry.objects.filter(action="coalition.profile_change_submit").count() == 1
    page = client.get("/en/coalition/partner/digital-a/").content.decode()
    assert "waiting for the organisers" in page


def test_a_second_edit_replaces_the_change_still_waiting(
    org_a: Organisation,
    partner_a: Any,
    as_user: Any,
) -> None:
    client = as_user(partner_a)
    client.post(EDIT, values(name="First"))
    client.post(EDIT, values(name="Second"))
    change = ProfileChange.objects.get(organisation=org_a)
    assert change.proposed["name"] == "Second"
    # The form starts from what waits.
    assert 'value="Second"' in client.get(EDIT).content.decode()


def test_an_edit_that_changes_nothing_is_refused(
    org_a: Organisation, partner_a: Any, as_user: Any
) -> None:
    response = as_user(partner_a).post(EDIT, values())
    assert response.status_code == 400
    assert "there is nothing to send" in response.content.decode()
    assert not ProfileChange.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("website", "not a website", "Enter a valid URL."),
        ("country", "XX", "Select a valid choice."),
        ("kind", "spy", "Select a valid choice."),
        ("description_en", "x" * 2001, "Ensure this value has at most 2000 characters"),
    ],
)
def test_bad_input_gets_a_clear_error_and_changes_nothing(
    partner_a: Any,
    as_user: Any,
    field: str,
    value: str,
    message: str,
) -> None:
    response = as_user(partner_a).post(EDIT, values(**{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ProfileChange.objects.exists()


def test_a_logo_is_re_encoded_before_it_waits(
    org_a: Organisation, partner_a: Any, as_user: Any
) -> None:
    client = as_user(partner_a)
    response = client.post(EDIT, {**values(), "logo": png()})
    assert response.status_code == 302
    change = ProfileChange.objects.get(organisation=org_a)
    assert bytes(change.logo).startswith(b"\x89PNG")
    assert change.logo_type == "image/png"
    logo = client.get(f"/en/coalition/partner/digital-a/change/{change.pk}/logo/")
    assert logo.status_code == 200
    assert logo["Content-Type"] == "image/png"


def test_an_svg_logo_is_refused(partner_a: Any, as_user: Any) -> None:
    svg = io.BytesIO(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    svg.name = "logo.svg"
    response = as_user(partner_a).post(EDIT, {**values(), "logo": svg})
    assert response.status_code == 400
    assert "SVG logos are not accepted" in response.content.decode()
    assert not ProfileChange.objects.exists()


def test_an_organiser_sees_the_difference_and_approves(
    org_a: Organisation,
    partner_a: Any,
    organiser: Any,
    as_user: Any,
) -> None:
    as_user(partner_a).post(
        EDIT, {**values(name="Digital A e.V.", description_fr="Nous."), "logo": png()}
    )
    change = ProfileChange.objects.get()
    staff = as_user(organiser)
    listing = staff.get("/en/coalition/partner/review/").content.decode()
    assert "Digital A" in listing
    page = staff.get(f"/en/coalition/partner/review/{change.pk}/").content.decode()
    assert "<del>Digital A</del>" in page
    assert "<ins>Digital A e.V.</ins>" in page
    assert "<ins>Nous.</ins>" in page
    assert "New logo" in page

    response = staff.post(f"/en/coalition/partner/review/{change.pk}/approve/")
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert org_a.name == "Digital A e.V."
    assert org_a.descriptions.get(language="fr").text == "Nous."
    assert bytes(org_a.logo).startswith(b"\x89PNG")
    assert org_a.logo_version
    change.refresh_from_db()
    assert change.state == ProfileChange.State.APPROVED
    assert change.decided_by == organiser
    assert change.logo is None
    entry = AuditEntry.objects.get(action="coalition.profile_change_approve")
    assert entry.actor == "alice"
    mail = OutgoingMail.objects.get(kind=DECIDED_MAIL)
    # In the partner's language (German, given when the account was made).
    assert mail.language == "de"
    assert mail.object_id == change.pk
    # Deciding twice is refused and changes nothing.
    again = staff.post(f"/en/coalition/partner/review/{change.pk}/approve/", follow=True)
    assert "decided already" in again.content.decode()
    assert OutgoingMail.objects.filter(kind=DECIDED_MAIL).count() == 1


def test_an_organiser_rejects_with_a_reason_the_partner_gets(
    org_a: Organisation,
    partner_a: Any,
    organiser: Any,
    as_user: Any,
) -> None:
    partner = as_user(partner_a)
    partner.post(EDIT, values(name="Something else"))
    change = ProfileChange.objects.get()
    staff = as_user(organiser)
    refused = staff.post(f"/en/coalition/partner/review/{change.pk}/reject/", {"reason": "  "})
    assert refused.status_code == 400
    assert "Say why the change is rejected." in refused.content.decode()
    assert ProfileChange.objects.get().state == ProfileChange.State.PENDING

    response = staff.post(
        f"/en/coalition/partner/review/{change.pk}/reject/", {"reason": "Keep your real name."}
    )
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert org_a.name == "Digital A"
    change.refresh_from_db()
    assert change.state == ProfileChange.State.REJECTED
    assert change.reason == "Keep your real name."
    assert AuditEntry.objects.filter(action="coalition.profile_change_reject").count() == 1
    assert OutgoingMail.objects.filter(kind=DECIDED_MAIL, object_id=change.pk).count() == 1
    page = partner.get(f"/en/coalition/partner/digital-a/change/{change.pk}/").content.decode()
    assert "Keep your real name." in page


def test_the_decision_mail_reads_in_the_partners_language(
    org_a: Organisation,
    partner_a: Any,
    organiser: Any,
    as_user: Any,
) -> None:
    from reclaim.lib.emails import build
    from reclaim.mail.builders import letter_for

    as_user(partner_a).post(EDIT, values(name="Something else"))
    change = ProfileChange.objects.get()
    as_user(organiser).post(
        f"/en/coalition/partner/review/{change.pk}/reject/", {"reason": "Keep your real name."}
    )
    mail = OutgoingMail.objects.get(kind=DECIDED_MAIL)
    letter = letter_for(mail)
    assert letter is not None
    assert letter.context["reason"] == "Keep your real name."
    assert letter.context["link"] == f"/de/coalition/partner/digital-a/change/{change.pk}/"
    message = build(letter.template, "anna@a.example.org", letter.context, mail.language)
    assert "Keep your real name." in message.body
    assert f"/de/coalition/partner/digital-a/change/{change.pk}/" in message.body
    assert message.subject
