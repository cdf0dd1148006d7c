"""The admin's form for an initiative: the model's checks, then the service's."""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.forms.models import construct_instance

from reclaim.eci.models import Initiative
from reclaim.eci.services.initiatives import check_initiative


class InitiativeAdminForm(forms.ModelForm[Initiative]):
    """No Meta of its own: the admin builds it with every editable field of the model, so
    a field added later shows without touching this form."""

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        # The service's checks on a copy holding the submitted values: their errors go on
        # the fields they name (a dict ValidationError), so save_initiative() never meets
        # them and nothing is saved while one remains.
        if not self.errors:
            check_initiative(construct_instance(self, copy.copy(self.instance)))
        return cleaned
