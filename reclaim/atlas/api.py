"""The atlas in the public API (``/api/v1/atlas``): the public deployments and devices
(``services.public``), each with its verification grade, agreement and votes, its evidence
and, for a deployment, its freedom-of-information requests. Every answer carries the data's
licence (``RECLAIM["ATLAS_DATA_LICENCE"]``). Pending reports and unpublished or removed
records never appear; a device of a deployment that is not public does not name it.

Unlike the files on the open-data page, which hold the verified records by default, the
API answers every public grade, and ``?verification=`` narrows it.
"""

# No ``from __future__ import annotations``: django-ninja reads the Query[...] annotation
# of the view at import, and a string would leave its schema undefined.
import math
import re
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from reclaim.api.errors import Error
from reclaim.api.pagination import Pages
from reclaim.api.routers import ApiRouter
from reclaim.atlas.models import (
    Capability,
    Deployment,
    Device,
    Evidence,
    Photo,
)
from reclaim.atlas.services.exports import EVERY_GRADE, BadParameter, licence, parse_verification
from reclaim.atlas.services.public import (
    is_stale,
    public_deployments,
    public_devices,
    recheck_cutoff,
)

router = Router(tags=["atlas"])

BAD_BBOX = _(
    "bbox takes four numbers: west, south, east, north (longitudes from -180 to 180, "
    "latitudes from -90 to 90, south below north)."
)
BAD_CHOICE = _("%(name)s takes one of these values: %(values)s.")
BAD_COUNTRY = _("country takes a two-letter country code (ISO 3166-1), such as FR.")
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
# A filter's text is compared, never echoed; longer than any city is a mistake.
MAX_TEXT = 120


# --- Schemas ----------------------------------------------------------------------------


class Licence(Schema):
    id: str = Field(description="The licence's SPDX identifier.")
    name: str
    url: str
    attribution: str = Field(description="The credit a user of the data must give.")


class Licensed(Schema):
    licence: Licence = Field(description="The licence of the atlas's data.")

    @staticmethod
    def resolve_licence(obj: Any) -> dict[str, str]:
        return licence()


class CapabilityOut(Schema):
    kind: str = Field(description="face, gait, voice, emotion, other_biometric, plate, unknown.")
    confidence: str = Field(description="How sure we are: confirmed, likely or suspected.")


class EvidenceOut(Schema):
    claim: str = Field(description="What the evidence supports.")
    kind: str = Field(description="document, photo, procurement, press or foi.")
    title: str
    url: str = Field(description="Where it was published, if it was; else empty.")
    read_on: date | None = Field(description="The day the link was read.")
    has_file: bool = Field(description="Whether this site keeps a copy (file_url).")
    file_url: str | None

    @staticmethod
    def resolve_has_file(obj: Evidence) -> bool:
        return bool(obj.file_version)

    @staticmethod
    def resolve_file_url(obj: Evidence, context: dict[str, Any]) -> str | None:
        if not obj.file_version:
            return None
        path = reverse("atlas:evidence_file", args=[obj.pk, obj.file_version])
        return str(context["request"].build_absolute_uri(path))


class FoiOut(Schema):
    authority: str = Field(description="Who the request was sent to.")
    sent_on: date
    status: str
    answered_on: date | None
    answer: str


class Grade(Schema):
    verification: str = Field(
        description="reported, corroborated (by independent reviewers) or confirmed (by an"
        " official source)."
    )
    agreement: str = Field(description="The reviewers' agreement: unanimous, majority, split.")
    votes_for: int
    votes_total: int


class FoiSummary(Schema):
    total: int
    by_status: dict[str, int]


class DeploymentSummary(Grade):
    slug: str
    name: str
    country: str
    city: str
    operator: str
    system: str
    vendor: str
    status: str = Field(description="planned, pilot, active, suspended or ended.")
    started_on: date | None
    ended_on: date | None
    legal_basis: str = Field(description="The legal basis its operator claims.")
    dpia: str = Field(description="Whether a data-protection impact assessment exists.")
    latitude: float | None
    longitude: float | None
    capabilities: list[CapabilityOut]
    devices: int = Field(description="Its public devices still in place.")
    foi_requests: FoiSummary
    evidence: list[EvidenceOut]
    url: str = Field(description="Its page on this site.")

    @staticmethod
    def resolve_country(obj: Deployment) -> str:
        return str(obj.country)

    @staticmethod
    def resolve_devices(obj: Deployment) -> int:
        return int(getattr(obj, "device_count", 0))

    @staticmethod
    def resolve_foi_requests(obj: Deployment) -> dict[str, Any]:
        by_status: dict[str, int] = {}
        for request in obj.foi_requests.all():
            by_status[request.status] = by_status.get(request.status, 0) + 1
        return {"total": sum(by_status.values()), "by_status": by_status}

    @staticmethod
    def resolve_url(obj: Deployment, context: dict[str, Any]) -> str:
        path = reverse("atlas:deployment", args=[obj.slug])
        return str(context["request"].build_absolute_uri(path))


