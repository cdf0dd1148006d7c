"""The deadline calendar: a page, and an iCalendar feed to subscribe to."""

from __future__ import annotations

from datetime import timedelta

import icalendar
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from reclaim.eci.access import get_public_initiative
from reclaim.eci.deadlines import deadlines


@require_GET
def calendar(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = get_public_initiative(slug)
    return render(
        request,
        "eci/calendar.html",
        {
            "initiative": initiative,
            "deadlines": deadlines(initiative),
            "start_chosen": initiative.collection_start is not None,
        },
    )


@require_GET
def calendar_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """RFC 5545: one all-day event per deadline, with a UID that never changes, so a
    subscribed calendar updates an event when its date moves instead of adding another."""
    initiative = get_public_initiative(slug)
    page = request.build_absolute_uri(reverse("eci:calendar", args=[initiative.slug]))
    feed = icalendar.Calendar()
    feed.add("prodid", "-//reclaim//ECI deadlines//EN")
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("x-wr-calname", f"{initiative.registration_number} {initiative.title}")
    stamp = timezone.now()
    for deadline in deadlines(initiative):
        event = icalendar.Event()
        event.add("uid", f"{deadline.key}.{initiative.slug}@reclaim")
        event.add("dtstamp", stamp)
        event.add("dtstart", deadline.date)  # a date, not a datetime: an all-day event
        event.add("dtend", deadline.date + timedelta(days=1))
        event.add("summary", f"{deadline.label} ({initiative.registration_number})")
        description = str(deadline.explanation)
        if deadline.is_estimate:
            description += "\n" + gettext("Estimated date: it can still move.")
        event.add("description", description)
        event.add("url", page)
        event.add("transp", "TRANSPARENT")
        feed.add_component(event)
    response = HttpResponse(feed.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{initiative.slug}.ics"'
    return response
