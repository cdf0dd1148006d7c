"""The atlas's open data: which records leave the site, and the files they leave in
(GeoJSON, CSV, OpenStreetMap XML), each with its licence (``RECLAIM["ATLAS_DATA_LICENCE"]``).

Only public records are ever exported (``services.public``: published, and for devices not
gone); of those, by default only the verified ones (corroborated by reviewers or confirmed
by an official source). A reader may ask for the reviewed-but-only-reported ones too
(``?verification=reported,corroborated,confirmed``); nothing else widens the selection, so
an unpublished record or a pending report can never be in a file.

The files are written row by row from batches of ``BATCH`` records read in the order of
their keys (keyset pagination, not OFFSET and not one long cursor), so memory stays bounded
with 100,000 devices on every database, and the first bytes go out before the last row is
read. Their content is the same in every language (codes, not labels), so one ETag
(``fingerprint``) serves them all.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any
from xml.sax.saxutils import quoteattr

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reclaim.atlas.models import Capability, Deployment, Device, Verification
from reclaim.atlas.services.public import public_deployments, public_devices
from reclaim.lib import safecsv

# Records read per query while a file is written: large enough that 100,000 devices take
# 50 queries, small enough that a batch's rows are a few megabytes at most.
BATCH = 2000
# Changed whenever a file's layout changes, so that caches let go of the old one.
FORMAT_VERSION = "1"
# RFC 7946 recommends six decimals (about 10 cm): more is false precision.
PRECISION = 6

VERIFIED = (Verification.CORROBORATED.value, Verification.CONFIRMED.value)
EVERY_GRADE = tuple(grade.value for grade in Verification)

BAD_VERIFICATION = _(
    "The verification parameter takes a comma-separated list of these grades: %(grades)s."
)
OSM_VERIFIED_ONLY = _(
    "The OpenStreetMap file holds only corroborated or confirmed devices: %(grades)s."
)

# Our capability codes as the values of the namespaced tag ``reclaim:capability`` (and
# in the other files): OpenStreetMap has no tag for what a camera's software does.
CAPABILITY_TAGS: dict[str, str] = {
    Capability.Kind.FACE: "face_recognition",
    Capability.Kind.GAIT: "gait_recognition",
    Capability.Kind.VOICE: "voice_recognition",
    Capability.Kind.EMOTION: "emotion_recognition",
    Capability.Kind.OTHER_BIOMETRIC: "other_biometric",
    Capability.Kind.PLATE: "licence_plate",
    Capability.Kind.UNKNOWN: "unknown",
}

# OpenStreetMap's ``surveillance=*``: a public space (streets, squares, stations), a private
# but outdoor one (a building's entrance, a school's yard) or the inside of a building. A
# ceiling mount is inside whatever it watches; "something else" gets no tag, not a guess.
SURVEILLANCE_ZONES: dict[str, str] = {
    Device.Watches.STREET: "public",
    Device.Watches.SQUARE: "public",
    Device.Watches.TRANSPORT: "public",
    Device.Watches.STADIUM: "public",
    Device.Watches.BORDER: "public",
    Device.Watches.BUILDING: "outdoor",
    Device.Watches.SCHOOL: "outdoor",
    Device.Watches.SHOP: "indoor",
}
OSM_MOUNTS: set[str] = {Device.Mount.POLE, Device.Mount.WALL, Device.Mount.CEILING}
OSM_CAMERA_TYPES: set[str] = {
    Device.CameraType.FIXED,
    Device.CameraType.PANNING,
    Device.CameraType.DOME,
}
# OpenStreetMap refuses a tag value longer than this.
OSM_VALUE_LENGTH = 255


class BadParameter(ValueError):
    """A reader's parameter we cannot use; its message is for them (translated)."""


def licence() -> dict[str, str]:
    """The data's licence: id (SPDX), name, url and the attribution its users must give."""
    configured = settings.RECLAIM["ATLAS_DATA_LICENCE"]
    return {key: str(configured.get(key, "")) for key in ("id", "name", "url", "attribution")}


