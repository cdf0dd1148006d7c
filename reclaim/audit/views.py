from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from reclaim.audit.models import AuditEntry
from reclaim.audit.services import record
from reclaim.core.decorators import staff_area
from reclaim.lib import safecsv


def _check_reader(user: object) -> None:
    if not getattr(user, "is_staff", False):
        raise PermissionDenied
    if not user.has_perm("audit.view_auditentry"):  # type: ignore[attr-defined]
        raise PermissionDenied


@staff_area
@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    """The whole audit log as CSV, for organisers. The export is itself audited."""
    _check_reader(request.user)
    entries = AuditEntry.objects.order_by("at", "id")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="reclaim-audit-{stamp}.csv"'
    # Actors and targets are text anyone with a username or a CLI flag chose; the count
    # stays a number (reclaim.lib.safecsv).
    writer = safecsv.writer(response)
    writer.writerow(["at", "actor", "action", "target", "count", "detail"])
    count = 0
    for entry in entries.iterator():
        writer.writerow(
            [
                entry.at.isoformat(),
                entry.actor,
                entry.action,
                entry.target,
                entry.count,
                json.dumps(entry.detail, sort_keys=True),
            ]
        )
        count += 1
    record(request.user, "audit.export", target="audit", count=count)
    return response
