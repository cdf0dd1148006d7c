"""The public dashboard's figures, kept in the cache until what they are made of changes.

Working out the dashboard reads every counter reading of the initiative and walks its whole
collection period for the chart: tens of milliseconds of CPU, on the page partners embed,
for figures that move only when the sync runs (every quarter of an hour at most) or an
organiser enters figures or moves paper along its custody chain.

The cache key holds a stamp of everything the figures are made of, read with three small
indexed queries on every request. A write therefore shows on the very next request, in
every process: without Redis each machine keeps its own copy (the default disk cache), so
invalidating on write would reach only the machine that wrote. The stamp rests on two
facts of the code that writes:

- readings are insert-only, and every write of them (the sync, figures entered by hand:
  ``services.figures``) writes a source's total together with its member states, all
  read at one moment; so the newest total of each source changes with every write;
- a paper batch changes what it adds only when it is counted or certified
  (``services.batches.advance_batch``), which changes how many batches are counted or
  certified.

Anything written around those (a reading without its total, a batch edited in a shell)
shows within ``CACHE_SECONDS``, the longest the figures are kept: the rates and
projections move with the clock, and the chart gains a day at midnight.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Q, Sum
from django.template.loader import render_to_string
from django.utils import translation

from reclaim.eci import charts
from reclaim.eci.dashboard import build
from reclaim.eci.models import CounterReading, Initiative, PaperBatch

CACHE_SECONDS = 60
CHART_STATES = 3  # the chart draws the total and the states closest to their threshold


def figures_context(initiative: Initiative) -> dict[str, Any]:
    """The dashboard's figures (``board``) and its map, table and chart as HTML
    (``figures_html``), for the dashboard page and the embed."""
    key = _key(initiative)
    context: dict[str, Any] | None = cache.get(key)
    if context is None:
        context = _compute(initiative)
        cache.set(key, context, CACHE_SECONDS)
    # The copy in the cache carries the initiative as it was; the page shows it as it is.
    context["board"].initiative = initiative
    return context


def _compute(initiative: Initiative) -> dict[str, Any]:
    board = build(initiative, history=True)
    series = {"total": [(day, total) for day, total, _ in board.history]}
    for row in board.leading[:CHART_STATES]:
        series[row.iso] = [(day, per_state[row.iso]) for day, _, per_state in board.history]
    width, height = charts.map_size()
    # Rendered here, once per copy, in the visitor's language (part of the key): the table's
    # 27 rows of localised figures and dates cost more than the rest of the page together.
    figures_html = render_to_string(
        "eci/_board_figures.html",
        {
            "initiative": initiative,
            "board": board,
            "tiles": charts.tiles(board.rows),
            "map_width": width,
            "map_height": height,
            "chart": charts.line_chart(series),
        },
    )
    # Drawn into the chart: the day-by-day figures of every state need not be kept.
    board.history = []
    return {"board": board, "figures_html": figures_html}


def _key(initiative: Initiative) -> str:
    parts = [
        # The member states' names are in the visitor's language.
        translation.get_language(),
        # What the thresholds, the safety target and the chart's period are worked out from.
        initiative.registered_on,
        initiative.safety_target_percent,
        initiative.collection_start,
        initiative.collection_end,
        *_newest_totals(initiative),
        _paper_stamp(initiative),
    ]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"eci:dashboard:{initiative.pk}:{digest}"


def _newest_totals(initiative: Initiative) -> list[int | None]:
    """The id of each source's newest total (the index on initiative, source, country and
    read_at finds it without reading the series)."""
    return [
        CounterReading.objects.filter(initiative=initiative, source=source, country="")
        .order_by("-read_at", "-id")
        .values_list("id", flat=True)
        .first()
        for source in CounterReading.Source.values
    ]


def _paper_stamp(initiative: Initiative) -> tuple[Any, ...]:
    counted = Q(counted_at__isnull=False)
    stamp = PaperBatch.objects.filter(initiative=initiative).aggregate(
        batches=Count("id"),
        newest=Max("id"),
        counted=Count("id", filter=counted),
        last_counted=Max("counted_at"),
        statements=Sum("statements", filter=counted),
        certified=Count("valid_count"),
        valid=Sum("valid_count"),
    )
    return tuple(sorted(stamp.items()))
