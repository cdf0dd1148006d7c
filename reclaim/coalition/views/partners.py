"""The partner area (a member organisation's own pages) and organisers' review of partners'
profile changes. Every page is a staff area: signed in, past the second factor."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from reclaim.coalition.access_partners import (
    get_change_for_reviewer,
    get_change_for_viewer,
    get_organisation_for_partner,
    get_organisation_for_viewer,
    get_own_partner,
    get_reviewer,
    is_reviewer,
)
from reclaim.coalition.forms_partners import ProfileForm, RejectForm
from reclaim.coalition.models import Organisation, Partner, ProfileChange, Widget
from reclaim.coalition.services import logos, profile_changes
from reclaim.coalition.services.partners import organisation_counts
from reclaim.coalition.services.widgets import signature_counts, snippet
from reclaim.core.decorators import staff_area
from reclaim.core.middleware import accepts_uploads


def _pending(organisation: Organisation) -> ProfileChange | None:
    return ProfileChange.objects.filter(
        organisation=organisation, state=ProfileChange.State.PENDING
    ).first()


def _area(request: HttpRequest, organisation: Organisation, **context: Any) -> dict[str, Any]:
    """What every page of an organisation's area shows: whose area, and whether the viewer
    is its partner (who may edit) or an organiser looking in."""
    user: Any = request.user
    own = Partner.objects.filter(user=user, organisation=organisation).exists()
    return {"organisation": organisation, "own": own, **context}


@staff_area
@require_http_methods(["GET", "HEAD"])
def home(request: HttpRequest) -> HttpResponse:
    """A partner's own area; organisers go to the changes waiting for them."""
    if is_reviewer(request.user):
        return redirect("coalition:partner_review")
    partner = get_own_partner(request.user)
    return redirect("coalition:partner_area", partner.organisation.slug)


@staff_area
@require_http_methods(["GET", "HEAD"])
def area(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_viewer(request.user, slug)
    recent = list(organisation.profile_changes.order_by("-submitted_at")[:5])
    context = _area(request, organisation, pending=_pending(organisation), recent=recent)
    return render(request, "coalition/partner_area.html", context)


@staff_area
@accepts_uploads(lambda: logos.max_bytes() + settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest, slug: str) -> HttpResponse:
    """The partner's edit of the profile: it becomes a change waiting for organisers."""
    organisation = get_organisation_for_partner(request.user, slug)
    current = profile_changes.current_values(organisation)
    pending = _pending(organisation)
    # A change waiting is what the partner edits further: start from it.
    start = {**current, **pending.proposed} if pending is not None else current
    status = 200
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                profile_changes.propose_change(
                    organisation, request.user, form.values(), form.processed_logo
                )
            except profile_changes.NothingChanged:
                form.add_error(
                    None, _("This is the profile as it is now: there is nothing to send.")
                )
            else:
                messages.success(request, _("Thank you. The organisers will review your changes."))
                return redirect("coalition:partner_area", organisation.slug)
        status = 400
    else:
        form = ProfileForm(initial=ProfileForm.initial_for(start))
    context = _area(request, organisation, form=form, pending=pending)
    return render(request, "coalition/partner_profile.html", context, status=status)


@staff_area
@require_http_methods(["GET", "HEAD"])
def widgets(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_viewer(request.user, slug)
    items = list(
        Widget.objects.filter(organisation=organisation).select_related("petition", "initiative")
    )
    counts = signature_counts(items)
    rows = [(widget, snippet(widget, request), counts.get(widget.key, 0)) for widget in items]
    return render(
        request, "coalition/partner_widgets.html", _area(request, organisation, rows=rows)
    )


@staff_area
@require_http_methods(["GET", "HEAD"])
def counts(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_viewer(request.user, slug)
    sources = organisation_counts(organisation)
    return render(
        request, "coalition/partner_counts.html", _area(request, organisation, sources=sources)
    )


@staff_area
@require_http_methods(["GET", "HEAD"])
def change(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One change as the partner proposed it, and what became of it."""
    item = get_change_for_viewer(request.user, slug, pk)
    context = _area(
        request,
        item.organisation,
        change=item,
        rows=profile_changes.proposed_rows(item),
    )
    return render(request, "coalition/partner_change.html", context)


@staff_area
@require_http_methods(["GET", "HEAD"])
def change_logo(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The logo a change proposes (already re-encoded by us), for its partner and organisers."""
    item = get_change_for_viewer(request.user, slug, pk)
    if item.logo is None:
        raise Http404
    response = HttpResponse(bytes(item.logo), content_type=item.logo_type or "image/png")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- Organisers' review --------------------------------------------------------------------


@staff_area
@require_http_methods(["GET", "HEAD"])
def review(request: HttpRequest) -> HttpResponse:
    get_reviewer(request.user)
    changes = list(profile_changes.pending_changes().order_by("submitted_at"))
    return render(request, "coalition/partner_review.html", {"changes": changes})


def _review_page(
    request: HttpRequest, item: ProfileChange, reject: RejectForm | None = None, status: int = 200
) -> HttpResponse:
    context = {
        "change": item,
        "organisation": item.organisation,
        "rows": profile_changes.diff(item),
        "reject_form": reject or RejectForm(),
    }
    return render(request, "coalition/partner_review_change.html", context, status=status)


@staff_area
@require_http_methods(["GET", "HEAD"])
def review_change(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_page(request, get_change_for_reviewer(request.user, pk))


@staff_area
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_change_for_reviewer(request.user, pk)
    try:
        profile_changes.approve_change(item, request.user)
    except profile_changes.AlreadyDecided:
        messages.error(request, _("This change was decided already."))
    else:
        messages.success(
            request,
            _("The changes to %(name)s are applied.") % {"name": item.organisation.name},
        )
    return redirect("coalition:partner_review")


@staff_area
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_change_for_reviewer(request.user, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _review_page(request, item, reject=form, status=400)
    try:
        profile_changes.reject_change(item, request.user, form.cleaned_data["reason"])
    except profile_changes.AlreadyDecided:
        messages.error(request, _("This change was decided already."))
    else:
        messages.success(
            request,
            _("The changes to %(name)s are rejected; its staff get your reason.")
            % {"name": item.organisation.name},
        )
    return redirect("coalition:partner_review")
