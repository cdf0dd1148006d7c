from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EciConfig(AppConfig):
    name = "reclaim.eci"
    verbose_name = _("European Citizens' Initiative")