def attribution() -> str:
    """The sentence a user of the data reproduces (the ODbL's own suggested wording)."""
    terms = licence()
    return (
        f"Contains information from the {terms['attribution']}, which is made available"
        f" under the {terms['name']} ({terms['id']}): {terms['url']}"
    )


def parse_verification(
    raw: str | None, default: tuple[str, ...] = VERIFIED, allowed: tuple[str, ...] = EVERY_GRADE
) -> tuple[str, ...]:
    """The grades a reader asked for (``"reported,confirmed"``), in their canonical order.

    Anything but known grades is refused with ``BadParameter``: a reader who mistyped one
    must learn it, not get a smaller file that looks complete."""
    if raw is None or not raw.strip():
        return default
    asked = {part.strip() for part in raw.split(",") if part.strip()}
    if not asked or len(raw) > 100 or not asked <= set(allowed):
        message = OSM_VERIFIED_ONLY if allowed == VERIFIED else BAD_VERIFICATION
        raise BadParameter(message % {"grades": ", ".join(allowed)})
    return tuple(grade for grade in allowed if grade in asked)


# --- What is exported ----------------------------------------------------------------


def exported_devices(grades: Iterable[str] = VERIFIED) -> QuerySet[Device]:
    return public_devices().filter(verification__in=list(grades))


def exported_deployments(grades: Iterable[str] = VERIFIED) -> QuerySet[Deployment]:
    return public_deployments().filter(verification__in=list(grades))


def capabilities_by_deployment() -> dict[int, list[str]]:
    """Each public deployment's capability codes: one query, as many entries as there are
    deployments (a few hundred), whatever the number of devices."""
    found: dict[int, list[str]] = {}
    rows = Capability.objects.filter(deployment__in=public_deployments()).order_by(
        "deployment_id", "kind"
    )
    for deployment_id, kind in rows.values_list("deployment_id", "kind"):
        found.setdefault(deployment_id, []).append(kind)
    return found


def fingerprint(kind: str, grades: Iterable[str]) -> str:
    """An ETag for a file: it changes whenever a record that could be in it is added,
    removed, edited or re-graded, computed from a few aggregates instead of the file.

    ``updated_at`` alone would miss a change saved with ``update_fields`` (a recount of
    votes); the sums of keys and votes catch those and a swap of one record for another."""
    grades = list(grades)
    devices = public_devices().aggregate(
        n=Count("pk"),
        keys=Sum("pk"),
        changed=Max("updated_at"),
        votes=Sum("votes_total"),
        votes_for=Sum("votes_for"),
        confirmed=Count("pk", filter=Q(verification=Verification.CONFIRMED)),
        corroborated=Count("pk", filter=Q(verification=Verification.CORROBORATED)),
    )
    deployments = public_deployments().aggregate(
        n=Count("pk"),
        keys=Sum("pk"),
        changed=Max("updated_at"),
        votes=Sum("votes_total"),
        confirmed=Count("pk", filter=Q(verification=Verification.CONFIRMED)),
        corroborated=Count("pk", filter=Q(verification=Verification.CORROBORATED)),
    )
    capabilities = Capability.objects.aggregate(n=Count("pk"), keys=Sum("pk"))
    state = json.dumps(
        [FORMAT_VERSION, kind, sorted(grades), licence(), devices, deployments, capabilities],
        default=str,
        sort_keys=True,
    )
    return hashlib.sha256(state.encode()).hexdigest()[:32]


# --- Rows -----------------------------------------------------------------------------

DEVICE_FIELDS = (
    "pk",
    "latitude",
    "longitude",
    "city",
    "place",
    "watches",
    "mount",
    "camera_type",
    "direction",
    "model",
    "first_seen",
    "last_seen",
    "verification",
    "agreement",
    "votes_for",
    "votes_total",
    "deployment_id",
    "deployment__published",
    "deployment__slug",
    "deployment__name",
    "deployment__operator",
    "deployment__system",
    "deployment__vendor",
    "deployment__country",
)
DEPLOYMENT_FIELDS = (
    "pk",
    "slug",
    "name",
    "city",
    "country",
    "operator",
    "system",
    "vendor",
    "status",
    "started_on",
    "ended_on",
    "legal_basis",
    "dpia",
    "latitude",
    "longitude",
    "verification",
    "agreement",
    "votes_for",
    "votes_total",
)


