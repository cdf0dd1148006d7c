"""Who may see and do what around an initiative. Each condition on its own line."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from reclaim.eci.models import Initiative


def get_public_initiative(slug: str) -> Initiative:
    initiative = Initiative.objects.filter(slug=slug).first()
    if initiative is None:
        raise Http404
    return initiative


def get_initiative_for_organiser(user: Any, slug: str) -> Initiative:
    """The initiative, for a signed-in staff member with the organiser permission."""
    if not user.is_authenticated:
        raise PermissionDenied
    if not user.is_staff:
        raise PermissionDenied
    if not user.has_perm("eci.organise_initiative"):
        raise PermissionDenied
    return get_public_initiative(slug)
