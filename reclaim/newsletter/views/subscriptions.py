"""Subscribing, confirming by mail, the receipt, renewing, unsubscribing, and the staff
import. Thin: read the form, call the service, render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reclaim.core.crossorigin import posted_from_anywhere, public_form
from reclaim.core.decorators import staff_area
from reclaim.newsletter.access import get_importer, get_open_list
from reclaim.newsletter.forms import EmptyForm, ImportForm, SubscribeForm
from reclaim.newsletter.models import MailingList, Subscription
from reclaim.newsletter.services import imports
from reclaim.newsletter.services import subscriptions as services
from reclaim.shield.guard import guard, refusal
from reclaim.shield.throttle import Verdict

# The scope the subscribe form is guarded under (reclaim.shield), and its one target.
SUBSCRIBE_SCOPE = "newsletter.subscribe"
SUBSCRIBE_TARGET = "subscribe"
_NETWORK = gettext_lazy("Too many subscriptions from your network right now.")
REFUSALS = {
    "source_burst": _NETWORK,
    "source_sustained": _NETWORK,
    "domain_burst": gettext_lazy(
        "Too many subscriptions with addresses at your email provider right now."
    ),
    "country_burst": gettext_lazy("Too many subscriptions from your country right now."),
}


def _days() -> dict[str, Any]:
    return {"confirmation_days": settings.RECLAIM["CONFIRMATION_DAYS"]}


@public_form
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest, slug: str = "") -> HttpResponse:
    if slug:
        mailing_lists = [get_open_list(slug)]
    else:
        mailing_lists = services.open_lists(request.LANGUAGE_CODE)
    if not mailing_lists:
        status = 400 if request.method == "POST" else 200
        return render(request, "newsletter/closed.html", status=status)
    status = 200
    verdict: Verdict | None = None
    if request.method == "POST":
        form = SubscribeForm(request.POST, mailing_lists=mailing_lists, fixed=bool(slug))
        status = 400
        if form.is_valid():
            # Counted before anything is stored: a refused attempt leaves only the counters.
            verdict = guard(
                request,
                SUBSCRIBE_SCOPE,
                target=SUBSCRIBE_TARGET,
                email=form.cleaned_data["email"],
                country=form.cleaned_data["country"],
            )
            if verdict.allowed:
                for mailing_list in form.cleaned_data["lists"]:
                    services.request_subscription(mailing_list, form.subscriber())
                # The same answer whether or not the address was subscribed already.
                return redirect("newsletter:sent")
            status = 429
    else:
        form = SubscribeForm(mailing_lists=mailing_lists, fixed=bool(slug))
    refused = verdict if verdict is not None and not verdict.allowed else None
    context = {
        "form": form,
        "mailing_lists": mailing_lists,
        "single": mailing_lists[0] if slug else None,
        "refusal": refusal(refused, REFUSALS) if refused else None,
        "pow_scope": SUBSCRIBE_SCOPE,
        "pow_target": SUBSCRIBE_TARGET,
    } | _days()
    response = render(request, "newsletter/subscribe.html", context, status=status)
    if refused:
        response["Retry-After"] = str(refused.retry_after)
    return response


@require_GET
def sent(request: HttpRequest) -> HttpResponse:
    return render(request, "newsletter/sent.html", _days())


def _receipt(subscription: Subscription) -> dict[str, Any]:
    """What the receipt shows: what is stored, for how long, and the way out."""
    mailing_list: MailingList = subscription.mailing_list
    return {
        "subscription": subscription,
        "mailing_list": mailing_list,
        "expires_at": services.expiry_date(subscription),
        "unsubscribe_token": services.unsubscribe_token(subscription),
    }


@public_form
@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The mailed link. GET only shows a page (mail scanners follow links); its button
    POSTs, and only that confirms. Once confirmed, the link shows the receipt."""
    subscription = services.find_by_token(token)
    if subscription is None:
        return render(request, "newsletter/link_invalid.html", status=404)
    if subscription.confirmed_at is not None:
        return render(request, "newsletter/receipt.html", _receipt(subscription))
    if not services.can_confirm(subscription):
        return render(request, "newsletter/link_invalid.html", status=410)
    if request.method == "POST":
        form = EmptyForm(request.POST)
        if form.is_valid() and services.confirm_subscription(subscription):
            return redirect("newsletter:confirm", token=token)
    context = {
        "subscription": subscription,
        "mailing_list": subscription.mailing_list,
        "deadline": services.confirmation_deadline(subscription),
    }
    return render(request, "newsletter/confirm.html", context)


@public_form
@never_cache
@require_http_methods(["GET", "POST"])
def renew(request: HttpRequest, token: str) -> HttpResponse:
    """The reminder's link: a page whose button keeps the subscription."""
    subscription = services.subscription_for_renewal(token)
    if subscription is None:
        return render(request, "newsletter/link_invalid.html", status=404)
    renewed = False
    if request.method == "POST":
        form = EmptyForm(request.POST)
        if form.is_valid():
            services.renew_subscription(subscription)
            renewed = True
    context = _receipt(subscription) | {"renewed": renewed}
    return render(request, "newsletter/renew.html", context)


@public_form
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The unsubscribe page: what is stored, and a button that erases it. A link of a
    subscription that is gone says so, rather than "invalid"."""
    found = services.read_unsubscribe_token(token)
    if found is None:
        return render(request, "newsletter/link_invalid.html", status=404)
    subscription = services.subscription_for_unsubscribe(token)
    if subscription is None:
        return render(request, "newsletter/unsubscribed.html")
    if request.method == "POST":
        form = EmptyForm(request.POST)
        if form.is_valid():
            services.unsubscribe(subscription, how="page")
            return render(request, "newsletter/unsubscribed.html")
    return render(request, "newsletter/unsubscribe.html", _receipt(subscription))


# Posted by mail clients and providers (RFC 8058), never from a page of ours: no cookie and
# no CSRF token can come with it, and a webmail page posts it from its own site. Exempt here
# only; the signed token is the authority.
@posted_from_anywhere
@require_POST
def one_click(request: HttpRequest, token: str) -> HttpResponse:
    if request.POST.get("List-Unsubscribe") != "One-Click":
        return HttpResponse(status=400)
    if services.read_unsubscribe_token(token) is None:
        return HttpResponse(status=404)
    subscription = services.subscription_for_unsubscribe(token)
    if subscription is not None:
        services.unsubscribe(subscription, how="one-click")
    return HttpResponse(status=200)


@staff_area
@require_http_methods(["GET", "POST"])
def import_subscribers(request: HttpRequest) -> HttpResponse:
    user = get_importer(request.user)
    report: imports.ImportReport | None = None
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            try:
                report = imports.import_subscribers(
                    form.cleaned_data["mailing_list"], form.cleaned_data["file"], user
                )
            except imports.BadFile as error:
                form.add_error("file", str(error.message))
            else:
                status = 200
                form = ImportForm()
    else:
        form = ImportForm()
    return render(
        request, "newsletter/import.html", {"form": form, "report": report}, status=status
    )
