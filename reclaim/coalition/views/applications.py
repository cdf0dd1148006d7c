"""Applying to join the coalition, confirming by mail, the organisers' vetting pages, and
the accepted partner's invitation."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reclaim.accounts import enrolment
from reclaim.coalition.access_applications import get_application_for_vetting, get_vetter
from reclaim.coalition.forms_applications import (
    ApplicationForm,
    EmptyForm,
    InvitationPasswordForm,
    NoteForm,
    PrinciplesForm,
    StateFilterForm,
    TransitionForm,
)
from reclaim.coalition.models import Application
from reclaim.coalition.services import applications as services
from reclaim.coalition.services.principles import (
    current_principles,
    paragraphs,
    publish_principles,
)
from reclaim.core.crossorigin import public_form
from reclaim.core.decorators import staff_area
from reclaim.shield.guard import guard, refusal
from reclaim.shield.throttle import Verdict

# The scope the application form is guarded under (reclaim.shield), and its one target:
# there is one form, not one per petition.
APPLY_SCOPE = "coalition.apply"
APPLY_TARGET = "join"
_NETWORK = gettext_lazy("Too many applications from your network right now.")
REFUSALS = {
    "source_burst": _NETWORK,
    "source_sustained": _NETWORK,
    "domain_burst": gettext_lazy(
        "Too many applications with addresses at your email provider right now."
    ),
    "country_burst": gettext_lazy("Too many applications from your country right now."),
}
# Where an invited partner lands once the second factor is set up. The partner pages are
# another part of the app: their start page if it exists, the front page until then.
PARTNER_HOME = "coalition:partner_home"
LIST_LIMIT = 500


def _retention_context() -> dict[str, Any]:
    return {
        "retention_days": settings.RECLAIM["COALITION_APPLICATION_RETENTION_DAYS"],
        "confirmation_days": settings.RECLAIM["CONFIRMATION_DAYS"],
    }


@public_form
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    principles = current_principles()
    if principles is None:
        status = 400 if request.method == "POST" else 200
        return render(request, "coalition/apply_closed.html", status=status)
    status = 200
    verdict: Verdict | None = None
    if request.method == "POST":
        form = ApplicationForm(request.POST, principles=principles)
        status = 400
        if form.is_valid():
            # Counted before anything is stored: a refused attempt leaves only the counters.
            verdict = guard(
                request,
                APPLY_SCOPE,
                target=APPLY_TARGET,
                email=form.cleaned_data["contact_email"],
                country=form.cleaned_data["country"],
            )
            if not verdict.allowed:
                status = 429
            else:
                try:
                    services.submit_application(
                        form.application_data(), principles, request.LANGUAGE_CODE
                    )
                except services.PrinciplesChanged:
                    form.add_error(
                        None,
                        _(
                            "The principles have changed since you opened this page. Please"
                            " read the new version and agree to it again."
                        ),
                    )
                else:
                    return redirect("coalition:apply_sent")
    else:
        form = ApplicationForm(principles=principles)
    refused = verdict if verdict is not None and not verdict.allowed else None
    context = {
        "form": form,
        "principles": principles,
        "paragraphs": paragraphs(principles),
        "refusal": refusal(refused, REFUSALS) if refused else None,
        "pow_scope": APPLY_SCOPE,
        "pow_target": APPLY_TARGET,
    } | _retention_context()
    response = render(request, "coalition/apply.html", context, status=status)
    if refused:
        response["Retry-After"] = str(refused.retry_after)
    return response


@require_GET
def apply_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "coalition/apply_sent.html", _retention_context())


@public_form
@never_cache
@require_http_methods(["GET", "POST"])
def apply_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The mailed link. GET only shows a page (mail scanners follow links); its button
    POSTs, and only that confirms."""
    application = services.find_by_token(token)
    context: dict[str, Any] = {"application": application} | _retention_context()
    if application is None:
        return render(request, "coalition/apply_link_invalid.html", context, status=404)
    if application.confirmed_at is not None:
        return render(request, "coalition/apply_confirmed.html", context)
    if not services.can_confirm(application):
        return render(request, "coalition/apply_link_invalid.html", context, status=410)
    if request.method == "POST":
        form = EmptyForm(request.POST)
        if form.is_valid() and services.confirm_application(application):
            return redirect("coalition:apply_confirm", token=token)
    context["deadline"] = services.confirmation_deadline(application)
    return render(request, "coalition/apply_confirm.html", context)


# --- The invited partner ----------------------------------------------------------------


def _partner_home() -> str:
    try:
        return reverse(PARTNER_HOME)
    except NoReverseMatch:
        return reverse("home")


