"""Data-subject requests: find, export and erase every record of one address, nothing else."""

from __future__ import annotations

import base64
import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from reclaim.audit.models import AuditEntry
from reclaim.letters.models import Petition, Signature
from reclaim.letters.tests.helpers import confirm, last_link, sign
from reclaim.lib.emailhash import email_hash
from reclaim.mail.models import OutgoingMail
from reclaim.privacy.models import DataRequest

pytestmark = pytest.mark.django_db

REQUEST_PAGE = "/en/privacy/data/"
LINK = re.compile(r"https?://[^/\s]+(/[a-z]{2}/privacy/data/r/[A-Za-z0-9_\-]+/)")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')

# Ann signs with three spellings of one Gmail mailbox; Bob with his own address.
ANN = ["ann.lee@gmail.com", "annlee+rights@gmail.com", "Ann.Lee@googlemail.com"]
ANN_ASKS_AS = "a.n.n.l.e.e+data@gmail.com"
BOB = "bob@example.org"


@pytest.fixture
def third(keypair) -> Petition:
    return Petition.objects.create(
        slug="cameras",
        title="No cameras in our square",
        text="Text.",
        status=Petition.Status.OPEN,
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=60),
    )


@pytest.fixture
def signers(client, petition, letter, third, django_capture_on_commit_callbacks) -> None:
    capture = django_capture_on_commit_callbacks
    for target, address in zip([petition, letter, third], ANN, strict=True):
        sign(client, target, capture, email=address, name="Ann Listed", listed="on")
        confirm(client, last_link())
    sign(client, petition, capture, email=BOB, name="Bob Listed", listed="on", country="FR")
    confirm(client, last_link())
    # Bob's second signature stays unconfirmed: found all the same.
    sign(client, letter, capture, email=BOB, name="Bob Listed", country="FR")
    mail.outbox.clear()


def ask(client: Any, address: str, capture: Any) -> Any:
    with capture(execute=True):
        return client.post(REQUEST_PAGE, {"email": address})


def mailed_link() -> str:
    match = LINK.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def ann_signatures() -> Any:
    return Signature.objects.filter(email_hash=email_hash(ANN[0]))


def bob_signatures() -> Any:
    return Signature.objects.filter(email_hash=email_hash(BOB))


def table_rows() -> dict[str, list[tuple]]:
    """Every row of every table: what the database holds, to compare before and after."""
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')  # noqa: S608
            rows[table] = [
                tuple(bytes(v) if isinstance(v, memoryview) else v for v in r)
                for r in cursor.fetchall()
            ]
    return rows


def dump_database() -> str:
    chunks = []
    for rows in table_rows().values():
        for row in rows:
            for value in row:
                if isinstance(value, bytes):
                    chunks.append(value.decode("latin-1"))
                else:
                    chunks.append(str(value))
    return "\n".join(chunks)


