from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from reclaim.keyring.models import PublicKey
from reclaim.keyring.services import active_key
from reclaim.letters.models import Signature
from reclaim.letters.services import BrowserBox, SignerData
from reclaim.lib.forms import AccessibleFormMixin, EmailAddressField, FastSelect
from reclaim.lib.sealing import BoxError, check_box, decode_box, spki_base64
from reclaim.lib.text import no_control_characters, no_control_characters_in_text

# --- Sealing in the browser (reclaim/static/reclaim/seal.js, docs/sealed-box.md) ---------
#
# With JavaScript on, the signer's browser seals the payload of SignerData.sealed_payload()
# to the petition's public key and leaves the fields in ``sealed_only`` out of what it
# sends. The server cannot check what it cannot read, so the browser runs those fields'
# checks first, with the server's own messages (``sealing_config``), and the server checks
# what it can of the box: that it parses, its size, and that its key is active.

# The name of the posted box (base64) and of the id of the key it was sealed to.
BOX_FIELD = "sealed"
KEY_FIELD = "key_id"
# Django's "at most N characters (it has M)" is formatted with this number as M: only the
# browser knows how long the text is, and puts that in its place.
TYPED_LENGTH = 2_147_483_647
# Bytes of compact JSON that one character may take: UTF-8 needs at most 4, an escaped quote,
# backslash or line break 2; control characters, which JSON escapes in 6, are refused first.
BYTES_PER_CHARACTER = 4
# A text in the payload whose field sets no length: the country, a two-letter code.
UNBOUNDED_TEXT = 16

_BOX_DAMAGED = _(
    "The encrypted details your browser sent are damaged. Nothing has been saved:"
    " please sign again."
)
BOX_ERRORS = {
    "encoding": _BOX_DAMAGED,
    "version": _BOX_DAMAGED,
    "point": _BOX_DAMAGED,
    "too_small": _BOX_DAMAGED,
    "too_large": _(
        "The encrypted details your browser sent are larger than this form accepts. Nothing"
        " has been saved: please shorten your comment and sign again."
    ),
}
KEY_NOT_ACTIVE = _(
    "The encryption key of the page you signed on is no longer in use. Nothing has been"
    " saved: please sign again on the page as it is now."
)
SEALED_NOT_SHOWN = _(
    "Your browser encrypted some of your details (such as your name and comment) before"
    " sending them, so they cannot be shown here again: please fill them in again."
)


def _country_choices() -> list[tuple[str, str]]:
    return list(_country_choices_in(translation.get_language() or settings.LANGUAGE_CODE))


def country_names() -> dict[str, str]:
    """Country names by code in the active language (looking each up through
    django-countries cost about 0.1 ms a name, a tenth of the petition page)."""
    return _country_names_in(translation.get_language() or settings.LANGUAGE_CODE)


@lru_cache(maxsize=32)
def _country_names_in(language: str) -> dict[str, str]:
    return dict(_country_choices_in(language)[1:])


@lru_cache(maxsize=32)
def _country_choices_in(language: str) -> tuple[tuple[str, str], ...]:
    """The countries sorted by their names in ``language`` (the active one, which the
    caller passes so that it is the cache key): sorting 249 translated names took more
    than a millisecond of every page that shows the form."""
    return (("", str(_("Choose your country"))),) + tuple(
        (code, str(name)) for code, name in countries
    )


class CountryChoiceField(forms.ChoiceField):
    """The country select. The choices (249 names, translated and sorted) are built only
    to render it; a submitted code is checked against the code table directly, which keeps
    the sorting of translated names out of every signing POST (profiled: 13 % of it)."""

    def valid_value(self, value: Any) -> bool:
        return bool(value) and str(value) in countries


@lru_cache(maxsize=8)
def payload_layout(kind: str) -> tuple[tuple[str, bool, bool], ...]:
    """The keys of SignerData.sealed_payload() after "kind", in order, as (key, is a yes/no
    choice, left out when empty): the browser builds the same object from the form, so a
    box it makes opens in the export like one the server made."""
    full = SignerData(kind=kind, name="", email="", country="", comment="x").sealed_payload()
    bare = SignerData(kind=kind, name="", email="", country="").sealed_payload()
    return tuple(
        (key, isinstance(value, bool), key not in bare)
        for key, value in full.items()
        if key != "kind"
    )


def text_limits() -> dict[str, int]:
    """The longest text each key of a payload may hold, over every signing form: what the
    export measures opened boxes against (exportrows.looks_odd)."""
    limits: dict[str, int] = {}
    for form_class in (IndividualSignForm, OrganisationSignForm):
        for key, flag, _optional in payload_layout(form_class.kind):
            field = form_class.base_fields.get(key)
            length = getattr(field, "max_length", None)
            if not flag and length:
                limits[key] = max(limits.get(key, 0), length)
    return limits


