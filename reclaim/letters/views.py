from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from reclaim.keyring.services import NoKeyError, holders
from reclaim.letters import services
from reclaim.letters.access import get_public_petition
from reclaim.letters.counting import counts_for
from reclaim.letters.forms import EmptyForm, IndividualSignForm, OrganisationSignForm
from reclaim.letters.models import MilestoneReached, Petition, Signature
from reclaim.shield.guard import challenge_for_visitor, guard_signing, refusal
from reclaim.shield.network import source_key
from reclaim.shield.throttle import Verdict


def _sign_form_class(petition: Petition, request: HttpRequest) -> type:
    wants_org = request.GET.get("as") == "organisation" or request.POST.get("as") == "organisation"
    if petition.allows_organisations and (wants_org or not petition.allows_individuals):
        return OrganisationSignForm
    return IndividualSignForm


def _petition_context(petition: Petition) -> dict[str, Any]:
    counts = counts_for(petition)
    total = counts["total"]
    return {
        "petition": petition,
        "counts": counts,
        "total": total,
        "percent": min(100, round(100 * total / petition.goal)) if petition.goal else 0,
        "milestones": sorted(petition.milestones),
        "reached": {
            m.threshold: m.reached_at for m in MilestoneReached.objects.filter(petition=petition)
        },
        "holders": holders(),
        "paragraphs": [p.strip() for p in petition.text.split("\n\n") if p.strip()],
    }


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    petitions = Petition.objects.exclude(status=Petition.Status.DRAFT).order_by(
        "status", "-opens_at"
    )
    return render(request, "letters/index.html", {"petitions": petitions})


@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    petition = get_public_petition(slug)
    form_class = _sign_form_class(petition, request)
    status = 200
    verdict: Verdict | None = None
    if request.method == "POST" and not petition.is_accepting():
        form = form_class(asks_comment=petition.asks_comment)
        status = 400
    elif request.method == "POST":
        form = form_class(request.POST, asks_comment=petition.asks_comment)
        status = 400
        if form.is_valid():
            # Counted before anything is stored: a refused attempt leaves only the counters.
            verdict = guard_signing(
                request, petition, form.cleaned_data["email"], form.cleaned_data["country"]
            )
            if not verdict.allowed:
                status = 429
            else:
                try:
                    services.sign_petition(
                        petition, form.signer_data(), request.LANGUAGE_CODE, source_key(request)
                    )
                except NoKeyError:
                    return render(
                        request, "letters/not_ready.html", {"petition": petition}, status=503
                    )
                except services.PetitionClosed:
                    pass
                else:
                    return redirect("letters:thanks", slug=petition.slug)
    else:
        form = form_class(asks_comment=petition.asks_comment)
    refused = verdict if verdict is not None and not verdict.allowed else None
    context = _petition_context(petition) | {
        "form": form,
        "as_organisation": form_class is OrganisationSignForm,
        "refusal": refusal(refused) if refused else None,
        # Asked only while the petition takes signatures and the load is unusual.
        "challenge": challenge_for_visitor(request, petition) if petition.is_accepting() else None,
    }
    response = render(request, "letters/detail.html", context, status=status)
    if refused:
        response["Retry-After"] = str(refused.retry_after)
    return response


@require_GET
def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    petition = get_public_petition(slug)
    return render(request, "letters/thanks.html", {"petition": petition})


@require_GET
def signatories(request: HttpRequest, slug: str) -> HttpResponse:
    petition = get_public_petition(slug)
    public = (
        Signature.objects.counted()
        .filter(petition=petition, listed=True, hidden_at__isnull=True)
        .exclude(public_name="")
        .exclude(review__in=[Signature.Review.PENDING, Signature.Review.REJECTED])
    )
    organisations = public.filter(kind=Signature.Kind.ORGANISATION).order_by("public_name", "pk")
    people = public.filter(kind=Signature.Kind.INDIVIDUAL).order_by("created_at", "pk")
    per_page = settings.RECLAIM["SIGNATORIES_PER_PAGE"]
    page = Paginator(people.only("public_name", "country"), per_page).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "letters/signatories.html",
        {
            "petition": petition,
            "organisations": organisations.only("public_name", "public_website", "country")
            if page.number == 1
            else [],
            "organisation_count": organisations.count(),
            "page": page,
        },
    )


@require_GET
def counter(request: HttpRequest, slug: str) -> JsonResponse:
    petition = get_public_petition(slug)
    response = JsonResponse(counts_for(petition))
    max_age = settings.RECLAIM["COUNTER_MAX_AGE"]
    response["Cache-Control"] = (
        f"public, max-age={max_age}, stale-while-revalidate={max_age * 6}, stale-if-error=86400"
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _link_context(signature: Signature | None, token: str) -> dict[str, Any]:
    return {
        "signature": signature,
        "petition": signature.petition if signature else None,
        "token": token,
        "holders": holders(),
        "confirmation_days": settings.RECLAIM["CONFIRMATION_DAYS"],
    }


@require_http_methods(["GET", "POST"])
def signature_link(request: HttpRequest, token: str) -> HttpResponse:
    """The mailed link. GET only shows a page: mail scanners that follow links confirm
    nothing. The button on the page POSTs, and only that confirms."""
    signature = services.find_by_token(token)
    context = _link_context(signature, token)
    if signature is None:
        return render(request, "letters/link_invalid.html", context, status=404)
    if signature.confirmed_at is not None:
        return render(request, "letters/receipt.html", context)
    if not services.can_confirm(signature):
        return render(request, "letters/link_invalid.html", context, status=410)
    if request.method == "POST":
        form = EmptyForm(request.POST)
        if form.is_valid() and services.confirm_signature(signature):
            return redirect(reverse("letters:link", args=[token]) + "?confirmed=1")
    context["deadline"] = services.confirmation_deadline(signature)
    return render(request, "letters/confirm.html", context)


@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, token: str) -> HttpResponse:
    """Step two of withdrawal: a page that says what will happen, and a button."""
    signature = services.find_by_token(token)
    context = _link_context(signature, token)
    if signature is None:
        return render(request, "letters/link_invalid.html", context, status=404)
    if request.method == "POST":
        services.withdraw_signature(signature)
        return render(request, "letters/withdrawn.html", context)
    return render(request, "letters/withdraw.html", context)
