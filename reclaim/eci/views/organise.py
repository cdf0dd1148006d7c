"""The organisers' back office: paper batches and their custody, deadlines and warnings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from reclaim.core.decorators import staff_area
from reclaim.eci.access import get_initiative_for_organiser
from reclaim.eci.batches import batch_overview, destruction_deadline
from reclaim.eci.figures import stale_sources
from reclaim.eci.forms.batches import AdvanceForm, BatchForm
from reclaim.eci.models import Initiative, PaperBatch
from reclaim.eci.services.batches import advance_batch, create_batch
from reclaim.eci.sponsors import disclosure_is_stale


def _organise_page(
    request: HttpRequest,
    initiative: Initiative,
    batch_form: BatchForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "eci/organise.html",
        {
            "initiative": initiative,
            "batches": batch_overview(initiative, today),
            "deadline": destruction_deadline(initiative),
            "stale": stale_sources(initiative),
            "sponsors_stale": disclosure_is_stale(initiative, today),
            "form": batch_form or BatchForm(),
            "advance_form": AdvanceForm(),
        },
        status=status,
    )


@staff_area
@require_GET
def organise(request: HttpRequest, slug: str) -> HttpResponse:
    return _organise_page(request, get_initiative_for_organiser(request.user, slug))


@staff_area
@require_POST
def batch_create(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = get_initiative_for_organiser(request.user, slug)
    form = BatchForm(request.POST)
    if not form.is_valid():
        return _organise_page(request, initiative, form, status=400)
    batch = create_batch(initiative, request.user, **form.cleaned_data)
    messages.success(request, _("Batch %(ref)s recorded.") % {"ref": batch.reference})
    return redirect("eci:organise", slug=initiative.slug)


@staff_area
@require_POST
def batch_advance(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    initiative = get_initiative_for_organiser(request.user, slug)
    batch = get_object_or_404(PaperBatch, pk=pk, initiative=initiative)
    form = AdvanceForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            advance_batch(
                batch,
                data["step"],
                request.user,
                sent_means=data.get("sent_means") or "",
                valid_count=data.get("valid_count"),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Batch %(ref)s updated.") % {"ref": batch.reference})
    else:
        messages.error(request, _("Choose a step and fill in what it needs."))
    return redirect("eci:organise", slug=initiative.slug)
