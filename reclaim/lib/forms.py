"""Form helpers for accessible error reporting (WCAG 2.2: 3.3.1, 3.3.3, 4.1.2)."""

from __future__ import annotations

from django import forms


class AccessibleFormMixin(forms.Form):
    """Ties each field's errors and help text to it with aria-describedby/aria-invalid."""

    def full_clean(self) -> None:
        super().full_clean()
        for name, field in self.fields.items():
            bound = self[name]
            described = []
            if field.help_text:
                described.append(f"{bound.auto_id}_help")
            if name in self.errors:
                described.append(f"{bound.auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)
