"""Anonymous reports: the form (a device, a deployment, or a re-check of a device on the
map), the page after it, the contact address's opt-in link, and report photos for
reviewers."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.files.uploadhandler import (
    FileUploadHandler,
    MemoryFileUploadHandler,
    StopFutureHandlers,
)
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from reclaim.atlas.access_reports import get_device_to_recheck, get_report_photo_for_reviewer
from reclaim.atlas.forms_reports import EmptyForm, ReportForm
from reclaim.atlas.models import Device
from reclaim.atlas.services import reports as services
from reclaim.core.crossorigin import public_form
from reclaim.core.middleware import accepts_uploads
from reclaim.shield.guard import guard, refusal
from reclaim.shield.throttle import Verdict

# The scope the form is guarded under (reclaim.shield), and its one target.
REPORT_SCOPE = "atlas.report"
REPORT_TARGET = "report"
_NETWORK = gettext_lazy("Too many reports from your network right now.")
REFUSALS = {
    "source_burst": _NETWORK,
    "source_sustained": _NETWORK,
    "domain_burst": gettext_lazy(
        "Too many reports with addresses at your email provider right now."
    ),
}
# What a reviewer's browser may do with a served photo: show it, nothing else.
SANDBOX_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"


class PhotoUploadHandler(MemoryFileUploadHandler):
    """Every uploaded file kept in memory, whatever ``FILE_UPLOAD_MAX_MEMORY_SIZE`` says:
    Django's default would write a larger one to a temporary file, and the original photo,
    with its GPS position and camera serial, must never reach a disk. Memory is bounded by
    the request's size, checked by the middleware before parsing (``max_request_bytes``),
    and by the per-file limit: past it the rest of a file is counted, not kept, and ``reencode``
    refuses it by its size."""

    def __init__(self, request: HttpRequest | None = None, *, max_bytes: int) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        self.kept = 0

    def handle_raw_input(
        self,
        input_data: Any,
        META: Any,
        content_length: int,
        boundary: Any,
        encoding: str | None = None,
    ) -> None:
        self.activated = True

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        FileUploadHandler.new_file(self, *args, **kwargs)
        self.kept = 0
        self.file = BytesIO()
        raise StopFutureHandlers()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        room = self.max_bytes + 1 - self.kept
        if room > 0:
            self.file.write(raw_data[:room])
            self.kept += min(room, len(raw_data))
        return None


def _device(request: HttpRequest) -> Device | None:
    raw = request.GET.get("device")
    return None if raw is None else get_device_to_recheck(raw)


def _context(form: ReportForm, device: Device | None, refused: Verdict | None) -> dict[str, Any]:
    return {
        "form": form,
        "device": device,
        "deletion_date": services.contact_deletion_date(),
        "refusal": refusal(refused, REFUSALS) if refused else None,
        "pow_scope": REPORT_SCOPE,
        "pow_target": REPORT_TARGET,
        "max_photos": services.MAX_PHOTOS,
    }


# Any visitor may send the form without a cookie (public_form: no CSRF token; cross-site
# posts are refused by CrossOriginProtectionMiddleware, which reads headers only). That
# also keeps Django's CsrfViewMiddleware from reading request.POST before this view sets
# its upload handler: a handler cannot be changed once the body has been parsed.
@public_form
@accepts_uploads(services.max_request_bytes)
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        # Before anything reads the body (its size was checked by RequestLimitsMiddleware,
        # with the limit accepts_uploads gives below).
        request.upload_handlers = [
            PhotoUploadHandler(request, max_bytes=services.photo_max_bytes())
        ]
    device = _device(request)
    status = 200
    refused: Verdict | None = None
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, device=device)
        status = 400
        if form.is_valid():
            data = form.report_data()
            # Counted before anything is stored: a refused attempt leaves only the counters.
            verdict = guard(request, REPORT_SCOPE, target=REPORT_TARGET, email=data.contact)
            if verdict.allowed:
                services.file_report(data, form.photo_objects, request.LANGUAGE_CODE)
                return redirect("atlas:report_sent")
            refused = verdict
            status = 429
    else:
        form = ReportForm(device=device)
    response = render(request, "atlas/report.html", _context(form, device, refused), status=status)
    if refused is not None:
        response["Retry-After"] = str(refused.retry_after)
    return response


@require_GET
def sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "atlas/report_sent.html",
        {"confirmation_window": services.confirmation_window().days},
    )


@public_form
@never_cache
@require_http_methods(["GET", "POST"])
def contact_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The mailed opt-in link. GET only shows a page (mail scanners follow links); its
    button POSTs, and only that confirms."""
    found = services.find_by_contact_token(token)
    if found is None:
        return render(request, "atlas/report_link_invalid.html", status=404)
    context: dict[str, Any] = {"deletion_date": found.contact_delete_after}
    if found.contact_confirmed_at is not None:
        return render(request, "atlas/report_contact_confirmed.html", context)
    if not services.can_confirm_contact(found):
        return render(request, "atlas/report_link_invalid.html", status=410)
    if request.method == "POST":
        form = EmptyForm(request.POST)
        if form.is_valid() and services.confirm_contact(found):
            return redirect("atlas:report_contact_confirm", token=token)
    return render(request, "atlas/report_contact_confirm.html", context)


@never_cache
@require_GET
def photo(request: HttpRequest, pk: str, version: str) -> HttpResponse:
    """A report's photo for the review queue: reviewers only, never cached."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    found = get_report_photo_for_reviewer(request.user, int(pk))
    if version != found.version:
        return redirect("atlas:report_photo", pk=found.pk, version=found.version)
    response = HttpResponse(bytes(found.content), content_type=found.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["Cache-Control"] = "private, no-store"
    extension = "jpg" if found.content_type == "image/jpeg" else "png"
    response["Content-Disposition"] = f'inline; filename="report-photo-{found.pk}.{extension}"'
    return response
