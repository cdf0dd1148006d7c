"""The atlas's part of `reclaim demo`: its reviewers, its records and its review queue.

The reviewer who signs in gets a new password on every run, printed like the staff's
(``reclaim/accounts/demo.py``); the two others only cast the demo's votes, so that records
can show three reviewers' agreement, and cannot sign in.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from reclaim.accounts.enrolment import hand_over_link
from reclaim.accounts.services import ensure_staff_account
from reclaim.atlas.demo_records import VOTERS, records
from reclaim.atlas.demo_reports import reports
from reclaim.atlas.roles import REVIEWER
from reclaim.demo.steps import DemoContext, Report, Step

SIGNS_IN = VOTERS[0]


def reviewers(context: DemoContext) -> Report:
    report = Report("Atlas reviewers (new password on every run)")
    for username in VOTERS:
        password = secrets.token_urlsafe(12 if username == SIGNS_IN else 24)
        user, _created = ensure_staff_account(username, REVIEWER, password)
        if username != SIGNS_IN:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            continue
        report.add(f"{username:10} {password}   ({REVIEWER})")
        if settings.RECLAIM["REQUIRE_2FA"]:
            report.add(f"  enrolment: {hand_over_link(user, actor='demo')}")
    try:
        queue = reverse("atlas:review")
    except NoReverseMatch:  # the review pages are not installed
        queue = reverse("admin:index")
    report.add(f"Review queue: {settings.BASE_URL}{queue}")
    report.add(f"{', '.join(VOTERS[1:])} cast the demo's votes only and cannot sign in.")
    return report


STEPS = [
    Step("atlas.reviewers", reviewers),
    Step("atlas.records", records),
    Step("atlas.reports", reports),
]
