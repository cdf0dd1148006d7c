"""The organisers' pages: trending alerts, and bulk invalidation with preview and undo."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_countries import countries

from reclaim.core.decorators import staff_area
from reclaim.letters.models import Petition
from reclaim.letters.moderation import invalidation, trending
from reclaim.letters.moderation.access import get_organiser
from reclaim.letters.moderation.forms import ResolveForm, RuleForm, RunForm
from reclaim.letters.moderation.models import Alert, InvalidationRun

RECENT = 50

RULE_LABELS = {
    "petition": gettext_lazy("Petition"),
    "sources": gettext_lazy("Network sources"),
    "email_domain": gettext_lazy("Email domain"),
    "country": gettext_lazy("Country"),
    "created_from": gettext_lazy("Signed from"),
    "created_to": gettext_lazy("Signed before"),
}


@staff_area
@require_http_methods(["GET", "POST"])
def alerts(request: HttpRequest) -> HttpResponse:
    get_organiser(request.user)
    if request.method == "POST":
        form = ResolveForm(request.POST)
        if form.is_valid():
            alert = get_object_or_404(Alert, pk=form.cleaned_data["alert"])
            trending.resolve(alert, request.user)
            messages.success(request, _("Alert marked as resolved."))
        return redirect("letters:moderation:alerts")
    open_alerts = Alert.objects.filter(resolved_at__isnull=True).select_related("petition")
    resolved = Alert.objects.filter(resolved_at__isnull=False).select_related("petition")
    return render(
        request,
        "letters/moderation/alerts.html",
        {
            "open_alerts": [(a, trending.describe(a)) for a in open_alerts],
            "resolved": [(a, trending.describe(a)) for a in resolved[:RECENT]],
        },
    )


def _initial_from_alerts(request: HttpRequest) -> dict[str, Any]:
    """A rule prefilled from the alerts ticked on the alerts page: their sources (or else
    their one named domain, or their one country), their petition and their time span."""
    ids = [int(pk) for pk in request.GET.getlist("alert") if pk.isdigit()]
    chosen = list(Alert.objects.filter(pk__in=ids))
    if not chosen:
        return {}
    initial: dict[str, Any] = {
        "created_from": min(a.window_start for a in chosen).replace(microsecond=0),
        # The end is exclusive and the field shows whole seconds: round up.
        "created_to": max(a.window_end for a in chosen).replace(microsecond=0)
        + timedelta(seconds=1),
    }
    petitions = {a.petition_id for a in chosen}
    if len(petitions) == 1:
        initial["petition"] = petitions.pop()
    sources = sorted({a.label for a in chosen if a.kind == Alert.Kind.SOURCE})
    domains = {a.label for a in chosen if a.kind == Alert.Kind.DOMAIN and a.label}
    countries = {a.key for a in chosen if a.kind == Alert.Kind.COUNTRY}
    if sources:
        initial["source"] = " ".join(sources)
    elif len(domains) == 1:
        initial["email_domain"] = domains.pop()
    elif len(countries) == 1:
        initial["country"] = countries.pop()
    return initial


def _rule_lines(rule: dict[str, Any]) -> list[tuple[str, str]]:
    """A stored rule, readable: labels translated, ids and codes turned into names."""
    lines = []
    for key, label in RULE_LABELS.items():
        value = rule.get(key)
        if not value:
            continue
        if key == "petition":
            petition = Petition.objects.filter(pk=value).first()
            text = petition.title if petition else f"#{value}"
        elif key == "sources":
            text = " ".join(value)
        elif key == "email_domain" and str(value).startswith("hash:"):
            text = _("an uncommon domain (%(prefix)s)") % {"prefix": value[5:13]}
        elif key == "country":
            text = countries.name(value) or value
        elif key in ("created_from", "created_to"):
            moment = parse_datetime(value)
            text = date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else value
        else:
            text = str(value)
        lines.append((str(label), text))
    if not rule.get("include_confirmed", True):
        lines.append((_("Confirmed signatures"), _("excluded")))
    return lines


def _invalidate_page(
    request: HttpRequest, form: RuleForm, status: int = 200, **extra: Any
) -> HttpResponse:
    runs = InvalidationRun.objects.all()[:RECENT]
    context = {
        "form": form,
        "runs": [(run, _rule_lines(run.rule), invalidation.can_undo(run)) for run in runs],
        **extra,
    }
    return render(request, "letters/moderation/invalidate.html", context, status=status)


def _preview(request: HttpRequest, form: RuleForm, status: int = 200) -> HttpResponse:
    rule = form.rule()
    return _invalidate_page(
        request,
        form,
        status=status,
        previewed=True,
        count=invalidation.preview(rule),
        breakdown=invalidation.breakdown(rule),
    )


@staff_area
@require_http_methods(["GET", "POST"])
def invalidate(request: HttpRequest) -> HttpResponse:
    """GET: the rule form. POST action=preview: the exact count and a confirm button
    carrying it. POST action=run: invalidate, if the count is still the one confirmed."""
    actor = get_organiser(request.user)
    if request.method == "GET":
        return _invalidate_page(request, RuleForm(initial=_initial_from_alerts(request)))
    if request.POST.get("action") != "run":
        form = RuleForm(request.POST)
        if not form.is_valid():
            return _invalidate_page(request, form, status=400)
        return _preview(request, form)
    run_form = RunForm(request.POST)
    if not run_form.is_valid():
        return _invalidate_page(request, run_form, status=400)
    try:
        run = invalidation.run(run_form.rule(), actor, run_form.cleaned_data["expected_count"])
    except invalidation.StalePreview as exc:
        messages.error(request, " ".join(exc.messages))
        fresh = RuleForm(request.POST)
        fresh.is_valid()
        return _preview(request, fresh, status=409)
    except ValidationError as exc:
        run_form.add_error(None, exc)
        return _invalidate_page(request, run_form, status=400)
    messages.success(
        request,
        ngettext(
            "%(count)d signature invalidated. It leaves the counts at the next recount.",
            "%(count)d signatures invalidated. They leave the counts at the next recount.",
            run.count,
        )
        % {"count": run.count},
    )
    return redirect("letters:moderation:invalidate")


@staff_area
@require_POST
def undo(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_organiser(request.user)
    run = get_object_or_404(InvalidationRun, pk=pk)
    try:
        restored = invalidation.undo(run, actor)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            ngettext("%(count)d signature restored.", "%(count)d signatures restored.", restored)
            % {"count": restored},
        )
    return redirect("letters:moderation:invalidate")
