from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from reclaim.core.crossorigin import public_form
from reclaim.keyring.services import NoKeyError, current_key, holders
from reclaim.letters import services
from reclaim.letters.access import get_public_petition
from reclaim.letters.counting import counts_for
from reclaim.letters.forms import (
    BOX_FIELD,
    BaseSignForm,
    EmptyForm,
    IndividualSignForm,
    OrganisationSignForm,
    country_names,
)
from reclaim.letters.models import MilestoneReached, Petition, Signature
from reclaim.shield.guard import guard, refusal
from reclaim.shield.network import source_key
from reclaim.shield.throttle import Verdict

# The scope the signing form is guarded under (reclaim.shield), per petition.
SIGN_SCOPE = "letters.sign"
_NETWORK = gettext_lazy("Too many signatures from your network right now.")
REFUSALS = {
    "source_burst": _NETWORK,
    "source_sustained": _NETWORK,
    "domain_burst": gettext_lazy(
        "Too many signatures with addresses at your email provider right now."
    ),
    "country_burst": gettext_lazy("Too many signatures from your country right now."),
}


def sign_form_class(petition: Petition, request: HttpRequest) -> type:
    wants_org = request.GET.get("as") == "organisation" or request.POST.get("as") == "organisation"
    if petition.allows_organisations and (wants_org or not petition.allows_individuals):
        return OrganisationSignForm
    return IndividualSignForm


def petition_context(petition: Petition) -> dict[str, Any]:
    counts = counts_for(petition)
    total = counts["total"]
    names = country_names()
    return {
        "petition": petition,
        "by_country": [(names.get(code, code), n) for code, n in counts["by_country"].items()],
        "total": total,
        "percent": min(100, round(100 * total / petition.goal)) if petition.goal else 0,
        "milestones": sorted(petition.milestones),
        "reached": {
            m.threshold: m.reached_at for m in MilestoneReached.objects.filter(petition=petition)
        },
        "holders": holders(),
        "paragraphs": [p.strip() for p in petition.text.split("\n\n") if p.strip()],
    }


def sealing_config(petition: Petition, form: BaseSignForm) -> dict[str, Any] | None:
    """What the browser needs to seal the form before it is sent (the petition's newest
    key; reclaim/static/reclaim/seal.js). None while the petition takes no signatures or
    has no key: the form then goes as it is, and the server says why it cannot sign."""
    if not petition.is_accepting():
        return None
    try:
        key = current_key()
    except NoKeyError:
        return None
    return form.sealing_config(key, petition.context())


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    petitions = Petition.objects.exclude(status=Petition.Status.DRAFT).order_by(
        "status", "-opens_at"
    )
    return render(request, "letters/index.html", {"petitions": petitions})


@dataclass
class SignAttempt:
    """What the signing form's request came to: the form to show again with its status, or
    a signature stored (``signed``), or no sealing key to store it with (``no_key``)."""

    form: BaseSignForm
    form_class: type
    status: int = 200
    refused: Verdict | None = None
    signed: bool = False
    no_key: bool = False


def attempt_signature(
    request: HttpRequest, petition: Petition, language: str, widget_key: str = ""
) -> SignAttempt:
    """The signing form's GET or POST, for the petition page and for a partner's widget
    (reclaim.coalition), which stores its key with the signature."""
    form_class = sign_form_class(petition, request)
    if request.method != "POST":
        return SignAttempt(form_class(asks_comment=petition.asks_comment), form_class)
    if not petition.is_accepting():
        return SignAttempt(form_class(asks_comment=petition.asks_comment), form_class, 400)
    form = form_class(
        request.POST,
        asks_comment=petition.asks_comment,
        browser_sealed=BOX_FIELD in request.POST,
    )
    attempt = SignAttempt(form, form_class, 400)
    if not form.is_valid():
        return attempt
    # Counted before anything is stored: a refused attempt leaves only the counters.
    verdict = guard(
        request,
        SIGN_SCOPE,
        target=petition.pk,
        email=form.cleaned_data["email"],
        country=form.cleaned_data["country"],
    )
    if not verdict.allowed:
        attempt.status, attempt.refused = 429, verdict
        return attempt
    try:
        services.sign_petition(
            petition,
            form.signer_data(),
            language,
            source_key(request),
            box=form.browser_box,
            widget_key=widget_key,
        )
    except NoKeyError:
        attempt.no_key = True
    except services.PetitionClosed:
        pass
    else:
        attempt.signed = True
    return attempt


def signing_context(petition: Petition, attempt: SignAttempt) -> dict[str, Any]:
    """What a page with the signing form shows (the petition page, a widget)."""
    refused = attempt.refused
    return petition_context(petition) | {
        "form": attempt.form,
        "as_organisation": attempt.form_class is OrganisationSignForm,
        "refusal": refusal(refused, REFUSALS) if refused else None,
        # The proof-of-work challenge is not in the page, which is the same for every
        # visitor: the form's script asks reclaim.shield for one, for this scope and target.
        "pow_scope": SIGN_SCOPE,
        "sealing": sealing_config(petition, attempt.form),
    }


