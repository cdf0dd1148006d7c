from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "reclaim.api"
    verbose_name = _("Public API")

    def ready(self) -> None:
        from reclaim.api.routers import ROUTERS

        # Every app's routers, read at start-up: an api.py that fails to import stops the
        # site here instead of hiding until the first request to the API.
        ROUTERS.declared()
