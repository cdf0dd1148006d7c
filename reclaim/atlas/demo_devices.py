"""The demo's devices: a few hundred camera points across Belgrade, and a handful for other
deployments, each in a verification state a reviewer meets.

The points are examples, not the volunteers' real map: drawn with a fixed seed around
places of central Belgrade and along its main roads, more of them in the centre, all
within the city's built-up extent. Which device gets which state is drawn from the same
seed, with set numbers for the rarer states so that each of them is always there.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings

from reclaim.atlas.demo_facts import DeploymentFacts
from reclaim.atlas.models import Agreement, Deployment, Device, Verification

# Belgrade's extent as the demo spreads points over it (degrees).
LAT_RANGE = (44.75, 44.86)
LON_RANGE = (20.36, 20.53)
BELGRADE_DEVICES = 360
SEED = "reclaim-demo-atlas-belgrade"

W = Device.Watches
M = Device.Mount
T = Device.CameraType

# (place, latitude, longitude, spread in degrees, weight, what the cameras there watch)
ANCHORS: tuple[tuple[str, float, float, float, int, str], ...] = (
    ("Republic Square", 44.8163, 20.4601, 0.0012, 14, W.SQUARE),
    ("Knez Mihailova Street", 44.8178, 20.4568, 0.0012, 12, W.STREET),
    ("Terazije", 44.8131, 20.4612, 0.0012, 10, W.STREET),
    ("Slavija Square", 44.8025, 20.4667, 0.0012, 12, W.SQUARE),
    ("Kalemegdan Park", 44.8226, 20.4512, 0.0018, 7, W.SQUARE),
    ("Students' Square", 44.8189, 20.4585, 0.0010, 6, W.SQUARE),
    ("National Assembly", 44.8116, 20.4655, 0.0010, 9, W.BUILDING),
    ("Skadarlija", 44.8181, 20.4654, 0.0010, 4, W.STREET),
    ("Dorćol", 44.8243, 20.4660, 0.0030, 6, W.STREET),
    ("Savamala", 44.8106, 20.4525, 0.0020, 6, W.STREET),
    ("Vukov spomenik", 44.8049, 20.4794, 0.0012, 6, W.TRANSPORT),
    ("Autokomanda interchange", 44.7895, 20.4715, 0.0015, 8, W.STREET),
    ("Prokop railway station", 44.7875, 20.4585, 0.0012, 6, W.TRANSPORT),
    ("Branko's Bridge", 44.8172, 20.4446, 0.0015, 5, W.STREET),
    ("Gazela Bridge", 44.7985, 20.4436, 0.0015, 5, W.STREET),
    ("Ušće shopping centre", 44.8158, 20.4365, 0.0012, 5, W.SHOP),
    ("Sava Centre", 44.8079, 20.4310, 0.0012, 4, W.BUILDING),
    ("New Belgrade blocks", 44.8060, 20.4130, 0.0060, 8, W.STREET),
    ("Zemun centre", 44.8432, 20.4110, 0.0030, 7, W.STREET),
    ("Karaburma", 44.8130, 20.5040, 0.0040, 4, W.STREET),
    ("Zvezdara", 44.7995, 20.5035, 0.0040, 4, W.STREET),
    ("Voždovac", 44.7760, 20.4830, 0.0040, 4, W.STREET),
    ("Banjica", 44.7660, 20.4715, 0.0040, 3, W.STREET),
    ("Banovo Brdo", 44.7790, 20.4130, 0.0040, 3, W.STREET),
    ("Ada Ciganlija", 44.7870, 20.4120, 0.0040, 2, W.SQUARE),
    ("Rajko Mitić Stadium", 44.7832, 20.4649, 0.0010, 4, W.STADIUM),
    ("Partizan Stadium", 44.7880, 20.4595, 0.0010, 3, W.STADIUM),
)

# Main roads, as straight stretches between two points: (name, start, end, weight).
ROADS: tuple[tuple[str, tuple[float, float], tuple[float, float], int], ...] = (
    ("Bulevar kralja Aleksandra", (44.8062, 20.4690), (44.7962, 20.5060), 10),
    ("Bulevar oslobođenja", (44.8020, 20.4670), (44.7690, 20.4800), 8),
    ("City motorway", (44.7990, 20.4420), (44.7890, 20.4880), 8),
    ("Bulevar Mihajla Pupina", (44.8130, 20.4370), (44.8320, 20.4060), 6),
    ("Bulevar Zorana Đinđića", (44.8120, 20.4290), (44.8190, 20.3900), 5),
    ("Takovska and Bulevar despota Stefana", (44.8125, 20.4660), (44.8190, 20.4840), 4),
)

# How many of the Belgrade devices are in each of the rarer states.
SPLIT = 12
CONFIRMED = 10
REMOVED = 10
WITHDRAWN = 6
UNANIMOUS = 60
MAJORITY = 25
IN_PROGRESS = 30  # one or two votes so far
STALE_SHARE = 0.14  # of the public devices left, not seen for longer than the re-check


C, D = "confirm", "dispute"


@dataclass
class Planned:
    device: Device
    verdicts: tuple[str, ...]
    official: bool


def tally(verdicts: tuple[str, ...], official: bool) -> dict[str, object]:
    """The fields a record's votes give it, by the atlas's rules (the review part's
    ``services.verification.tally`` counts the same way from ``Vote`` rows): the share of
    "confirm" among the votes is unanimous at 1, a majority above a half, else split;
    corroborated once enough reviewers voted and they were not split; an official source
    is never lowered by votes."""
    total = len(verdicts)
    votes_for = sum(1 for verdict in verdicts if verdict == C)
    if not total:
        agreement = Agreement.NONE
    elif votes_for == total:
        agreement = Agreement.UNANIMOUS
    elif votes_for / total > 0.5:
        agreement = Agreement.MAJORITY
    else:
        agreement = Agreement.SPLIT
    needed = int(settings.RECLAIM["ATLAS_REVIEWERS_TO_CORROBORATE"])
    if official:
        verification = Verification.CONFIRMED
    elif total >= needed and agreement in (Agreement.UNANIMOUS, Agreement.MAJORITY):
        verification = Verification.CORROBORATED
    else:
        verification = Verification.REPORTED
    return {
        "votes_for": votes_for,
        "votes_total": total,
        "agreement": agreement,
        "verification": verification,
    }


def _clamp(value: float, bounds: tuple[float, float]) -> float:
    return min(max(value, bounds[0]), bounds[1])


def _hardware(rng: random.Random, watches: str) -> dict[str, object]:
    if watches == W.TRANSPORT or watches == W.SHOP:
        mount = rng.choice((M.CEILING, M.WALL, M.WALL))
    elif watches == W.BUILDING:
        mount = rng.choice((M.WALL, M.WALL, M.POLE))
    else:
        mount = rng.choice((M.POLE, M.POLE, M.POLE, M.WALL, M.UNKNOWN))
    camera_type = rng.choice((T.DOME, T.DOME, T.FIXED, T.FIXED, T.PANNING, T.UNKNOWN))
    # A dome or a turning camera looks all around: no one direction.
    direction = rng.randrange(0, 360, 5) if camera_type == T.FIXED else None
    return {"mount": mount, "camera_type": camera_type, "direction": direction}


def _point(rng: random.Random) -> tuple[str, float, float, str]:
    """A place in Belgrade: near a landmark (three in four) or along a main road."""
    if rng.random() < 0.75:
        name, lat, lon, spread, _weight, watches = rng.choices(
            ANCHORS, weights=[anchor[4] for anchor in ANCHORS]
        )[0]
        lat = rng.gauss(lat, spread)
        lon = rng.gauss(lon, spread * 1.4)  # a degree of longitude is shorter here
    else:
        name, start, end, _weight = rng.choices(ROADS, weights=[road[3] for road in ROADS])[0]
        share = rng.random()
        lat = start[0] + (end[0] - start[0]) * share + rng.gauss(0, 0.0003)
        lon = start[1] + (end[1] - start[1]) * share + rng.gauss(0, 0.0004)
        watches = W.STREET
    return name, round(_clamp(lat, LAT_RANGE), 6), round(_clamp(lon, LON_RANGE), 6), watches


def _states(rng: random.Random, count: int) -> list[str]:
    rare = (
        ["split"] * SPLIT
        + ["confirmed"] * CONFIRMED
        + ["removed"] * REMOVED
        + ["withdrawn"] * WITHDRAWN
        + ["unanimous"] * UNANIMOUS
        + ["majority"] * MAJORITY
        + ["in_progress"] * IN_PROGRESS
    )
    states = rare + ["reported"] * (count - len(rare))
    rng.shuffle(states)
    return states


VERDICTS: dict[str, tuple[tuple[str, ...], ...]] = {
    "reported": ((),),
    "in_progress": ((C,), (C, C), (C, D), (D,)),
    "unanimous": ((C, C, C),),
    "majority": ((C, C, D), (C, D, C), (D, C, C)),
    "split": ((C, D, D), (D, C, D), (D, D, C)),
    "confirmed": ((), (C, C, C), (C, C, D)),
    "removed": ((C, C, C), ()),
    "withdrawn": ((D, D, D), (C, D, D)),
}


def plan_belgrade(deployment: Deployment, today: date, recheck_months: int) -> list[Planned]:
    rng = random.Random(SEED)
    stale_after = timedelta(days=round(recheck_months * 30.44))
    planned = []
    for state in _states(rng, BELGRADE_DEVICES):
        place, lat, lon, watches = _point(rng)
        first_seen = today - timedelta(days=rng.randint(400, 2200))
        last_seen = today - timedelta(days=rng.randint(0, 300))
        removed_on = None
        if state == "removed":
            removed_on = today - timedelta(days=rng.randint(15, 250))
            last_seen = removed_on
        elif state != "withdrawn" and rng.random() < STALE_SHARE:
            last_seen = today - stale_after - timedelta(days=rng.randint(20, 500))
        first_seen = min(first_seen, last_seen - timedelta(days=30))
        verdicts = rng.choice(VERDICTS[state])
        official = state == "confirmed"
        device = Device(
            deployment=deployment,
            latitude=lat,
            longitude=lon,
            city="Belgrade",
            place=place,
            watches=watches,
            model="",  # the sources name no model
            first_seen=first_seen,
            last_seen=last_seen,
            removed_on=removed_on,
            published=state != "withdrawn",
            **_hardware(rng, watches),
            **tally(verdicts, official),
        )
        planned.append(Planned(device, verdicts, official))
    return planned


def plan_handful(facts: DeploymentFacts, deployment: Deployment, today: date) -> list[Planned]:
    """A deployment's few demo devices around its centre, reported and not voted on yet
    (the first one stale, to show that a re-check is due there too)."""
    if facts.devices is None or facts.centre is None:
        return []
    rng = random.Random(f"{SEED}-{facts.slug}")
    place = facts.devices
    planned = []
    for n in range(place.count):
        watches = place.watches[n % len(place.watches)]
        last_seen = today - timedelta(days=400 + 30 * n if n == 0 else rng.randint(10, 200))
        device = Device(
            deployment=deployment,
            latitude=round(rng.gauss(facts.centre[0], place.spread), 6),
            longitude=round(rng.gauss(facts.centre[1], place.spread * 1.4), 6),
            city=facts.city,
            place=place.names[n % len(place.names)],
            watches=watches,
            first_seen=last_seen - timedelta(days=rng.randint(60, 900)),
            last_seen=last_seen,
            published=True,
            **_hardware(rng, watches),
            **tally((), False),
        )
        planned.append(Planned(device, (), False))
    return planned