@public_form
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    petition = get_public_petition(slug)
    attempt = attempt_signature(request, petition, request.LANGUAGE_CODE)
    if attempt.no_key:
        return render(request, "letters/not_ready.html", {"petition": petition}, status=503)
    if attempt.signed:
        return redirect("letters:thanks", slug=petition.slug)
    response = render(
        request, "letters/detail.html", signing_context(petition, attempt), status=attempt.status
    )
    if attempt.refused:
        response["Retry-After"] = str(attempt.refused.retry_after)
    if request.method == "GET":
        # The page is the same bytes for every reader (no cookie, no token, no challenge),
        # so a proxy may keep it a few seconds (docs/deploy caches it in nginx). The counts
        # in it are as fresh as the counter's.
        max_age = settings.RECLAIM["PAGE_MAX_AGE"]
        response["Cache-Control"] = f"public, max-age={max_age}, stale-while-revalidate={max_age}"
    return response


@require_GET
def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    petition = get_public_petition(slug)
    return render(request, "letters/thanks.html", {"petition": petition})


# Organisations are listed on the first page, by name. Each one is a moderator's approval,
# so there are tens or hundreds, not millions; the cap bounds the page if that ever changes.
ORGANISATIONS_SHOWN = 1000
# A cursor is a signature id: a positive integer that fits a 64-bit column.
_CURSOR = re.compile(r"[1-9][0-9]{0,18}")


def _cursor(request: HttpRequest, name: str) -> int | None:
    """The id in ``?after=`` or ``?before=``; a malformed one is a 404, not a 500."""
    raw = request.GET.get(name)
    if raw is None:
        return None
    if not _CURSOR.fullmatch(raw) or int(raw) >= 2**63:
        raise Http404
    return int(raw)


def _people_page(
    people: QuerySet[Signature], after: int | None, before: int | None, per_page: int
) -> tuple[list[Signature], bool, bool]:
    """One page of ``people`` in signing order: (rows, has_previous, has_next).

    Each query reads at most ``per_page + 1`` rows of the index, wherever the page is.
    """
    cursor = after if after is not None else before
    if cursor is not None:
        # Only a listed person of this petition positions a page: any other id is a 404.
        mark = people.filter(pk=cursor).values_list("created_at", flat=True).first()
        if mark is None:
            raise Http404
        # created_at >= mark (<= mark) bounds the index range; the OR breaks ties on it.
        if after is not None:
            rows = list(
                people.filter(created_at__gte=mark)
                .filter(Q(created_at__gt=mark) | Q(created_at=mark, pk__gt=cursor))
                .order_by("created_at", "pk")[: per_page + 1]
            )
            return rows[:per_page], True, len(rows) > per_page
        rows = list(
            people.filter(created_at__lte=mark)
            .filter(Q(created_at__lt=mark) | Q(created_at=mark, pk__lt=cursor))
            .order_by("-created_at", "-pk")[: per_page + 1]
        )
        if len(rows) > per_page:
            return rows[:per_page][::-1], True, True
        # Back at the start: the first page, the same whichever way it was reached.
    rows = list(people.order_by("created_at", "pk")[: per_page + 1])
    return rows[:per_page], False, len(rows) > per_page


@require_GET
def signatories(request: HttpRequest, slug: str) -> HttpResponse:
    """The people who chose to be listed, oldest first, one page at a time.

    Keyset pagination: a page is the rows after (or before) the (created_at, id) of the
    signature in ``?after=`` (``?before=``), read from the partial index of listed rows
    (``sig_public_list_idx``), so a page costs the same at the millionth signature as at
    the first. No request counts rows: the totals are stored by the aggregation job. An
    OFFSET and a COUNT(*) per page took 1.5 s (PostgreSQL) and 16 s (SQLite) a page at
    1,000,000 signatures.
    """
    petition = get_public_petition(slug)
    after = _cursor(request, "after")
    before = _cursor(request, "before")
    if after is not None and before is not None:
        raise Http404
    listed = Signature.objects.publicly_listed().filter(petition=petition)
    people = listed.filter(kind=Signature.Kind.INDIVIDUAL).only("public_name", "country")
    rows, has_previous, has_next = _people_page(
        people, after, before, settings.RECLAIM["SIGNATORIES_PER_PAGE"]
    )
    first_page = not has_previous
    organisations: list[Signature] = []
    if first_page:
        organisations = list(
            listed.filter(kind=Signature.Kind.ORGANISATION)
            .only("public_name", "public_website", "country")
            .order_by("public_name", "pk")[:ORGANISATIONS_SHOWN]
        )
    return render(
        request,
        "letters/signatories.html",
        {
            "petition": petition,
            "first_page": first_page,
            "organisations": organisations,
            # Stored by the aggregation job; never less than what this page shows.
            "organisation_count": max(petition.listed_organisations, len(organisations)),
            "organisations_capped": petition.listed_organisations > len(organisations)
            and len(organisations) == ORGANISATIONS_SHOWN,
            "people_count": max(petition.listed_people, len(rows)),
            "people": rows,
            "previous": rows[0].pk if has_previous and rows else None,
            "next": rows[-1].pk if has_next and rows else None,
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


@public_form
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


@public_form
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
