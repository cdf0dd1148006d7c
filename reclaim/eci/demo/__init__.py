"""The ECI companion's part of `reclaim demo`: two citizens' initiatives.

- Reclaim Your Face (ECI(2021)000001), closed, with its real final figures
  (``reclaim_your_face``);
- an invented initiative collecting now, with readings, paper batches and sponsors
  (``collecting``).

Both go through the ECI services only, as organisers would: every figure is entered as
typed in by hand (origin "manual"), never as read from the Commission, and neither
initiative has a counter address, so the sync leaves them alone. A second run adds nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from reclaim.demo.steps import DemoContext, Report, Step
from reclaim.eci.dashboard import build
from reclaim.eci.demo import collecting, reclaim_your_face
from reclaim.eci.demo.loading import Loaded


def _describe(report: Report, loaded: Loaded, context: DemoContext) -> None:
    initiative = loaded.initiative
    board = build(initiative, context.now)
    state = "created" if loaded.created else "already there"
    verdict = "valid" if board.is_valid else "not yet valid"
    report.add(f"{initiative.registration_number} {initiative.title}")
    report.add(f"  {settings.BASE_URL}{reverse('eci:dashboard', args=[initiative.slug])}")
    report.add(
        f"  {initiative.get_status_display().lower()}, {state}; threshold table "
        f"{initiative.table.id}; {loaded.readings} readings, {loaded.batches} paper batches "
        f"and {loaded.sponsors} sponsors added now"
    )
    report.add(
        f"  {board.total:,} statements ({board.total_percent} % of a million), "
        f"{board.states_over} of the {board.states_required} member states needed over "
        f"threshold: {verdict}"
    )


def run(context: DemoContext) -> Report:
    report = Report("Citizens' initiatives")
    for loaded in (reclaim_your_face.load(), collecting.load(context.now)):
        _describe(report, loaded, context)
    return report


STEPS = [Step("eci.initiatives", run)]
