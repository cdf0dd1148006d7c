"""The forms of readers' comments: the public comment form and the moderators' bulk form."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from reclaim.lib.forms import AccessibleFormMixin, EmailAddressField
from reclaim.lib.text import no_control_characters, no_control_characters_in_text
from reclaim.news.models import Comment
from reclaim.news.services.comments import ACTIONS, CommentData

NAME_MAX = 80
TEXT_MAX = 4000
TEXT_MIN = 2


class CommentForm(AccessibleFormMixin, forms.Form):
    display_name = forms.CharField(
        label=_("Name shown with your comment"),
        max_length=NAME_MAX,
        validators=[no_control_characters],
        help_text=_("Any name you like; it is published with your comment."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    text = forms.CharField(
        label=_("Your comment"),
        min_length=TEXT_MIN,
        max_length=TEXT_MAX,
        validators=[no_control_characters_in_text],
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    reply_email = EmailAddressField(
        label=_("Email address for reply notifications (optional)"),
        required=False,
    )

    def __init__(self, *args: Any, deletion_date: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The text's own limit, so the error names it rather than the database's.
        self.fields["text"].validators.append(MaxLengthValidator(TEXT_MAX))
        if deletion_date is not None:
            self.fields["reply_email"].help_text = _(
                "We send one mail to confirm. Once confirmed, you get a mail when someone"
                " else's comment is published here, at most one a day. The address is"
                " deleted on %(date)s."
            ) % {"date": date_format(deletion_date, "DATE_FORMAT")}

    def clean_display_name(self) -> str:
        name = str(self.cleaned_data["display_name"]).strip()
        if not name:
            raise forms.ValidationError(_("Please give a name to show."), code="required")
        return name

    def clean_text(self) -> str:
        text = str(self.cleaned_data["text"]).strip()
        if len(text) < TEXT_MIN:
            raise forms.ValidationError(_("Please write a comment."), code="too_short")
        return text

    def comment_data(self) -> CommentData:
        data = self.cleaned_data
        return CommentData(
            display_name=data["display_name"],
            text=data["text"],
            reply_email=data.get("reply_email") or "",
        )


class EmptyForm(forms.Form):
    """A form with no fields: a button that POSTs."""


class ModerationFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("Waiting first, then all"))] + list(Comment.State.choices),
    )
    article = forms.TypedChoiceField(
        label=_("Article"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, articles: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["article"])
        field.choices = [("", _("All articles")), *articles]


class ModerationForm(forms.Form):
    """A bulk action on the ticked comments, or one action on one comment (``one`` is
    "approve:12", from the row's own button)."""

    action = forms.ChoiceField(required=False, choices=[(a, a) for a in ACTIONS])
    one = forms.CharField(required=False, max_length=40)
    comments = forms.TypedMultipleChoiceField(required=False, coerce=int, choices=[])

    def __init__(self, *args: Any, ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["comments"])
        field.choices = [(pk, pk) for pk in ids]
        self.ids = ids

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        one = data.get("one") or ""
        if one:
            action, _sep, raw = one.partition(":")
            if action not in ACTIONS or not raw.isdigit() or int(raw) not in self.ids:
                raise forms.ValidationError(_("Choose an action."), code="invalid")
            data["action"], data["comments"] = action, [int(raw)]
            return data
        if not data.get("action"):
            raise forms.ValidationError(_("Choose an action."), code="invalid")
        if not data.get("comments"):
            raise forms.ValidationError(_("Tick at least one comment."), code="empty")
        return data
