"""Privacy: addresses sealed at rest (nothing on disk reveals one), data-subject requests,
partners' counts without addresses, the admin without addresses, and the demo."""

from __future__ import annotations

import re
import secrets
import stat
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client

from reclaim.mail import addresses
from reclaim.newsletter.models import MailingList, Subscription, Suppression
from reclaim.newsletter.partner_counts import PARTNER_COUNTS, subscription_counts
from reclaim.newsletter.services.addresses import hash_address
from reclaim.newsletter.tests.fixtures_subscriptions import (  # noqa: F401
    ADDRESS,
    CONFIRM_LINK,
    link_in,
    news_list_fixture,
    subscribe,
    subscribed,
)

ACCESS_LINK = re.compile(r"https?://[^/\s]+(/[a-z]{2}/privacy/data/r/[A-Za-z0-9_\-]+/)")


def test_an_address_sealed_at_rest_opens_only_with_its_key_file(
    tmp_path: Path, settings: Any
) -> None:
    settings.OUTBOX_KEY_DIR = tmp_path
    blob = addresses.seal_at_rest("someone@example.org")
    assert b"someone" not in blob
    assert blob[0] == addresses.REST_VERSION
    assert addresses.open_at_rest(blob) == "someone@example.org"
    assert addresses.open_at_rest(memoryview(blob)) == "someone@example.org"
    key_files = list(tmp_path.glob("at-rest-*.aeskey"))
    assert len(key_files) == 1
    assert stat.S_IMODE(key_files[0].stat().st_mode) == 0o600
    # Not a period key: the outbox's shredding never sees it.
    assert addresses.kept_periods() == []
    # Two seals of one address differ (a fresh nonce), so equal addresses are not visible.
    assert addresses.seal_at_rest("someone@example.org") != blob
    tampered = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(ValueError):
        addresses.open_at_rest(tampered)
    key_files[0].unlink()
    with pytest.raises(ValueError):
        addresses.open_at_rest(blob)


def test_a_newer_key_seals_new_addresses_and_older_blobs_still_open(
    tmp_path: Path, settings: Any
) -> None:
    settings.OUTBOX_KEY_DIR = tmp_path
    old = addresses.seal_at_rest("old@example.org")
    (tmp_path / "at-rest-2.aeskey").write_bytes(secrets.token_bytes(32))
    new = addresses.seal_at_rest("new@example.org")
    assert int.from_bytes(new[1:5], "big") == 2
    assert addresses.open_at_rest(old) == "old@example.org"
    assert addresses.open_at_rest(new) == "new@example.org"


@pytest.mark.django_db
def test_the_subscription_table_holds_no_address(
    client: Client, news_list: Any, django_capture_on_commit_callbacks: Any
) -> None:
    subscribed(client, django_capture_on_commit_callbacks, news_list)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM newsletter_subscription")
        raw = repr(cursor.fetchall())
    assert ADDRESS not in raw and "reader" not in raw


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="reads the SQLite files of the data folder; on PostgreSQL the test above shows "
    "that the subscription table holds no address",
)
@pytest.mark.django_db(transaction=True)
def test_a_dump_of_the_database_reveals_no_subscribers_address(
    client: Client, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    from reclaim.mail.services import SHRED_GRACE_SECONDS, shred_keys

    marker = secrets.token_hex(5)
    address = f"Sub.Disk.{marker}@Example.net"
    news_list = MailingList.objects.create(
        slug="disk", name="Disk", language="en", consent_text="Yes."
    )
    subscribe(client, django_capture_on_commit_callbacks, news_list, email=address)
    client.post(link_in(CONFIRM_LINK))
    assert Subscription.objects.filter(confirmed_at__isnull=False).count() == 1
    import time

    shred_keys(now=time.time() + addresses.period_seconds() + SHRED_GRACE_SECONDS + 1)

    # The database and its write-ahead log hold the subscription, confirmed: the address is
    # nowhere in their bytes, in any case or encoding.
    database = Path(settings.DATABASES["default"]["NAME"])
    files = [p for p in database.parent.glob(database.name + "*") if p.is_file()]
    assert any(p.name.endswith("-wal") for p in files), "the test must read a write-ahead log"
    for path in files:
        raw = path.read_bytes().lower()
        assert marker.encode() not in raw, path
        assert marker.encode("utf-16-le") not in raw, path
    Subscription.objects.all().delete()
    MailingList.objects.filter(pk=news_list.pk).delete()


@pytest.mark.django_db
def test_a_data_request_finds_the_subscriptions_and_erasing_unsubscribes(
    client: Client, news_list: Any, django_capture_on_commit_callbacks: Any
) -> None:
    subscribed(client, django_capture_on_commit_callbacks, news_list)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/privacy/data/", {"email": ADDRESS})
    link = link_in(ACCESS_LINK)
    page = client.get(link).content.decode()
    assert "Newsletter subscriptions" in page and news_list.name in page
    assert client.post(link + "erase/").status_code == 200
    assert not Subscription.objects.exists()
    assert Suppression.objects.filter(email_hash=hash_address(ADDRESS)).exists()


@pytest.mark.django_db
def test_partners_get_counts_of_confirmed_subscriptions_only(
    client: Client, news_list: Any, django_capture_on_commit_callbacks: Any
) -> None:
    subscription = subscribed(client, django_capture_on_commit_callbacks, news_list)
    Subscription.objects.filter(pk=subscription.pk).update(widget_key="w1")
    subscribe(client, django_capture_on_commit_callbacks, news_list, email="p@example.org")
    Subscription.objects.filter(confirmed_at__isnull=True).update(widget_key="w1")
    cells = subscription_counts(["w1"])
    assert [(str(c.campaign), c.country, c.count) for c in cells] == [(news_list.name, "AT", 1)]
    assert "example.org" not in repr(cells)
    assert subscription_counts(["other"]) == []
    assert PARTNER_COUNTS[0].name == "newsletter_subscriptions"


@pytest.mark.django_db
def test_the_admin_shows_lists_with_counts_and_never_an_address(
    as_user: Any,
    organiser: Any,
    news_list: Any,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    subscribed(client, django_capture_on_commit_callbacks, news_list)
    staff = as_user(organiser)
    listing = staff.get("/en/admin/newsletter/mailinglist/")
    assert listing.status_code == 200
    change = staff.get(f"/en/admin/newsletter/mailinglist/{news_list.pk}/change/")
    assert change.status_code == 200
    for page in (listing, change):
        assert ADDRESS not in page.content.decode()
    assert staff.get("/en/admin/newsletter/subscription/").status_code == 404


@pytest.mark.django_db
def test_the_demo_makes_three_lists_and_confirmed_subscribers_and_queues_no_mail(
    tmp_path: Path,
) -> None:
    from django.utils import timezone

    from reclaim.demo.steps import DemoContext
    from reclaim.mail.models import OutgoingMail
    from reclaim.newsletter.demo_subscriptions import subscriptions

    context = DemoContext(data_dir=tmp_path, now=timezone.now(), signatures=0)
    subscriptions(context)
    subscriptions(context)  # idempotent
    assert sorted(MailingList.objects.values_list("language", flat=True)) == ["de", "en", "fr"]
    assert Subscription.objects.filter(confirmed_at__isnull=False).count() == 7
    assert not OutgoingMail.objects.exists()
    assert not mail.outbox
