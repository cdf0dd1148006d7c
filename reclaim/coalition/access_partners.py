"""Who may open which partner page. Each condition on its own line.

A partner sees their own organisation only. Anything of another organisation answers 404,
exactly as a slug that does not exist: a partner must not learn which organisations have
an area, a change waiting, or widgets. Organisers (who may change organisations) may look
at any organisation's area, read-only, and decide on its changes.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from reclaim.accounts.access import get_staff_with
from reclaim.coalition.models import Organisation, Partner, ProfileChange

# Organisers review partners' profile changes, and may look at any partner area.
REVIEW_PERMISSION = "coalition.change_organisation"


def is_reviewer(user: Any) -> bool:
    if not user.is_authenticated:
        return False
    if not user.is_active:
        return False
    if not user.is_staff:
        return False
    return bool(user.has_perm(REVIEW_PERMISSION))


def get_own_partner(user: Any) -> Partner:
    """The user's partner row, if they are an active partner of an organisation that has not
    left the coalition."""
    if not user.is_authenticated:
        raise Http404
    if not user.is_active:
        raise Http404
    partner = Partner.objects.select_related("organisation").filter(user=user).first()
    if partner is None:
        raise Http404
    if partner.organisation.status == Organisation.Status.LEFT:
        raise Http404
    return partner


def get_organisation_for_partner(user: Any, slug: str) -> Organisation:
    """The organisation at ``slug``, if it is the user's own (for pages that change it)."""
    partner = get_own_partner(user)
    if partner.organisation.slug != slug:
        raise Http404
    return partner.organisation


def get_organisation_for_viewer(user: Any, slug: str) -> Organisation:
    """The organisation at ``slug``, for its own partners and for organisers (read-only)."""
    if is_reviewer(user):
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise Http404
        return organisation
    return get_organisation_for_partner(user, slug)


def get_change_for_viewer(user: Any, slug: str, pk: int) -> ProfileChange:
    """A change of the organisation at ``slug``, for that organisation's partners and for
    organisers; the change must belong to that organisation."""
    organisation = get_organisation_for_viewer(user, slug)
    change = ProfileChange.objects.filter(pk=pk, organisation=organisation).first()
    if change is None:
        raise Http404
    change.organisation = organisation
    return change


def get_reviewer(user: Any) -> Any:
    """The user, if a signed-in staff member who may decide on profile changes."""
    return get_staff_with(user, REVIEW_PERMISSION)


def get_change_for_reviewer(user: Any, pk: int) -> ProfileChange:
    """A change, for organisers. Anyone else gets 404, as for a change that does not exist:
    a partner must not learn that another organisation has a change waiting."""
    if not is_reviewer(user):
        raise Http404
    change = ProfileChange.objects.select_related("organisation").filter(pk=pk).first()
    if change is None:
        raise Http404
    return change
