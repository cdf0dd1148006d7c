from __future__ import annotations

import re
from typing import Any

from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_POST
from django_countries import countries

from reclaim.eci import eligibility, rules, services
from reclaim.eci.access import get_initiative_for_organiser, get_public_initiative
from reclaim.eci.dashboard_cache import figures_context
from reclaim.eci.forms import EligibilityForm
from reclaim.eci.forms_batches import AdvanceForm, BatchForm
from reclaim.eci.models import Initiative, PaperBatch

PARTNER = re.compile(r"[a-z0-9-]{1,60}")


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "eci/index.html", {"initiatives": Initiative.objects.all()})


@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = get_public_initiative(slug)
    return render(
        request,
        "eci/detail.html",
        {"initiative": initiative, "form": EligibilityForm(), "rules": rules.load()},
    )


@require_GET
def check(request: HttpRequest, slug: str) -> HttpResponse:
    """The eligibility checker's answer. A GET form: nothing stored, no cookie set."""
    initiative = get_public_initiative(slug)
    form = EligibilityForm(request.GET or None)
    context: dict[str, Any] = {"initiative": initiative, "form": form, "rules": rules.load()}
    if not form.is_valid():
        return render(request, "eci/detail.html", context, status=400 if request.GET else 200)
    data = form.cleaned_data
    result = eligibility.check(data["nationality"], data.get("age"), data.get("birth_date"))
    context |= {
        "result": result,
        "signing_link": initiative.signing_link(request.LANGUAGE_CODE),
        # The member state's name in the visitor's language (the rules data is English).
        "country_name": countries.name(result.country.iso) if result.country else "",
        "collecting": initiative.status == Initiative.Status.COLLECTING,
    }
    return render(request, "eci/check.html", context)


def _dashboard_context(initiative: Initiative) -> dict[str, Any]:
    return figures_context(initiative) | {
        "initiative": initiative,
        # Not cached: the age of the last good figure moves with the clock.
        "stale": services.stale_sources(initiative),
    }


@require_GET
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = get_public_initiative(slug)
    return render(request, "eci/dashboard.html", _dashboard_context(initiative))


@require_GET
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})  # type: ignore[arg-type]  # typed for (request) only
def embed(request: HttpRequest, slug: str) -> HttpResponse:
    """The dashboard for partners' sites, in an iframe. No cookie, no script."""
    initiative = get_public_initiative(slug)
    partner = request.GET.get("partner", "")
    context = _dashboard_context(initiative) | {
        "partner": partner if PARTNER.fullmatch(partner) else ""
    }
    return render(request, "eci/embed.html", context)


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
            "batches": services.batch_overview(initiative, today),
            "deadline": services.destruction_deadline(initiative),
            "stale": services.stale_sources(initiative),
            "sponsors_stale": services.sponsors_stale(initiative, today),
            "form": batch_form or BatchForm(),
            "advance_form": AdvanceForm(),
        },
        status=status,
    )


@login_required
@require_GET
def organise(request: HttpRequest, slug: str) -> HttpResponse:
    return _organise_page(request, get_initiative_for_organiser(request.user, slug))


@login_required
@require_POST
def batch_create(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = get_initiative_for_organiser(request.user, slug)
    form = BatchForm(request.POST)
    if not form.is_valid():
        return _organise_page(request, initiative, form, status=400)
    batch = services.create_batch(initiative, request.user, **form.cleaned_data)
    messages.success(request, _("Batch %(ref)s recorded.") % {"ref": batch.reference})
    return redirect("eci:organise", slug=initiative.slug)


@login_required
@require_POST
def batch_advance(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    initiative = get_initiative_for_organiser(request.user, slug)
    batch = get_object_or_404(PaperBatch, pk=pk, initiative=initiative)
    form = AdvanceForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.advance_batch(
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
