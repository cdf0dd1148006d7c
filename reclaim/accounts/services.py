"""Staff second factor: enrol a TOTP device, check a code, mark the session verified."""

from __future__ import annotations

import enum
from base64 import b32encode
from typing import Any

import django_otp
import qrcode
import qrcode.image.svg
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from reclaim.audit.services import record

DEVICE_NAME = _("Authenticator app")
# Size of one QR module in tenths of a millimetre: large enough to scan from a screen.
QR_BOX_SIZE = 15


class CodeResult(enum.Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    THROTTLED = "throttled"


def is_verified(user: Any) -> bool:
    """Whether this request's session passed a one-time code (set by django-otp's
    OTPMiddleware, which gives the user ``is_verified()``)."""
    check = getattr(user, "is_verified", None)
    return bool(check is not None and check())


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("id").first()


def device_to_verify(user: Any) -> tuple[TOTPDevice, bool]:
    """The user's confirmed device, or else the one being set up: (device, enrolling).

    A pending device is kept until it is confirmed, so the QR code stays the same when
    the page is reloaded between scanning it and typing the code.
    """
    device = confirmed_device(user)
    if device is not None:
        return device, False
    pending = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("-id").first()
    if pending is None:
        pending = TOTPDevice.objects.create(user=user, name=str(DEVICE_NAME), confirmed=False)
    return pending, True


def create_confirmed_device(user: Any, actor: Any) -> TOTPDevice:
    """A ready device for a colleague, set up by an administrator (``staff_totp``)."""
    with transaction.atomic():
        device = TOTPDevice.objects.create(user=user, name=str(DEVICE_NAME), confirmed=True)
        record(actor, "account.two_factor_device_created", target=f"user:{user.pk}", count=1)
    return device


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an SVG QR code, to put into the page as markup.

    Drawn on the server, so the secret never goes to a QR service, and a path with
    presentation attributes only, so the page needs no inline style.
    """
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=QR_BOX_SIZE
    )
    return image.to_string(encoding="unicode")


def secret_for_typing(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for apps where it is typed in."""
    key = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def verify_code(request: HttpRequest, device: TOTPDevice, token: str) -> CodeResult:
    """Check a code; if right, confirm a pending device and mark the session verified.

    The device row is locked while the code is checked, so two requests cannot both use
    one code, and django-otp's throttling (a growing wait after each wrong code) holds.
    """
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=request.user)
        allowed, _why = locked.verify_is_allowed()
        if not allowed:
            return CodeResult.THROTTLED
        if not locked.verify_token(token):
            return CodeResult.WRONG
        if not locked.confirmed:
            locked.confirmed = True
            locked.save(update_fields=["confirmed"])
            TOTPDevice.objects.devices_for_user(request.user, confirmed=False).delete()
            record(request.user, "account.two_factor_enrolled", target=f"user:{locked.user_id}")
    # A new session key for the new level of trust, as Django does at sign-in.
    request.session.cycle_key()
    django_otp.login(request, locked)
    return CodeResult.ACCEPTED
