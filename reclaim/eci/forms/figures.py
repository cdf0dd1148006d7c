"""Forms for the figures organisers enter by hand, typed in or uploaded as CSV."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from reclaim.eci import rules
from reclaim.eci.models import MAX_COUNT, CounterReading
from reclaim.eci.sync import parsing
from reclaim.lib.forms import AccessibleFormMixin

# A header and 27 lines of figures fit in a few hundred bytes; this leaves room for a
# spreadsheet's quoting and padding. (Today the site's own request limit,
# DATA_UPLOAD_MAX_MEMORY_SIZE, refuses such a post first; this holds if it is raised.)
MAX_UPLOAD_BYTES = 64 * 1024


class FiguresForm(AccessibleFormMixin, forms.Form):
    """What both ways of entering figures ask: which counter, and as of when."""

    source = forms.ChoiceField(
        label=_("Which counter these figures come from"),
        choices=CounterReading.Source.choices,
        widget=forms.RadioSelect,
    )
    reported_at = forms.DateField(
        label=_("Figures as of (optional)"),
        required=False,
        help_text=_("The day the Commission's figures refer to, if you know it."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def figures(self) -> dict[str, int]:
        raise NotImplementedError

    def as_of(self) -> datetime | None:
        return parsing.as_of(self.cleaned_data.get("reported_at"))


class ManualFiguresForm(FiguresForm):
    """One optional number per member state; a blank one is not recorded at all."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code in rules.load().codes():
            self.fields[self.field_name(code)] = forms.IntegerField(
                label=countries.name(code),
                required=False,
                min_value=0,
                max_value=MAX_COUNT,
            )

    @staticmethod
    def field_name(code: str) -> str:
        return f"count_{code}"

    def country_fields(self) -> list[forms.BoundField]:
        return [self[self.field_name(code)] for code in rules.load().codes()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not self._entered():
            raise ValidationError(
                _("Enter the figure of at least one member state."), code="no_figures"
            )
        return cleaned

    def _entered(self) -> dict[str, int]:
        return {
            code: value
            for code in rules.load().codes()
            if (value := self.cleaned_data.get(self.field_name(code))) is not None
        }

    def figures(self) -> dict[str, int]:
        return self._entered()


class UploadFiguresForm(FiguresForm):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "First line “country,count”, then one line per member state, such as “DE,1234”. "
            "Use two-letter codes (EL or GR for Greece). At most 64 KB."
        ),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 64 KB."), code="too_large")
        try:
            text = upload.read(MAX_UPLOAD_BYTES + 1).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(
                _("The file is not plain text in UTF-8. Save it as “CSV UTF-8” and try again."),
                code="encoding",
            ) from exc
        self._figures = parsing.parse_figures_csv(text)
        return upload

    def figures(self) -> dict[str, int]:
        return self._figures
