from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from reclaim.letters.models import CountryCount, Petition


@pytest.fixture
def counted(petition: Petition) -> Petition:
    """The petition with confirmed signatures counted in two countries, as the aggregation
    job leaves them."""
    CountryCount.objects.create(petition=petition, country="DE", count=3)
    CountryCount.objects.create(petition=petition, country="FR", count=1)
    return petition


@pytest.fixture
def draft(keypair: Any) -> Petition:
    return Petition.objects.create(
        slug="not-yet",
        title="A draft nobody may see",
        text="Secret.",
        status=Petition.Status.DRAFT,
        closes_at=timezone.now() + timedelta(days=30),
    )


@pytest.fixture
def held_clock(monkeypatch: pytest.MonkeyPatch) -> float:
    """The throttle's windows held still, so that no test straddles two of them."""
    from reclaim.shield import throttle

    now = 1_800_000_030.0
    monkeypatch.setattr(throttle, "clock", lambda: now)
    return now
