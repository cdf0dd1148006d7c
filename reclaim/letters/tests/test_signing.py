"""Signing through HTTP, end to end: sign, mail, confirm, receipt, withdraw."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from reclaim.letters.counting import aggregate_counts
from reclaim.letters.models import Signature
from reclaim.letters.tests.helpers import confirm, last_link, sign
from reclaim.mail.models import OutgoingMail

pytestmark = pytest.mark.django_db


def dump_database() -> str:
    """Every value in every table, as text: what a thief with the database would see."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from Django
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, (bytes, memoryview)):
                        chunks.append(bytes(value).decode("latin-1"))
                    else:
                        chunks.append(str(value))
    return "\n".join(chunks)


def test_a_visitor_signs_confirms_and_is_counted(
    client, petition, django_capture_on_commit_callbacks
):
    response = sign(client, petition, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == "/en/p/ban/thanks/"
    assert "Check your inbox" in client.get(response["Location"]).content.decode()

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["jane@example.org"]
    signature = Signature.objects.get()
    assert signature.confirmed_at is None

    link = last_link()
    page = client.get(link)
    assert page.status_code == 200
    assert "Confirm my signature" in page.content.decode()

    response = confirm(client, link)
    assert response.status_code == 302
    signature.refresh_from_db()
    assert signature.confirmed_at is not None

    receipt = client.get(response["Location"]).content.decode()
    assert "Your privacy receipt" in receipt
    assert "European Digital Rights (EDRi)" in receipt
    assert petition.deletion_date.strftime("%Y") in receipt

    aggregate_counts()
    counts = client.get("/api/petitions/ban/count.json").json()
    assert counts["total"] == 1
    assert counts["by_country"] == {"DE": 1}


def test_the_database_holds_no_plaintext_name_or_email_after_confirmation(
    client, petition, django_capture_on_commit_callbacks
):
    sign(
        client,
        petition,
        django_capture_on_commit_callbacks,
        name="Zygmunt Quellenberg",
        email="zygmunt.q@example.org",
        comment="Unique remark 4711",
    )
    # Before the mail is sent the address waits in the outbox; here it has been sent.
    confirm(client, last_link())
    raw = dump_database()
    assert "zygmunt" not in raw.lower()
    assert "Quellenberg" not in raw
    assert "Unique remark 4711" not in raw
    assert not OutgoingMail.objects.exists()


def test_a_listed_signer_keeps_only_the_published_name_readable(
    client, petition, django_capture_on_commit_callbacks
):
    sign(
        client,
        petition,
        django_capture_on_commit_callbacks,
        name="Ada Listed",
        listed="on",
        email="ada@example.org",
    )
    confirm(client, last_link())
    raw = dump_database()
    assert "Ada Listed" in raw
    assert "ada@example.org" not in raw


def test_the_client_address_appears_nowhere_in_the_database(
    client, petition, django_capture_on_commit_callbacks
):
    sign(client, petition, django_capture_on_commit_callbacks)
    confirm(client, last_link())
    client.get("/en/p/ban/", REMOTE_ADDR="203.0.113.77")
    raw = dump_database()
    assert "203.0.113.77" not in raw
    assert "203.0.113" not in raw


def test_a_get_on_the_confirmation_link_changes_nothing(
    client, petition, django_capture_on_commit_callbacks
):
    sign(client, petition, django_capture_on_commit_callbacks)
    link = last_link()
    for _ in range(3):  # a mail scanner follows links, sometimes several times
        assert client.get(link).status_code == 200
        client.head(link)
    signature = Signature.objects.get()
    assert signature.confirmed_at is None
    aggregate_counts()
    assert client.get("/api/petitions/ban/count.json").json()["total"] == 0


def test_a_confirmation_link_expires_after_seven_days(
    client, petition, django_capture_on_commit_callbacks
):
    sign(client, petition, django_capture_on_commit_callbacks)
    link = last_link()
    Signature.objects.update(created_at=timezone.now() - timedelta(days=7, minutes=1))
    assert client.get(link).status_code == 410
    response = client.post(link)
    assert response.status_code == 410
    assert Signature.objects.get().confirmed_at is None


def test_an_unknown_link_says_it_is_not_valid(client, petition):
    response = client.get("/en/s/not-a-real-token/")
    assert response.status_code == 404
    assert "no longer valid" in response.content.decode()
    assert client.post("/en/s/not-a-real-token/").status_code == 404


def test_withdrawal_takes_two_steps_and_removes_the_signature_from_the_count(
    client, petition, django_capture_on_commit_callbacks
):
    sign(client, petition, django_capture_on_commit_callbacks)
    link = last_link()
    confirm(client, link)
    aggregate_counts()
    assert client.get("/api/petitions/ban/count.json").json()["total"] == 1

    receipt = client.get(link).content.decode()
    assert f"{link}withdraw/" in receipt
    step_one = client.get(f"{link}withdraw/")
    assert step_one.status_code == 200
    assert "Yes, delete my signature" in step_one.content.decode()
    assert Signature.objects.count() == 1  # the GET deleted nothing

    done = client.post(f"{link}withdraw/")
    assert done.status_code == 200
    assert "Signature withdrawn" in done.content.decode()
    assert Signature.objects.count() == 0
    aggregate_counts()
    assert client.get("/api/petitions/ban/count.json").json()["total"] == 0
    assert client.get(link).status_code == 404


def test_an_organisation_co_signs_and_is_listed_only_after_approval(
    client, letter, django_capture_on_commit_callbacks, organiser, as_user
):
    response = sign(
        client,
        letter,
        django_capture_on_commit_callbacks,
        **{
            "as": "organisation",
            "name": "Bits of Freedom",
            "website": "bof.nl",
            "email": "office@example.org",
            "country": "NL",
        },
    )
    assert response.status_code == 302
    confirm(client, last_link())
    signature = Signature.objects.get()
    assert signature.kind == Signature.Kind.ORGANISATION
    assert signature.review == Signature.Review.PENDING
    assert signature.public_website == "https://bof.nl"
    assert "Bits of Freedom" not in client.get("/en/p/letter/signatories/").content.decode()

    admin = as_user(organiser)
    admin.post(
        "/en/admin/letters/signature/",
        {"action": "approve", "_selected_action": [signature.pk]},
    )
    signature.refresh_from_db()
    assert signature.review == Signature.Review.APPROVED
    assert "Bits of Freedom" in client.get("/en/p/letter/signatories/").content.decode()


def test_a_closed_petition_refuses_signatures(client, petition, django_capture_on_commit_callbacks):
    petition.status = petition.Status.CLOSED
    petition.save()
    response = sign(client, petition, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "Signing is closed." in response.content.decode()
    assert not Signature.objects.exists()
    assert not mail.outbox


def test_a_draft_petition_is_not_public(client, petition):
    petition.status = petition.Status.DRAFT
    petition.save()
    assert client.get("/en/p/ban/").status_code == 404
    assert client.get("/api/petitions/ban/count.json").status_code == 404


def test_without_a_key_signing_stores_nothing_and_says_so(
    client, petition, django_capture_on_commit_callbacks
):
    from reclaim.keyring.models import PublicKey
    from reclaim.keyring.services import retire_key

    for key_id in PublicKey.objects.values_list("key_id", flat=True):
        retire_key(key_id)
    response = sign(client, petition, django_capture_on_commit_callbacks)
    assert response.status_code == 503
    assert not Signature.objects.exists()
    assert not OutgoingMail.objects.exists()


def test_the_mail_is_in_the_signers_language(client, petition, django_capture_on_commit_callbacks):
    sign(client, petition, django_capture_on_commit_callbacks, language="de")
    assert "/de/s/" in mail.outbox[-1].body
    assert Signature.objects.get().language == "de"
