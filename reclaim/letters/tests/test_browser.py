"""The flows a supporter goes through, in a real browser against the live server."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from reclaim.keyring.services import create_key
from reclaim.letters.models import Petition, Signature
from reclaim.mail.models import OutgoingMail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The fields of the individual form, in the order a person meets them.
FORM_FIELDS = ["name", "email", "country", "comment", "listed", "newsletter"]
REQUIRED_FIELDS = {"name", "email", "country"}


@pytest.fixture
def petition(transactional_db: Any) -> Petition:
    create_key(holder="EDRi", passphrase="correct horse battery staple")
    return Petition.objects.create(
        slug="ban",
        title="Ban biometric mass surveillance",
        summary="Stop facial recognition in our public spaces.",
        text="Cameras that recognise faces watch everyone.\n\nWe ask for a ban.",
        recipients="The European Commission",
        status=Petition.Status.OPEN,
        closes_at=timezone.now() + timedelta(days=30),
        milestones=[100, 1000],
    )


def _link_from(body: str, base_url: str) -> str:
    match = re.search(re.escape(base_url) + r"(/en/s/[^/\s]+/)", body)
    assert match, f"no confirmation link to {base_url} in the mail:\n{body}"
    return match.group(1)


@pytest.mark.no_javascript
def test_a_person_signs_and_confirms_with_javascript_off(
    page: Page, petition: Petition, live_server: Any, settings: Any, mailoutbox: list[Any]
) -> None:
    settings.BASE_URL = live_server.url
    page.goto("/en/p/ban/")
    expect(page.get_by_role("heading", level=1)).to_have_text(petition.title)
    page.get_by_label("Full name").fill("Ada Lovelace")
    page.get_by_label("Email address").fill("ada@example.org")
    page.get_by_label("Country").select_option("DE")
    page.get_by_label("Show my name in the public list of signatories").check()
    page.get_by_role("button", name="Sign", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    expect(page).to_have_url(re.compile(r"/en/p/ban/thanks/$"))
    signature = Signature.objects.get()
    assert signature.petition == petition
    assert signature.confirmed_at is None
    assert signature.country == "DE"
    assert signature.language == "en"
    assert signature.listed is True
    assert signature.public_name == "Ada Lovelace"
    # Without JavaScript the server sealed the data; the address is not readable in the row.
    assert signature.sealed
    assert b"ada@example.org" not in bytes(signature.sealed)
    # The mail went out, so the readable address left the outbox with it.
    assert not OutgoingMail.objects.exists()

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ada@example.org"]
    link = _link_from(mailoutbox[0].body, live_server.url)

    # Opening the link shows a page with a button; it does not confirm on its own.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your signature")
    signature.refresh_from_db()
    assert signature.confirmed_at is None

    page.get_by_role("button", name="Confirm my signature").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your privacy receipt")
    expect(page.get_by_role("status")).to_contain_text("your signature is confirmed")
    expect(page.locator("dl.receipt")).to_contain_text("EDRi")
    signature.refresh_from_db()
    assert signature.confirmed_at is not None

    # Withdrawal takes two steps: the first only explains what will happen.
    page.get_by_role("link", name="Withdraw my signature").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw your signature")
    assert Signature.objects.filter(pk=signature.pk).exists()

    page.get_by_role("button", name="Yes, delete my signature").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Signature withdrawn")
    assert not Signature.objects.filter(pk=signature.pk).exists()

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link is no longer valid")


def _invalid_fields(page: Page) -> dict[str, dict[str, Any]]:
    """Each input marked invalid, with the text of the elements that describe it."""
    return page.eval_on_selector_all(
        "section.sign form [aria-invalid='true']",
        """elements => Object.fromEntries(elements.map(el => [el.name, {
            id: el.id,
            describedby: (el.getAttribute('aria-describedby') || '').split(/\\s+/)
                .filter(Boolean)
                .map(id => {
                    const target = document.getElementById(id);
                    return target ? target.textContent.trim() : null;
                }),
        }]))""",
    )


# With JavaScript on, reclaim/seal.js checks the form before it seals it and shows the
# errors as the server does, without sending anything; without it, the server answers 400.
@pytest.mark.parametrize(
    ("page", "javascript"),
    [({"java_script_enabled": True}, True), ({"java_script_enabled": False}, False)],
    indirect=["page"],
    ids=["in-the-browser", "from-the-server"],
)
def test_form_errors_are_announced_and_tied_to_their_fields(
    page: Page, petition: Petition, javascript: bool
) -> None:
    page.goto("/en/p/ban/")
    posts: list[Any] = []
    page.on("request", lambda r: posts.append(r) if r.method == "POST" else None)
    page.get_by_role("button", name="Sign", exact=True).click()
    expect(page.get_by_role("alert")).to_be_visible()
    if javascript:
        assert posts == []
    else:
        assert len(posts) == 1
        response = posts[0].response()
        assert response is not None and response.status == 400

    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Please correct the following")

    invalid = _invalid_fields(page)
    assert set(invalid) == REQUIRED_FIELDS
    for name, field in invalid.items():
        descriptions = field["describedby"]
        assert descriptions, f"{name} has no aria-describedby"
        assert None not in descriptions, f"{name} points to a missing element"
        error = page.locator(f"#{field['id']}_error")
        expect(error).to_be_visible()
        error_text = error.inner_text().strip()
        assert error_text, f"{name} has an empty error"
        assert error_text in descriptions, f"{name} is not described by its error"
        # The summary names the same error and links to the field.
        link = summary.locator(f"a[href='#{field['id']}']")
        expect(link).to_have_count(1)
        expect(link).to_contain_text(error_text)

    # The accessible name still comes from the label, and optional fields are not flagged.
    expect(page.get_by_label("Full name")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Comment (optional)")).not_to_have_attribute("aria-invalid", "true")
    assert not Signature.objects.exists()
    assert not OutgoingMail.objects.exists()


def test_an_invalid_email_is_flagged_alone_and_the_rest_is_kept(
    page: Page, petition: Petition
) -> None:
    page.goto("/en/p/ban/")
    page.get_by_label("Full name").fill("Ada Lovelace")
    page.get_by_label("Email address").fill("ada@")
    page.get_by_label("Country").select_option("DE")
    page.get_by_role("button", name="Sign", exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text("Enter a valid email address")
    assert set(_invalid_fields(page)) == {"email"}
    expect(page.get_by_label("Full name")).to_have_value("Ada Lovelace")
    expect(page.get_by_label("Country")).to_have_value("DE")
    assert not Signature.objects.exists()


def test_the_petition_page_has_no_axe_violations_before_and_after_errors(
    page: Page, petition: Petition, axe: Any
) -> None:
    page.goto("/en/p/ban/")
    axe(page, "the petition page")
    page.get_by_role("button", name="Sign", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the following")
    axe(page, "the petition page with errors")


FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const box = el.getBoundingClientRect();
    return {
        index: Array.prototype.indexOf.call(document.querySelectorAll('*'), el),
        tag: el.tagName.toLowerCase(),
        name: el.getAttribute('name') || '',
        type: el.getAttribute('type') || '',
        href: el.getAttribute('href') || '',
        classes: el.className,
        inForm: !!el.closest('section.sign form'),
        onScreen: box.right > 0 && box.bottom > 0
            && box.left < window.innerWidth && box.width > 0 && box.height > 0,
    };
}"""


