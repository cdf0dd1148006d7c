from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KeyringConfig(AppConfig):
    name = "reclaim.keyring"
    verbose_name = _("Keyring")
