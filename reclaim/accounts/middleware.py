"""Staff pages open only after the second factor (``RECLAIM["REQUIRE_2FA"]``), for staff and
for accounts of a non-staff role (partners) alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from reclaim.accounts.access import is_account
from reclaim.accounts.services import is_verified
from reclaim.core.decorators import is_staff_area

# Pages of the admin a signed-in, unverified staff member may still open.
OPEN_ADMIN_VIEWS = ("logout",)


def is_staff_page(request: HttpRequest, view: Callable[..., Any]) -> bool:
    """The admin, and every view its app marks with ``reclaim.core.decorators.staff_area``."""
    match = request.resolver_match
    if match is not None and "admin" in match.namespaces:
        return match.url_name not in OPEN_ADMIN_VIEWS
    return is_staff_area(view)


class StaffTwoFactorMiddleware:
    """Send a signed-in staff member whose session has not passed a one-time code to the
    two-factor page before any staff page.

    Public pages are never touched: the user (and so the session) is looked at only on a
    staff page, so a reader's response stays free of ``Vary: Cookie`` and of queries.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if not self._must_verify(request, view):
            return None
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse('accounts:two_factor')}?{query}")

    def _must_verify(self, request: HttpRequest, view: Callable[..., Any]) -> bool:
        if not settings.RECLAIM["REQUIRE_2FA"]:
            return False
        if not is_staff_page(request, view):
            return False
        user = request.user
        if not user.is_authenticated:
            return False
        # Staff, and accounts of a non-staff role (partners): their pages are staff areas
        # too, behind the same second factor.
        if not is_account(user):
            return False
        return not is_verified(user)
