"""Helpers for the tests of anonymous reports (import them in a test module)."""

from __future__ import annotations

import io
import random
import re
import struct
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image
from PIL.TiffImagePlugin import IFDRational

from reclaim.mail.services import deliver_pending

URL = "/en/atlas/report/"
CONTACT_LINK = re.compile(r"https?://[^/\s]+(/[a-z]{2}/atlas/report/contact/[A-Za-z0-9_:\-]+/)")

# What the test photo's metadata says, to be looked for in everything stored and served.
SERIAL = "SN-QX7-4938217-RECLAIM"
XMP_MARKER = "xmp-secret-place-Kalemegdan"
# The GPS position as EXIF stores it: rationals (numerator, denominator) per degree part.
GPS_LATITUDE = ((44, 1), (48, 1), (4519137, 100000))
GPS_LONGITUDE = ((20, 1), (27, 1), (4032971, 100000))


def form(**fields: Any) -> dict[str, Any]:
    """A device report as a person types it with JavaScript off."""
    data: dict[str, Any] = {
        "kind": "device",
        "description": "Two dome cameras on a pole, turned towards the tram stop.",
        "latitude": "44.8029",
        "longitude": "20.46745",
        "place": "Slavija Square, north-east corner",
        "city": "Belgrade",
        "seen_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "altcha": "",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def post(client: Client, data: dict[str, Any], url: str = URL, capture: Any = None) -> Any:
    """Send the form as a same-origin browser would (multipart, as the page's form is)."""
    if capture is None:
        return client.post(url, data, HTTP_SEC_FETCH_SITE="same-origin")
    with capture(execute=True):
        return client.post(url, data, HTTP_SEC_FETCH_SITE="same-origin")


def send_mail_now() -> None:
    """Send what the outbox holds, as the worker would."""
    deliver_pending()


def _packed(parts: tuple[tuple[int, int], ...]) -> list[bytes]:
    return [
        struct.pack(order + "II", numerator, denominator)
        for numerator, denominator in parts
        for order in "<>"
    ]


def gps_fingerprints() -> list[bytes]:
    """The bytes of the GPS rationals as they sit in EXIF (either byte order)."""
    return _packed(GPS_LATITUDE[2:]) + _packed(GPS_LONGITUDE[2:])


def jpeg_with_metadata(size: tuple[int, int] = (160, 120), seed: int = 7) -> bytes:
    """A photo (noise, so that it does not compress to nothing) whose EXIF says where it was
    taken (the GPSInfo IFD) and with which camera (BodySerialNumber, 0xA431, in the Exif
    IFD), with an XMP packet and a comment as well."""
    rng = random.Random(seed)
    image = Image.frombytes(
        "RGB", size, bytes(rng.getrandbits(8) for _ in range(size[0] * size[1] * 3))
    )
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x0110] = "Spy-Phone 9"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = tuple(IFDRational(n, d) for n, d in GPS_LATITUDE)
    gps[3] = "E"
    gps[4] = tuple(IFDRational(n, d) for n, d in GPS_LONGITUDE)
    exif.get_ifd(0x8769)[0xA431] = SERIAL  # BodySerialNumber
    xmp = (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
        f'exif:GPSLatitude="44,48.753N" exif:GPSLongitude="20,27.672E" '
        f'exif:BodySerialNumber="{SERIAL}" exif:UserComment="{XMP_MARKER}"/>'
        '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=92, exif=exif, xmp=xmp, comment=b"secret comment")
    return out.getvalue()


def upload(content: bytes, name: str = "IMG_2041.jpg", content_type: str = "image/jpeg") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


def secrets_in(raw: bytes) -> list[str]:
    """Which of the test photo's metadata turn up in ``raw``."""
    found = []
    lowered = raw.lower()
    if SERIAL.lower().encode() in lowered or SERIAL.encode("utf-16-le").lower() in lowered:
        found.append("serial")
    if XMP_MARKER.lower().encode() in lowered:
        found.append("xmp marker")
    if b"44,48.753n" in lowered or b"20,27.672e" in lowered:
        found.append("xmp position")
    if any(fingerprint in raw for fingerprint in gps_fingerprints()):
        found.append("gps rationals")
    if b"spy-phone 9" in lowered or b"cameramaker" in lowered:
        found.append("camera")
    if b"secret comment" in lowered:
        found.append("comment")
    return found
