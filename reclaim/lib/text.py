"""Validators shared by every form that takes free text."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ALLOWED_IN_TEXT = {"\n", "\r", "\t"}


def _has_control(value: str, allowed: set[str]) -> bool:
    return any(
        unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and ch not in allowed for ch in value
    )


def no_control_characters(value: str) -> None:
    """Single-line fields: no control characters at all (line breaks included)."""
    if _has_control(value, set()):
        raise ValidationError(
            _("This field contains invisible control characters. Please remove them."),
            code="control_characters",
        )


def no_control_characters_in_text(value: str) -> None:
    """Multi-line fields: line breaks and tabs are fine, other control characters are not."""
    if _has_control(value, _ALLOWED_IN_TEXT):
        raise ValidationError(
            _("This field contains invisible control characters. Please remove them."),
            code="control_characters",
        )
