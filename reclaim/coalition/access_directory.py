"""Who may see which directory page, and who may match co-signatures. Each condition on its
own line."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from reclaim.accounts.access import get_staff_with
from reclaim.coalition.models import Organisation

# Organisers match letters' co-signatures to directory entries.
LINK_PERMISSION = "coalition.add_cosignaturelink"
# Staff who manage organisations may see the logo of one not listed yet (in the admin).
VIEW_PERMISSION = "coalition.view_organisation"


def get_listed_organisation(slug: str) -> Organisation:
    """An organisation the public may see: a member whose profile organisers approved."""
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise Http404
    if organisation.status != Organisation.Status.MEMBER:
        raise Http404
    if organisation.profile_approved_at is None:
        raise Http404
    return organisation


def get_organisation_logo(user: Any, slug: str) -> Organisation:
    """An organisation whose logo may be shown: a listed one to anyone, any to staff who
    manage organisations (the admin shows the logo before the profile is approved)."""
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise Http404
    if organisation.logo is None or not organisation.logo_version:
        raise Http404
    if organisation.is_listed:
        return organisation
    if user.is_authenticated and user.is_staff and user.has_perm(VIEW_PERMISSION):
        return organisation
    raise Http404


def get_cosignature_linker(user: Any) -> Any:
    """The user, if a signed-in staff member who may link co-signatures (organisers)."""
    return get_staff_with(user, LINK_PERMISSION)
