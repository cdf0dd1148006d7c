"""The reviewers' forms: accepting a report (with the fields the reviewer checked),
rejecting it, voting on a record, and the organisers' official confirmation and withdrawal.

The record fields come from the models (``fields_for_model``), so their labels, choices
and ranges are the models' own.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reclaim.atlas.models import Deployment, Device, Evidence, Report, Vote
from reclaim.lib.forms import AccessibleFormMixin
from reclaim.lib.text import no_control_characters, no_control_characters_in_text

NOTE_MAX = 2000

DEVICE_FORM_FIELDS = [
    "latitude",
    "longitude",
    "deployment",
    "city",
    "place",
    "watches",
    "mount",
    "camera_type",
    "direction",
    "model",
    "first_seen",
]
DEPLOYMENT_FORM_FIELDS = [
    "name",
    "country",
    "city",
    "operator",
    "system",
    "vendor",
    "status",
    "description",
    "latitude",
    "longitude",
]
RECHECK_FORM_FIELDS = ["watches", "mount", "camera_type", "direction", "model"]


def _note(required: bool, label: Any, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=NOTE_MAX,
        help_text=help_text,
        validators=[no_control_characters_in_text],
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _text_fields_checked(form: forms.Form) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.Textarea):
            field.validators.append(no_control_characters)


class AcceptDeviceForm(AccessibleFormMixin, forms.Form):
    note = _note(False, _("Note for other reviewers (optional)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = forms.fields_for_model(Device, fields=DEVICE_FORM_FIELDS)
        # Required by now: a device is a point on the map.
        fields["latitude"].required = True
        fields["longitude"].required = True
        fields["latitude"].widget.attrs.update(step="any", inputmode="decimal")
        fields["longitude"].widget.attrs.update(step="any", inputmode="decimal")
        fields["first_seen"].required = False
        fields["first_seen"].widget = forms.DateInput(attrs={"type": "date"})
        fields["first_seen"].help_text = _("Leave empty for the day of the report.")
        self.fields = {**fields, "note": self.fields["note"]}
        _text_fields_checked(self)


class AcceptDeploymentForm(AccessibleFormMixin, forms.Form):
    existing = forms.ModelChoiceField(
        label=_("Add to a deployment we have"),
        queryset=Deployment.objects.all(),
        required=False,
        help_text=_(
            "Choose one if the report is about a deployment already in the atlas;"
            " leave the fields below empty then."
        ),
    )
    note = _note(False, _("Note for other reviewers (optional)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = forms.fields_for_model(Deployment, fields=DEPLOYMENT_FORM_FIELDS)
        for field in fields.values():
            field.required = False
        for name in ("latitude", "longitude"):
            fields[name].widget.attrs.update(step="any", inputmode="decimal")
        self.fields = {
            "existing": self.fields["existing"],
            **fields,
            "note": self.fields["note"],
        }
        _text_fields_checked(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("existing") is None:
            if not str(data.get("name") or "").strip():
                self.add_error("name", _("Give the new deployment a name."))
            if not data.get("country"):
                self.add_error("country", _("Give the new deployment's country."))
        return data

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        if data.get("existing") is not None:
            return {"deployment": data["existing"]}
        return {
            name: data[name] for name in DEPLOYMENT_FORM_FIELDS if data.get(name) not in (None, "")
        }


class AcceptRecheckForm(AccessibleFormMixin, forms.Form):
    found = forms.ChoiceField(
        label=_("What the re-check found"),
        choices=Report.Found.choices,
        widget=forms.RadioSelect,
    )
    note = _note(
        False,
        _("Note for organisers"),
        _("What changed, if anything: it is kept with the decision."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = forms.fields_for_model(Device, fields=RECHECK_FORM_FIELDS)
        self.fields = {"found": self.fields["found"], **fields, "note": self.fields["note"]}
        _text_fields_checked(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("found") == Report.Found.CHANGED and not str(data.get("note") or "").strip():
            self.add_error("note", _("Say what changed."))
        return data


class RejectForm(AccessibleFormMixin, forms.Form):
    reject_note = _note(True, _("Why it is rejected"))


class VoteForm(AccessibleFormMixin, forms.Form):
    verdict = forms.ChoiceField(
        label=_("Your verdict"), choices=Vote.Verdict.choices, widget=forms.RadioSelect
    )
    vote_note = _note(False, _("Your note (optional)"))


class ConfirmForm(AccessibleFormMixin, forms.Form):
    evidence = forms.ModelChoiceField(
        label=_("The official source"),
        queryset=Evidence.objects.none(),
        help_text=_(
            "An answer to an FOI request, an official statement or a procurement"
            " record attached to this record."
        ),
    )

    def __init__(self, *args: Any, evidence: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["evidence"]
        assert isinstance(field, forms.ModelChoiceField)
        if evidence is not None:
            field.queryset = evidence


class WithdrawForm(AccessibleFormMixin, forms.Form):
    withdraw_note = _note(True, _("Why it is withdrawn"))
