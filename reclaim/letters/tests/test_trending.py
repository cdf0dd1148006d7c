"""Trending sources: a bot run is flagged within minutes, the usual traffic is not."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone

from reclaim.audit.models import AuditEntry
from reclaim.core.hooks import JOBS
from reclaim.letters.models import Alert, Petition, Signature
from reclaim.letters.moderation import trending
from reclaim.shield.network import domain_hash

pytestmark = pytest.mark.django_db

BACKGROUND_COUNTRIES = ["DE", "FR", "BE", "NL", "AT"]
BACKGROUND_DOMAINS = ["gmail.com", "posteo.de", "example.org", "proton.me"]
# A bot spreads its countries: 20 each, below min_count, so no country alert.
BOT_COUNTRIES = ["DE", "FR", "IT", "ES", "PL", "NL", "BE", "AT", "SE", "PT"]
BOT_DOMAIN = "bot-farm.example"


def hashed(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:32]


BOT_SOURCES = [hashed("bot-a"), hashed("bot-b"), hashed("bot-c")]


def make_background(petition: Petition, now: datetime) -> list[Signature]:
    """A usual day: a signature every 3 minutes over 24 hours, from 100 networks."""
    rows = [
        Signature(
            petition=petition,
            kind=Signature.Kind.INDIVIDUAL,
            country=BACKGROUND_COUNTRIES[i % len(BACKGROUND_COUNTRIES)],
            language="en",
            created_at=now - timedelta(minutes=3 * i + 1),
            confirmed_at=now - timedelta(minutes=3 * i),
            source_hash=hashed(f"background-{i % 100}"),
            email_domain_hash=domain_hash(BACKGROUND_DOMAINS[i % len(BACKGROUND_DOMAINS)]),
        )
        for i in range(480)
    ]
    return Signature.objects.bulk_create(rows)


def make_bot_run(
    petition: Petition,
    now: datetime,
    count: int = 200,
    domain: str = BOT_DOMAIN,
    sources: list[str] = BOT_SOURCES,
) -> list[Signature]:
    """``count`` signatures from a few networks within four minutes; three in four are
    confirmed (the bot reads its own mailboxes)."""
    rows = [
        Signature(
            petition=petition,
            kind=Signature.Kind.INDIVIDUAL,
            country=BOT_COUNTRIES[i % len(BOT_COUNTRIES)],
            language="en",
            created_at=now - timedelta(seconds=240) + timedelta(seconds=240 * i / count),
            confirmed_at=now if i % 4 else None,
            source_hash=sources[i % len(sources)],
            email_domain_hash=domain_hash(domain),
        )
        for i in range(count)
    ]
    return Signature.objects.bulk_create(rows)


@pytest.fixture
def now() -> datetime:
    return timezone.now()


@pytest.fixture
def organiser_with_mail(organiser: User) -> User:
    organiser.email = "alice@campaign.example"
    organiser.save()
    return organiser


def test_a_bot_run_from_a_few_sources_is_flagged_and_the_background_is_not(petition, now):
    make_background(petition, now)
    make_bot_run(petition, now)

    raised = trending.detect(now=now)

    assert {(a.kind, a.key) for a in raised} == {
        *((Alert.Kind.SOURCE, source) for source in BOT_SOURCES),
        (Alert.Kind.DOMAIN, domain_hash(BOT_DOMAIN)),
    }
    sources = {a.key: a for a in raised if a.kind == Alert.Kind.SOURCE}
    assert sorted(a.count for a in sources.values()) == [66, 67, 67]
    assert all(a.label == a.key[:8] for a in sources.values())
    assert all(a.petition == petition for a in raised)
    assert all(a.usual < 1 for a in raised)
    domain = next(a for a in raised if a.kind == Alert.Kind.DOMAIN)
    assert domain.count == 200
    assert domain.label == ""  # not a public domain: never named
    assert trending.describe(domain).startswith("an uncommon domain")
    assert Alert.objects.count() == 4
    assert AuditEntry.objects.filter(action="signature.alert", count=4).exists()


def test_usual_traffic_alone_raises_nothing(petition, now):
    make_background(petition, now)
    assert trending.detect(now=now) == []


def test_a_busy_but_steady_petition_is_compared_with_its_own_rate(petition, now):
    """40 signatures from Germany every 5 minutes for three hours: busy, not a jump."""
    Signature.objects.bulk_create(
        Signature(
            petition=petition,
            kind=Signature.Kind.INDIVIDUAL,
            country="DE",
            language="en",
            created_at=now - timedelta(seconds=450 * i / 60 + 1),
            source_hash=hashed(f"steady-{i}"),
            email_domain_hash=domain_hash(f"mail{i % 50}.example"),
        )
        for i in range(40 * 36)
    )
    assert trending.detect(now=now) == []


def test_a_new_petition_does_not_alert_on_its_first_signatures(petition, now):
    make_bot_run(petition, now, count=30, sources=[hashed("first")])
    assert trending.detect(now=now) == []

    make_bot_run(petition, now, count=2, sources=[hashed("first")])
    raised = trending.detect(now=now)
    assert {a.kind for a in raised} == {Alert.Kind.SOURCE, Alert.Kind.DOMAIN}


def test_a_public_domain_is_named_and_an_address_never_appears(petition, now):
    make_background(petition, now)
    make_bot_run(petition, now, domain="mailinator.com")

    raised = trending.detect(now=now)

    domain = next(a for a in raised if a.kind == Alert.Kind.DOMAIN)
    assert domain.label == "mailinator.com"
    assert trending.describe(domain) == "email domain mailinator.com"
    assert trending.public_domain(domain_hash("gmail.com")) == "gmail.com"
    assert trending.public_domain(domain_hash("bot-farm.example")) is None


def test_the_organisers_are_mailed_once_with_a_link_to_the_alerts_page(
    petition, now, organiser_with_mail, moderator, django_capture_on_commit_callbacks
):
    moderator.email = "bob@campaign.example"
    moderator.save()
    User.objects.create_superuser("root", "root@campaign.example", "pw-root")
    User.objects.create_superuser("nomail", "", "pw-nomail")
    make_background(petition, now)
    make_bot_run(petition, now)

    with django_capture_on_commit_callbacks(execute=True):
        trending.detect(now=now)

    assert sorted(m.to[0] for m in mail.outbox) == [
        "alice@campaign.example",
        "root@campaign.example",
    ]
    message = mail.outbox[0]
    assert message.subject == "Unusual signing activity: 4 alerts"
    assert "/en/moderation/alerts/" in message.body
    for source in BOT_SOURCES:
        assert source[:8] in message.body
        assert source not in message.body  # a prefix, not the whole hash
    assert "an uncommon domain" in message.body
    assert petition.title in message.body
    html = message.alternatives[0][0]
    assert "/en/moderation/alerts/" in html


def test_the_alert_mail_goes_through_the_outbox_in_each_staff_member_s_language(
    petition, now, organiser_with_mail, django_capture_on_commit_callbacks
):
    from reclaim.accounts.models import StaffProfile
    from reclaim.mail.models import OutgoingMail

    StaffProfile.objects.create(user=organiser_with_mail, language="de")
    make_background(petition, now)
    make_bot_run(petition, now)

    with django_capture_on_commit_callbacks(execute=False):
        trending.detect(now=now)
    queued = OutgoingMail.objects.get()
    assert (queued.kind, queued.language) == ("letters.alert", "de")
    assert sorted(queued.params["alerts"]) == sorted(Alert.objects.values_list("pk", flat=True))

    from reclaim.mail.services import deliver_pending

    assert deliver_pending() == 1
    message = mail.outbox[0]
    assert message.subject == "Ungewöhnliche Unterschriftenaktivität: 4 Warnungen"
    assert "/de/moderation/alerts/" in message.body
    assert not OutgoingMail.objects.exists()


def test_a_continuing_run_extends_its_alert_instead_of_repeating_it(
    petition, now, organiser_with_mail, django_capture_on_commit_callbacks
):
    make_background(petition, now)
    make_bot_run(petition, now)
    with django_capture_on_commit_callbacks(execute=True):
        first = trending.detect(now=now)
    assert len(mail.outbox) == 1

    later = now + timedelta(minutes=2)
    make_bot_run(petition, later, count=120)
    with django_capture_on_commit_callbacks(execute=True):
        assert trending.detect(now=later) == []

    assert Alert.objects.count() == len(first) == 4
    assert len(mail.outbox) == 1
    domain = Alert.objects.get(kind=Alert.Kind.DOMAIN)
    assert domain.window_start == now - timedelta(minutes=5)
    assert domain.window_end == later
    assert domain.count == 320


def test_after_resolution_a_new_jump_raises_a_new_alert(petition, now, organiser, as_user):
    make_background(petition, now)
    make_bot_run(petition, now)
    trending.detect(now=now)
    alert = Alert.objects.get(kind=Alert.Kind.DOMAIN)

    response = as_user(organiser).post("/en/moderation/alerts/", {"alert": alert.pk})

    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.resolved_at is not None
    assert AuditEntry.objects.filter(
        actor="alice", action="signature.alert_resolve", target=f"alert:{alert.pk}"
    ).exists()
    later = now + timedelta(minutes=2)
    make_bot_run(petition, later, count=120)
    raised = trending.detect(now=later)
    assert [a.kind for a in raised] == [Alert.Kind.DOMAIN]


def test_the_alerts_page_shows_prefixes_and_preparation_links(petition, now, organiser, as_user):
    make_background(petition, now)
    make_bot_run(petition, now)
    trending.detect(now=now)

    page = as_user(organiser).get("/en/moderation/alerts/")

    assert page.status_code == 200
    html = page.content.decode()
    for source in BOT_SOURCES:
        assert f"network source {source[:8]}" in html
        assert source not in html
    assert "an uncommon domain" in html
    assert "/en/moderation/invalidate/?alert=" in html


def test_the_admin_lists_alerts_for_organisers_only(petition, now, organiser, moderator, as_user):
    make_bot_run(petition, now, count=40)
    trending.detect(now=now)
    assert as_user(organiser).get("/en/admin/letters/alert/").status_code == 200
    assert as_user(organiser).get("/en/admin/letters/invalidationrun/").status_code == 200
    assert as_user(moderator).get("/en/admin/letters/alert/").status_code == 403
    alert = Alert.objects.first()
    assert as_user(organiser).post(f"/en/admin/letters/alert/{alert.pk}/delete/").status_code == 403


@pytest.mark.parametrize("persona", ["moderator", "outsider"])
def test_moderators_and_outsiders_are_refused_the_alerts_page(persona, request, as_user):
    client = as_user(request.getfixturevalue(persona))
    assert client.get("/en/moderation/alerts/").status_code == 403
    assert client.post("/en/moderation/alerts/", {"alert": 1}).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client, db):
    response = client.get("/en/moderation/alerts/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_detection_runs_every_two_minutes():
    job = next(job for job in JOBS if job.name == "detect trending sources")
    assert job.interval() == 120


def test_the_counts_are_read_outside_any_transaction(petition, now):
    """On SQLite a transaction holds the only write lock from BEGIN: the grouped counts,
    which read every signature of the window, must not run inside one, or a spike's own
    alert job stops every signer for as long as it reads (found by the benchmark: a purge
    waited past the 20 s busy timeout at a million rows)."""
    from django.db import connection

    make_background(petition, now)
    make_bot_run(petition, now)
    depth = len(connection.atomic_blocks)  # the test's own transaction
    inside: list[str] = []

    def watch(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        if "GROUP BY" in sql and len(connection.atomic_blocks) > depth:
            inside.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        raised = trending.detect(now=now)
    assert len(raised) == 4  # the alerts were written
    assert inside == []
