from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "reclaim.letters"
    verbose_name = _("Petitions and letters")

    def ready(self) -> None:
        from reclaim.letters import mails  # noqa: F401  (registers the mail builders)
