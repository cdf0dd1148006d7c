"""PRODUCT invariant 3 in a real browser: with JavaScript on, the personal fields are sealed
to the petition's key before they leave the page (reclaim/static/reclaim/seal.js); the
request on the wire holds no name and no comment, and the stored box opens with the key
file, in Python and in the export. Without JavaScript, or without WebCrypto, or when
sealing fails, the form is sent as it is and the server seals on arrival."""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs

import pytest
from django.utils import timezone
from playwright.sync_api import Page, Request, expect

from reclaim.keyring.services import create_key
from reclaim.letters.models import Petition, Signature
from reclaim.letters.services import SignerData
from reclaim.letters.tests.helpers import export_by_command
from reclaim.lib.sealing import KeyPair, load_private_file, open_box

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSPHRASE = "correct horse battery staple"
NAME = "Zygmunt Quellenberg"
COMMENT = "Unique remark 4711\non two lines"


@pytest.fixture
def key(transactional_db: Any) -> KeyPair:
    return create_key("EDRi", PASSPHRASE, actor="test")


@pytest.fixture
def petition(key: KeyPair) -> Petition:
    return Petition.objects.create(
        slug="ban",
        title="Ban biometric mass surveillance",
        text="Cameras that recognise faces watch everyone.\n\nWe ask for a ban.",
        status=Petition.Status.OPEN,
        closes_at=timezone.now() + timedelta(days=30),
    )


def _posts(page: Page) -> list[Request]:
    """Every POST the page sends, as it goes on the wire."""
    posts: list[Request] = []
    page.on("request", lambda request: posts.append(request) if request.method == "POST" else None)
    return posts


def _fields(request: Request) -> dict[str, list[str]]:
    return parse_qs(request.post_data or "", keep_blank_values=True)


def _opened(signature: Signature, petition: Petition, key: KeyPair) -> dict[str, Any]:
    _key_id, private_key = load_private_file(key.private_file, PASSPHRASE)
    return open_box(private_key, bytes(signature.sealed), petition.context())