def _batches(queryset: QuerySet[Any], fields: tuple[str, ...]) -> Iterator[list[dict[str, Any]]]:
    """The rows of a queryset as dicts, ``BATCH`` at a time, in the order of their keys."""
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last).order_by("pk").values(*fields)[:BATCH])
        if not batch:
            return
        yield batch
        last = batch[-1]["pk"]


# Resolved once per file, then filled in per row: resolving a URL 100,000 times would cost
# more than writing the file.
_KEY = 987654321
_SLUG = "slug-placeholder"


@dataclass(frozen=True)
class Links:
    """A record's page address, from the address of a placeholder record's page. Empty
    when the page does not exist."""

    device: str = ""
    deployment: str = ""

    def device_url(self, pk: int) -> str:
        return self.device.replace(str(_KEY), str(pk), 1)

    def deployment_url(self, slug: str) -> str:
        return self.deployment.replace(_SLUG, slug, 1)


def links(base: str) -> Links:
    """``base``: the site's origin ("https://example.org"), from the request."""

    def pattern(name: str, key: Any) -> str:
        try:
            return base + reverse(name, args=[key])
        except NoReverseMatch:  # until the records part's pages are installed
            return ""

    return Links(
        device=pattern("atlas:device", _KEY), deployment=pattern("atlas:deployment", _SLUG)
    )


def _coordinate(value: float | None) -> float | None:
    return None if value is None else round(value, PRECISION)


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def device_records(grades: Iterable[str], site: Links) -> Iterator[list[dict[str, Any]]]:
    """The exported devices, in batches, as flat records with the codes of their values and
    their public deployment's operator, system and capabilities."""
    capabilities = capabilities_by_deployment()
    for batch in _batches(exported_devices(grades), DEVICE_FIELDS):
        records = []
        for row in batch:
            # A device stays public when its deployment was withdrawn: then nothing of the
            # deployment goes with it.
            public = bool(row["deployment__published"])
            deployment = row["deployment_id"] if public else None
            records.append(
                {
                    "id": row["pk"],
                    "latitude": _coordinate(row["latitude"]),
                    "longitude": _coordinate(row["longitude"]),
                    "city": row["city"],
                    "place": row["place"],
                    "watches": row["watches"],
                    "mount": row["mount"],
                    "camera_type": row["camera_type"],
                    "direction": row["direction"],
                    "model": row["model"],
                    "first_seen": _day(row["first_seen"]),
                    "last_seen": _day(row["last_seen"]),
                    "verification": row["verification"],
                    "agreement": row["agreement"],
                    "votes_for": row["votes_for"],
                    "votes_total": row["votes_total"],
                    "deployment": row["deployment__slug"] if public else "",
                    "deployment_name": row["deployment__name"] if public else "",
                    "operator": row["deployment__operator"] if public else "",
                    "system": row["deployment__system"] if public else "",
                    "vendor": row["deployment__vendor"] if public else "",
                    "country": str(row["deployment__country"] or "") if public else "",
                    "capabilities": [
                        CAPABILITY_TAGS.get(kind, kind)
                        for kind in capabilities.get(deployment or 0, [])
                    ],
                    "url": site.device_url(row["pk"]),
                }
            )
        yield records


