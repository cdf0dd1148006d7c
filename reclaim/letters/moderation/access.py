"""Who may see alerts and invalidate signatures in bulk. Each condition on its own line."""

from __future__ import annotations

from typing import Any

from reclaim.accounts.access import get_staff_with

PERMISSION = "letters.invalidate_signature"


def get_organiser(user: Any) -> Any:
    """The user, if a signed-in staff member who may invalidate signatures (organisers may;
    moderators, who only hide names and approve organisations, may not)."""
    return get_staff_with(user, PERMISSION)
