"""A signature whose personal fields the browser sealed (reclaim/static/reclaim/seal.js):
what the server checks of the box it cannot open, and what it stores.

The boxes here are made in Python the way the browser makes them (the same payload, the
same format); test_browser_sealing.py makes them in Chromium."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext

from reclaim.keyring.services import create_key, retire_key
from reclaim.letters import forms
from reclaim.letters.export import export_csv
from reclaim.letters.forms import IndividualSignForm, OrganisationSignForm
from reclaim.letters.models import Signature
from reclaim.letters.services import BrowserBox, SignerData, build_signature
from reclaim.letters.tests.helpers import confirm, last_link, sign
from reclaim.letters.tests.test_signing import dump_database
from reclaim.lib.emailhash import email_hash
from reclaim.lib.sealing import (
    BOX_OVERHEAD,
    BoxError,
    check_box,
    load_private_file,
    load_public_pem,
    open_box,
    seal,
)
from reclaim.mail.models import OutgoingMail

pytestmark = pytest.mark.django_db

JANE = SignerData(
    kind="individual",
    name="Jane Sealed",
    email="jane@example.org",
    country="DE",
    comment="A remark only the organisers read",
)


def _box(pem: str, context: str, payload: dict[str, Any] | None = None) -> bytes:
    return seal(load_public_pem(pem), payload or JANE.sealed_payload(), context)


def _b64(box: bytes) -> str:
    return base64.b64encode(box).decode()


def _post(client, petition, capture, box: str, key_id: str, language="en", **fields: Any):
    """What the browser sends: no name and no comment, the email and the choices readable,
    and the box."""
    data: dict[str, Any] = {"name": None, "comment": None, "sealed": box, "key_id": key_id}
    data.update(fields)
    return sign(client, petition, capture, language=language, **data)


def _nothing_stored() -> None:
    assert not Signature.objects.exists()
    assert not OutgoingMail.objects.exists()
    assert not mail.outbox


def test_a_box_sealed_in_the_browser_is_stored_as_it_arrived(
    client, petition, keypair, passphrase, django_capture_on_commit_callbacks
):
    box = _box(keypair.public_pem, petition.context())
    response = _post(
        client, petition, django_capture_on_commit_callbacks, _b64(box), keypair.key_id
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/p/ban/thanks/"

    signature = Signature.objects.get()
    assert bytes(signature.sealed) == box
    assert signature.key_id == keypair.key_id
    assert signature.public_name == ""
    assert signature.listed is False
    assert signature.country == "DE"
    # The email travelled readable: the duplicate check and the confirmation mail need it.
    assert signature.email_hash == email_hash("jane@example.org")
    assert mail.outbox[0].to == ["jane@example.org"]

    _key_id, private_key = load_private_file(keypair.private_file, passphrase)
    assert open_box(private_key, bytes(signature.sealed), petition.context()) == (
        JANE.sealed_payload()
    )


def test_the_same_address_sealed_in_the_browser_is_still_a_duplicate(
    client, petition, keypair, django_capture_on_commit_callbacks
):
    sign(client, petition, django_capture_on_commit_callbacks)  # sealed on the server
    box = _b64(_box(keypair.public_pem, petition.context()))
    response = _post(client, petition, django_capture_on_commit_callbacks, box, keypair.key_id)
    assert response.status_code == 302
    assert Signature.objects.count() == 1
    assert [sent.to for sent in mail.outbox] == [["jane@example.org"]] * 2
    assert OutgoingMail.objects.count() == 0


def test_readable_copies_of_sealed_fields_are_not_kept(
    client, petition, keypair, django_capture_on_commit_callbacks
):
    """A browser that sends the name and comment readable as well as in the box (it
    should not) leaves no trace of them: only the box is kept."""
    box = _b64(_box(keypair.public_pem, petition.context()))
    response = _post(
        client,
        petition,
        django_capture_on_commit_callbacks,
        box,
        keypair.key_id,
        name="Zygmunt Readable",
        comment="Readable remark 4711",
    )
    assert response.status_code == 302
    confirm(client, last_link())
    raw = dump_database()
    assert "Zygmunt" not in raw
    assert "Readable remark 4711" not in raw
    assert Signature.objects.get().public_name == ""


def test_a_listed_signer_sends_the_published_name_readable(
    client, petition, keypair, django_capture_on_commit_callbacks
):
    payload = SignerData(
        kind="individual", name="Ada Listed", email="ada@example.org", country="FR", listed=True
    ).sealed_payload()
    box = _b64(_box(keypair.public_pem, petition.context(), payload))
    response = _post(
        client,
        petition,
        django_capture_on_commit_callbacks,
        box,
        keypair.key_id,
        name="Ada Listed",
        email="ada@example.org",
        country="FR",
        listed="on",
    )
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert signature.listed is True
    assert signature.public_name == "Ada Listed"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "This field is required."),
        ("Ada\u202eecalovoL", "control characters"),
        ("x" * 121, "at most 120 characters"),
    ],
    ids=["missing", "direction-override", "too-long"],
)
def test_the_readable_name_of_a_listed_signer_is_checked_as_ever(
    client, petition, keypair, django_capture_on_commit_callbacks, name, message
):
    box = _b64(_box(keypair.public_pem, petition.context()))
    response = _post(
        client,
        petition,
        django_capture_on_commit_callbacks,
        box,
        keypair.key_id,
        name=name,
        listed="on",
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert 'id="id_name_error"' in body
    _nothing_stored()


def test_an_organisation_sends_its_published_name_and_website_and_seals_the_rest(
    client, letter, keypair, passphrase, django_capture_on_commit_callbacks
):
    data = SignerData(
        kind="organisation",
        name="Access Now",
        email="office@example.org",
        country="BE",
        website="https://accessnow.org",
        contact_name="Anna Contact",
        comment="We co-sign",
    )
    box = _b64(_box(keypair.public_pem, letter.context(), data.sealed_payload()))
    response = _post(
        client,
        letter,
        django_capture_on_commit_callbacks,
        box,
        keypair.key_id,
        **{"as": "organisation"},
        name="Access Now",
        website="https://accessnow.org",
        email="office@example.org",
        country="BE",
        contact_name=None,
    )
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert signature.public_name == "Access Now"
    assert signature.public_website == "https://accessnow.org"
    assert signature.review == Signature.Review.PENDING
    _key_id, private_key = load_private_file(keypair.private_file, passphrase)
    opened = open_box(private_key, bytes(signature.sealed), letter.context())
    assert opened["contact_name"] == "Anna Contact"
    assert opened["comment"] == "We co-sign"


def _point_off_the_curve(box: bytes) -> bytes:
    return box[:1] + b"\x04" + b"\x01" * 64 + box[66:]


BAD_BOXES = {
    "not-base64": lambda box: "this is not base64!",
    "truncated-base64": lambda box: _b64(box)[:-3],
    "empty": lambda box: "",
    "wrong-version": lambda box: _b64(b"\x02" + box[1:]),
    "point-off-the-curve": lambda box: _b64(_point_off_the_curve(box)),
    "compressed-point": lambda box: _b64(box[:1] + b"\x02" + box[2:]),
    "too-small": lambda box: _b64(box[: BOX_OVERHEAD + 10]),
}


@pytest.mark.parametrize("make", BAD_BOXES.values(), ids=BAD_BOXES.keys())
def test_a_box_that_does_not_parse_is_refused_and_nothing_is_stored(
    client, petition, keypair, django_capture_on_commit_callbacks, make
):
    box = make(_box(keypair.public_pem, petition.context()))
    response = _post(client, petition, django_capture_on_commit_callbacks, box, keypair.key_id)
    assert response.status_code == 400
    body = response.content.decode()
    assert "The encrypted details your browser sent are damaged." in body
    assert 'role="alert"' in body
    # What the browser sealed is not in the page again: the visitor is told to retype it.
    assert "cannot be shown here again" in body
    _nothing_stored()


def test_a_box_larger_than_the_form_allows_is_refused(
    client, petition, keypair, django_capture_on_commit_callbacks
):
    _smallest, largest = IndividualSignForm().plaintext_limits()
    payload = JANE.sealed_payload() | {"comment": "x" * largest}
    box = _b64(_box(keypair.public_pem, petition.context(), payload))
    response = _post(client, petition, django_capture_on_commit_callbacks, box, keypair.key_id)
    assert response.status_code == 400
    assert "larger than this form accepts" in response.content.decode()
    _nothing_stored()


def test_the_box_limits_follow_the_lengths_of_the_form_fields(keypair):
    """Every text at its longest, in the widest characters (four bytes of UTF-8 each), and
    every choice at its longest in JSON, makes a box the server accepts; the smallest box
    is that of a payload with every text empty."""
    public = load_public_pem(keypair.public_pem)
    for form_class in (IndividualSignForm, OrganisationSignForm):
        form = form_class()
        smallest, largest = form.plaintext_limits()
        widest: dict[str, Any] = {"kind": form.kind}
        emptiest: dict[str, Any] = {"kind": form.kind}
        for key, flag, optional in forms.payload_layout(form.kind):
            field = form.fields[key] if key in form.fields else None
            length = getattr(field, "max_length", None) or forms.UNBOUNDED_TEXT
            widest[key] = False if flag else "\U0001f600" * length
            if not optional:
                emptiest[key] = True if flag else ""
        check_box(seal(public, widest, "petition/1"), smallest, largest)
        check_box(seal(public, emptiest, "petition/1"), smallest, largest)
        minimal = json.dumps(emptiest, separators=(",", ":")).encode()
        assert smallest == len(minimal)
        with pytest.raises(BoxError):
            check_box(seal(public, {"kind": form.kind}, "petition/1"), smallest, largest)


def test_check_box_says_which_check_failed():
    with pytest.raises(BoxError) as caught:
        check_box(b"\x01" + bytes(200), 10, 1000)
    assert caught.value.reason == "point"
    with pytest.raises(BoxError) as caught:
        check_box(b"\x01" + bytes(20), 10, 1000)
    assert caught.value.reason == "too_small"


def test_a_box_for_an_unknown_key_is_refused(
    client, petition, keypair, django_capture_on_commit_callbacks
):
    box = _b64(_box(keypair.public_pem, petition.context()))
    response = _post(client, petition, django_capture_on_commit_callbacks, box, "0" * 32)
    assert response.status_code == 400
    assert "The encryption key of the page you signed on is no longer in use." in (
        response.content.decode()
    )
    _nothing_stored()


def test_a_box_for_a_retired_key_is_refused(
    client, petition, keypair, django_capture_on_commit_callbacks
):
    old = create_key("Old holder", "an old passphrase", actor="test")
    retire_key(old.key_id)
    box = _b64(_box(old.public_pem, petition.context()))
    response = _post(client, petition, django_capture_on_commit_callbacks, box, old.key_id)
    assert response.status_code == 400
    assert "no longer in use" in response.content.decode()
    _nothing_stored()
    # The page the visitor is sent back to carries the key in use now.
    config = _config(response.content.decode())
    assert config["key_id"] == keypair.key_id


def test_a_box_for_an_older_key_still_active_is_accepted(
    client, petition, keypair, django_capture_on_commit_callbacks
):
    """A key created between loading the page and signing: the page's key is still active."""
    box = _b64(_box(keypair.public_pem, petition.context()))
    newer = create_key("EDRi", "the next passphrase", actor="test")
    response = _post(client, petition, django_capture_on_commit_callbacks, box, keypair.key_id)
    assert response.status_code == 302
    assert Signature.objects.get().key_id == keypair.key_id
    assert _config(client.get("/en/p/ban/").content.decode())["key_id"] == newer.key_id


