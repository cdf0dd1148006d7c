"""Petitions and open letters in the public API (``/api/v1/petitions``).

Published ones only (``get_public_petition``: not a draft), with the figures of the public
counter (``/api/petitions/<slug>/count.json``, ``counting.counts_for``): one source, so the
API and the counter never disagree. No signer's data: counts only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from reclaim.api.errors import Error
from reclaim.api.pagination import Pages
from reclaim.api.routers import ApiRouter
from reclaim.letters.access import get_public_petition
from reclaim.letters.counting import counts_for
from reclaim.letters.models import Petition

router = Router(tags=["petitions"])


class Counts(Schema):
    """Exactly what the public counter JSON says."""

    petition: str = Field(description="The petition's slug.")
    total: int = Field(description="Confirmed signatures.")
    goal: int
    by_country: dict[str, int] = Field(
        description="Confirmed signatures per country (ISO 3166-1 alpha-2), largest first."
    )
    updated_at: str = Field(description="When the figures were counted (ISO 8601).")


class PetitionSummary(Schema):
    slug: str
    kind: str = Field(description='"petition" or "letter" (an open letter).')
    title: str
    summary: str
    language: str = Field(description="The language the text is written in.")
    status: str = Field(description='"open", "closed" or "archived".')
    accepting: bool = Field(description="Whether it takes signatures now.")
    opens_at: datetime
    closes_at: datetime
    goal: int
    total: int = Field(description="Confirmed signatures, as in counts.total.")
    url: str = Field(description="Its page on this site.")

    @staticmethod
    def resolve_accepting(obj: Petition) -> bool:
        return obj.is_accepting()

    @staticmethod
    def resolve_total(obj: Petition) -> int:
        return int(counts_for(obj)["total"])

    @staticmethod
    def resolve_url(obj: Petition, context: dict[str, Any]) -> str:
        return str(context["request"].build_absolute_uri(obj.get_absolute_url()))


class PetitionDetail(PetitionSummary):
    text: str
    recipients: str = Field(description="For an open letter: to whom it is addressed.")
    milestones: list[int]
    counts: Counts

    @staticmethod
    def resolve_counts(obj: Petition) -> dict[str, Any]:
        return counts_for(obj)


def published() -> QuerySet[Petition]:
    """What ``get_public_petition`` lets anyone read, in the site's order."""
    return Petition.objects.exclude(status=Petition.Status.DRAFT).order_by("-opens_at", "-id")


@router.get(
    "",
    response=list[PetitionSummary],
    summary="Published petitions and open letters",
    operation_id="list_petitions",
)
@paginate(Pages)
def petitions(request: HttpRequest) -> QuerySet[Petition]:
    return published()


@router.get(
    "/{slug}",
    response={200: PetitionDetail, 404: Error},
    summary="A petition or open letter, with its counts per country",
    operation_id="get_petition",
)
def petition(request: HttpRequest, slug: str) -> Petition:
    return get_public_petition(slug)


ROUTERS = [ApiRouter("petitions", router)]
