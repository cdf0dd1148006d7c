"""Staff accounts: who receives staff mail, and the second factor (enrol a TOTP device
with an enrolment link, check a code, mark the session verified)."""

from __future__ import annotations

import enum
from base64 import b32encode
from typing import Any

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from reclaim.accounts import enrolment
from reclaim.accounts.models import StaffProfile
from reclaim.accounts.roles import sync_roles
from reclaim.audit.services import record
from reclaim.core.hooks import role_names, staff_roles

DEVICE_NAME = _("Authenticator app")
# Size of one QR module in tenths of a millimetre: large enough to scan from a screen.
QR_BOX_SIZE = 15


def staff_recipients(permission: str) -> list[tuple[str, str]]:
    """(address, language) of every active staff member with an address who holds
    ``permission`` (``app_label.codename``), through a role, directly or as superuser."""
    app_label, codename = permission.split(".", 1)
    perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True) | Q(groups__permissions__in=perm) | Q(user_permissions__in=perm)
        )
        .exclude(email="")
        .select_related("staff_profile")
        .distinct()
        .order_by("pk")
    )
    recipients = []
    for user in users:
        profile = getattr(user, "staff_profile", None)
        language = profile.language if profile is not None else settings.LANGUAGE_CODE
        recipients.append((user.email, language))
    return recipients


def remember_language(user: Any, language: str) -> None:
    """The language a staff member signed in with becomes the language of their mail."""
    if language not in dict(settings.LANGUAGES):
        return
    StaffProfile.objects.update_or_create(user=user, defaults={"language": language})


class CodeResult(enum.Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    THROTTLED = "throttled"
    # A device being set up, but the session's enrolment link is gone (used, expired).
    NO_LINK = "no_link"


def is_verified(user: Any) -> bool:
    """Whether this request's session passed a one-time code (set by django-otp's
    OTPMiddleware, which gives the user ``is_verified()``)."""
    check = getattr(user, "is_verified", None)
    return bool(check is not None and check())


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("id").first()


def device_to_verify(user: Any, enrol: bool) -> tuple[TOTPDevice | None, bool]:
    """(device, enrolling): with ``enrol`` (the session opened an enrolment link) the device
    being set up; without, the user's confirmed device, or None when they have none yet
    and must ask for a link (reclaim.accounts.enrolment).

    A pending device is kept until it is confirmed, so the QR code stays the same when
    the page is reloaded between scanning it and typing the code.
    """
    if not enrol:
        return confirmed_device(user), False
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
    A pending device is confirmed only with the session's enrolment link, still usable,
    which its first right code uses up; the new device replaces the user's others.
    """
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=request.user)
        link = None
        if not locked.confirmed:
            link = enrolment.use_opened_link(request)
            if link is None:
                return CodeResult.NO_LINK
        allowed, _why = locked.verify_is_allowed()
        if not allowed:
            return CodeResult.THROTTLED
        if not locked.verify_token(token):
            return CodeResult.WRONG
        if link is not None:
            enrolment.mark_used(request, link)
            locked.confirmed = True
            locked.save(update_fields=["confirmed"])
            replaced, _by_model = (
                TOTPDevice.objects.filter(user=request.user).exclude(pk=locked.pk).delete()
            )
            record(
                request.user,
                "account.two_factor_enrolled",
                target=f"user:{locked.user_id}",
                count=1,
                replaced=replaced,
            )
    # A new session key for the new level of trust, as Django does at sign-in.
    request.session.cycle_key()
    django_otp.login(request, locked)
    return CodeResult.ACCEPTED


def ensure_staff_account(username: str, role: str, password: str) -> tuple[Any, bool]:
    """A staff account that can sign in with ``password`` and holds ``role`` (a staff role:
    the house's or one an app adds), created if missing. Returns (user, created).

    The password is set on every call, so whoever runs this knows it afterwards. The roles
    are synced first, so that the role's group exists with its permissions. Giving the
    role is audited like any role change (``reclaim.accounts.signals``); roles the
    account holds already are kept.
    """
    if role not in role_names():
        raise ValueError(f"{role!r} is not a role; the roles are {', '.join(role_names())}.")
    if role not in staff_roles():
        # A partner is not staff: their app makes their account (coalition's
        # make_partner_account), tied to their organisation.
        raise ValueError(
            f"{role!r} is not a staff role; the staff roles are {', '.join(staff_roles())}."
        )
    with transaction.atomic():
        sync_roles()
        user, created = get_user_model().objects.get_or_create(username=username)
        user.is_staff = True
        user.is_active = True
        user.set_password(password)
        user.save()
        group = Group.objects.get(name=role)
        if not user.groups.filter(pk=group.pk).exists():
            user.groups.add(group)
    return user, created
