from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from reclaim.accounts import lockout
from reclaim.accounts.access import enrollable_staff, is_account
from reclaim.lib.forms import AccessibleFormMixin

CODE = re.compile(r"[0-9]{6}")


class LockoutAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's sign-in form, saying so when the username is locked (not just "wrong").

    It is the one sign-in page of every account, so it lets in partners as well as staff
    (``access.is_account``): they go on to the same second factor, and then to their own
    area; the admin itself still opens to staff only (``AdminSite.has_permission``).
    """

    def confirm_login_allowed(self, user: Any) -> None:
        AuthenticationForm.confirm_login_allowed(self, user)
        if not is_account(user):
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )

    def get_invalid_login_error(self) -> ValidationError:
        username = self.cleaned_data.get("username")
        if username and lockout.is_locked(username):
            minutes = lockout.lock_seconds() // 60
            return ValidationError(
                ngettext(
                    "Too many failed attempts. Try again in %(minutes)d minute.",
                    "Too many failed attempts. Try again in %(minutes)d minutes.",
                    minutes,
                )
                % {"minutes": minutes},
                code="locked",
            )
        return super().get_invalid_login_error()


class TwoFactorForm(AccessibleFormMixin, forms.Form):
    token = forms.CharField(
        label=_("6-digit code"),
        help_text=_("The code your authenticator app shows for this site right now."),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "size": "8"}
        ),
    )

    def clean_token(self) -> str:
        token = re.sub(r"[\s-]", "", self.cleaned_data["token"])
        if not CODE.fullmatch(token):
            raise ValidationError(_("Enter the 6 digits your app shows, for example 123456."))
        return token

    def refuse(self, message: Any) -> None:
        """Mark the code wrong after the view checked it against the device, tied to the
        field as the mixin ties errors found while cleaning."""
        self.add_error("token", message)
        auto_id = self["token"].auto_id
        attrs = self.fields["token"].widget.attrs
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{auto_id}_help {auto_id}_error"


class IssueLinkForm(forms.Form):
    """The organiser's button next to a staff member: send them an enrolment link."""

    member = forms.ModelChoiceField(queryset=enrollable_staff())
