"""The admin's form for an initiative: the model's checks, then the service's."""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.forms.models import construct_instance
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from reclaim.eci.deadlines import statements_destruction_date
from reclaim.eci.models import Initiative
from reclaim.eci.services.initiatives import check_initiative

REPRESENTATIVE_FIELDS = ("representative_name", "representative_email")


class InitiativeAdminForm(forms.ModelForm[Initiative]):
    """No Meta of its own: the admin builds it with every editable field of the model, so
    a field added later shows without touching this form."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Where the representative's details are entered, the day they go: for a saved
        # initiative, the date its saved dates give (reclaim.eci.retention erases them the
        # day after); a new one has only the model's general rule.
        if self.instance.pk is None or self.instance.registered_on is None:
            return
        day = formats.date_format(statements_destruction_date(self.instance), "DATE_FORMAT")
        help_text = _(
            "Printed on the paper forms. Erased after %(date)s, the last day to destroy the "
            "paper statements of support; the date moves if the initiative's dates change."
        ) % {"date": day}
        for name in REPRESENTATIVE_FIELDS:
            if name in self.fields:
                self.fields[name].help_text = help_text

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        # The service's checks on a copy holding the submitted values: their errors go on
        # the fields they name (a dict ValidationError), so save_initiative() never meets
        # them and nothing is saved while one remains.
        if not self.errors:
            check_initiative(construct_instance(self, copy.copy(self.instance)))
        return cleaned
