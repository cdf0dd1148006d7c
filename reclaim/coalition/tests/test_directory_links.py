"""Matching letters' co-signatures to directory entries: only by an organiser's say-so."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from reclaim.audit.models import AuditEntry
from reclaim.coalition.models import CoSignatureLink
from reclaim.coalition.services.directory import link_cosignature, similarity, unlink_cosignature
from reclaim.coalition.tests.fixtures_directory import *  # noqa: F403
from reclaim.letters.models import Signature

PAGE = "/en/coalition/co-signatures/"
LINK = "/en/coalition/co-signatures/link/"


def test_a_visitor_is_asked_to_sign_in(client, db):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("persona", ["moderator", "outsider"])
def test_staff_without_the_permission_are_refused(as_user, persona, request):
    user = request.getfixturevalue(persona)
    assert as_user(user).get(PAGE).status_code == 403
    assert as_user(user).post(LINK, {"signature": 1, "organisation": "x"}).status_code == 403


def test_it_lists_confirmed_organisation_signatures_not_yet_linked(
    as_user, organiser, org_signature, make_organisation
):
    waiting = org_signature("Waiting Org")
    org_signature("Unconfirmed Org", confirmed_at=None)
    org_signature("Invalidated Org", invalidated_at=timezone.now())
    org_signature("A person", kind=Signature.Kind.INDIVIDUAL)
    done = org_signature("Linked Org")
    CoSignatureLink.objects.create(signature=done, organisation=make_organisation("Linked Org"))
    html = as_user(organiser).get(PAGE).content.decode()
    assert waiting.public_name in html
    for absent in ("Unconfirmed Org", "Invalidated Org", "A person"):
        assert absent not in html
    # The linked one appears only under "Recently matched", with its unlink button.
    assert html.count("Linked Org") >= 1
    assert "Remove the link to Linked Org" in html


def test_it_suggests_similar_directory_entries_without_linking(
    as_user, organiser, org_signature, make_organisation
):
    make_organisation("European Digital Rights (EDRi)", slug="edri")
    make_organisation("Something Else Entirely", slug="else")
    signature = org_signature("EDRi")
    html = as_user(organiser).get(PAGE).content.decode()
    assert 'name="organisation" value="edri"' in html
    assert 'value="else"' not in html
    assert not CoSignatureLink.objects.filter(signature=signature).exists()


def test_similarity_knows_acronyms_accents_and_small_differences():
    assert similarity("EDRi", "European Digital Rights (EDRi)") > 0.9
    assert similarity("Chaos Computer Club", "Chaos Computer Club (CCC)") > 0.8
    assert similarity("Ligue des droits de l’Homme", "Ligue des droits de l'Homme (LDH)") > 0.8
    assert similarity("epicenter works", "epicenter.works") > 0.8
    assert similarity("Amnesty International", "Privacy International") < 0.8
    assert similarity("", "Anything") == 0


def test_an_organiser_confirms_a_match_with_a_post(
    as_user, organiser, org_signature, make_organisation, client
):
    organisation = make_organisation("European Digital Rights (EDRi)", slug="edri")
    signature = org_signature("EDRi")
    response = as_user(organiser).post(
        LINK, {"signature": signature.pk, "organisation": "edri"}, follow=True
    )
    assert "now shown on the page" in response.content.decode()
    link = CoSignatureLink.objects.get(signature=signature)
    assert link.organisation == organisation
    assert link.confirmed_by == organiser
    entry = AuditEntry.objects.get(action="coalition.cosignature_link")
    assert entry.actor == "alice"
    assert entry.detail["organisation"] == "edri"
    assert signature.petition.title in client.get("/en/coalition/edri/").content.decode()


def test_the_link_address_takes_no_get(as_user, organiser, org_signature, make_organisation):
    make_organisation("Org", slug="org")
    signature = org_signature("Org")
    response = as_user(organiser).get(LINK, {"signature": signature.pk, "organisation": "org"})
    assert response.status_code == 405
    assert not CoSignatureLink.objects.exists()


@pytest.mark.parametrize(
    "data,message",
    [
        ({"signature": "abc", "organisation": "org"}, "Choose a directory entry"),
        ({"organisation": "org"}, "Choose a directory entry"),
        ({"signature": "SIG", "organisation": "<script>"}, "Choose a directory entry"),
        ({"signature": "SIG", "organisation": "no-such-org"}, "No directory entry"),
    ],
)
def test_bad_input_changes_nothing_and_says_why(
    as_user, organiser, org_signature, make_organisation, data, message
):
    make_organisation("Org", slug="org")
    signature = org_signature("Org")
    data = {k: (signature.pk if v == "SIG" else v) for k, v in data.items()}
    response = as_user(organiser).post(LINK, data, follow=True)
    assert message in response.content.decode()
    assert not CoSignatureLink.objects.exists()


def test_an_unknown_signature_is_a_404(as_user, organiser, make_organisation):
    make_organisation("Org", slug="org")
    response = as_user(organiser).post(LINK, {"signature": 999999, "organisation": "org"})
    assert response.status_code == 404


def test_a_signature_is_linked_once(organiser, org_signature, make_organisation):
    signature = org_signature("Org")
    link_cosignature(signature, make_organisation("Org"), organiser)
    with pytest.raises(ValidationError):
        link_cosignature(signature, make_organisation("Other"), organiser)
    assert CoSignatureLink.objects.count() == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": Signature.Kind.INDIVIDUAL},
        {"confirmed_at": None},
        {"invalidated_at": timezone.now()},
    ],
)
def test_only_a_confirmed_valid_organisation_signature_can_be_linked(
    organiser, org_signature, make_organisation, fields
):
    signature = org_signature("Org", **fields)
    with pytest.raises(ValidationError):
        link_cosignature(signature, make_organisation("Org"), organiser)
    assert not CoSignatureLink.objects.exists()
    assert not AuditEntry.objects.filter(action="coalition.cosignature_link").exists()


def test_an_organiser_removes_a_link(as_user, organiser, org_signature, make_organisation):
    signature = org_signature("Org")
    link = link_cosignature(signature, make_organisation("Org"), organiser)
    response = as_user(organiser).post(reverse("coalition:cosignature_unlink", args=[link.pk]))
    assert response.status_code == 302
    assert not CoSignatureLink.objects.exists()
    assert AuditEntry.objects.filter(action="coalition.cosignature_unlink").count() == 1
    # Gone already: a second removal records nothing.
    unlink_cosignature(link, organiser)
    assert AuditEntry.objects.filter(action="coalition.cosignature_unlink").count() == 1


def test_the_staff_area_lists_the_matching_page(as_user, organiser):
    html = as_user(organiser).get("/en/admin/").content.decode()
    assert PAGE in html
