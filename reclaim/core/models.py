"""The words of the front page, per language, set by organisers in the admin."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# A page of this site ("/en/p/ban/") or a secure address elsewhere.
ACTION_URL = RegexValidator(
    r"^(/[^\s]*|https://[^\s]+)$",
    _("Enter an address on this site starting with /, or one starting with https://."),
)


class FrontPage(models.Model):
    """What the campaign is and what it asks, in one language. A language without its own
    text shows the site's default language's; without any, a neutral welcome."""

    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, unique=True
    )
    title = models.CharField(_("headline"), max_length=120)
    lead = models.CharField(
        _("lead"), max_length=300, help_text=_("One or two sentences under the headline.")
    )
    body = models.TextField(
        _("text"), blank=True, help_text=_("Paragraphs are separated by a blank line.")
    )
    action_label = models.CharField(_("call to action"), max_length=80, blank=True)
    action_url = models.CharField(
        _("call to action links to"), max_length=300, blank=True, validators=[ACTION_URL]
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["language"]
        verbose_name = _("front page")
        verbose_name_plural = _("front page, per language")

    def __str__(self) -> str:
        return f"{self.get_language_display()}: {self.title}"

    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]
