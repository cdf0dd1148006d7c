"""The privacy receipt tells an organisation where its public listing stands."""

from __future__ import annotations

import pytest

from reclaim.letters.models import Signature
from reclaim.letters.tests.helpers import confirm, last_link, sign

pytestmark = pytest.mark.django_db

WAITING = "Waiting for approval: the organisers check each organisation before it appears"
LISTED = "Approved: your organisation appears in the public list of signatories."
NOT_LISTED = "Not listed: your organisation does not appear in the public list of signatories."


def _co_sign(client, letter, capture) -> str:
    sign(
        client,
        letter,
        capture,
        **{
            "as": "organisation",
            "name": "Bits of Freedom",
            "website": "bof.nl",
            "email": "office@example.org",
            "country": "NL",
        },
    )
    link = last_link()
    confirm(client, link)
    return link


def _moderate(as_user, organiser, action: str) -> None:
    response = as_user(organiser).post(
        "/en/admin/letters/signature/",
        {"action": action, "_selected_action": [Signature.objects.get().pk]},
    )
    assert response.status_code == 302


def test_an_organisations_receipt_says_its_listing_waits_for_approval_then_that_it_is_listed(
    client, letter, django_capture_on_commit_callbacks, organiser, as_user
):
    link = _co_sign(client, letter, django_capture_on_commit_callbacks)

    receipt = client.get(link).content.decode()
    assert "Public listing" in receipt
    assert WAITING in receipt
    assert LISTED not in receipt
    assert "the website shown with it: https://bof.nl" in receipt

    _moderate(as_user, organiser, "approve")
    receipt = client.get(link).content.decode()
    assert LISTED in receipt
    assert WAITING not in receipt
    assert "Bits of Freedom" in client.get("/en/p/letter/signatories/").content.decode()


def test_a_refused_or_hidden_organisation_reads_that_it_is_not_listed(
    client, letter, django_capture_on_commit_callbacks, organiser, as_user
):
    link = _co_sign(client, letter, django_capture_on_commit_callbacks)
    _moderate(as_user, organiser, "reject")
    receipt = client.get(link).content.decode()
    assert NOT_LISTED in receipt
    assert WAITING not in receipt and LISTED not in receipt

    Signature.objects.update(review=Signature.Review.PENDING)
    _moderate(as_user, organiser, "hide")
    receipt = client.get(link).content.decode()
    assert NOT_LISTED in receipt
    assert WAITING not in receipt


def test_an_individuals_receipt_has_no_approval_line(
    client, petition, django_capture_on_commit_callbacks
):
    sign(client, petition, django_capture_on_commit_callbacks, listed="on")
    link = last_link()
    confirm(client, link)
    receipt = client.get(link).content.decode()
    assert "Your privacy receipt" in receipt
    assert "Public listing" not in receipt
    assert WAITING not in receipt
