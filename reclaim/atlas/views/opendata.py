"""The atlas's open data: a page that says what the files hold and under which licence,
and the files themselves, streamed (``services/exports.py``).

Choices a user of the files meets:

- **CSV's licence.** CSV has no comments and a header travels only as far as the download:
  the licence is in a ``licence`` column of every row (it stays with any row copied out of
  the file, where a README would stay behind), in the file's name
  (``reclaim-atlas-devices-ODbL-1.0.csv``) and in an HTTP ``Link: <...>; rel="license"``
  header (RFC 4946) for programs.
- **CSV's encoding.** UTF-8 *without* a byte-order mark: Python's csv, pandas, R, QGIS and
  every database import read it as it is, while a BOM ends up glued to the first column's
  name in several of them. Spreadsheet users import it as UTF-8 (the data page says how).
- **Formulas.** A text cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage
  return) is prefixed with ``'`` so that a spreadsheet shows it instead of running it.
- **Caching.** Every file has an ETag computed from a few aggregates of the records (not
  from the body, which is streamed); a matching ``If-None-Match`` gets 304 with no body.
  The files are public, read with no cookie, and open to other sites (CORS ``*``) so that
  a map elsewhere can load the GeoJSON.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag
from django.views.decorators.http import require_safe

from reclaim.atlas.models import Verification
from reclaim.atlas.services import exports
from reclaim.atlas.services.public import public_deployments, public_devices

GEOJSON = "application/geo+json"
CSV = "text/csv; charset=utf-8; header=present"
# The media type OpenStreetMap registered for its XML (IANA), which JOSM opens.
OSM = "application/vnd.openstreetmap.data+xml; charset=utf-8"


def _bad_request(message: str) -> HttpResponse:
    # Plain text: whoever asked for a file is most likely a program or a terminal.
    response = HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def _file(
    request: HttpRequest,
    *,
    kind: str,
    grades: tuple[str, ...],
    content_type: str,
    filename: str,
    body: Callable[[], Iterator[str]],
) -> HttpResponseBase:
    """A streamed export with its licence, caching and CORS headers; 304 when the reader
    has it already, headers only for HEAD."""
    etag = quote_etag(exports.fingerprint(kind, grades))
    unchanged = get_conditional_response(request, etag=etag)
    if unchanged is not None:
        response: HttpResponseBase = unchanged
    elif request.method == "HEAD":
        response = HttpResponse(content_type=content_type)
    else:
        response = StreamingHttpResponse(
            (chunk.encode() for chunk in body()), content_type=content_type
        )
    terms = exports.licence()
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={int(settings.RECLAIM['API_MAX_AGE'])}"
    response["Link"] = f'<{terms["url"]}>; rel="license"'
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "ETag, Link, Content-Disposition"
    return response


def _grades(
    request: HttpRequest, allowed: tuple[str, ...] = exports.EVERY_GRADE
) -> tuple[str, ...]:
    return exports.parse_verification(request.GET.get("verification"), allowed=allowed)


def _site(request: HttpRequest) -> exports.Links:
    return exports.links(f"{request.scheme}://{request.get_host()}")


def _licence_slug() -> str:
    return "".join(c for c in exports.licence()["id"] if c.isalnum() or c in ".-") or "licence"


@dataclass(frozen=True)
class DataFile:
    """One of the files: its media type, the name it downloads as, the grades a reader may
    ask for, and how its body is written from the records."""

    content_type: str
    filename: Callable[[], str]
    body: Callable[[tuple[str, ...], exports.Links], Iterator[str]]
    allowed: tuple[str, ...] = exports.EVERY_GRADE


FILES: dict[str, DataFile] = {
    "devices.geojson": DataFile(
        GEOJSON,
        lambda: "reclaim-atlas-devices.geojson",
        lambda grades, site: exports.geojson(exports.device_records(grades, site), "devices"),
    ),
    "deployments.geojson": DataFile(
        GEOJSON,
        lambda: "reclaim-atlas-deployments.geojson",
        lambda grades, site: exports.geojson(
            exports.deployment_records(grades, site), "deployments"
        ),
    ),
    "devices.csv": DataFile(
        CSV,
        lambda: f"reclaim-atlas-devices-{_licence_slug()}.csv",
        lambda grades, site: exports.csv_rows(
            exports.device_records(grades, site), exports.DEVICE_COLUMNS
        ),
    ),
    "deployments.csv": DataFile(
        CSV,
        lambda: f"reclaim-atlas-deployments-{_licence_slug()}.csv",
        lambda grades, site: exports.csv_rows(
            exports.deployment_records(grades, site), exports.DEPLOYMENT_COLUMNS
        ),
    ),
    # Only what reviewers corroborated or an official source confirmed goes towards
    # OpenStreetMap: a single visitor's report is not enough for a map others rely on.
    "devices.osm": DataFile(
        OSM,
        lambda: "reclaim-atlas-devices.osm",
        lambda grades, site: exports.osm_xml(exports.device_records(grades, site)),
        allowed=exports.VERIFIED,
    ),
}


@require_safe
def data_file(request: HttpRequest, kind: str) -> HttpResponseBase:
    """One of ``FILES`` (the URL names it), for the grades asked (``?verification=``)."""
    spec = FILES[kind]
    try:
        grades = _grades(request, allowed=spec.allowed)
    except exports.BadParameter as refused:
        return _bad_request(str(refused))
    site = _site(request)
    return _file(
        request,
        kind=kind,
        grades=grades,
        content_type=spec.content_type,
        filename=spec.filename(),
        body=lambda: spec.body(grades, site),
    )


@require_safe
def data(request: HttpRequest) -> HttpResponse:
    """What the files hold, under which licence, and where they are."""
    every = ",".join(exports.EVERY_GRADE)
    devices = public_devices()
    try:
        api_docs = reverse("api_v1:openapi-view")
    except NoReverseMatch:  # pragma: no cover - the API is always installed
        api_docs = ""
    return render(
        request,
        "atlas/opendata.html",
        {
            "licence": exports.licence(),
            "attribution": exports.attribution(),
            "every": every,
            "verified_devices": devices.filter(verification__in=exports.VERIFIED).count(),
            "reported_devices": devices.filter(verification=Verification.REPORTED).count(),
            "verified_deployments": public_deployments()
            .filter(verification__in=exports.VERIFIED)
            .count(),
            "api_docs": api_docs,
        },
    )