class FoiRequests(FoiSummary):
    requests: list[FoiOut]


class DeploymentDetail(DeploymentSummary, Licensed):
    description: str
    foi_requests: FoiRequests

    @staticmethod
    def resolve_foi_requests(obj: Deployment) -> dict[str, Any]:
        summary = DeploymentSummary.resolve_foi_requests(obj)
        return {**summary, "requests": list(obj.foi_requests.all())}


class PhotoOut(Schema):
    url: str
    width: int
    height: int
    alt: str

    @staticmethod
    def resolve_url(obj: Photo, context: dict[str, Any]) -> str:
        path = reverse("atlas:photo", args=[obj.pk, obj.version])
        return str(context["request"].build_absolute_uri(path))


class DeviceSummary(Grade):
    id: int
    latitude: float
    longitude: float
    city: str
    place: str
    watches: str
    mount: str
    camera_type: str
    direction: int | None = Field(description="Degrees from north, clockwise.")
    model: str
    first_seen: date
    last_seen: date
    needs_recheck: bool = Field(description="Not seen for ATLAS_RECHECK_MONTHS.")
    deployment: str | None = Field(description="The slug of its deployment, if public.")
    capabilities: list[CapabilityOut] = Field(description="Its deployment's capabilities.")
    url: str = Field(description="Its page on this site.")

    @staticmethod
    def resolve_needs_recheck(obj: Device) -> bool:
        return is_stale(obj)

    @staticmethod
    def resolve_deployment(obj: Device) -> str | None:
        deployment = _public_deployment(obj)
        return deployment.slug if deployment is not None else None

    @staticmethod
    def resolve_capabilities(obj: Device) -> list[Capability]:
        deployment = _public_deployment(obj)
        return list(deployment.capabilities.all()) if deployment is not None else []

    @staticmethod
    def resolve_url(obj: Device, context: dict[str, Any]) -> str:
        path = reverse("atlas:device", args=[obj.pk])
        return str(context["request"].build_absolute_uri(path))


class DeviceDetail(DeviceSummary, Licensed):
    evidence: list[EvidenceOut]
    photos: list[PhotoOut]


class Paged(Pages):
    """A page of records with the data's licence beside them."""

    class Output(Schema):
        items: list[Any]
        count: int
        licence: Licence

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        return {**page, "licence": licence()}


# --- Filters ----------------------------------------------------------------------------


def _public_deployment(device: Device) -> Deployment | None:
    deployment = device.deployment
    return deployment if deployment is not None and deployment.published else None


def _choice(name: str, value: str | None, choices: list[tuple[str, Any]]) -> str | None:
    if value is None or value == "":
        return None
    allowed = [code for code, _label in choices]
    if value not in allowed:
        raise HttpError(400, str(BAD_CHOICE % {"name": name, "values": ", ".join(allowed)}))
    return value


def _grades(raw: str | None) -> tuple[str, ...]:
    try:
        return parse_verification(raw, default=EVERY_GRADE)
    except BadParameter as problem:
        raise HttpError(400, str(problem)) from None