def deployment_records(grades: Iterable[str], site: Links) -> Iterator[list[dict[str, Any]]]:
    capabilities = capabilities_by_deployment()
    counts = dict(
        public_devices()
        .filter(deployment__isnull=False)
        .order_by()
        .values("deployment_id")
        .annotate(n=Count("pk"))
        .values_list("deployment_id", "n")
    )
    for batch in _batches(exported_deployments(grades), DEPLOYMENT_FIELDS):
        yield [
            {
                "id": row["pk"],
                "slug": row["slug"],
                "name": row["name"],
                "city": row["city"],
                "country": str(row["country"] or ""),
                "operator": row["operator"],
                "system": row["system"],
                "vendor": row["vendor"],
                "capabilities": [
                    CAPABILITY_TAGS.get(kind, kind) for kind in capabilities.get(row["pk"], [])
                ],
                "status": row["status"],
                "started_on": _day(row["started_on"]),
                "ended_on": _day(row["ended_on"]),
                "legal_basis": row["legal_basis"],
                "dpia": row["dpia"],
                "latitude": _coordinate(row["latitude"]),
                "longitude": _coordinate(row["longitude"]),
                "verification": row["verification"],
                "agreement": row["agreement"],
                "votes_for": row["votes_for"],
                "votes_total": row["votes_total"],
                "devices": counts.get(row["pk"], 0),
                "url": site.deployment_url(row["slug"]),
            }
            for row in batch
        ]


# --- GeoJSON (RFC 7946) ---------------------------------------------------------------


