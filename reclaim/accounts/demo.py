"""The demo's staff: an organiser and a moderator, with a new password on every run.

The passwords are random and printed, never fixed in code: a demo that is left running
somewhere reachable must not open with a password anyone could read here. Development
runs without the second factor (``RECLAIM["REQUIRE_2FA"]`` is off unless asked for); when
it is on, each account also gets an enrolment link, printed with its password, with which
whoever runs the demo sets up an authenticator app after signing in.
"""

from __future__ import annotations

import secrets

from django.conf import settings

from reclaim.accounts.enrolment import hand_over_link
from reclaim.accounts.services import ensure_staff_account
from reclaim.core.hooks import MODERATOR, ORGANISER
from reclaim.demo.steps import DemoContext, Report, Step

STAFF = (("organiser", ORGANISER), ("moderator", MODERATOR))


def staff_accounts(context: DemoContext) -> Report:
    report = Report("Staff accounts (new passwords on every run)")
    report.add(f"Admin: {settings.BASE_URL}/en/admin/")
    links = []
    for username, role in STAFF:
        password = secrets.token_urlsafe(12)
        user, _created = ensure_staff_account(username, role, password)
        report.add(f"{username:10} {password}   ({role})")
        if settings.RECLAIM["REQUIRE_2FA"]:
            links.append(f"  {username:10} {hand_over_link(user, actor='demo')}")
    if links:
        report.add("Two-factor is on: sign in, then open the account's enrolment link:")
        for line in links:
            report.add(line)
    return report


STEPS = [Step("accounts.staff", staff_accounts)]
