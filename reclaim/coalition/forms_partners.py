"""Partners' profile form, and organisers' decision on a change."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from reclaim.coalition.models import Organisation
from reclaim.coalition.services.logos import process_logo
from reclaim.coalition.services.profile_changes import FIELDS, MAX_REASON
from reclaim.lib.forms import AccessibleFormMixin, FastSelect


def _country_choices() -> list[tuple[str, Any]]:
    return [("", _("International (no one country)")), *countries]


class ProfileForm(AccessibleFormMixin, forms.Form):
    """The organisation's profile as its partner proposes it. The organisation is never a
    field: it comes from the partner's own account (``access_partners``)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    website = forms.URLField(
        label=_("Website"), max_length=300, required=False, assume_scheme="https"
    )
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        help_text=_("Leave empty for an international organisation."),
        widget=FastSelect,
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Organisation.Kind.choices)
    logo = forms.FileField(
        label=_("New logo"),
        required=False,
        help_text=_("PNG, JPEG, GIF or WebP, up to 2 MB. Leave empty to keep the current logo."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _country_choices()  # type: ignore[attr-defined]
        for code, name in settings.LANGUAGES:
            self.fields[f"description_{code}"] = forms.CharField(
                label=_("Description in %(language)s") % {"language": name},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 5, "lang": code}),
                help_text=_("Up to 2000 characters. Leave empty to have none in this language."),
            )
        # Logo last, after the descriptions.
        self.fields["logo"] = self.fields.pop("logo")
        self.processed_logo: tuple[bytes, str] | None = None

    def clean_logo(self) -> Any:
        uploaded = self.cleaned_data.get("logo")
        if uploaded:
            # Decoded and drawn again here: the uploaded bytes are never kept.
            self.processed_logo = process_logo(uploaded)
        return uploaded

    def values(self) -> dict[str, Any]:
        """The proposal as ``services.profile_changes.propose_change`` takes it."""
        data = self.cleaned_data
        values: dict[str, Any] = {name: data.get(name) or "" for name in FIELDS}
        values["descriptions"] = {
            code: data.get(f"description_{code}", "").strip() for code, _n in settings.LANGUAGES
        }
        return values

    @classmethod
    def initial_for(cls, current: dict[str, Any]) -> dict[str, Any]:
        initial = {name: current.get(name, "") for name in FIELDS}
        for code, text in current.get("descriptions", {}).items():
            initial[f"description_{code}"] = text
        return initial


class RejectForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=MAX_REASON,
        help_text=_("The partner's staff get it by mail. Say what would make it acceptable."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say why the change is rejected.")},
    )