def geojson(batches: Iterator[list[dict[str, Any]]], name: str) -> Iterator[str]:
    """A FeatureCollection, written as it is read. Points are [longitude, latitude]
    (RFC 7946 §3.1.1, no ``crs`` member: WGS 84 is the only one); a deployment without a
    centre has ``"geometry": null``, which the RFC allows for an unlocated feature. The
    licence is a foreign member of the collection (§6.1)."""
    terms = licence()
    head = {
        "type": "FeatureCollection",
        "name": name,
        "licence": {key: terms[key] for key in ("id", "name", "url")},
        "attribution": attribution(),
        "generated": timezone.now().isoformat(timespec="seconds"),
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "features": ['
    first = True
    for batch in batches:
        features = []
        for record in batch:
            properties = {k: v for k, v in record.items() if k not in ("latitude", "longitude")}
            located = record["latitude"] is not None and record["longitude"] is not None
            geometry = (
                {"type": "Point", "coordinates": [record["longitude"], record["latitude"]]}
                if located
                else None
            )
            features.append(
                json.dumps(
                    {
                        "type": "Feature",
                        "id": record["id"],
                        "geometry": geometry,
                        "properties": properties,
                    },
                    ensure_ascii=False,
                )
            )
        if features:
            yield ("\n" if first else ",\n") + ",\n".join(features)
            first = False
    yield "\n]}\n"


# --- CSV ------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    """A record's value as one CSV cell (a list joined by ";", nothing for None). The
    writer (reclaim.lib.safecsv) then keeps a text that starts like a formula from
    running in a spreadsheet; numbers we write ourselves (a negative longitude) stay."""
    if isinstance(value, list):
        return ";".join(str(item) for item in value)
    return "" if value is None else value


class _Line:
    """csv.writer's file: hands back the line it was given instead of keeping it."""

    def write(self, value: str) -> str:
        return value


def csv_rows(batches: Iterator[list[dict[str, Any]]], columns: tuple[str, ...]) -> Iterator[str]:
    """RFC 4180 CSV in UTF-8 without a byte-order mark, a header row first, and the licence
    in a column of every row (see views/opendata.py for why)."""
    writer = safecsv.writer(_Line(), lineterminator="\r\n")
    terms = licence()
    yield writer.writerow([*columns, "licence"])
    for batch in batches:
        yield "".join(
            writer.writerow([*(_cell(record[c]) for c in columns), terms["id"]]) for record in batch
        )


DEVICE_COLUMNS = (
    "id",
    "latitude",
    "longitude",
    "city",
    "place",
    "watches",
    "mount",
    "camera_type",
    "direction",
    "model",
    "first_seen",
    "last_seen",
    "verification",
    "agreement",
    "votes_for",
    "votes_total",
    "deployment",
    "deployment_name",
    "operator",
    "system",
    "vendor",
    "country",
    "capabilities",
    "url",
)
DEPLOYMENT_COLUMNS = (
    "id",
    "slug",
    "name",
    "city",
    "country",
    "operator",
    "system",
    "vendor",
    "capabilities",
    "status",
    "started_on",
    "ended_on",
    "legal_basis",
    "dpia",
    "latitude",
    "longitude",
    "verification",
    "agreement",
    "votes_for",
    "votes_total",
    "devices",
    "url",
)


# --- OpenStreetMap XML ----------------------------------------------------------------

# XML 1.0 allows no control characters but tab, newline and carriage return.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _osm_value(value: Any) -> str:
    return _NOT_XML.sub("", " ".join(str(value).split()))[:OSM_VALUE_LENGTH]


def osm_tags(record: dict[str, Any], source: str) -> list[tuple[str, str]]:
    """A device's OpenStreetMap tags: the established ``man_made=surveillance`` scheme for
    what a mapper can see, our namespace ``reclaim:*`` for what only we know."""
    tags: list[tuple[str, str]] = [
        ("man_made", "surveillance"),
        ("surveillance:type", "camera"),
    ]
    zone = "indoor" if record["mount"] == Device.Mount.CEILING else None
    zone = zone or SURVEILLANCE_ZONES.get(record["watches"])
    if zone:
        tags.append(("surveillance", zone))
    if record["camera_type"] in OSM_CAMERA_TYPES:
        tags.append(("camera:type", record["camera_type"]))
    if record["direction"] is not None:
        tags.append(("camera:direction", str(record["direction"])))
    if record["mount"] in OSM_MOUNTS:
        tags.append(("camera:mount", record["mount"]))
    for key, field in (("operator", "operator"), ("manufacturer", "vendor"), ("model", "model")):
        if record[field]:
            tags.append((key, record[field]))
    known = [tag for tag in record["capabilities"] if tag != "unknown"]
    if known:
        tags.append(("reclaim:capability", ";".join(known)))
    tags.append(("reclaim:verification", record["verification"]))
    tags.append(("reclaim:id", str(record["id"])))
    if record["last_seen"]:
        tags.append(("survey:date", record["last_seen"]))
    tags.append(("source", source))
    return [(key, _osm_value(value)) for key, value in tags if _osm_value(value)]


def osm_xml(batches: Iterator[list[dict[str, Any]]]) -> Iterator[str]:
    """An OSM XML 0.6 file for review in JOSM: every device a new node with a negative id
    (its key, negated, so that two downloads can be compared), none with a version.
    ``upload="false"`` makes JOSM warn before anyone uploads it: the file is for checking
    against the ground and against what OpenStreetMap has, never for a blind import."""
    terms = licence()
    source = f"{terms['attribution']} ({terms['id']})"
    note = (
        f"{attribution()}. For review only: follow OpenStreetMap's import guidelines"
        " (https://wiki.openstreetmap.org/wiki/Import/Guidelines) before uploading anything."
        " OpenStreetMap has no tag for face recognition or other analysis: it is in"
        " reclaim:capability."
    )
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield '<osm version="0.6" generator="reclaim atlas" upload="false">\n'
    yield f"  <note>{_escape(note)}</note>\n"
    yield (
        f"  <meta osm_base={quoteattr(timezone.now().isoformat(timespec='seconds'))}"
        f" licence={quoteattr(terms['id'])} licence_url={quoteattr(terms['url'])}"
        f" attribution={quoteattr(attribution())}/>\n"
    )
    for batch in batches:
        nodes = []
        for record in batch:
            tags = "".join(
                f"    <tag k={quoteattr(k)} v={quoteattr(v)}/>\n"
                for k, v in osm_tags(record, source)
            )
            nodes.append(
                f'  <node id="-{record["id"]}" visible="true"'
                f' lat="{record["latitude"]}" lon="{record["longitude"]}">\n{tags}  </node>\n'
            )
        yield "".join(nodes)
    yield "</osm>\n"


def _escape(text: str) -> str:
    return _NOT_XML.sub("", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
