"""Marks for views that the middleware reads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required

# The attribute that marks a staff page (see staff_area).
STAFF_AREA = "reclaim_staff_area"


def staff_area(view: Callable[..., Any]) -> Callable[..., Any]:
    """A page of the staff area: it asks a visitor who is not signed in to sign in, and
    opens only after the second factor (reclaim.accounts.middleware reads the mark). The
    view still checks its own permission, through its app's access helpers::

        @staff_area
        def alerts(request): ...
    """
    wrapped = login_required(view)
    setattr(wrapped, STAFF_AREA, True)
    return wrapped


def is_staff_area(view: Callable[..., Any]) -> bool:
    return bool(getattr(view, STAFF_AREA, False))
