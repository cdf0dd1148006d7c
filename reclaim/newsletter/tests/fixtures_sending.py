"""Fixtures and helpers for the tests of writing and sending issues (import them in tests).

``FlakyRecordingBackend`` is a mail server that refuses mail at random and records what it
accepts in a file, one line per accepted mail, so that separate processes (a sender killed
halfway and the one that finishes) add to one record. It is outside the database on
purpose, like a real mail server: nothing the sender rolls back can unsend a mail.
"""

from __future__ import annotations

import os
import random
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from reclaim.newsletter.models import Issue, MailingList, Subscription
from reclaim.newsletter.services.addresses import hash_address, seal_address
from reclaim.newsletter.tests.fixtures_subscriptions import make_list

BODY = """# Our news

We won a vote in the European Parliament. Read [the full article](/en/news/victory/) and
[the Parliament's press release](https://www.europarl.europa.eu/news/en/press-room).

![Campaigners outside the Parliament](/media/news/vote.jpg)

Write to us: [team@example.org](mailto:team@example.org).
"""
# What the body links to explicitly, as it must arrive: our own paths with our origin.
EXPLICIT_LINKS = {
    "https://www.europarl.europa.eu/news/en/press-room",
    "mailto:team@example.org",
}
OWN_PATHS = {"/en/news/victory/", "/media/news/vote.jpg"}


def address(n: int) -> str:
    return f"reader{n}@example.org"


def make_subscribers(
    mailing_list: MailingList, count: int, start: int = 0, confirmed: bool = True
) -> list[Subscription]:
    """``count`` subscriptions in one bulk insert (sealing each address costs tens of µs)."""
    now = timezone.now() - timedelta(days=1)
    rows = [
        Subscription(
            mailing_list=mailing_list,
            address_sealed=seal_address(address(n)),
            email_hash=hash_address(address(n)),
            language=mailing_list.language,
            consent_text=mailing_list.consent_text,
            confirmed_at=now if confirmed else None,
            renewed_at=now if confirmed else None,
        )
        for n in range(start, start + count)
    ]
    return Subscription.objects.bulk_create(rows, batch_size=1000)


def make_issue(mailing_list: MailingList, **fields: Any) -> Issue:
    values = {"subject": "News from the campaign & more", "body": BODY, **fields}
    return Issue.objects.create(mailing_list=mailing_list, **values)


@pytest.fixture(name="issue_list")
def issue_list_fixture(db: Any) -> MailingList:
    return make_list("campaign-news")


@pytest.fixture(name="issue")
def issue_fixture(issue_list: MailingList) -> Issue:
    return make_issue(issue_list)


# --- A mail server that fails at random, for separate processes ------------------------

SINK_ENV = "NEWSLETTER_TEST_SINK"
SEED_ENV = "NEWSLETTER_TEST_SEED"
FAIL_RATE_ENV = "NEWSLETTER_TEST_FAIL_RATE"
# After this many accepted mails the process stops, right after the last accept and before
# the sender can record it, and waits to be killed: the worst moment for "never twice".
STOP_AFTER_ENV = "NEWSLETTER_TEST_STOP_AFTER"
STOPPED_ENV = "NEWSLETTER_TEST_STOPPED"

_random: random.Random | None = None
_accepted = 0


class Refused(Exception):
    """What the flaky server answers instead of accepting."""


class FlakyRecordingBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        global _random, _accepted
        if _random is None:
            _random = random.Random(int(os.environ.get(SEED_ENV, "13")))
        rate = float(os.environ.get(FAIL_RATE_ENV, "0.1"))
        sink = Path(os.environ[SINK_ENV])
        sent = 0
        for message in email_messages:
            if _random.random() < rate:
                raise Refused("451 try again later")
            # Parsed as a mail program would, so the test reads what really went out.
            raw = message.message().as_bytes()
            line = f"{message.to[0]}\t{len(raw)}\n".encode()
            fd = os.open(sink, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line)  # one write: a kill cannot leave half a line
            finally:
                os.close(fd)
            sent += 1
            _accepted += 1
            stop_after = os.environ.get(STOP_AFTER_ENV)
            if stop_after and _accepted >= int(stop_after):
                Path(os.environ[STOPPED_ENV]).touch()
                time.sleep(3600)  # killed here, before the sender writes it down
        return sent


# The sending job, in a process of its own with the project's settings, on the test's
# database, with the flaky server, until the issue is sent.
SENDER = """
import os, sys
from django.conf import settings
settings.DATABASES["default"]["NAME"] = os.environ["NEWSLETTER_TEST_DB"]
settings.EMAIL_BACKEND = "reclaim.newsletter.tests.fixtures_sending.FlakyRecordingBackend"
settings.RECLAIM["NEWSLETTER_BATCH_SIZE"] = int(os.environ["NEWSLETTER_TEST_BATCH"])
settings.RECLAIM["NEWSLETTER_BATCH_SECONDS"] = 0
import django
django.setup()
from datetime import timedelta
from reclaim.newsletter.models import Issue
from reclaim.newsletter.services.sending import run_sending
issue = int(sys.argv[1])
turns = 0
while Issue.objects.get(pk=issue).status != Issue.Status.SENT:
    # A copy left SENDING can only be the killed sender's: no need to wait for it.
    run_sending(stuck_after=timedelta(0))
    turns += 1
    if turns > 10_000:
        sys.exit("the issue never finished")
print("sent", turns)
"""


def sender_env(settings: Any, tmp_path: Path, **extra: str) -> dict[str, str]:
    from django.db import connection

    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "PYTEST_CURRENT_TEST", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="reclaim.settings",
        RECLAIM_CACHE_DIR=str(tmp_path / "cache"),
        RECLAIM_SECRET_KEY=settings.SECRET_KEY,
        RECLAIM_EMAIL_HASH_KEY=settings.EMAIL_HASH_KEY,
        RECLAIM_OUTBOX_KEY_DIR=str(settings.OUTBOX_KEY_DIR),
        RECLAIM_BASE_URL=settings.BASE_URL,
        NEWSLETTER_TEST_DB=str(connection.settings_dict["NAME"]),
    )
    env.update(extra)  # the test may point the senders at another database
    return env
