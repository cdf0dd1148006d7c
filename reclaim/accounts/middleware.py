"""Staff pages open only after the second factor (``RECLAIM["REQUIRE_2FA"]``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from reclaim.accounts.services import is_verified

# Under the language prefix: the admin, the ECI organiser pages, abuse control, the audit log.
STAFF_AREAS = (r"admin/", r"eci/[^/]+/organise/", r"shield/", r"audit/")
# Pages of the staff area a signed-in, unverified staff member may still open.
OPEN_ADMIN_PAGES = ("logout/",)


@cache
def _staff_area(languages: tuple[str, ...]) -> re.Pattern[str]:
    codes = "|".join(re.escape(code) for code in languages)
    areas = "|".join(STAFF_AREAS)
    return re.compile(rf"^/(?:{codes})/(?:{areas})")


def is_staff_area(path: str) -> bool:
    languages = tuple(code for code, _name in settings.LANGUAGES)
    return _staff_area(languages).match(path) is not None


def _is_open(path: str) -> bool:
    return any(
        path == f"/{code}/admin/{page}"
        for code, _name in settings.LANGUAGES
        for page in OPEN_ADMIN_PAGES
    )


class StaffTwoFactorMiddleware:
    """Send a signed-in staff member whose session has not passed a one-time code to the
    two-factor page before any staff page.

    Public pages are never touched: the user (and so the session) is looked at only in a
    staff area, so a reader's response stays free of ``Vary: Cookie`` and of queries.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._must_verify(request):
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('accounts:two_factor')}?{query}")
        return self.get_response(request)

    def _must_verify(self, request: HttpRequest) -> bool:
        if not settings.RECLAIM["REQUIRE_2FA"]:
            return False
        if not is_staff_area(request.path_info):
            return False
        if _is_open(request.path_info):
            return False
        user = request.user
        if not user.is_authenticated:
            return False
        if not user.is_staff:
            return False
        return not is_verified(user)
