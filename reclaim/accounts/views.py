from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from reclaim.accounts import services
from reclaim.accounts.forms import TwoFactorForm


def _next_url(request: HttpRequest) -> str:
    """Where to go once verified: ``next`` if it stays on this site, else the admin."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app, or enter its code, before any staff page opens."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not user.is_staff:
        raise PermissionDenied
    next_url = _next_url(request)
    if services.is_verified(user):
        return redirect(next_url)
    device, enrolling = services.device_to_verify(user)
    status = 200
    form = TwoFactorForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        result = services.verify_code(request, device, form.cleaned_data["token"])
        if result is services.CodeResult.ACCEPTED:
            return redirect(next_url)
        if result is services.CodeResult.THROTTLED:
            form.refuse(_("Too many wrong codes in a row. Wait a minute, then try again."))
        else:
            form.refuse(
                _("That code is not right. Check the clock on your phone and use the newest code.")
            )
    if form.is_bound and form.errors:
        status = 400
    context = {"form": form, "enrolling": enrolling, "next": next_url}
    if enrolling:
        # Our own SVG, drawn from the device's key: markup, not a user's text.
        context["qr_svg"] = mark_safe(services.qr_svg(device))  # noqa: S308
        context["secret"] = services.secret_for_typing(device)
    return render(request, "accounts/two_factor.html", context, status=status)
