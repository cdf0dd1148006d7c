"""The newsletter's forms: subscribing, the buttons of mailed links, and the staff import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from reclaim.lib.forms import AccessibleFormMixin, EmailAddressField, FastSelect
from reclaim.newsletter.models import MailingList
from reclaim.newsletter.services.subscriptions import Subscriber

# An import larger than this is a job for the management command, not a web upload.
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def _country_choices() -> list[tuple[str, str]]:
    return [("", str(_("No country given")))] + [(code, str(name)) for code, name in countries]


class EmptyForm(forms.Form):
    """The button of a page opened from a mailed link: the POST is the consent."""


class SubscribeForm(AccessibleFormMixin, forms.Form):
    lists = forms.ModelMultipleChoiceField(
        label=_("Newsletters"),
        queryset=MailingList.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one newsletter.")},
    )
    email = EmailAddressField(label=_("Email address"))
    language = forms.ChoiceField(
        label=_("Language of the mails"), choices=settings.LANGUAGES, initial="en"
    )
    country = forms.ChoiceField(
        label=_("Country (optional)"),
        required=False,
        choices=_country_choices,
        widget=FastSelect,
        help_text=_("Only to count where subscribers live; it is never published alone."),
    )

    def __init__(
        self, *args: Any, mailing_lists: list[MailingList], fixed: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.mailing_lists = mailing_lists
        field = self.fields["lists"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = MailingList.objects.filter(pk__in=[m.pk for m in mailing_lists])
        # The order the page gives (its language first), not the queryset's.
        field.choices = [(m.pk, m.name) for m in mailing_lists]
        if fixed:
            # A list's own page: nothing to choose.
            field.widget = forms.MultipleHiddenInput()
            field.initial = [mailing_lists[0].pk]
        self.fields["language"].initial = translation.get_language() or settings.LANGUAGE_CODE

    def clean_country(self) -> str:
        value = str(self.cleaned_data.get("country") or "")
        if value and value not in countries:
            raise ValidationError(_("Choose a country from the list."))
        return value

    def subscriber(self) -> Subscriber:
        d = self.cleaned_data
        return Subscriber(email=d["email"], language=d["language"], country=d["country"])


class ImportForm(AccessibleFormMixin, forms.Form):
    mailing_list = forms.ModelChoiceField(
        label=_("Newsletter"), queryset=MailingList.objects.order_by("name")
    )
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "One address per line, with a header line naming the columns: email, and the"
            " date the person gave their consent (consent_date, as 2024-05-31)."
        ),
    )
    confirm = forms.BooleanField(
        label=_(
            "These people agreed to receive this newsletter. Each gets one mail asking them"
            " to confirm; nobody is subscribed until they do."
        )
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(_("The file is too large for an upload: use the command."))
        raw = upload.read()
        try:
            return str(raw.decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            raise ValidationError(_("The file is not UTF-8 text.")) from error