def test_a_box_sealed_for_another_petition_is_stored_but_never_exported_as_this_ones(
    client, petition, keypair, passphrase, django_capture_on_commit_callbacks
):
    """Keys belong to the campaign, not to one petition, and the server cannot open a box:
    a box made for another petition's context looks like any other here. The context in
    the box's associated data is what keeps it out: the export counts it unreadable."""
    box = _b64(_box(keypair.public_pem, "petition/999"))
    response = _post(client, petition, django_capture_on_commit_callbacks, box, keypair.key_id)
    assert response.status_code == 302
    confirm(client, last_link())
    out = io.StringIO()
    result = export_csv(petition, keypair.private_file, passphrase, out, "alice")
    assert (result.written, result.unreadable) == (0, 1)


def test_errors_of_a_sealed_post_are_in_the_visitors_language(
    client, petition, keypair, django_capture_on_commit_callbacks
):
    box = _b64(_box(keypair.public_pem, petition.context()))
    response = _post(
        client, petition, django_capture_on_commit_callbacks, box, "0" * 32, language="de"
    )
    assert response.status_code == 400
    body = response.content.decode()
    with translation.override("de"):
        assert str(forms.KEY_NOT_ACTIVE) in body
        assert str(forms.SEALED_NOT_SHOWN) in body
        assert gettext("Please correct the following:") in body
        assert gettext("Please correct the following:") != "Please correct the following:"


