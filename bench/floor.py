"""The floor: the least a signing-like request can cost on this machine.

A POST through the same middleware as every reclaim page (sessions, locale, the
cross-origin check, auth, security headers, CSP...), to a public form as the signing form
is, which inserts one row in one transaction and redirects, as the signing view does when
it accepts. Every figure of the benchmark is also given as a ratio
to this one: ratios travel between machines, absolute figures do not.

The table is plain SQL made by the harness (``bench.ops fixtures``), not a model: the bench
must not add an app or a migration to reclaim.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from reclaim.core.crossorigin import public_form

TABLE = "bench_floor"


@public_form
@require_POST
def floor(request: HttpRequest) -> HttpResponse:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (created_at, payload) VALUES (%s, %s)",  # noqa: S608
            [timezone.now(), request.POST.get("payload", "")[:200]],
        )
    return HttpResponseRedirect("/bench/floor/done")


@require_GET
def floor_done(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
