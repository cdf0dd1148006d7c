from __future__ import annotations

from datetime import date

import pytest

from reclaim.eci.models import Initiative


@pytest.fixture
def initiative(db):
    """An initiative on the 2024 table, collecting."""
    return Initiative.objects.create(
        slug="ban-biometric",
        registration_number="ECI(2025)000004",
        registered_on=date(2025, 3, 12),
        title="Ban biometric mass surveillance in public spaces",
        objectives="We ask the Commission to propose a ban.",
        register_url="https://register.eci.ec.europa.eu/core/initiative/2025/000004",
        signing_url="https://eci.ec.europa.eu/050/public/?lg=en",
        signing_links={"de": "https://eci.ec.europa.eu/050/public/?lg=de"},
        collection_start=date(2025, 6, 1),
        collection_end=date(2026, 5, 31),
        status=Initiative.Status.COLLECTING,
    )


@pytest.fixture
def rfy_initiative(db):
    """Reclaim Your Face, registered in 2021: the 705-member table."""
    return Initiative.objects.create(
        slug="reclaim-your-face",
        registration_number="ECI(2021)000001",
        registered_on=date(2021, 1, 7),
        title="Civil society initiative for a ban on biometric mass surveillance practices",
        objectives="Ban biometric mass surveillance.",
        register_url="https://register.eci.ec.europa.eu/core/initiative/2021/000001",
        signing_url="https://eci.ec.europa.eu/016/public/",
        collection_start=date(2021, 2, 17),
        collection_end=date(2022, 8, 1),
        status=Initiative.Status.CLOSED,
    )
