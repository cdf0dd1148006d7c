from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "reclaim.privacy"
    verbose_name = _("Data protection")

    def ready(self) -> None:
        from reclaim.privacy import checks  # noqa: F401  (registers the deploy checks)
        from reclaim.privacy.registry import FINDERS

        FINDERS.declared()  # every app's finders, read at start-up
