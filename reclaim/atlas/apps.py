from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AtlasConfig(AppConfig):
    name = "reclaim.atlas"
    verbose_name = _("Surveillance atlas")

    def ready(self) -> None:
        # The map's data version is replaced when a device, deployment or capability
        # changes (signals connected on import), in every process that writes.
        from reclaim.atlas.services import clusters  # noqa: F401
