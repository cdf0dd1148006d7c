from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "reclaim.privacy"
    verbose_name = _("Data-subject requests")

    def ready(self) -> None:
        # Registers the access mail's builder and the record finders of the apps.
        from reclaim.privacy import finders, mails  # noqa: F401
