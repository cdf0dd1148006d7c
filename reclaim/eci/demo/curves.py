"""Invented figures that look like a collection: shares of a total, and curves that climb.

Everything here is deterministic (a seeded generator, ties broken by country code), so a
second run of the demo works out the very same figures as the first.
"""

from __future__ import annotations

import math
import random
from datetime import datetime


def spread(total: int, weights: dict[str, float]) -> dict[str, int]:
    """``total`` split in proportion to ``weights``, in whole numbers adding up exactly
    (largest remainder; ties go to the earlier code, so the split is always the same)."""
    scale = sum(weights.values())
    exact = {iso: total * weight / scale for iso, weight in weights.items()}
    shares = {iso: math.floor(value) for iso, value in exact.items()}
    left = total - sum(shares.values())
    for iso in sorted(exact, key=lambda iso: (shares[iso] - exact[iso], iso))[:left]:
        shares[iso] += 1
    return shares


def progress(moments: list[datetime], start: datetime, power: float) -> list[float]:
    """How far along the collection each moment is, from 0 at ``start`` to 1 at the last
    moment, bent by ``power`` (below 1: a strong launch, then a slower climb)."""
    span = (moments[-1] - start).total_seconds()
    return [((moment - start).total_seconds() / span) ** power for moment in moments]


def growth(
    final: dict[str, int], fractions: list[float], rng: random.Random, noise: float
) -> list[dict[str, int]]:
    """Per moment and member state, a figure near ``final * fraction`` that never falls
    and ends exactly on ``final`` at the last moment."""
    previous = dict.fromkeys(final, 0)
    series = []
    for n, fraction in enumerate(fractions):
        is_last = n == len(fractions) - 1
        figures = {}
        for iso, target in final.items():
            value = target if is_last else round(target * fraction * rng.uniform(1 - noise, 1))
            figures[iso] = min(target, max(previous[iso], value))
        previous = figures
        series.append(figures)
    return series
