"""Paper forms: the list of member states and a blank printable form for each."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django_countries import countries

from reclaim.eci import paperforms, rules
from reclaim.eci.access import get_public_initiative


def _rows(value: str | None) -> int:
    """Rows per sheet from ``?rows=``; anything but a whole number in range is the default."""
    try:
        rows = int(value or "")
    except ValueError:
        return paperforms.DEFAULT_ROWS
    if not 1 <= rows <= paperforms.MAX_ROWS:
        return paperforms.DEFAULT_ROWS
    return rows


@require_GET
def forms_index(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = get_public_initiative(slug)
    states = [
        {
            "iso": country.iso,
            "name": countries.name(country.iso),
            "part": country.data_part,
            "min_age": country.min_age,
        }
        for country in rules.load().countries
    ]
    return render(
        request,
        "eci/forms.html",
        {
            "initiative": initiative,
            "states": states,
            "signing_link": initiative.signing_link(request.LANGUAGE_CODE),
        },
    )


@require_GET
def form_pdf(request: HttpRequest, slug: str, country: str) -> HttpResponse:
    initiative = get_public_initiative(slug)
    if initiative.collection_closed:
        raise Http404  # statements signed after the close would not count
    try:
        state = paperforms.find_country(country)
    except paperforms.UnknownCountry:
        raise Http404 from None
    language = request.LANGUAGE_CODE
    pdf = paperforms.build_form_pdf(
        initiative, state.iso, language, rows_per_sheet=_rows(request.GET.get("rows"))
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = paperforms.filename(initiative, state, language)
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
