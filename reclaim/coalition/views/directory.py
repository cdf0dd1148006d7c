"""The public directory of the coalition, each organisation's page and logo, and the
organisers' page that matches letters' co-signatures to directory entries."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from reclaim.coalition.access_directory import (
    get_cosignature_linker,
    get_listed_organisation,
    get_organisation_logo,
)
from reclaim.coalition.models import CoSignatureLink, Organisation
from reclaim.coalition.services import directory
from reclaim.core.decorators import staff_area
from reclaim.letters.models import Signature

# Each tier shows this many organisations per page: a thousand supporters stay a page
# one can read, with its own "next" link, while the few lead organisations stay on top.
PER_PAGE = 100
# The organisers' matching page: suggestions are computed for this many signatures a page.
LINKS_PER_PAGE = 50
# A logo's URL carries its version, so it can be kept for a year.
LOGO_MAX_AGE = 365 * 24 * 3600


# The tiers' headings: the model's labels name one organisation, a heading all of them.
TIER_HEADINGS: dict[str, Any] = {
    Organisation.Tier.LEAD: gettext_lazy("Lead organisations"),
    Organisation.Tier.PARTNER: gettext_lazy("Campaign partners"),
    Organisation.Tier.SUPPORTER: gettext_lazy("Supporters"),
}


class DirectoryFilter(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Search"), required=False, max_length=directory.MAX_QUERY
    )
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind of organisation"), required=False)

    def __init__(self, *args: Any, entries: list[directory.Entry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        any_option = [("", _("Any"))]
        country, kind = self.fields["country"], self.fields["kind"]
        assert isinstance(country, forms.ChoiceField) and isinstance(kind, forms.ChoiceField)
        country.choices = any_option + directory.country_options(entries)
        kind.choices = any_option + directory.kind_options(entries)

    def chosen(self) -> dict[str, str]:
        """The valid filters; a field with a wrong value (an old link, a typed address) is
        left out, and its error shown."""
        self.is_valid()
        return {
            name: str(self.cleaned_data.get(name) or "")
            for name in ("q", "country", "kind")
            if name not in self.errors
        }


def _page_link(request: HttpRequest, param: str, number: int) -> str:
    query = request.GET.copy()
    query[param] = str(number)
    return "?" + query.urlencode()


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    language = get_language()
    entries = directory.directory_entries(language)
    form = DirectoryFilter(request.GET or None, entries=entries)
    chosen = form.chosen() if request.GET else {}
    found = directory.filter_entries(
        entries,
        country=chosen.get("country", ""),
        kind=chosen.get("kind", ""),
        query=chosen.get("q", ""),
    )
    labels = TIER_HEADINGS
    tiers = []
    for tier, members in directory.by_tier(found):
        if not members:
            continue
        param = f"page-{tier}"
        page = Paginator(members, PER_PAGE).get_page(request.GET.get(param))
        tiers.append(
            {
                "tier": tier,
                "label": labels[tier],
                "count": len(members),
                "page": page,
                "previous": _page_link(request, param, page.number - 1)
                if page.has_previous()
                else "",
                "next": _page_link(request, param, page.number + 1) if page.has_next() else "",
            }
        )
    return render(
        request,
        "coalition/directory.html",
        {
            "form": form,
            "tiers": tiers,
            "found": len(found),
            "total": len(entries),
            "filtered": bool(chosen and any(chosen.values())),
        },
    )


@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_listed_organisation(slug)
    language = get_language() or ""
    shown = directory.description_for(organisation, language)
    return render(
        request,
        "coalition/organisation.html",
        {
            "organisation": organisation,
            "description": shown,
            "paragraphs": [p.strip() for p in shown.text.split("\n\n") if p.strip()]
            if shown
            else [],
            "letters": directory.cosigned_letters(organisation),
            **directory.campaigns(organisation),
        },
    )


@require_GET
def logo(request: HttpRequest, slug: str, version: str) -> HttpResponse:
    organisation = get_organisation_logo(request.user, slug)
    if version != organisation.logo_version:
        # A page cached before the logo changed: send it to the new one, briefly.
        moved = redirect("coalition:logo", slug=slug, version=organisation.logo_version)
        moved["Cache-Control"] = "public, max-age=60"
        return moved
    response = HttpResponse(bytes(organisation.logo or b""), content_type=organisation.logo_type)
    if organisation.is_listed:
        response["Cache-Control"] = f"public, max-age={LOGO_MAX_AGE}, immutable"
    else:
        response["Cache-Control"] = "private, no-store"
    # Our own re-encoded PNG, but never a document: nothing in it may run or load.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Content-Disposition"] = "inline"
    return response


# --- Organisers: co-signatures of letters -------------------------------------------


@staff_area
@require_GET
def cosignatures(request: HttpRequest) -> HttpResponse:
    get_cosignature_linker(request.user)
    page = Paginator(directory.unlinked_cosignatures(), LINKS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    organisations = list(Organisation.objects.only("pk", "slug", "name", "status"))
    rows = [
        (signature, directory.suggest(signature.public_name, organisations)) for signature in page
    ]
    linked = CoSignatureLink.objects.select_related("signature__petition", "organisation").order_by(
        "-confirmed_at"
    )[:LINKS_PER_PAGE]
    return render(
        request,
        "coalition/directory_cosignatures.html",
        {"page": page, "rows": rows, "linked": linked},
    )


class LinkForm(forms.Form):
    signature = forms.IntegerField(min_value=1)
    organisation = forms.SlugField(max_length=80)


@staff_area
@require_POST
def link(request: HttpRequest) -> HttpResponse:
    user = get_cosignature_linker(request.user)
    form = LinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a directory entry by its address."))
        return redirect("coalition:cosignatures")
    signature = get_object_or_404(Signature, pk=form.cleaned_data["signature"])
    organisation = Organisation.objects.filter(slug=form.cleaned_data["organisation"]).first()
    if organisation is None:
        messages.error(request, _("No directory entry has that address."))
        return redirect("coalition:cosignatures")
    try:
        directory.link_cosignature(signature, organisation, user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The co-signature is now shown on the page of %(name)s.")
            % {"name": organisation.name},
        )
    return redirect(reverse("coalition:cosignatures"))


@staff_area
@require_POST
def unlink(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_cosignature_linker(request.user)
    found = get_object_or_404(CoSignatureLink.objects.select_related("organisation"), pk=pk)
    directory.unlink_cosignature(found, user)
    messages.success(request, _("The link was removed."))
    return redirect("coalition:cosignatures")
