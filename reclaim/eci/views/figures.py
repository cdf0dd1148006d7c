"""The organisers' figures page: the counters' sync status, and figures entered by hand."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from reclaim.core.decorators import staff_area
from reclaim.eci.access import get_initiative_for_organiser
from reclaim.eci.figures import counter_states
from reclaim.eci.forms.figures import FiguresForm, ManualFiguresForm, UploadFiguresForm
from reclaim.eci.services.figures import record_manual_figures


@staff_area
@require_http_methods(["GET", "POST"])
def figures(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = get_initiative_for_organiser(request.user, slug)
    manual = ManualFiguresForm(prefix="manual")
    upload = UploadFiguresForm(prefix="upload")
    invalid: FiguresForm | None = None
    if request.method == "POST":
        form: FiguresForm
        if request.POST.get("form") == "upload":
            form = upload = UploadFiguresForm(request.POST, request.FILES, prefix="upload")
        else:
            form = manual = ManualFiguresForm(request.POST, prefix="manual")
        if form.is_valid():
            rows = record_manual_figures(
                initiative,
                form.cleaned_data["source"],
                form.figures(),
                request.user,
                reported_at=form.as_of(),
            )
            countries = len(rows) - 1  # the last row is the total
            messages.success(
                request,
                ngettext(
                    "Saved the figure of %(count)d member state, and the total.",
                    "Saved the figures of %(count)d member states, and their total.",
                    countries,
                )
                % {"count": countries},
            )
            return redirect("eci:figures", initiative.slug)
        invalid = form
    context = {
        "initiative": initiative,
        "counters": counter_states(initiative),
        "manual": manual,
        "upload": upload,
        "invalid": invalid,
    }
    status = 400 if invalid is not None else 200
    return render(request, "eci/figures.html", context, status=status)