def test_other_errors_of_a_sealed_post_ask_for_the_sealed_fields_again(
    client, petition, keypair, django_capture_on_commit_callbacks
):
    box = _b64(_box(keypair.public_pem, petition.context()))
    response = _post(
        client,
        petition,
        django_capture_on_commit_callbacks,
        box,
        keypair.key_id,
        email="jane@mailinator.com",
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "disposable mail services" in body
    assert "cannot be shown here again" in body
    # The fields themselves are not flagged: the browser checked them.
    assert 'id="id_name_error"' not in body
    assert 'id="id_comment_error"' not in body
    # The form sent back carries no box: a new one is made from what is typed again.
    assert 'name="sealed"' not in body
    _nothing_stored()


def _config(body: str) -> dict[str, Any]:
    found = re.search(r'<script id="seal-config" type="application/json">(.*?)</script>', body)
    assert found, "the page carries no sealing configuration"
    return json.loads(found.group(1))


def test_the_page_carries_the_newest_key_and_the_checks_for_the_browser(client, petition, keypair):
    response = client.get("/en/p/ban/")
    body = response.content.decode()
    assert '<script type="module" src="/static/reclaim/seal.js"></script>' in body
    assert 'data-seal="seal-config"' in body
    # Served from our origin, allowed by the policy as it stands: script from self only.
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert client.get("/static/reclaim/seal.js").status_code == 200

    config = _config(body)
    assert config["key_id"] == keypair.key_id
    assert config["context"] == petition.context()
    spki = base64.b64decode(config["key"])
    from cryptography.hazmat.primitives import serialization

    assert serialization.load_der_public_key(spki).public_numbers() == (
        load_public_pem(keypair.public_pem).public_numbers()
    )
    assert config["withhold"] == ["name", "comment"]
    assert config["published_when_listed"] == ["name"]
    assert [item["key"] for item in config["payload"]] == list(JANE.sealed_payload())[1:]
    name_checks = config["fields"]["name"]["checks"]
    assert {"check": "max", "limit": 120} == {
        key: value for key, value in name_checks[1].items() if key != "message"
    }

    organisation = _config(client.get("/en/p/ban/?as=organisation").content.decode())
    assert organisation["withhold"] == ["contact_name", "comment"]


def test_a_page_that_takes_no_signatures_or_has_no_key_carries_no_key(client, petition, keypair):
    retire_key(keypair.key_id)
    body = client.get("/en/p/ban/").content.decode()
    assert "seal-config" not in body
    assert "reclaim/seal.js" not in body


# --- The export opens browser-made boxes, and flags what the server could not check ----


def _store_browser_box(petition, keypair, payload: dict[str, Any] | bytes) -> Signature:
    """A confirmed signature whose box a browser made with ``payload`` (or these bytes of
    plaintext, which need not be JSON)."""
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from reclaim.keyring.models import PublicKey
    from reclaim.lib import sealing

    if isinstance(payload, bytes):
        recipient = load_public_pem(keypair.public_pem)
        ephemeral = ec.generate_private_key(ec.SECP256R1())
        epk = sealing._point(ephemeral.public_key())
        key = sealing._derive(
            ephemeral.exchange(ec.ECDH(), recipient), epk, sealing._point(recipient)
        )
        nonce = bytes(12)
        box = (
            b"\x01"
            + epk
            + nonce
            + AESGCM(key).encrypt(nonce, payload, b"reclaim/v1/" + (petition.context().encode()))
        )
    else:
        box = _box(keypair.public_pem, petition.context(), payload)
    data = SignerData(kind="individual", name="", email="x@example.org", country="DE")
    signature = build_signature(
        petition, data, "en", box=BrowserBox(box, PublicKey.objects.get(key_id=keypair.key_id))
    )
    signature.email_hash = email_hash(f"{len(box)}-{box[-4:].hex()}@example.org")
    signature.confirmed_at = signature.created_at
    signature.save()
    return signature


def test_the_export_writes_odd_browser_content_as_it_is_and_counts_it(
    petition, keypair, passphrase, tmp_path
):
    good = JANE.sealed_payload()
    _store_browser_box(petition, keypair, good)
    _store_browser_box(petition, keypair, good | {"name": "Eve\u202eevil"})
    _store_browser_box(petition, keypair, good | {"name": ""})
    _store_browser_box(petition, keypair, good | {"comment": "c" * 1001})
    _store_browser_box(petition, keypair, good | {"name": ["not", "text"]})
    _store_browser_box(petition, keypair, good | {"kind": "robot"})
    _store_browser_box(petition, keypair, good | {"comment": "two\r\nlines\tand a tab"})
    # Unknown keys are ignored by readers (docs/sealed-box.md), and not odd.
    _store_browser_box(petition, keypair, good | {"later_field": "x"})
    # Not a JSON object, or not JSON at all: unreadable, never a crash.
    _store_browser_box(petition, keypair, b'["a", "list"]')
    _store_browser_box(petition, keypair, b"\xff\xfe not utf-8")

    out = io.StringIO()
    result = export_csv(petition, keypair.private_file, passphrase, out, "alice")
    assert (result.written, result.unreadable, result.odd) == (8, 2, 5)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert "Eve\u202eevil" in {row["name"] for row in rows}

    keyfile = tmp_path / "key.json"
    keyfile.write_bytes(keypair.private_file)
    passfile = tmp_path / "pass"
    passfile.write_text(passphrase)
    err = io.StringIO()
    call_command(
        "export",
        "ban",
        "--key",
        str(keyfile),
        "--passphrase-file",
        str(passfile),
        "--out",
        str(tmp_path / "out.csv"),
        stderr=err,
    )
    assert "8 signatures written" in err.getvalue()
    assert "2 unreadable" in err.getvalue()
    assert "5 of them hold what the signing form refuses" in err.getvalue()
