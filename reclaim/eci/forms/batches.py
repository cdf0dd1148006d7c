"""The organisers' forms for paper batches: recording one, and moving it along."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reclaim.eci import rules
from reclaim.eci.models import PaperBatch
from reclaim.lib.forms import AccessibleFormMixin
from reclaim.lib.text import no_control_characters


def _member_states() -> list[tuple[str, Any]]:
    from django_countries import countries

    names = dict(countries)
    return [("", _("Choose"))] + sorted(
        ((iso, names.get(iso, iso)) for iso in rules.load().codes()), key=lambda c: str(c[1])
    )


class BatchForm(AccessibleFormMixin, forms.Form):
    """A batch as it arrives: who sent it, for which state, how much. No personal data."""

    reference = forms.SlugField(label=_("Reference"), max_length=40)
    partner = forms.CharField(
        label=_("Partner organisation"), max_length=200, validators=[no_control_characters]
    )
    country = forms.ChoiceField(label=_("Member state"), choices=_member_states)
    sheets = forms.IntegerField(label=_("Sheets"), min_value=1, max_value=100_000)
    statements = forms.IntegerField(label=_("Statements"), min_value=0, max_value=1_000_000)
    storage = forms.CharField(
        label=_("Where it is kept (optional)"),
        max_length=200,
        required=False,
        validators=[no_control_characters],
    )

    def clean_reference(self) -> str:
        reference = self.cleaned_data["reference"]
        if PaperBatch.objects.filter(reference=reference).exists():
            raise forms.ValidationError(_("A batch with this reference exists already."))
        return str(reference)


class AdvanceForm(AccessibleFormMixin, forms.Form):
    step = forms.ChoiceField(
        label=_("Step"),
        choices=[c for c in PaperBatch.Step.choices if c[0] != PaperBatch.Step.RECEIVED],
    )
    sent_means = forms.CharField(
        label=_("Sent by (for 'sent')"),
        max_length=200,
        required=False,
        validators=[no_control_characters],
    )
    valid_count = forms.IntegerField(
        label=_("Valid statements (for 'certificate received')"),
        required=False,
        min_value=0,
        max_value=1_000_000,
    )
