"""The public report form: a device, a deployment, or a re-check of a device on the map."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from reclaim.atlas.models import Device, Photo, Report
from reclaim.atlas.services import reports as services
from reclaim.lib.forms import AccessibleFormMixin, EmailAddressField
from reclaim.lib.images import ACCEPT
from reclaim.lib.text import no_control_characters, no_control_characters_in_text

DESCRIPTION_MAX = 4000
PLACE_MAX = 300
CITY_MAX = 120
# "-179.1234567" and a little room; anything longer is not a coordinate.
COORDINATE_MAX = 24


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to ``MAX_PHOTOS`` files from one input (a browser lets a person pick several)."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(PhotosField, self).clean(item, initial) for item in files if item]


def _coordinate(value: str, low: float, high: float, message: Any) -> float | None:
    text = value.strip().replace(",", ".").replace("\u2212", "-")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise ValidationError(message, code="invalid") from None
    if not math.isfinite(number) or not low <= number <= high:
        raise ValidationError(message, code="out_of_range")
    return round(number, 7)


class ReportForm(AccessibleFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you report?"),
        choices=[
            (Report.Kind.DEVICE.value, Report.Kind.DEVICE.label),
            (Report.Kind.DEPLOYMENT.value, Report.Kind.DEPLOYMENT.label),
        ],
        initial=Report.Kind.DEVICE.value,
        widget=forms.RadioSelect,
    )
    found = forms.ChoiceField(
        label=_("Is it still there?"),
        choices=Report.Found.choices,
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label=_("What did you see?"),
        max_length=DESCRIPTION_MAX,
        validators=[no_control_characters_in_text],
        help_text=_(
            "The camera or sign, where it points, who runs it if you know. Please leave out"
            " anything about yourself or other people."
        ),
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
    )
    latitude = forms.CharField(
        label=_("Latitude"),
        required=False,
        max_length=COORDINATE_MAX,
        help_text=_("Decimal degrees, for example 44.8125 (from −90 to 90)."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    longitude = forms.CharField(
        label=_("Longitude"),
        required=False,
        max_length=COORDINATE_MAX,
        help_text=_("Decimal degrees, for example 20.4612 (from −180 to 180)."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    place = forms.CharField(
        label=_("The place in words"),
        required=False,
        max_length=PLACE_MAX,
        validators=[no_control_characters],
        help_text=_("A street and number, a crossing, a station's entrance…"),
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    city = forms.CharField(
        label=_("City or area"),
        required=False,
        max_length=CITY_MAX,
        validators=[no_control_characters],
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    seen_on = forms.DateField(
        label=_("When did you see it?"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The day, as year-month-day, for example 2025-03-14."),
    )
    photos = PhotosField(
        label=_("Photos (optional)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
    )
    contact = EmailAddressField(
        label=_("Email address for questions about your report (optional)"),
        required=False,
    )

    # The fields of the place, not asked on a re-check (the device has its place).
    PLACE_FIELDS = ("latitude", "longitude", "place", "city")

    def __init__(
        self, *args: Any, device: Device | None = None, today: date | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.device = device
        self.photo_objects: list[Photo] = []
        self.fields["seen_on"].initial = today or timezone.localdate()
        self.fields["description"].validators.append(MaxLengthValidator(DESCRIPTION_MAX))
        self.fields["photos"].help_text = _(
            "Up to %(count)s photos, PNG, JPEG, GIF or WebP, each at most %(size)s MB. We"
            " draw each photo again and keep no information from the file: not where or"
            " when it was taken, nor with which camera."
        ) % {
            "count": services.MAX_PHOTOS,
            "size": round(services.photo_max_bytes() / (1024 * 1024), 1),
        }
        self.fields["contact"].help_text = _(
            "Only if we may ask you about your report. We send one mail to confirm; an"
            " address not confirmed is deleted within %(days)s days. It is never published"
            " nor shown to anyone but the reviewers, and it is deleted on %(date)s."
        ) % {
            "days": services.confirmation_window().days,
            "date": date_format(services.contact_deletion_date(today), "DATE_FORMAT"),
        }
        if device is not None:
            del self.fields["kind"]
            for name in self.PLACE_FIELDS:
                del self.fields[name]
            description = self.fields["description"]
            description.required = False
            description.label = _("What did you see? (optional)")
            description.help_text = _(
                "For example what has changed. Please leave out anything about yourself or"
                " other people."
            )
        else:
            del self.fields["found"]

    @property
    def is_recheck(self) -> bool:
        return self.device is not None

    def clean_description(self) -> str:
        text = str(self.cleaned_data.get("description") or "").strip()
        if not text and not self.is_recheck:
            raise ValidationError(_("Please say what you saw."), code="required")
        return text

    def clean_place(self) -> str:
        return str(self.cleaned_data.get("place") or "").strip()

    def clean_city(self) -> str:
        return str(self.cleaned_data.get("city") or "").strip()

    def clean_latitude(self) -> float | None:
        return _coordinate(
            str(self.cleaned_data.get("latitude") or ""),
            -90.0,
            90.0,
            _("The latitude is a number from −90 to 90, for example 44.8125."),
        )

    def clean_longitude(self) -> float | None:
        return _coordinate(
            str(self.cleaned_data.get("longitude") or ""),
            -180.0,
            180.0,
            _("The longitude is a number from −180 to 180, for example 20.4612."),
        )

    def clean_seen_on(self) -> date:
        seen_on: date = self.cleaned_data["seen_on"]
        if seen_on > services.latest_date_seen():
            raise ValidationError(_("The date cannot be in the future."), code="future")
        if seen_on.year < 1990:
            raise ValidationError(_("Please check the year."), code="too_old")
        return seen_on

    def clean_photos(self) -> list[Any]:
        files = list(self.cleaned_data.get("photos") or [])
        if len(files) > services.MAX_PHOTOS:
            raise ValidationError(
                _("Please choose at most %(count)s photos.") % {"count": services.MAX_PHOTOS},
                code="too_many",
            )
        photos, errors = [], []
        for number, uploaded in enumerate(files, start=1):
            try:
                photos.append(services.process_photo(uploaded))
            except ValidationError as error:
                for message in error.messages:
                    errors.append(
                        ValidationError(
                            _("Photo %(number)s: %(error)s") % {"number": number, "error": message},
                            code=error.code or "invalid",
                        )
                    )
        if errors:
            raise ValidationError(errors)
        self.photo_objects = photos
        return files

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.is_recheck:
            return data
        latitude, longitude = data.get("latitude"), data.get("longitude")
        coordinates_failed = "latitude" in self.errors or "longitude" in self.errors
        if not coordinates_failed and (latitude is None) != (longitude is None):
            missing = "longitude" if longitude is None else "latitude"
            self.add_error(
                missing,
                ValidationError(
                    _("Please give both the latitude and the longitude, or neither."),
                    code="incomplete",
                ),
            )
        elif not coordinates_failed and latitude is None and not data.get("place"):
            if "place" not in self.errors:
                self.add_error(
                    "place",
                    ValidationError(
                        _(
                            "Please say where it is: pick the place on the map, type its"
                            " coordinates, or describe it in words."
                        ),
                        code="no_place",
                    ),
                )
        return data

    def report_data(self) -> services.ReportData:
        data = self.cleaned_data
        if self.is_recheck:
            return services.ReportData(
                kind=Report.Kind.RECHECK,
                device=self.device,
                found=data["found"],
                seen_on=data["seen_on"],
                description=data.get("description", ""),
                contact=data.get("contact") or "",
            )
        return services.ReportData(
            kind=data["kind"],
            seen_on=data["seen_on"],
            description=data["description"],
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            place=data.get("place", ""),
            city=data.get("city", ""),
            contact=data.get("contact") or "",
        )


class EmptyForm(forms.Form):
    """A form with no fields: a button that POSTs."""
