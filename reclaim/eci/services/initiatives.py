"""Writes of an initiative's own record: its registered data, its status and its dates.

The sponsor list's date is written with the sponsors (``services.sponsors``). An initiative
is never deleted: that would delete its paper batches' custody record with it.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from reclaim.eci.models import Initiative


def create_initiative(**fields: Any) -> Initiative:
    """Record a registered initiative; its fields are checked as the admin's form checks
    them (a ``ValidationError`` names the bad ones)."""
    initiative = Initiative(**fields)
    initiative.full_clean()
    with transaction.atomic():
        initiative.save(force_insert=True)
    return initiative


def save_initiative(initiative: Initiative) -> Initiative:
    """Save an initiative as edited in the admin, whose form has already checked it."""
    with transaction.atomic():
        initiative.save()
    return initiative
