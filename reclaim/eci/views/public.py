"""The public pages of an initiative: the list, an initiative's page and its checker."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django_countries import countries

from reclaim.eci import eligibility, rules, signing
from reclaim.eci.access import get_public_initiative
from reclaim.eci.forms.eligibility import EligibilityForm
from reclaim.eci.models import Initiative


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
        # The site speaks three languages, the Commission's page all 24 official ones.
        "signing_languages": signing.links(initiative.signing_url, initiative.signing_links),
        # The member state's name in the visitor's language (the rules data is English).
        "country_name": countries.name(result.country.iso) if result.country else "",
        "collecting": initiative.status == Initiative.Status.COLLECTING,
    }
    return render(request, "eci/check.html", context)
