"""The coalition's periodic jobs. Each part adds its jobs here."""

from __future__ import annotations

from reclaim.coalition.services.widgets import top_up_widgets
from reclaim.core.hooks import Job

JOBS = [
    # Widgets for petitions opened since members joined (acceptance makes the first ones).
    Job("coalition widgets for new campaigns", 300, top_up_widgets),
]