def _message_of(check: Callable[[Any], Any], bad: str) -> str:
    """The message a check gives for a bad value, in the active language."""
    try:
        check(bad)
    except ValidationError as exc:
        return str(exc.messages[0])
    raise AssertionError(f"{check!r} accepted {bad!r}")


def _browser_checks(field: forms.Field) -> dict[str, Any]:
    """A field's checks as the browser runs them on what it seals, in the order Django runs
    the field's validators, each with the message the server would give."""
    checks: list[dict[str, Any]] = []
    for validator in field.validators:
        if isinstance(validator, MaxLengthValidator):
            limit = validator.limit_value
            message = validator.message % {"limit_value": limit, "show_value": TYPED_LENGTH}
            checks.append({"check": "max", "limit": limit, "message": str(message)})
        elif isinstance(validator, ProhibitNullCharactersValidator):
            checks.append({"check": "null", "message": str(validator.message)})
        elif validator in (no_control_characters, no_control_characters_in_text):
            checks.append(
                {
                    "check": "control",
                    "text": validator is no_control_characters_in_text,
                    "message": _message_of(validator, "\x07"),
                }
            )
    if isinstance(field, EmailAddressField):
        checks.append({"check": "email", "message": _message_of(field.clean, "not-an-address")})
    rule: dict[str, Any] = {
        "label": str(field.label),
        "required": field.required,
        "required_message": str(field.error_messages["required"]),
        "checks": checks,
    }
    if isinstance(field, forms.URLField):
        # "edri.org" is kept as "https://edri.org": the box gets what the server would keep.
        rule["assume_scheme"] = getattr(field, "assume_scheme", "https")
    return rule


@lru_cache(maxsize=32)
def _browser_config(
    form_class: type[BaseSignForm], asks_comment: bool, language: str
) -> dict[str, Any]:
    """The part of sealing_config() that is the same for every petition: kept per kind of
    form and language (``language`` is the active one, passed as the cache key). Shared
    between requests, so read only: sealing_config() puts it into a new dict."""
    form = form_class(asks_comment=asks_comment)
    return {
        "kind": form.kind,
        "payload": [
            {"key": key, "flag": flag, "optional": optional}
            for key, flag, optional in payload_layout(form.kind)
        ],
        "withhold": [name for name in form.sealed_only if name in form.fields],
        "published_when_listed": list(form.published_when_listed),
        "listed_field": "listed",
        "box_field": BOX_FIELD,
        "key_field": KEY_FIELD,
        "fields": {name: _browser_checks(field) for name, field in form.fields.items()},
        "messages": {
            "summary": gettext("Please correct the following:"),
            "item": gettext("%(label)s: %(error)s"),
            "title": gettext("Error:"),
        },
        "typed_length": str(TYPED_LENGTH),
    }


@lru_cache(maxsize=8)
def _plaintext_limits(form_class: type[BaseSignForm], asks_comment: bool) -> tuple[int, int]:
    """BaseSignForm.plaintext_limits, worked out once per kind of form: it depends only on
    the fields, and a browser-sealed signature asks for it."""
    return form_class(asks_comment=asks_comment)._compute_plaintext_limits()


@lru_cache(maxsize=8)
def _spki(pem: str) -> str:
    return spki_base64(pem)


def _json_size(payload: dict[str, Any]) -> int:
    return len(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode())


