"""The demo's staff: an organiser and a moderator, with a new password on every run.

The passwords are random and printed, never fixed in code: a demo that is left running
somewhere reachable must not open with a password anyone could read here.
"""

from __future__ import annotations

import secrets

from django.conf import settings

from reclaim.accounts.services import ensure_staff_account
from reclaim.core.hooks import MODERATOR, ORGANISER
from reclaim.demo.steps import DemoContext, Report, Step

STAFF = (("organiser", ORGANISER), ("moderator", MODERATOR))


def staff_accounts(context: DemoContext) -> Report:
    report = Report("Staff accounts (new passwords on every run)")
    report.add(f"Admin: {settings.BASE_URL}/en/admin/")
    for username, role in STAFF:
        password = secrets.token_urlsafe(12)
        ensure_staff_account(username, role, password)
        report.add(f"{username:10} {password}   ({role})")
    return report


STEPS = [Step("accounts.staff", staff_accounts)]
