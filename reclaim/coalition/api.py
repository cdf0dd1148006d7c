"""The coalition's directory in the public API (``/api/v1/organisations``).

Listed organisations only (members whose profile organisers approved), exactly those the
public directory shows: nothing about applicants, partners' accounts or their widgets.
"""

# No ``from __future__ import annotations``: django-ninja reads the Query[...] annotation
# of the view at import, and a string would leave its schema undefined.
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from reclaim.api.errors import Error
from reclaim.api.pagination import Pages
from reclaim.api.routers import ApiRouter
from reclaim.coalition.models import Organisation

router = Router(tags=["coalition"])


class OrganisationOut(Schema):
    slug: str
    name: str
    country: str = Field(description='ISO 3166-1 alpha-2, or "" for an international one.')
    tier: str = Field(description='"lead", "partner" or "supporter".')
    kind: str = Field(
        description='"digital_rights", "human_rights", "network", "union", "party", "mep", '
        '"academic" or "other".'
    )
    website: str
    joined_on: date | None
    descriptions: dict[str, str] = Field(description="Its description, per language code.")
    logo: str | None = Field(description="Its logo (PNG) on this site, if it has one.")
    url: str = Field(description="Its page on this site.")

    @staticmethod
    def resolve_country(obj: Organisation) -> str:
        return str(obj.country or "")

    @staticmethod
    def resolve_descriptions(obj: Organisation) -> dict[str, str]:
        return {d.language: d.text for d in obj.descriptions.all()}

    @staticmethod
    def resolve_logo(obj: Organisation, context: dict[str, Any]) -> str | None:
        if not obj.logo_version:
            return None
        path = reverse("coalition:logo", kwargs={"slug": obj.slug, "version": obj.logo_version})
        return str(context["request"].build_absolute_uri(path))

    @staticmethod
    def resolve_url(obj: Organisation, context: dict[str, Any]) -> str:
        path = reverse("coalition:organisation", kwargs={"slug": obj.slug})
        return str(context["request"].build_absolute_uri(path))


class Filters(Schema):
    country: str | None = Field(None, description='ISO code, or "international".')
    tier: Organisation.Tier | None = None
    kind: Organisation.Kind | None = None


def listed() -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(
            status=Organisation.Status.MEMBER, profile_approved_at__isnull=False
        )
        .defer("logo")
        .prefetch_related("descriptions")
        .order_by("name", "pk")
    )


@router.get(
    "",
    response=list[OrganisationOut],
    summary="The coalition's organisations, as the public directory lists them",
    operation_id="list_organisations",
)
@paginate(Pages)
def organisations(request: HttpRequest, filters: Query[Filters]) -> QuerySet[Organisation]:
    found = listed()
    if filters.country == "international":
        found = found.filter(country="")
    elif filters.country:
        found = found.filter(country=filters.country.upper())
    if filters.tier:
        found = found.filter(tier=filters.tier)
    if filters.kind:
        found = found.filter(kind=filters.kind)
    return found


@router.get(
    "/{slug}",
    response={200: OrganisationOut, 404: Error},
    summary="One organisation of the directory",
    operation_id="get_organisation",
)
def organisation(request: HttpRequest, slug: str) -> Organisation:
    found = listed().filter(slug=slug).first()
    if found is None:
        raise Http404
    return found


ROUTERS = [ApiRouter("organisations", router)]