def test_keyboard_reaches_every_form_control_in_order(page: Page, petition: Petition) -> None:
    page.goto("/en/p/ban/")
    focused: list[dict[str, Any]] = []
    for _ in range(80):
        page.keyboard.press("Tab")
        element = page.evaluate(FOCUSED)
        if element is None or (focused and element["index"] == focused[0]["index"]):
            break  # focus left the page or came round again
        focused.append(element)
    assert focused, "Tab focuses nothing"

    skip = focused[0]
    assert "skip-link" in skip["classes"] and skip["href"] == "#main", focused[0]
    assert skip["onScreen"], "the skip link stays off-screen when focused"

    # Tab follows the order of the document: no positive tabindex, nothing skipped back.
    indices = [element["index"] for element in focused]
    assert indices == sorted(indices) and len(set(indices)) == len(indices)

    in_form = [element for element in focused if element["inForm"]]
    assert [element["name"] for element in in_form[:-1]] == FORM_FIELDS
    assert in_form[-1]["tag"] == "button" and in_form[-1]["type"] == "submit"
    assert all(element["onScreen"] for element in focused[1:]), "focus went off-screen"

    # The skip link moves focus to the content.
    page.goto("/en/p/ban/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_public_pages_make_no_third_party_requests(
    page: Page, petition: Petition, traffic: Any
) -> None:
    # A listed organisation links to its own site: a link, which must not load anything.
    Signature.objects.create(
        petition=petition,
        kind=Signature.Kind.ORGANISATION,
        country="BE",
        language="en",
        public_name="European Digital Rights",
        public_website="https://edri.org/",
        listed=True,
        review=Signature.Review.APPROVED,
        confirmed_at=timezone.now(),
    )
    pages = {
        "/en/": "Welcome",
        "/en/petitions/": "Petitions and open letters",
        "/en/p/ban/": petition.title,
        "/en/p/ban/signatories/": "Signatories of",
        "/en/privacy/": "Privacy",
    }
    for path, heading in pages.items():
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("networkidle")
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        if path.endswith("/signatories/"):
            expect(page.get_by_role("link", name="European Digital Rights")).to_be_visible()

    traffic.assert_same_origin()
    # The recorder saw the pages and their stylesheet, so an empty list proves something.
    assert any(url.endswith("/en/p/ban/signatories/") for url in traffic.requests)
    assert any(url.endswith(".css") for url in traffic.requests)
    assert traffic.failed_assets == []
    assert traffic.console_errors == []


def test_the_german_page_declares_its_language(page: Page, petition: Petition) -> None:
    page.goto("/de/p/ban/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("nav .languages a[aria-current='true']")).to_have_attribute(
        "hreflang", "de"
    )
    # The petition is written in English: its text says so, for screen readers to switch.
    expect(page.locator("article.petition")).to_have_attribute("lang", "en")
    # Signing keeps the visitor in German.
    expect(page.locator("section.sign form")).to_have_attribute("action", "/de/p/ban/")