def test_a_request_finds_exports_and_erases_every_record_of_one_address_and_nothing_else(
    client, signers, django_capture_on_commit_callbacks
):
    assert ann_signatures().count() == 3
    assert bob_signatures().count() == 2
    bob_before = list(bob_signatures().values())

    response = ask(client, ANN_ASKS_AS, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert mail.outbox[-1].to == [ANN_ASKS_AS]
    assert "Signatures: 3" in mail.outbox[-1].body
    link = mailed_link()

    page = client.get(link)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Signatures (3)" in body
    for title in ["Ban biometric mass surveillance", "Will you stand up", "No cameras in our"]:
        assert title in body
    assert "Ann Listed" in body
    assert "Bob Listed" not in body
    assert "only the campaign" in body

    download = client.get(link + "download.json")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    data = json.loads(download.content)
    rows = data["records"]["signatures"]["records"]
    assert {r["petition_slug"] for r in rows} == {"ban", "letter", "cameras"}
    assert {r["sealed_base64"] for r in rows} == {
        base64.b64encode(bytes(s.sealed)).decode() for s in ann_signatures()
    }
    assert "only the campaign" in data["records"]["signatures"]["note"]
    assert "Bob" not in download.content.decode()
    assert all(r["confirmed_at"] and r["listed_name"] == "Ann Listed" for r in rows)

    # Step one shows what will go and deletes nothing.
    step_one = client.get(link + "erase/")
    assert step_one.status_code == 200
    assert "Yes, erase all of it" in step_one.content.decode()
    assert ann_signatures().count() == 3

    done = client.post(link + "erase/")
    assert done.status_code == 200
    assert "3 records were deleted" in done.content.decode()
    assert not ann_signatures().exists()
    assert list(bob_signatures().values()) == bob_before
    assert DataRequest.objects.get().completed_at is not None

    after = client.get(link).content.decode()
    assert "Nothing is stored under this address" in after
    assert "Your data was erased on" in after


def test_the_request_page_answers_the_same_for_a_known_and_an_unknown_address(
    client, signers, django_capture_on_commit_callbacks
):
    form = client.get(REQUEST_PAGE)
    assert form.status_code == 200
    assert 'autocomplete="email"' in form.content.decode()

    known = ask(client, ANN[0], django_capture_on_commit_callbacks)
    unknown = ask(client, "nobody@example.net", django_capture_on_commit_callbacks)

    assert known.status_code == unknown.status_code == 200
    assert CSRF.sub("", known.content.decode()) == CSRF.sub("", unknown.content.decode())
    assert "Check your inbox" in known.content.decode()
    # Both get a mail; only the mail, read by the owner of the address, tells them apart.
    assert [m.to for m in mail.outbox] == [[ANN[0]], ["nobody@example.net"]]
    assert LINK.search(mail.outbox[0].body)
    assert not LINK.search(mail.outbox[1].body)
    assert "We store nothing under this address" in mail.outbox[1].body
    assert DataRequest.objects.count() == 2


def test_a_bad_address_gets_a_clear_error_and_changes_nothing(client):
    response = client.post(REQUEST_PAGE, {"email": "not an address"})
    assert response.status_code == 400
    assert "Enter a valid email address" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not DataRequest.objects.exists()
    assert not OutgoingMail.objects.exists()


def test_a_repeated_request_within_the_pause_sends_no_second_mail(
    client, signers, django_capture_on_commit_callbacks
):
    first = ask(client, ANN[0], django_capture_on_commit_callbacks)
    second = ask(client, ANN[1], django_capture_on_commit_callbacks)
    assert CSRF.sub("", first.content.decode()) == CSRF.sub("", second.content.decode())
    assert len(mail.outbox) == 1
    assert DataRequest.objects.count() == 1


def test_opening_the_link_changes_nothing_but_opened_at(
    client, signers, django_capture_on_commit_callbacks
):
    ask(client, ANN[0], django_capture_on_commit_callbacks)
    link = mailed_link()
    before = table_rows()
    request_before = DataRequest.objects.values().get()
    assert request_before["opened_at"] is None

    for url in [link, link + "download.json", link + "erase/", link]:
        assert client.get(url).status_code == 200

    after = table_rows()
    request_after = DataRequest.objects.values().get()
    assert request_after["opened_at"] is not None
    assert {k: v for k, v in request_after.items() if k != "opened_at"} == {
        k: v for k, v in request_before.items() if k != "opened_at"
    }
    table = DataRequest._meta.db_table
    assert {t: r for t, r in after.items() if t != table} == {
        t: r for t, r in before.items() if t != table
    }


def test_an_unknown_or_expired_link_gives_a_clear_page_and_erases_nothing(
    client, signers, django_capture_on_commit_callbacks
):
    unknown = client.get("/en/privacy/data/r/no-such-token/")
    assert unknown.status_code == 404
    assert "This link is no longer valid" in unknown.content.decode()
    assert "Ask for a new link" in unknown.content.decode()

    ask(client, ANN[0], django_capture_on_commit_callbacks)
    link = mailed_link()
    DataRequest.objects.update(created_at=timezone.now() - timedelta(hours=25))
    for url in [link, link + "download.json", link + "erase/"]:
        page = client.get(url)
        assert page.status_code == 410
        assert "this one has expired" in page.content.decode()
    assert client.post(link + "erase/").status_code == 410
    assert ann_signatures().count() == 3
    assert DataRequest.objects.get().opened_at is None


def test_no_plaintext_address_is_in_the_database_once_the_mail_is_sent(
    client, signers, django_capture_on_commit_callbacks
):
    ask(client, ANN_ASKS_AS, django_capture_on_commit_callbacks)
    ask(client, "nobody@example.net", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    assert not OutgoingMail.objects.exists()
    raw = dump_database().lower()
    for address in [*ANN, ANN_ASKS_AS, BOB, "nobody@example.net"]:
        assert address.lower() not in raw
    assert "annlee" not in raw


def test_the_erasure_is_audited_with_counts_and_without_the_address(
    client, signers, django_capture_on_commit_callbacks
):
    ask(client, ANN[0], django_capture_on_commit_callbacks)
    link = mailed_link()
    client.post(link + "erase/")

    entry = AuditEntry.objects.get(action="privacy.erase")
    assert entry.count == 3
    assert entry.detail == {"counts": {"signatures": 3}}
    written = json.dumps([entry.actor, entry.target, entry.detail]).lower()
    assert "ann" not in written
    assert email_hash(ANN[0]) not in written
    assert link.split("/")[-2] not in written


def test_the_privacy_page_links_to_the_request_page(client):
    body = client.get("/en/privacy/").content.decode()
    assert 'href="/en/privacy/data/"' in body
