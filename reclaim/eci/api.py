"""Citizens' initiatives in the public API (``/api/v1/initiatives``).

The figures are the public dashboard's, taken from the same cached computation
(``dashboard_cache.figures_context``, built by ``dashboard.build``) and the same staleness
rule (``figures.stale_sources``): the API never works them out another way. Only what the
public pages show: no representative's name or address, nothing of a signer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, overload

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from reclaim.api.errors import Error
from reclaim.api.pagination import Pages
from reclaim.api.routers import ApiRouter
from reclaim.eci.access import get_public_initiative
from reclaim.eci.dashboard import CountryRow, Dashboard
from reclaim.eci.dashboard_cache import figures_context
from reclaim.eci.figures import stale_sources
from reclaim.eci.models import Initiative

router = Router(tags=["initiatives"])


# "register" would shadow an attribute of ninja's Schema: the fields are named register_
# and answer as "register" (by_alias on the route).


class StateFigures(Schema):
    iso: str = Field(description="The member state (ISO 3166-1 alpha-2).")
    name: str = Field(description="Its name, in the language asked for (Accept-Language).")
    threshold: int = Field(description="Statements needed in this member state.")
    safety_target: int = Field(description="The threshold with the safety margin.")
    online: int | None = Field(
        description="Online statements, when known per member state (else null)."
    )
    register_: int = Field(
        alias="register", description="Online and paper, as in the Commission's register."
    )
    paper: int = Field(description="Paper statements counted by the campaign.")
    combined: int = Field(description="The best estimate: max(register, online + paper).")
    percent: int = Field(description="combined as a percentage of the threshold.")
    over_threshold: bool
    reached_on: datetime | None = Field(description="When the threshold was first reached.")
    projected_on: date | None = Field(
        description="When the threshold is reached at the rate of the last seven days."
    )


class Counter(Schema):
    read_at: datetime | None = Field(description="When the newest figure was read or entered.")
    stale: bool = Field(description="Whether that figure is too old or its last update failed.")


class Counters(Schema):
    online: Counter = Field(description="The Commission's online collection system.")
    register_: Counter = Field(
        alias="register", description="The Commission's register (online and paper)."
    )


class InitiativeSummary(Schema):
    slug: str
    registration_number: str
    registered_on: date
    title: str = Field(description="As registered, in the language of registration.")
    registered_language: str
    status: str
    collection_start: date | None
    collection_end: date | None
    register_url: str = Field(description="Its page in the Commission's register.")
    signing_url: str = Field(description="The Commission's signing page.")
    url: str = Field(description="Its page on this site.")
    total: int = Field(description="Statements of support, best estimate.")
    total_required: int
    states_over: int = Field(description="Member states over their threshold.")
    states_required: int


class InitiativeDetail(InitiativeSummary):
    objectives: str = Field(description="As registered, in the language of registration.")
    safety_target_percent: int
    verdict: str = Field(
        description='"not_yet", "unverified", "unverified_safe" or "verified" (see the dashboard).'
    )
    days_left: int | None = Field(description="Days of collection left (null once closed).")
    online_total: int
    register_total: int
    paper_total: int
    counters: Counters
    states: list[StateFigures]


def _board(initiative: Initiative) -> Dashboard:
    board: Dashboard = figures_context(initiative)["board"]
    return board


def _summary(request: HttpRequest, initiative: Initiative, board: Dashboard) -> dict[str, Any]:
    return {
        "slug": initiative.slug,
        "registration_number": initiative.registration_number,
        "registered_on": initiative.registered_on,
        "title": initiative.title,
        "registered_language": initiative.registered_language,
        "status": initiative.status,
        "collection_start": initiative.collection_start,
        "collection_end": initiative.collection_end,
        "register_url": initiative.register_url,
        "signing_url": initiative.signing_url,
        "url": request.build_absolute_uri(initiative.get_absolute_url()),
        "total": board.total,
        "total_required": board.total_required,
        "states_over": board.states_over,
        "states_required": board.states_required,
    }


def _state(row: CountryRow) -> dict[str, Any]:
    return {
        "iso": row.iso,
        "name": row.name,
        "threshold": row.threshold,
        "safety_target": row.safety_target,
        "online": row.online if row.online_known else None,
        "register": row.register,
        "paper": row.paper,
        "combined": row.combined,
        "percent": row.percent,
        "over_threshold": row.over_threshold,
        "reached_on": row.reached_on,
        "projected_on": row.projected_on,
    }


class Summaries(Sequence[dict[str, Any]]):
    """The initiatives as summaries, for the paginator: it counts them and takes a slice,
    and only the initiatives of that slice get their figures looked up."""

    def __init__(self, request: HttpRequest, queryset: QuerySet[Initiative]) -> None:
        self.request = request
        self.queryset = queryset

    def __len__(self) -> int:
        return self.queryset.count()

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [self._one(found) for found in self.queryset[index]]
        return self._one(self.queryset[index])

    def _one(self, found: Initiative) -> dict[str, Any]:
        return _summary(self.request, found, _board(found))


@router.get(
    "",
    response=list[InitiativeSummary],
    summary="European citizens' initiatives, with their totals",
    operation_id="list_initiatives",
)
@paginate(Pages)
def initiatives(request: HttpRequest) -> Summaries:
    return Summaries(request, Initiative.objects.order_by("-registered_on", "-id"))


@router.get(
    "/{slug}",
    response={200: InitiativeDetail, 404: Error},
    summary="A citizens' initiative, with its figures per member state",
    operation_id="get_initiative",
    by_alias=True,
)
def initiative(request: HttpRequest, slug: str) -> dict[str, Any]:
    found = get_public_initiative(slug)
    board = _board(found)
    return _summary(request, found, board) | {
        "objectives": found.objectives,
        "safety_target_percent": found.safety_target_percent,
        "verdict": board.verdict,
        "days_left": board.days_left,
        "online_total": board.online_total,
        "register_total": board.register_total,
        "paper_total": board.paper_total,
        # Not cached with the figures: the age of the last good figure moves with the clock.
        "counters": stale_sources(found),
        "states": [_state(row) for row in board.rows],
    }


ROUTERS = [ApiRouter("initiatives", router)]
