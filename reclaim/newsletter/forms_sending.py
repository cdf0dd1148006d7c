"""The forms of the staff pages that write and send issues."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from reclaim.lib.forms import AccessibleFormMixin
from reclaim.lib.text import no_control_characters, no_control_characters_in_text
from reclaim.newsletter.models import MailingList


class IssueForm(AccessibleFormMixin, forms.Form):
    mailing_list = forms.ModelChoiceField(
        label=_("List"), queryset=MailingList.objects.order_by("name"), empty_label=None
    )
    subject = forms.CharField(
        label=_("Subject"), max_length=200, validators=[no_control_characters]
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 20}),
        validators=[no_control_characters_in_text],
        help_text=_(
            "Markdown: **bold**, *italic*, [a link](https://example.org), ## a heading, "
            "- a list. Images only from this site."
        ),
    )


class SendForm(AccessibleFormMixin, forms.Form):
    """Now, or at a time given in UTC (said on the label: staff work across time zones)."""

    WHEN_CHOICES = [("now", pgettext_lazy("send", "Now")), ("at", _("At a set time"))]

    when = forms.ChoiceField(
        label=_("When"), choices=WHEN_CHOICES, widget=forms.RadioSelect, initial="now"
    )
    send_at = forms.DateTimeField(
        label=_("Date and time (UTC)"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Coordinated Universal Time, for example 2026-05-09T08:00."),
    )
    # Set by the confirmation page's button: the first POST only shows the confirmation.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("when") == "at":
            send_at = data.get("send_at")
            if send_at is None:
                self.add_error("send_at", _("Give the date and time to send at."))
            else:
                # The field gives a time in the site's zone (UTC); say so explicitly.
                data["send_at"] = send_at.replace(tzinfo=UTC) if send_at.tzinfo is None else send_at
                if data["send_at"] <= datetime.now(UTC):
                    self.add_error("send_at", _("Choose a time in the future."))
        return data
