from __future__ import annotations

from datetime import date

import pytest

from reclaim.eci.models import Initiative


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