class BaseSignForm(AccessibleFormMixin, forms.Form):
    kind: str = ""
    # Personal fields that a browser seals and leaves out of what it sends. The others
    # travel readable as well: the email for the confirmation mail and the duplicate check,
    # the country for the counts, the choices, and what will be published.
    sealed_only: tuple[str, ...] = ("comment",)
    # Of those, the ones a signer who asks to be listed publishes: they travel readable
    # then, because the server must have them to show them.
    published_when_listed: tuple[str, ...] = ()

    email = EmailAddressField(label=_("Email address"))
    country = CountryChoiceField(label=_("Country"), choices=_country_choices, widget=FastSelect)
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[no_control_characters_in_text],
    )
    newsletter = forms.BooleanField(
        label=_("Send me news about this campaign (optional)"),
        required=False,
        help_text=_("A separate mail asks you to confirm: nothing is sent unless you do."),
    )

    def __init__(
        self, *args: Any, asks_comment: bool = True, browser_sealed: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.asks_comment = asks_comment
        # Whether the post carries a box its browser sealed (then see _clean_browser_box).
        self.browser_sealed = browser_sealed
        self.browser_box: BrowserBox | None = None
        if not asks_comment:
            del self.fields["comment"]

    def withheld(self, listed: bool) -> list[str]:
        """The fields a browser seals and does not send, for a signer who is (not) listed."""
        published = self.published_when_listed if listed else ()
        return [n for n in self.sealed_only if n in self.fields and n not in published]

    def plaintext_limits(self) -> tuple[int, int]:
        """The smallest and largest payload (bytes of JSON) this form can give: the bounds
        of a box sealed in the browser, derived from the fields' lengths."""
        return _plaintext_limits(type(self), self.asks_comment)

    def _compute_plaintext_limits(self) -> tuple[int, int]:
        layout = payload_layout(self.kind)
        smallest = {"kind": self.kind} | {
            key: (True if flag else "") for key, flag, optional in layout if not optional
        }
        largest = {"kind": self.kind} | {key: (False if flag else "") for key, flag, _o in layout}
        room = 0
        for key, flag, _optional in layout:
            field = self.fields.get(key)
            if not flag and field is not None:
                room += getattr(field, "max_length", None) or UNBOUNDED_TEXT
        return _json_size(smallest), _json_size(largest) + BYTES_PER_CHARACTER * room

    def sealing_config(self, key: PublicKey, context: str) -> dict[str, Any]:
        """What reclaim/static/reclaim/seal.js needs to seal this form: the key, the
        context bound into the box, the payload's layout, and each field's checks with the
        server's messages in the active language."""
        language = translation.get_language() or settings.LANGUAGE_CODE
        shared = _browser_config(type(self), self.asks_comment, language)
        return {"key_id": key.key_id, "key": _spki(key.public_pem), "context": context} | shared

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.browser_sealed:
            self._clean_browser_box(cleaned)
        return cleaned

    def _clean_browser_box(self, cleaned: dict[str, Any]) -> None:
        """A post sealed in the browser. The withheld fields were checked there, before
        sealing; they are not here, and nothing sent readable in their place is kept. The
        box is checked as far as the server can without the private key."""
        for name in self.withheld(bool(cleaned.get("listed"))):
            self.errors.pop(name, None)
            cleaned[name] = ""
        smallest, largest = self.plaintext_limits()
        try:
            box = decode_box(str(self.data.get(BOX_FIELD, "")), largest)
            check_box(box, smallest, largest)
        except BoxError as exc:
            self.add_error(None, BOX_ERRORS[exc.reason])
        else:
            # Any active key of the petition, not only the newest: a key created between
            # loading the page and signing must not refuse the signer.
            key = active_key(str(self.data.get(KEY_FIELD, "")))
            if key is None:
                self.add_error(None, KEY_NOT_ACTIVE)
            else:
                self.browser_box = BrowserBox(box, key)
        if self.errors:
            self.browser_box = None
            self.add_error(None, SEALED_NOT_SHOWN)

    def signer_data(self) -> SignerData:
        d = self.cleaned_data
        return SignerData(
            kind=self.kind,
            name=d["name"],
            email=d["email"],
            country=d["country"],
            comment=d.get("comment", ""),
            website=d.get("website", ""),
            contact_name=d.get("contact_name", ""),
            listed=d.get("listed", False),
            newsletter=d.get("newsletter", False),
        )


class IndividualSignForm(BaseSignForm):
    kind = Signature.Kind.INDIVIDUAL
    field_order = ["name", "email", "country", "comment", "listed", "newsletter"]
    # The name is published if its signer asks to be listed: it is in the box either way.
    sealed_only = ("name", "comment")
    published_when_listed = ("name",)

    name = forms.CharField(
        label=_("Full name"),
        max_length=120,
        validators=[no_control_characters],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    listed = forms.BooleanField(
        label=_("Show my name in the public list of signatories (optional)"), required=False
    )


class OrganisationSignForm(BaseSignForm):
    kind = Signature.Kind.ORGANISATION
    field_order = ["name", "website", "country", "contact_name", "email", "comment", "newsletter"]
    # An organisation's name and website are published once it is approved: they travel
    # readable. The person behind it and the comment do not.
    sealed_only = ("contact_name", "comment")

    name = forms.CharField(
        label=_("Organisation name"),
        max_length=200,
        validators=[no_control_characters],
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    website = forms.URLField(
        label=_("Website"),
        max_length=200,
        assume_scheme="https",
        validators=[no_control_characters],
    )
    email = EmailAddressField(label=_("Contact email"))
    contact_name = forms.CharField(
        label=_("Contact person (optional)"),
        required=False,
        max_length=120,
        validators=[no_control_characters],
    )


class EmptyForm(forms.Form):
    """For the confirm and withdraw buttons: only the CSRF token travels."""
