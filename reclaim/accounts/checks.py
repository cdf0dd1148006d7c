"""Deploy checks for staff accounts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def two_factor_required(**kwargs: Any) -> list[Warning]:
    if getattr(settings, "PRODUCTION", False) and not settings.RECLAIM.get("REQUIRE_2FA"):
        return [
            Warning(
                "Staff can open the admin and organiser pages without a second factor.",
                hint="Unset RECLAIM_REQUIRE_2FA (it defaults to on in production).",
                id="reclaim.accounts.W001",
            )
        ]
    return []
