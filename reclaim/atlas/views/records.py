"""The atlas's public record pages: the list with its filters, a page per deployment and
per device, the devices that need a re-check, and the photos and files of evidence.

Every page is plain HTML that works without JavaScript. The list's filters are a GET form:
a value the list does not know (an old link, a typo, something hostile) is left out with a
notice, never an error, so a shared link always opens.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_safe

from reclaim.atlas.access_records import (
    get_readable_deployment,
    get_readable_device,
    get_readable_evidence_file,
    get_readable_photo,
    may_preview,
)
from reclaim.atlas.models import Capability, Deployment, Device, Evidence, Verification
from reclaim.atlas.services.evidence import PDF, by_claim
from reclaim.atlas.services.public import (
    is_stale,
    needs_recheck,
    public_deployments,
    public_devices,
    recheck_cutoff,
)

# Records per page of the list and the re-check list: a screenful of cards.
PER_PAGE = 25
# The addresses of photos and files change with their content: a year of caching is safe.
MAX_AGE = 365 * 24 * 3600
# What a served file may do on our origin: nothing (no script, no form, no plugin).
SANDBOX_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
# A filter value longer than this is no city we know.
MAX_FILTER_LENGTH = 120

KINDS = [("deployments", _("Deployments")), ("devices", _("Devices"))]


def report_url(device: Device | None = None) -> str | None:
    """The report form (``atlas:report``, the reports part's), for a re-check of ``device``;
    None while that page does not exist."""
    try:
        url = reverse("atlas:report")
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode({'device': device.pk})}" if device is not None else url


def _cities() -> list[str]:
    """The cities of public records, for the filter."""
    names = set(public_deployments().exclude(city="").values_list("city", flat=True))
    names |= set(
        public_devices().exclude(city="").order_by().values_list("city", flat=True).distinct()
    )
    return sorted(names, key=str.casefold)


class ListFilters(forms.Form):
    kind = forms.ChoiceField(label=_("Show"), choices=KINDS, required=False)
    city = forms.ChoiceField(label=_("City or area"), required=False)
    capability = forms.ChoiceField(
        label=_("Capability"),
        choices=[("", _("Any"))] + list(Capability.Kind.choices),
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any"))] + list(Deployment.Status.choices),
        required=False,
    )
    verification = forms.ChoiceField(
        label=_("Verification"),
        choices=[("", _("Any"))] + list(Verification.choices),
        required=False,
    )
    deployment = forms.SlugField(required=False, widget=forms.HiddenInput, max_length=80)

    def __init__(self, *args: Any, cities: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        city = self.fields["city"]
        assert isinstance(city, forms.ChoiceField)
        city.choices = [("", _("Any"))] + [(name, name) for name in cities]


def _clean_filters(request: HttpRequest) -> tuple[ListFilters, dict[str, str], list[str]]:
    """The form, the filters that hold, and the labels of those left out."""
    data = {
        name: value[:MAX_FILTER_LENGTH]
        for name in ListFilters.base_fields
        if (value := request.GET.get(name, ""))
    }
    cities = _cities()
    form = ListFilters(data, cities=cities)
    form.is_valid()
    ignored = [str(form.fields[name].label or name) for name in form.errors]
    filters = {
        name: str(value)
        for name, value in form.cleaned_data.items()
        if value and name not in form.errors
    }
    # The form shows only what holds.
    form = ListFilters(initial=filters, cities=cities)
    return form, filters, ignored


def _deployment_list(filters: dict[str, str]) -> QuerySet[Deployment]:
    found = public_deployments()
    if city := filters.get("city"):
        found = found.filter(city=city)
    if capability := filters.get("capability"):
        found = found.filter(capabilities__kind=capability)
    if status := filters.get("status"):
        found = found.filter(status=status)
    if verification := filters.get("verification"):
        found = found.filter(verification=verification)
    if slug := filters.get("deployment"):
        found = found.filter(slug=slug)
    return (
        found.annotate(
            device_count=Count(
                "devices", filter=Q(devices__published=True, devices__removed_on=None)
            )
        )
        .prefetch_related("capabilities")
        .order_by("country", "city", "name", "pk")
    )


def _device_list(filters: dict[str, str]) -> QuerySet[Device]:
    found = public_devices().select_related("deployment").order_by("city", "place", "pk")
    if city := filters.get("city"):
        found = found.filter(city=city)
    if capability := filters.get("capability"):
        found = found.filter(deployment__capabilities__kind=capability)
    if status := filters.get("status"):
        found = found.filter(deployment__status=status)
    if verification := filters.get("verification"):
        found = found.filter(verification=verification)
    if slug := filters.get("deployment"):
        found = found.filter(deployment__slug=slug, deployment__published=True)
    return found


def _query(filters: dict[str, str], **changes: str) -> str:
    values = {**filters, **changes}
    return urlencode({name: value for name, value in values.items() if value})


@require_GET
def record_list(request: HttpRequest) -> HttpResponse:
    form, filters, ignored = _clean_filters(request)
    kind = filters.get("kind", "deployments")
    found: QuerySet[Any] = _device_list(filters) if kind == "devices" else _deployment_list(filters)
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    deployment = None
    if slug := filters.get("deployment"):
        deployment = public_deployments().filter(slug=slug).first()
    context = {
        "form": form,
        "kind": kind,
        "kinds": [
            (value, label, _query(filters, kind=value), value == kind) for value, label in KINDS
        ],
        "filters": filters,
        "filtered": any(name != "kind" for name in filters),
        "ignored": ignored,
        "page": page,
        "records": page.object_list,
        "page_query": _query(filters),
        "deployment": deployment,
        "cutoff": recheck_cutoff(),
    }
    return render(request, "atlas/list.html", context)


@require_GET
def deployment(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_readable_deployment(request.user, slug)
    documents = Prefetch(
        "documents", queryset=Evidence.objects.defer("file").order_by("added_at", "pk")
    )
    context = {
        "deployment": found,
        "preview": not found.published,
        "capabilities": list(found.capabilities.all()),
        "foi_requests": list(found.foi_requests.prefetch_related(documents)),
        "evidence": by_claim(found),
        "device_count": public_devices().filter(deployment=found).count(),
        "devices_url": reverse("atlas:list")
        + "?"
        + _query({"kind": "devices", "deployment": slug}),
    }
    return render(request, "atlas/deployment.html", context)


@require_GET
def device(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_readable_device(request.user, pk)
    deployment = found.deployment
    if deployment is not None and not deployment.published and not may_preview(request.user):
        deployment = None
    context = {
        "device": found,
        "preview": not found.published,
        "deployment": deployment,
        "photos": list(found.photos.defer("content")),
        "evidence": by_claim(found),
        "stale": found.removed_on is None and is_stale(found),
        "report_url": report_url(found) if found.removed_on is None else None,
    }
    return render(request, "atlas/device.html", context)


@require_GET
def recheck(request: HttpRequest) -> HttpResponse:
    page = Paginator(needs_recheck().select_related("deployment"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    checks = [(item, report_url(item)) for item in page.object_list]
    context = {"page": page, "checks": checks, "cutoff": recheck_cutoff()}
    return render(request, "atlas/recheck.html", context)


def _served(content: bytes, content_type: str, public: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    # A preview of what is not public stays out of every cache.
    response["Cache-Control"] = (
        f"public, max-age={MAX_AGE}, immutable" if public else "private, no-store"
    )
    return response


def _moved(url_name: str, pk: int, version: str, public: bool) -> HttpResponse:
    """An old version's address sends to the current one (briefly cached when public)."""
    moved = redirect(url_name, pk=pk, version=version)
    moved["Cache-Control"] = "public, max-age=60" if public else "private, no-store"
    return moved


@require_safe
def photo(request: HttpRequest, pk: str, version: str) -> HttpResponse:
    found, public = get_readable_photo(request.user, int(pk))
    if version != found.version:
        return _moved("atlas:photo", found.pk, found.version, public)
    response = _served(bytes(found.content), found.content_type, public)
    extension = "jpg" if found.content_type == "image/jpeg" else "png"
    response["Content-Disposition"] = f'inline; filename="atlas-photo-{found.pk}.{extension}"'
    return response


@require_safe
def evidence_file(request: HttpRequest, pk: str, version: str) -> HttpResponse:
    found, public = get_readable_evidence_file(request.user, int(pk))
    if version != found.file_version:
        return _moved("atlas:evidence_file", found.pk, found.file_version, public)
    response = _served(bytes(found.file or b""), found.file_type, public)
    # A PDF is downloaded, never shown in our origin; an image may show in the page.
    disposition = "attachment" if found.file_type == PDF else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{found.file_name}"'
    return response
