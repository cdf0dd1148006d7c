"""The eligibility checker's form: nationality and age, read from the query string."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reclaim.eci import rules
from reclaim.eci.eligibility import NOT_EU
from reclaim.lib.forms import AccessibleFormMixin


def _nationalities() -> list[tuple[str, Any]]:
    from django_countries import countries

    names = dict(countries)
    choices: list[tuple[str, Any]] = [("", _("Choose your nationality"))]
    choices += sorted(
        ((code, names.get(code, code)) for code in rules.load().codes()), key=lambda c: str(c[1])
    )
    choices.append((NOT_EU, _("Another nationality (not an EU citizen)")))
    return choices


class EligibilityForm(AccessibleFormMixin, forms.Form):
    """Read from the query string; nothing is stored and no cookie is set."""

    nationality = forms.ChoiceField(
        label=_("Your nationality"),
        choices=_nationalities,
        help_text=_("If you hold two EU nationalities, choose either: you may support once."),
    )
    age = forms.IntegerField(
        label=_("Your age in years"), required=False, min_value=0, max_value=130
    )
    birth_date = forms.DateField(
        label=_("Or your date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Format: YYYY-MM-DD. You only need one of age or date of birth."),
    )

    def clean_birth_date(self) -> date | None:
        value = self.cleaned_data.get("birth_date")
        if value and (value > date.today() or value.year < 1890):
            raise forms.ValidationError(_("Enter a real date of birth."), code="invalid")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("nationality") and data.get("nationality") != NOT_EU:
            if data.get("age") is None and data.get("birth_date") is None:
                if "age" not in self.errors and "birth_date" not in self.errors:
                    self.add_error("age", _("Enter your age or your date of birth."))
        return data
