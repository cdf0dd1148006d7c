"""Validators shared by every form that takes free text."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ALLOWED_IN_TEXT = {"\n", "\r", "\t"}

# Text-direction embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069). They
# are "format" characters (Cf), not control characters, but invisible and worse: one
# reverses how the rest of a name or an address is shown ("Trojan Source", CVE-2021-42574),
# so a listed name or website could read as something it is not. Other format characters
# (the zero-width joiner, the marks U+200E/U+200F) are left alone: some scripts need them.
_DIRECTION_CONTROLS = frozenset(
    [chr(code) for code in range(0x202A, 0x202F)] + [chr(code) for code in range(0x2066, 0x206A)]
)


def _has_control(value: str, allowed: set[str]) -> bool:
    return any(
        (unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") or ch in _DIRECTION_CONTROLS)
        and ch not in allowed
        for ch in value
    )


def no_control_characters(value: str) -> None:
    """Single-line fields: no control characters at all (line breaks included), and no
    text-direction overrides."""
    if _has_control(value, set()):
        raise ValidationError(
            _("This field contains invisible control characters. Please remove them."),
            code="control_characters",
        )


def no_control_characters_in_text(value: str) -> None:
    """Multi-line fields: line breaks and tabs are fine, other control characters and
    text-direction overrides are not."""
    if _has_control(value, _ALLOWED_IN_TEXT):
        raise ValidationError(
            _("This field contains invisible control characters. Please remove them."),
            code="control_characters",
        )