def _text(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    return value.strip()[:MAX_TEXT]


def parse_bbox(raw: str) -> tuple[float, float, float, float]:
    """``west,south,east,north`` in degrees; west > east crosses the antimeridian."""
    parts = raw.split(",")
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        raise HttpError(400, str(BAD_BBOX)) from None
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
        raise HttpError(400, str(BAD_BBOX))
    west, south, east, north = numbers
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise HttpError(400, str(BAD_BBOX))
    return west, south, east, north


class DeploymentFilters(Schema):
    verification: str | None = Field(
        None, description="Comma-separated grades: reported, corroborated, confirmed."
    )
    country: str | None = Field(None, description="A two-letter country code.")
    city: str | None = Field(None, description="A city or area, in any case.")
    capability: str | None = Field(None, description="A capability's code.")
    status: str | None = Field(None, description="A status's code.")


class DeviceFilters(Schema):
    bbox: str | None = Field(
        None, description="west,south,east,north in degrees (WGS 84); west > east crosses 180°."
    )
    verification: str | None = Field(
        None, description="Comma-separated grades: reported, corroborated, confirmed."
    )
    deployment: str | None = Field(None, description="A deployment's slug.")
    city: str | None = Field(None, description="A city or area, in any case.")
    capability: str | None = Field(None, description="Its deployment's capability's code.")
    stale: bool | None = Field(None, description="Only the devices that need a re-check.")


# Evidence without its file (served by its own address).
_EVIDENCE = Evidence.objects.defer("file").order_by("pk")


def _deployment_queryset() -> QuerySet[Deployment]:
    return (
        public_deployments()
        .annotate(
            device_count=Count(
                "devices", filter=Q(devices__published=True, devices__removed_on__isnull=True)
            )
        )
        .prefetch_related("capabilities", "foi_requests", Prefetch("evidence", queryset=_EVIDENCE))
    )


def _device_queryset() -> QuerySet[Device]:
    return (
        public_devices().select_related("deployment").prefetch_related("deployment__capabilities")
    )


# --- Endpoints --------------------------------------------------------------------------


@router.get(
    "/deployments",
    response=list[DeploymentSummary],
    summary="Public deployments, by country and city, each with its verification grade",
    operation_id="list_atlas_deployments",
)
@paginate(Paged)
def deployments(request: HttpRequest, filters: Query[DeploymentFilters]) -> QuerySet[Deployment]:
    found = _deployment_queryset().filter(verification__in=_grades(filters.verification))
    if filters.country:
        if not _COUNTRY.match(filters.country):
            raise HttpError(400, str(BAD_COUNTRY))
        found = found.filter(country=filters.country.upper())
    city = _text(filters.city)
    if city:
        found = found.filter(city__iexact=city)
    capability = _choice("capability", filters.capability, Capability.Kind.choices)
    if capability:
        found = found.filter(capabilities__kind=capability).distinct()
    status = _choice("status", filters.status, Deployment.Status.choices)
    if status:
        found = found.filter(status=status)
    return found.order_by("country", "city", "name", "pk")


@router.get(
    "/deployments/{slug}",
    response={200: DeploymentDetail, 404: Error},
    summary="A public deployment with its description, evidence and FOI requests",
    operation_id="get_atlas_deployment",
)
def deployment(request: HttpRequest, slug: str) -> Deployment:
    return get_object_or_404(_deployment_queryset(), slug=slug)


@router.get(
    "/devices",
    response=list[DeviceSummary],
    summary="Public devices still in place, in a box and by grade",
    operation_id="list_atlas_devices",
)
@paginate(Paged)
def devices(request: HttpRequest, filters: Query[DeviceFilters]) -> QuerySet[Device]:
    found = _device_queryset().filter(verification__in=_grades(filters.verification))
    if filters.bbox:
        west, south, east, north = parse_bbox(filters.bbox)
        found = found.filter(latitude__gte=south, latitude__lte=north)
        if west <= east:
            found = found.filter(longitude__gte=west, longitude__lte=east)
        else:
            found = found.filter(Q(longitude__gte=west) | Q(longitude__lte=east))
    if filters.deployment:
        found = found.filter(deployment__slug=filters.deployment[:MAX_TEXT])
        found = found.filter(deployment__published=True)
    city = _text(filters.city)
    if city:
        found = found.filter(city__iexact=city)
    capability = _choice("capability", filters.capability, Capability.Kind.choices)
    if capability:
        found = found.filter(
            deployment__published=True, deployment__capabilities__kind=capability
        ).distinct()
    if filters.stale is not None:
        cutoff = recheck_cutoff()
        found = (
            found.filter(last_seen__lt=cutoff)
            if filters.stale
            else found.exclude(last_seen__lt=cutoff)
        )
    return found.order_by("pk")


@router.get(
    "/devices/{device_id}",
    response={200: DeviceDetail, 404: Error},
    summary="A public device with its evidence and photos",
    operation_id="get_atlas_device",
)
def device(request: HttpRequest, device_id: int) -> Device:
    return get_object_or_404(
        _device_queryset().prefetch_related(
            Prefetch("evidence", queryset=_EVIDENCE),
            Prefetch("photos", queryset=Photo.objects.defer("content").order_by("pk")),
        ),
        pk=device_id,
    )


ROUTERS = [ApiRouter("atlas", router)]