def _sign_as_a_person(page: Page, listed: bool = False) -> None:
    page.get_by_label("Full name").fill(NAME)
    page.get_by_label("Email address").fill("zygmunt@example.org")
    page.get_by_label("Country").select_option("DE")
    page.get_by_label("Comment (optional)").fill(COMMENT)
    if listed:
        page.get_by_label("Show my name in the public list of signatories").check()
    page.get_by_role("button", name="Sign", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")


def _export(petition: Petition, key: KeyPair, tmp_path: Any) -> list[dict[str, str]]:
    return export_by_command(petition.slug, key.private_file, PASSPHRASE, tmp_path, "--with-email")


def test_the_browser_seals_name_and_comment_before_they_leave_the_page(
    page: Page, petition: Petition, key: KeyPair, traffic: Any, tmp_path: Any
) -> None:
    posts = _posts(page)
    page.goto("/en/p/ban/")
    expect(page.locator("[data-seal-note]")).to_be_visible()
    _sign_as_a_person(page)

    # On the wire: neither the name nor the comment, in any encoding; the box and its key.
    assert len(posts) == 1
    body = posts[0].post_data or ""
    for secret in ("Zygmunt", "Quellenberg", "4711", "remark"):
        assert secret not in body, f"{secret!r} left the page readable"
    sent = _fields(posts[0])
    assert "name" not in sent
    assert "comment" not in sent
    assert sent["email"] == ["zygmunt@example.org"]
    assert sent["country"] == ["DE"]
    assert sent["key_id"] == [key.key_id]

    # Stored as it arrived, and it opens with the key file to what the server would seal.
    signature = Signature.objects.get()
    assert bytes(signature.sealed) == base64.b64decode(sent["sealed"][0])
    assert signature.key_id == key.key_id
    assert signature.public_name == ""
    expected = SignerData(
        kind="individual",
        name=NAME,
        email="zygmunt@example.org",
        country="DE",
        # As a form sends a text area, and as the server would have kept it.
        comment=COMMENT.replace("\n", "\r\n"),
    ).sealed_payload()
    assert _opened(signature, petition, key) == expected

    # The organiser's export opens the browser's box like any other.
    Signature.objects.update(confirmed_at=timezone.now())
    rows = _export(petition, key, tmp_path)
    assert [(row["name"], row["comment"], row["email"]) for row in rows] == [
        (NAME, COMMENT.replace("\n", "\r\n"), "zygmunt@example.org")
    ]

    assert any(url.endswith("/static/reclaim/seal.js") for url in traffic.requests)
    traffic.assert_same_origin()
    assert traffic.console_errors == []
    assert traffic.failed_assets == []


def test_a_listed_name_is_sent_readable_to_be_published_and_the_comment_is_not(
    page: Page, petition: Petition, key: KeyPair
) -> None:
    posts = _posts(page)
    page.goto("/en/p/ban/")
    _sign_as_a_person(page, listed=True)

    sent = _fields(posts[0])
    assert sent["name"] == [NAME]
    assert "comment" not in sent
    assert "4711" not in (posts[0].post_data or "")
    signature = Signature.objects.get()
    assert signature.public_name == NAME
    assert _opened(signature, petition, key)["listed"] is True


def test_an_organisation_sends_name_and_website_and_seals_contact_and_comment(
    page: Page, petition: Petition, key: KeyPair
) -> None:
    posts = _posts(page)
    page.goto("/en/p/ban/?as=organisation")
    page.get_by_label("Organisation name").fill("Access Now")
    page.get_by_label("Website").fill("accessnow.org")
    page.get_by_label("Country").select_option("BE")
    page.get_by_label("Contact person (optional)").fill("Anna Kontaktperson")
    page.get_by_label("Contact email").fill("office@example.org")
    page.get_by_label("Comment (optional)").fill(COMMENT)
    page.get_by_role("button", name="Co-sign").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")

    body = posts[0].post_data or ""
    assert "Kontaktperson" not in body
    assert "4711" not in body
    sent = _fields(posts[0])
    assert sent["name"] == ["Access Now"]
    signature = Signature.objects.get()
    assert signature.public_name == "Access Now"
    assert signature.public_website == "https://accessnow.org"
    assert _opened(signature, petition, key) == (
        SignerData(
            kind="organisation",
            name="Access Now",
            email="office@example.org",
            country="BE",
            website="https://accessnow.org",
            contact_name="Anna Kontaktperson",
            comment=COMMENT.replace("\n", "\r\n"),
        ).sealed_payload()
    )


@pytest.mark.no_javascript
def test_with_javascript_off_the_form_goes_as_it_is_and_the_server_seals(
    page: Page, petition: Petition, key: KeyPair
) -> None:
    posts = _posts(page)
    page.goto("/en/p/ban/")
    expect(page.locator("[data-seal-note]")).to_be_hidden()
    _sign_as_a_person(page)

    sent = _fields(posts[0])
    assert sent["name"] == [NAME]
    assert "sealed" not in sent
    signature = Signature.objects.get()
    assert NAME.encode() not in bytes(signature.sealed)
    assert _opened(signature, petition, key)["name"] == NAME


NO_WEBCRYPTO = "Object.defineProperty(Crypto.prototype, 'subtle', { get() { return undefined; } });"
BROKEN_WEBCRYPTO = (
    "SubtleCrypto.prototype.deriveBits = function () {"
    " return Promise.reject(new Error('broken')); };"
)


@pytest.mark.parametrize("script", [NO_WEBCRYPTO, BROKEN_WEBCRYPTO], ids=["missing", "failing"])
def test_without_working_webcrypto_the_form_still_signs_and_the_server_seals(
    page: Page, petition: Petition, key: KeyPair, script: str
) -> None:
    page.add_init_script(script)
    posts = _posts(page)
    page.goto("/en/p/ban/")
    _sign_as_a_person(page)

    sent = _fields(posts[-1])
    assert sent["name"] == [NAME]
    assert "sealed" not in sent
    assert _opened(Signature.objects.get(), petition, key)["comment"] == COMMENT.replace(
        "\n", "\r\n"
    )


def test_the_browser_checks_what_it_seals_with_the_servers_messages(
    page: Page, petition: Petition
) -> None:
    posts = _posts(page)
    page.goto("/en/p/ban/")
    page.get_by_label("Full name").fill("Ada\u202eecalovoL")
    page.get_by_label("Email address").fill("ada@example.org")
    page.get_by_label("Country").select_option("DE")
    # Past the field's maxlength, as a script or an old browser could.
    page.get_by_label("Comment (optional)").evaluate("(el) => { el.value = 'c'.repeat(1001); }")
    page.get_by_role("button", name="Sign", exact=True).click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(
        "Full name: This field contains invisible control characters. Please remove them."
    )
    expect(summary).to_contain_text(
        "Comment (optional): Ensure this value has at most 1000 characters (it has 1001)."
    )
    expect(summary).to_be_focused()
    expect(page.get_by_label("Full name")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Email address")).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_comment_error")).to_contain_text("at most 1000 characters")
    assert page.title().startswith("Error: ")
    assert posts == []
    assert not Signature.objects.exists()

    # Put right, the form goes, sealed.
    page.get_by_label("Full name").fill("Ada Lovelace")
    page.get_by_label("Comment (optional)").fill("Fine")
    page.get_by_role("button", name="Sign", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    assert "sealed" in _fields(posts[0])


def test_the_browsers_messages_are_in_the_visitors_language(page: Page, petition: Petition) -> None:
    posts = _posts(page)
    page.goto("/de/p/ban/")
    page.locator("section.sign button[type=submit]").click()
    expect(page.get_by_role("alert")).to_contain_text("Dieses Feld ist zwingend erforderlich.")
    assert posts == []


def test_a_server_error_after_sealing_asks_for_the_sealed_fields_again(
    page: Page, petition: Petition, axe: Any
) -> None:
    page.goto("/en/p/ban/")
    page.get_by_label("Full name").fill("Ada Lovelace")
    page.get_by_label("Email address").fill("ada@mailinator.com")  # disposable: server only
    page.get_by_label("Country").select_option("DE")
    page.get_by_role("button", name="Sign", exact=True).click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("disposable mail services")
    expect(summary).to_contain_text("cannot be shown here again")
    expect(page.get_by_label("Email address")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Full name")).to_have_value("")
    assert not Signature.objects.exists()
    axe(page, "the petition page with an error only the server finds")

    # The page it came back on seals again.
    page.get_by_label("Full name").fill("Ada Lovelace")
    page.get_by_label("Email address").fill("ada@example.org")
    page.get_by_role("button", name="Sign", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    assert Signature.objects.get().public_name == ""
