from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from reclaim.lib.forms import AccessibleFormMixin, EmailAddressField


class AccessRequestForm(AccessibleFormMixin, forms.Form):
    email = EmailAddressField(
        label=_("Email address"),
        help_text=_("We send the link to your data to this address, and to no other."),
    )
