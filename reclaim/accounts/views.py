from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from reclaim.accounts import enrolment, services
from reclaim.accounts.access import enrollable_staff, get_link_issuer, home_for, is_account
from reclaim.accounts.forms import IssueLinkForm, TwoFactorForm
from reclaim.core.decorators import staff_area


def _next_url(request: HttpRequest) -> str:
    """Where to go once verified: ``next`` if it stays on this site, else the admin (for a
    partner, their own area: the admin is closed to accounts that are not staff)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) and not _is_closed_admin(request, target):
        return target
    return home_for(request.user)


def _is_closed_admin(request: HttpRequest, target: str) -> bool:
    """A partner sent on to the admin (its sign-in's default ``next``) would only meet its
    sign-in page again."""
    if request.user.is_staff:
        return False
    try:
        match = resolve(urlsplit(target).path)
    except Resolver404:
        return False
    return "admin" in match.namespaces


def _link_hours() -> int:
    return int(enrolment.lifetime().total_seconds() // 3600)


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enter the authenticator app's code before any staff page opens; set the app up only
    in a session that opened an enrolment link (reclaim.accounts.enrolment)."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_account(user):
        raise PermissionDenied
    next_url = _next_url(request)
    link = enrolment.opened_link(request)
    if link is None and services.is_verified(user):
        return redirect(next_url)
    device, enrolling = services.device_to_verify(user, enrol=link is not None)
    if device is None:
        # The password alone does not choose the second factor.
        status = 403 if request.method == "POST" else 200
        return render(
            request,
            "accounts/two_factor.html",
            {"needs_link": True, "link_hours": _link_hours()},
            status=status,
        )
    status = 200
    form = TwoFactorForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        result = services.verify_code(request, device, form.cleaned_data["token"])
        if result is services.CodeResult.ACCEPTED:
            return redirect(next_url)
        if result is services.CodeResult.NO_LINK:
            # The link ran out (or was used in another session) while the page was open.
            return redirect(f"{reverse('accounts:two_factor')}?{urlencode({'next': next_url})}")
        if result is services.CodeResult.THROTTLED:
            form.refuse(_("Too many wrong codes in a row. Wait a minute, then try again."))
        else:
            form.refuse(
                _("That code is not right. Check the clock on your phone and use the newest code.")
            )
    if form.is_bound and form.errors:
        status = 400
    context: dict[str, Any] = {"form": form, "enrolling": enrolling, "next": next_url}
    if enrolling:
        # Our own SVG, drawn from the device's key: markup, not a user's text.
        context["qr_svg"] = mark_safe(services.qr_svg(device))  # noqa: S308
        context["secret"] = services.secret_for_typing(device)
    return render(request, "accounts/two_factor.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest, token: str) -> HttpResponse:
    """The enrolment link: its page says what comes next, and its button (a POST, since
    mail scanners follow links) lets this session set up an authenticator app."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_account(user):
        raise PermissionDenied
    try:
        link = enrolment.link_for(token, user)
    except enrolment.LinkInvalid as exc:
        return render(
            request,
            "accounts/enrol_invalid.html",
            {"reason": exc.reason, "link_hours": _link_hours()},
            status=404 if exc.reason == "unknown" else 410,
        )
    if request.method == "POST":
        enrolment.open_link(request, link)
        query = urlencode({"next": home_for(user)})
        return redirect(f"{reverse('accounts:two_factor')}?{query}")
    return render(request, "accounts/enrol.html", {"link": link})


def _link_state(link: Any) -> str:
    if link is None:
        return ""
    if link.used_at is not None:
        return _("used on %(date)s") % {"date": date_format(link.used_at, "SHORT_DATETIME_FORMAT")}
    if link.is_expired():
        return _("expired on %(date)s") % {
            "date": date_format(link.expires_at, "SHORT_DATETIME_FORMAT")
        }
    return _("valid until %(date)s") % {
        "date": date_format(link.expires_at, "SHORT_DATETIME_FORMAT")
    }


@staff_area
@require_http_methods(["GET", "POST"])
def enrolment_links(request: HttpRequest) -> HttpResponse:
    """Organisers send a colleague the link with which they set up their authenticator."""
    get_link_issuer(request.user)
    if request.method == "POST":
        form = IssueLinkForm(request.POST)
        if form.is_valid():
            member = form.cleaned_data["member"]
            name = member.get_username()
            try:
                enrolment.send_link(member, request.user)
            except enrolment.NoAddress:
                messages.error(
                    request,
                    _(
                        "%(name)s has no email address. Add one to the account, or have an"
                        " administrator print a link with “reclaim staff_totp %(name)s --link”."
                    )
                    % {"name": name},
                )
            else:
                messages.success(
                    request, _("An enrolment link is on its way to %(name)s.") % {"name": name}
                )
        return redirect("accounts:enrolment")
    members = list(enrollable_staff().select_related("enrolment_link").order_by("username"))
    with_app = set(
        TOTPDevice.objects.filter(confirmed=True, user__in=members).values_list(
            "user_id", flat=True
        )
    )
    rows = [
        (member, member.pk in with_app, _link_state(getattr(member, "enrolment_link", None)))
        for member in members
    ]
    return render(request, "accounts/enrolment.html", {"rows": rows, "link_hours": _link_hours()})
