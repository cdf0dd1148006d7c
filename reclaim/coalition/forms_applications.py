"""The forms of applications to join: the public form, and the organisers' vetting forms."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import SetPasswordForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from reclaim.coalition.models import Application, Organisation, Principles
from reclaim.coalition.services.applications import ApplicationData
from reclaim.lib.forms import AccessibleFormMixin, EmailAddressField, FastSelect
from reclaim.lib.text import no_control_characters, no_control_characters_in_text


@lru_cache(maxsize=32)
def _country_choices_in(language: str) -> tuple[tuple[str, str], ...]:
    """ "International" first, then the countries sorted by their names in ``language``
    (the active one, passed as the cache key)."""
    with translation.override(language):
        return (("", str(_("International (no single country)"))),) + tuple(
            (code, str(name)) for code, name in countries
        )


def _country_choices() -> list[tuple[str, str]]:
    return list(_country_choices_in(translation.get_language() or settings.LANGUAGE_CODE))


class CountryOrInternationalField(forms.ChoiceField):
    """A country, or empty for an organisation that works internationally. A posted code
    is checked against the code table, without building the translated list."""

    def valid_value(self, value: Any) -> bool:
        return str(value) in countries


class ApplicationForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Name of the organisation"),
        max_length=200,
        validators=[no_control_characters],
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    country = CountryOrInternationalField(
        label=_("Country"),
        required=False,
        choices=_country_choices,
        widget=FastSelect,
        help_text=_("Choose “International” if the organisation works in several countries."),
    )
    kind = forms.ChoiceField(label=_("Kind of organisation"), choices=Organisation.Kind.choices)
    website = forms.URLField(
        label=_("Website (optional)"),
        required=False,
        max_length=300,
        assume_scheme="https",
        validators=[no_control_characters],
    )
    description = forms.CharField(
        label=_("What the organisation does"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[no_control_characters_in_text],
        help_text=_("Shown in the coalition's directory if the organisation is accepted."),
    )
    motivation = forms.CharField(
        label=_("Why the organisation wants to join"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[no_control_characters_in_text],
        help_text=_("Only the organisers read this."),
    )
    contact_name = forms.CharField(
        label=_("Contact person"),
        max_length=200,
        validators=[no_control_characters],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_email = EmailAddressField(label=_("Contact email address"))
    # The version shown on the page: if organisers publish a new one meanwhile, the
    # applicant must read it before agreeing.
    principles_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    agree = forms.BooleanField(
        label=_("The organisation agrees to the coalition's principles as shown above."),
        error_messages={
            "required": _("The coalition accepts only organisations that agree to its principles.")
        },
    )

    def __init__(self, *args: Any, principles: Principles, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.principles = principles
        self.fields["principles_version"].initial = principles.version

    def clean_principles_version(self) -> int:
        version = self.cleaned_data["principles_version"]
        if version != self.principles.version:
            raise forms.ValidationError(
                _(
                    "The principles have changed since you opened this page. Please read the"
                    " new version and agree to it again."
                ),
                code="principles_changed",
            )
        return int(version)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # The hidden field's error has no visible field to sit by: show it on top.
        if "principles_version" in self.errors:
            for error in self.errors.pop("principles_version"):
                self.add_error(None, error)
            # Shown again with the new version, and the agreement to the old one unticked.
            data: dict[str, Any] = dict(self.data.items())
            data["principles_version"] = str(self.principles.version)
            data.pop("agree", None)
            self.data = data
        return cleaned

    def application_data(self) -> ApplicationData:
        d = self.cleaned_data
        return ApplicationData(
            name=d["name"],
            country=d["country"],
            kind=d["kind"],
            website=d["website"],
            description=d["description"],
            motivation=d["motivation"],
            contact_name=d["contact_name"],
            contact_email=d["contact_email"],
        )


class EmptyForm(forms.Form):
    """For buttons whose only input is the button itself."""


STATE_CHOICES = [("", _("All states"))] + [
    (value, label) for value, label in Application.State.choices
]


class StateFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=STATE_CHOICES, required=False)


class TransitionForm(AccessibleFormMixin, forms.Form):
    """One organiser's step: the state to move to and, for the applicant, a message (the
    question when more information is asked, the optional reason of a decline)."""

    state = forms.ChoiceField(choices=Application.State.choices, widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("Message to the applicant"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[no_control_characters_in_text],
    )
    tier = forms.ChoiceField(
        label=_("Tier"),
        choices=Organisation.Tier.choices,
        initial=Organisation.Tier.PARTNER,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        state = cleaned.get("state")
        if state == Application.State.MORE_INFORMATION and not cleaned.get("message", "").strip():
            self.add_error("message", _("Write the question the applicant should answer."))
        if state == Application.State.ACCEPTED and not cleaned.get("tier"):
            cleaned["tier"] = Organisation.Tier.PARTNER
        return cleaned


class NoteForm(AccessibleFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[no_control_characters_in_text],
        help_text=_("Only organisers see notes. They are never sent to the applicant."),
    )


class PrinciplesForm(AccessibleFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Text of the principles"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 14}),
        validators=[no_control_characters_in_text],
        help_text=_(
            "Saving publishes a new version. Applicants agree to the version shown to them;"
            " earlier applications keep the version they agreed to. Separate paragraphs"
            " with a blank line."
        ),
    )


class InvitationPasswordForm(AccessibleFormMixin, SetPasswordForm):  # type: ignore[misc]
    """Django's set-password form, with accessible errors."""