@public_form
@never_cache
@require_http_methods(["GET", "POST"])
def apply_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The partner's invitation: choose a password, then set up the second factor with
    the same link (accounts.enrolment). Showing the form changes nothing."""
    try:
        link = services.invitation_for(token)
    except services.InvitationInvalid as exc:
        return render(
            request,
            "coalition/apply_invitation_invalid.html",
            {"reason": exc.reason},
            status=404 if exc.reason == "unknown" else 410,
        )
    user = link.user
    status = 200
    if request.method == "POST":
        form = InvitationPasswordForm(user, request.POST)
        if form.is_valid():
            user = services.set_partner_password(link, form.cleaned_data["new_password1"])
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            # The session may now set up the authenticator app with this link.
            enrolment.open_link(request, link)
            query = urlencode({"next": _partner_home()})
            return redirect(f"{reverse('accounts:two_factor')}?{query}")
        status = 400
    else:
        form = InvitationPasswordForm(user)
    return render(
        request,
        "coalition/apply_invitation.html",
        {"form": form, "username": user.get_username(), "organisation": user.partner.organisation},
        status=status,
    )


# --- Organisers -------------------------------------------------------------------------


@staff_area
@require_GET
def applications_list(request: HttpRequest) -> HttpResponse:
    get_vetter(request.user)
    form = StateFilterForm(request.GET or None)
    state = form.cleaned_data["state"] if form.is_valid() else ""
    rows = Application.objects.exclude(state=Application.State.UNCONFIRMED)
    if state:
        rows = rows.filter(state=state)
    return render(
        request,
        "coalition/staff/applications.html",
        {
            "form": form,
            "state": state,
            "applications": list(rows.order_by("-confirmed_at", "-pk")[:LIST_LIMIT]),
            "principles": current_principles(),
        },
    )


_TRANSITION_LABELS: dict[str, Any] = {
    Application.State.UNDER_REVIEW: gettext_lazy("Start the review"),
    Application.State.MORE_INFORMATION: gettext_lazy("Ask for more information"),
    Application.State.ACCEPTED: gettext_lazy("Accept"),
    Application.State.DECLINED: gettext_lazy("Decline"),
}


def _detail(
    request: HttpRequest,
    application: Application,
    status: int = 200,
    transition_form: TransitionForm | None = None,
    note_form: NoteForm | None = None,
) -> HttpResponse:
    actions = [(s, _TRANSITION_LABELS[s]) for s in services.allowed_transitions(application)]
    return render(
        request,
        "coalition/staff/applications_detail.html",
        {
            "application": application,
            "actions": actions,
            "transition_form": transition_form or TransitionForm(),
            "failed_state": transition_form.data.get("state") if transition_form else "",
            "note_form": note_form or NoteForm(),
            "notes": application.notes.select_related("author"),
            "erasure_date": services.erasure_date(application),
            "invited_user": services.invited_user(application),
            "link_hours": int(enrolment.lifetime().total_seconds() // 3600),
        },
        status=status,
    )


@staff_area
@require_GET
def applications_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_vetting(request.user, pk)
    return _detail(request, application)


@staff_area
@require_POST
def applications_transition(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_vetting(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _detail(request, application, status=400, transition_form=form)
    wanted = form.cleaned_data["state"]
    try:
        if wanted == Application.State.ACCEPTED:
            services.accept_application(application, request.user, tier=form.cleaned_data["tier"])
        else:
            services.change_state(application, wanted, request.user, form.cleaned_data["message"])
    except services.TransitionRefused as exc:
        messages.error(
            request,
            _("An application that is “%(current)s” cannot become “%(wanted)s”.")
            % {
                "current": Application.State(exc.current).label,
                "wanted": Application.State(exc.wanted).label,
            },
        )
        return _detail(request, application, status=409)
    except services.NoContact:
        messages.error(
            request,
            _("The contact person's data has been erased: nobody can be invited."),
        )
        return _detail(request, application, status=409)
    messages.success(
        request,
        _("The application is now “%(state)s”. The applicant has been told by mail.")
        % {"state": Application.State(wanted).label},
    )
    return redirect("coalition:applications_detail", pk=application.pk)


@staff_area
@require_POST
def applications_note(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_vetting(request.user, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _detail(request, application, status=400, note_form=form)
    services.add_note(application, request.user, form.cleaned_data["text"])
    messages.success(request, _("Note added."))
    return redirect("coalition:applications_detail", pk=application.pk)


@staff_area
@require_POST
def applications_resend(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_vetting(request.user, pk)
    try:
        services.resend_invitation(application, request.user)
    except services.NoContact:
        messages.error(request, _("This application has no partner account to invite."))
        return _detail(request, application, status=409)
    messages.success(
        request, _("A new invitation is on its way; the earlier link no longer works.")
    )
    return redirect("coalition:applications_detail", pk=application.pk)


@staff_area
@require_http_methods(["GET", "POST"])
def applications_principles(request: HttpRequest) -> HttpResponse:
    get_vetter(request.user)
    principles = current_principles()
    status = 200
    if request.method == "POST":
        form = PrinciplesForm(request.POST)
        if form.is_valid():
            published = publish_principles(form.cleaned_data["text"], request.user)
            messages.success(
                request,
                _("Version %(version)s of the principles is published.")
                % {"version": published.version},
            )
            return redirect("coalition:applications_principles")
        status = 400
    else:
        form = PrinciplesForm(initial={"text": principles.text if principles else ""})
    return render(
        request,
        "coalition/staff/applications_principles.html",
        {"form": form, "principles": principles},
        status=status,
    )
