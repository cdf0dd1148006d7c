"""Who may vet applications to join. Each condition on its own line."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404

from reclaim.accounts.access import get_staff_with
from reclaim.coalition.models import Application

PERMISSION = "coalition.vet_application"


def get_vetter(user: Any) -> Any:
    """The user, if a signed-in staff member who vets applications (organisers)."""
    return get_staff_with(user, PERMISSION)


def get_application_for_vetting(user: Any, pk: int) -> Application:
    """A confirmed application, for a staff member who vets applications. Unconfirmed ones
    are not shown: nobody has yet proved they asked to join."""
    get_vetter(user)
    queryset = Application.objects.select_related("principles", "organisation")
    queryset = queryset.exclude(state=Application.State.UNCONFIRMED)
    return get_object_or_404(queryset, pk=pk)
