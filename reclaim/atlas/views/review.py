"""The reviewers' pages: the queue, a page per report to accept or reject it, and a page
per record to vote on it (and, for organisers, to confirm or withdraw it).

A reviewer never sees the other reviewers' votes before giving their own: the record's
page shows its evidence and its verification, and the tally only once they voted.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reclaim.atlas.access_review import (
    get_confirmer,
    get_record_for_review,
    get_report_for_review,
    get_reviewer,
    may_confirm,
)
from reclaim.atlas.forms_review import (
    DEVICE_FORM_FIELDS,
    RECHECK_FORM_FIELDS,
    AcceptDeploymentForm,
    AcceptDeviceForm,
    AcceptRecheckForm,
    ConfirmForm,
    RejectForm,
    VoteForm,
    WithdrawForm,
)
from reclaim.atlas.models import Deployment, Device, Evidence, Photo, Report
from reclaim.atlas.services import verification as services
from reclaim.core.decorators import staff_area

# How many items of each list the queue shows; the oldest come first.
QUEUE_LIMIT = 50

DEVICE_ROWS = [
    "deployment",
    "latitude",
    "longitude",
    "city",
    "place",
    "watches",
    "mount",
    "camera_type",
    "direction",
    "model",
    "first_seen",
    "last_seen",
    "removed_on",
]
DEPLOYMENT_ROWS = [
    "country",
    "city",
    "operator",
    "system",
    "vendor",
    "status",
    "started_on",
    "ended_on",
    "legal_basis",
    "dpia",
    "description",
]


def _url(name: str, *candidates: tuple[Any, ...]) -> str | None:
    """The URL of another part's page if that part has landed (its name exists), else
    None: the page leaves the link out."""
    for args in candidates:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return None


def _report_photo_url(photo: Photo) -> str | None:
    return _url("atlas:report_photo", (photo.pk, photo.version), (photo.pk,))


def _device_photo_url(photo: Photo) -> str | None:
    return _url("atlas:photo", (photo.pk, photo.version), (photo.pk,))


def _public_url(record: Deployment | Device) -> str | None:
    if isinstance(record, Device):
        return _url("atlas:device", (record.pk,))
    return _url("atlas:deployment", (record.slug,))


def _review_url(record: Deployment | Device) -> str:
    return reverse("atlas:review_record", args=[services.kind_of(record), record.pk])


def _rows(record: Any, names: list[str]) -> list[tuple[str, Any]]:
    """(label, value) for each field, with choices shown by their label."""
    rows = []
    for name in names:
        field = record._meta.get_field(name)
        display = getattr(record, f"get_{name}_display", None)
        value = display() if callable(display) and field.choices else getattr(record, name)
        rows.append((str(field.verbose_name), value))
    return rows


# --- The queue ---------------------------------------------------------------------------


@staff_area
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    reviewer = get_reviewer(request.user)
    pending = services.pending_reports()
    reports = list(pending.select_related("device").prefetch_related("photos")[:QUEUE_LIMIT])
    devices = services.awaiting_votes(Device, reviewer)
    deployments = services.awaiting_votes(Deployment, reviewer)
    return render(
        request,
        "atlas/staff/review_queue.html",
        {
            "reports": [
                (report, [(p, _report_photo_url(p)) for p in report.photos.all()])
                for report in reports
            ],
            "reports_count": pending.count(),
            "devices": list(devices.select_related("deployment")[:QUEUE_LIMIT]),
            "devices_count": devices.count(),
            "deployments": list(deployments[:QUEUE_LIMIT]),
            "deployments_count": deployments.count(),
        },
    )


# --- A report ------------------------------------------------------------------------


def _accept_form(report: Report, data: Any = None) -> Any:
    if report.kind == Report.Kind.DEVICE:
        return AcceptDeviceForm(
            data,
            initial={
                "latitude": report.latitude,
                "longitude": report.longitude,
                "deployment": report.deployment_id,
                "city": report.city[:120],
                "place": report.place[:200],
            },
        )
    if report.kind == Report.Kind.DEPLOYMENT:
        return AcceptDeploymentForm(
            data,
            initial={
                "existing": report.deployment_id,
                "city": report.city[:120],
                "description": report.description,
                "latitude": report.latitude,
                "longitude": report.longitude,
            },
        )
    device = report.device
    initial: dict[str, Any] = {"found": report.found or Report.Found.STILL_THERE}
    if device is not None:
        initial.update({name: getattr(device, name) for name in RECHECK_FORM_FIELDS})
    return AcceptRecheckForm(data, initial=initial)


def _service_fields(report: Report, form: Any) -> dict[str, Any]:
    data = form.cleaned_data
    if report.kind == Report.Kind.DEVICE:
        return {name: data.get(name) for name in DEVICE_FORM_FIELDS}
    if report.kind == Report.Kind.DEPLOYMENT:
        fields: dict[str, Any] = form.service_fields()
        return fields
    return {name: data.get(name) for name in ["found", *RECHECK_FORM_FIELDS]}


def _render_report(
    request: HttpRequest,
    report: Report,
    accept_form: Any = None,
    reject_form: Any = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    pending = report.state == Report.State.PENDING
    device = report.device
    return render(
        request,
        "atlas/staff/review_report.html",
        {
            "report": report,
            "pending": pending,
            "photos": [(p, _report_photo_url(p)) for p in report.photos.all()],
            "accept_form": (accept_form or _accept_form(report)) if pending else None,
            "reject_form": (reject_form or RejectForm()) if pending else None,
            "error": error,
            "device": device,
            "device_rows": _rows(device, DEVICE_ROWS) if device is not None else [],
            "device_review_url": _review_url(device) if device is not None else None,
        },
        status=status,
    )


@staff_area
@require_http_methods(["GET", "POST"])
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    reviewer = get_reviewer(request.user)
    report = get_report_for_review(pk)
    if request.method == "GET":
        return _render_report(request, report)
    if report.state != Report.State.PENDING:
        return _render_report(
            request, report, error=_("This report was decided already."), status=409
        )
    action = request.POST.get("action", "")
    accept_form = None
    try:
        if action == "reject":
            reject_form = RejectForm(request.POST)
            if not reject_form.is_valid():
                return _render_report(request, report, reject_form=reject_form, status=400)
            services.reject_report(report, reviewer, reject_form.cleaned_data["reject_note"])
            messages.success(request, _("The report was rejected."))
            return redirect("atlas:review")
        if action == "accept":
            accept_form = _accept_form(report, request.POST)
            if not accept_form.is_valid():
                return _render_report(request, report, accept_form=accept_form, status=400)
            made = services.accept_report(
                report,
                reviewer,
                note=accept_form.cleaned_data.get("note", ""),
                **_service_fields(report, accept_form),
            )
            messages.success(request, _("The report was accepted."))
            return redirect(_review_url(made))
    except services.AlreadyDecided as decided:
        report.refresh_from_db()
        return _render_report(request, report, error=str(decided), status=409)
    except services.ReviewError as refused:
        return _render_report(
            request,
            report,
            accept_form=accept_form,
            error=str(refused),
            status=400,
        )
    return _render_report(request, report, error=_("Choose to accept or reject."), status=400)


# --- A record ------------------------------------------------------------------------


def _render_record(
    request: HttpRequest,
    record: Deployment | Device,
    vote_form: Any = None,
    confirm_form: Any = None,
    withdraw_form: Any = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    kind = services.kind_of(record)
    own = services.own_vote(record, user)
    evidence = Evidence.objects.filter(**{kind: record})
    confirmer = may_confirm(user)
    is_device = isinstance(record, Device)
    photos = []
    if isinstance(record, Device):
        photos = [(p, _device_photo_url(p)) for p in record.photos.all()]
    return render(
        request,
        "atlas/staff/review_record.html",
        {
            "record": record,
            "kind": kind,
            "is_device": is_device,
            "rows": _rows(record, DEVICE_ROWS if is_device else DEPLOYMENT_ROWS),
            "evidence": list(evidence),
            "official_kinds": [str(k) for k in Evidence.OFFICIAL_KINDS],
            "photos": photos,
            "own_vote": own,
            "vote_form": (vote_form or VoteForm()) if own is None and record.published else None,
            "may_confirm": confirmer,
            "confirm_form": (confirm_form or ConfirmForm(evidence=evidence)) if confirmer else None,
            "withdraw_form": (withdraw_form or WithdrawForm()) if confirmer else None,
            "public_url": _public_url(record) if record.published else None,
            "error": error,
            "reports": list(record.reports.order_by("-created_at")[:10]),
        },
        status=status,
    )


@staff_area
@require_GET
def record_page(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    get_reviewer(request.user)
    return _render_record(request, get_record_for_review(kind, pk))


@staff_area
@require_POST
def record_vote(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    reviewer = get_reviewer(request.user)
    record = get_record_for_review(kind, pk)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return _render_record(request, record, vote_form=form, status=400)
    try:
        services.vote(
            record, reviewer, form.cleaned_data["verdict"], form.cleaned_data["vote_note"]
        )
    except services.AlreadyVoted as voted:
        return _render_record(request, record, error=str(voted), status=409)
    except services.ReviewError as refused:
        return _render_record(request, record, error=str(refused), status=400)
    messages.success(request, _("Thank you: your vote is counted."))
    return redirect(_review_url(record))


@staff_area
@require_POST
def record_confirm(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    user = get_confirmer(request.user)
    record = get_record_for_review(kind, pk)
    form = ConfirmForm(request.POST, evidence=Evidence.objects.filter(**{kind: record}))
    if not form.is_valid():
        return _render_record(request, record, confirm_form=form, status=400)
    try:
        services.confirm_official(record, form.cleaned_data["evidence"], user)
    except services.AlreadyInState as already:
        return _render_record(request, record, error=str(already), status=409)
    except services.ReviewError as refused:
        return _render_record(request, record, confirm_form=form, error=str(refused), status=400)
    messages.success(request, _("The record is confirmed by an official source."))
    return redirect(_review_url(record))


@staff_area
@require_POST
def record_withdraw(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    user = get_confirmer(request.user)
    record = get_record_for_review(kind, pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _render_record(request, record, withdraw_form=form, status=400)
    try:
        services.withdraw(record, user, form.cleaned_data["withdraw_note"])
    except services.AlreadyInState as already:
        return _render_record(request, record, error=str(already), status=409)
    except services.ReviewError as refused:
        return _render_record(request, record, withdraw_form=form, error=str(refused), status=400)
    messages.success(request, _("The record is withdrawn: it is no longer public."))
    return redirect(_review_url(record))


@staff_area
@require_POST
def record_republish(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    user = get_confirmer(request.user)
    record = get_record_for_review(kind, pk)
    try:
        services.republish(record, user)
    except services.AlreadyInState as already:
        return _render_record(request, record, error=str(already), status=409)
    messages.success(request, _("The record is public again."))
    return redirect(_review_url(record))
