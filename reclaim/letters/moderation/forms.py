from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from reclaim.letters.models import Petition
from reclaim.letters.moderation import invalidation
from reclaim.letters.moderation.invalidation import Rule
from reclaim.lib.forms import AccessibleFormMixin


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's date and time picker, to the second (alert windows are that exact)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"step": "1", **(attrs or {})}, format="%Y-%m-%dT%H:%M:%S")


def _country_choices() -> list[tuple[str, str]]:
    return [("", _("Any country"))] + [(code, name) for code, name in countries]


class RuleForm(AccessibleFormMixin, forms.Form):
    petition = forms.ModelChoiceField(
        label=_("Petition or letter"),
        queryset=Petition.objects.exclude(status=Petition.Status.DRAFT),
        required=False,
        empty_label=_("All petitions and letters"),
    )
    source = forms.CharField(
        label=_("Network sources"),
        required=False,
        max_length=400,
        help_text=_(
            "The hash prefixes shown in alerts, separated by spaces. Signatures from any of "
            "them match."
        ),
    )
    email_domain = forms.CharField(
        label=_("Email domain"),
        required=False,
        max_length=253,
        help_text=_(
            "The exact part after the @, such as example.org (subdomains are not included). "
            "It is compared as a keyed hash."
        ),
    )
    country = forms.ChoiceField(label=_("Country"), choices=_country_choices, required=False)
    created_from = forms.DateTimeField(
        label=_("Signed from"), required=False, widget=DateTimeLocalInput()
    )
    created_to = forms.DateTimeField(
        label=_("Signed before"), required=False, widget=DateTimeLocalInput()
    )
    include_confirmed = forms.BooleanField(
        label=_("Include confirmed signatures"),
        required=False,
        initial=True,
        help_text=_("Untick to invalidate only signatures that were never confirmed."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone = {"zone": settings.TIME_ZONE}
        self.fields["created_from"].help_text = gettext("Time zone: %(zone)s.") % zone
        self.fields["created_to"].help_text = gettext("Time zone: %(zone)s.") % zone

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            try:
                invalidation.validate(self.rule())
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned

    def rule(self) -> Rule:
        data = self.cleaned_data
        petition = data.get("petition")
        return Rule(
            petition_id=petition.pk if petition else None,
            email_domain=data.get("email_domain", ""),
            source=data.get("source", ""),
            country=data.get("country", ""),
            created_from=data.get("created_from"),
            created_to=data.get("created_to"),
            include_confirmed=bool(data.get("include_confirmed")),
        )


class RunForm(RuleForm):
    """The confirmation: the same rule, and the count the organiser saw and accepted."""

    expected_count = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class ResolveForm(forms.Form):
    alert = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
