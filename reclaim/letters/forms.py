from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from reclaim.letters.models import Signature
from reclaim.letters.services import SignerData
from reclaim.lib.forms import AccessibleFormMixin, EmailAddressField, FastSelect
from reclaim.lib.text import no_control_characters, no_control_characters_in_text


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


class BaseSignForm(AccessibleFormMixin, forms.Form):
    kind: str = ""

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
        label=_("Send me news about this campaign (optional)"), required=False
    )

    def __init__(self, *args: Any, asks_comment: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not asks_comment:
            del self.fields["comment"]

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
