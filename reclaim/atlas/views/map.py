"""The atlas's map (``atlas:map``, the atlas's home) and the clusters it draws
(``atlas:clusters``).

The page is server-rendered: its filters are a GET form, and below the map a list of the
deployments and a link to the list view work without JavaScript. With JavaScript,
``atlas/map.js`` draws Leaflet (served from our origin) over country outlines from our
origin (``atlas/world.geojson``, Natural Earth, public domain): nothing is loaded from
another site until the visitor presses the button that says where street-map tiles come
from. Only this page's Content-Security-Policy allows those tiles.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from csp.decorators import csp_update
from django import forms
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from reclaim.atlas.models import Capability, Deployment, Verification
from reclaim.atlas.services.clusters import (
    CELL_PX,
    MAX_ZOOM,
    BadQuery,
    Filters,
    feature_collection,
    map_version,
    parse_filters,
    parse_view,
)
from reclaim.atlas.services.public import public_deployments

# Where the street map's tiles come from, once the visitor asks for them (map.js holds
# the address; the policy here lets only this page's images come from it).
TILE_HOST = "https://tile.openstreetmap.org"
# Browsers and proxies may keep an answer this long; the ETag (the data's version) makes
# asking again cheap after that.
CLUSTERS_MAX_AGE = 60
# A sentinel in the device and deployment addresses that map.js replaces.
PLACEHOLDER_ID = 2147483647
PLACEHOLDER_SLUG = "atlas-slug-placeholder"


def _any(choices: Sequence[tuple[str, StrOrPromise]]) -> list[tuple[str, StrOrPromise]]:
    return [("", _("Any")), *choices]


class MapFilters(forms.Form):
    capability = forms.ChoiceField(
        label=_("Capability"), choices=_any(Capability.Kind.choices), required=False
    )
    verification = forms.ChoiceField(
        label=_("Verification"), choices=_any(Verification.choices), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=_any(Deployment.Status.choices), required=False
    )


def _filters(request: HttpRequest) -> tuple[MapFilters, Filters]:
    """The map's filters as the visitor chose them; an unknown value is dropped (the form
    says so), so that an old link still shows a map."""
    form = MapFilters(request.GET)
    form.is_valid()
    cleaned = {
        name: str(form.cleaned_data.get(name) or "")
        for name in ("capability", "verification", "status")
        if name not in form.errors
    }
    return form, Filters(**cleaned)


def _deployments(filters: Filters) -> QuerySet[Deployment]:
    found = public_deployments().annotate(
        device_count=Count(
            "devices",
            filter=Q(devices__published=True, devices__removed_on__isnull=True),
        )
    )
    if filters.capability:
        found = found.filter(capabilities__kind=filters.capability)
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.verification:
        found = found.filter(verification=filters.verification)
    return found.order_by("country", "city", "name")


@require_safe
@csp_update({"img-src": [TILE_HOST]})  # type: ignore[arg-type]  # typed for (request) only
def map_page(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    query = filters.as_query()
    list_url = reverse("atlas:list") + "?" + urlencode({"kind": "devices", **query})
    context = {
        "form": form,
        "filters": query,
        "filtered": bool(query),
        "list_url": list_url,
        "deployments_list_url": reverse("atlas:list") + ("?" + urlencode(query) if query else ""),
        "deployments": _deployments(filters),
        "clusters_url": reverse("atlas:clusters"),
        "device_url": reverse("atlas:device", args=[PLACEHOLDER_ID]),
        "deployment_url": reverse("atlas:deployment", args=[PLACEHOLDER_SLUG]),
        "map_config": {
            "placeholderId": str(PLACEHOLDER_ID),
            "placeholderSlug": PLACEHOLDER_SLUG,
            "maxZoom": MAX_ZOOM,
            "cellPx": CELL_PX,
            "filters": query,
            "labels": _labels(),
        },
    }
    return render(request, "atlas/map.html", context)


def _labels() -> dict[str, str]:
    """What map.js writes, translated here (the script has no catalogue of its own)."""
    labels = {
        "zoomIn": _("Zoom in"),
        "zoomOut": _("Zoom out"),
        # Translators: %(count)s is a number of devices in one place on the map.
        "cluster": _("%(count)s devices here: zoom in"),
        # Translators: %(id)s is a device's number, %(verification)s how sure we are.
        "device": _("Device %(id)s (%(verification)s)"),
        "stale": _("needs a re-check"),
        # Translators: %(name)s is a deployment's name.
        "deployment": _("Deployment: %(name)s (no devices on the map)"),
        "showTiles": _(
            "Show street map — loads map tiles from tile.openstreetmap.org (OpenStreetMap), "
            "which will see your IP address"
        ),
        "hideTiles": _("Hide the street map"),
        "tilesAttribution": _("Map tiles and data © OpenStreetMap contributors"),
        "outlines": _("Country outlines: Natural Earth"),
        "loading": _("Loading the map’s points…"),
        "failed": _("The map’s points could not be loaded. The list works without them."),
        # Translators: %(count)s is a number of devices or deployments shown on the map.
        "shown": _("%(count)s places shown on the map."),
    }
    labels |= {f"verification:{value}": label for value, label in Verification.choices}
    return {name: str(text) for name, text in labels.items()}


@require_safe
def clusters(request: HttpRequest) -> HttpResponse:
    """``?bbox=west,south,east,north&zoom=z[&capability=&verification=&status=]``: the
    public devices in the box as a GeoJSON FeatureCollection of clusters and single
    devices, and the deployments there that have a centre but no device. Anything
    else: 400 with ``{"error": ...}``."""
    try:
        view = parse_view(request.GET.get("bbox"), request.GET.get("zoom"))
        filters = parse_filters(request.GET)
    except BadQuery as problem:
        return JsonResponse({"error": str(problem)}, status=400)
    version = map_version()
    today = timezone.localdate()
    # The version changes with the data, the day with "needs a re-check".
    tag = hashlib.sha256(
        repr((version, today.isoformat(), view.key(), filters.key())).encode()
    ).hexdigest()[:24]
    etag = f'"{tag}"'
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        not_modified["Cache-Control"] = f"public, max-age={CLUSTERS_MAX_AGE}"
        return not_modified
    response = JsonResponse(feature_collection(view, filters, today, version))
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={CLUSTERS_MAX_AGE}"
    return response
