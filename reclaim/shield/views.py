"""The proof-of-work challenge, fetched by the form's script when the visitor starts typing.

The petition page is the same bytes for every visitor (so a proxy can cache it whole); the
challenge depends on the load and on the visitor's network, so it comes from here, never
cached, and sets no cookie."""

from __future__ import annotations

import re

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from reclaim.shield.guard import challenge

SCOPE = re.compile(r"[a-z]+\.[a-z_]+\Z")
TARGET = re.compile(r"[\w-]{1,64}\Z")


@require_GET
def challenge_for_form(request: HttpRequest, scope: str, target: str) -> HttpResponse:
    if not SCOPE.match(scope) or not TARGET.match(target):
        raise Http404
    task = challenge(request, scope, target=target)
    response: HttpResponse = HttpResponse(status=204) if task is None else JsonResponse(task)
    response["Cache-Control"] = "no-store"
    return response
