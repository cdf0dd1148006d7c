from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "reclaim.demo"
    verbose_name = _("Demo")

    def ready(self) -> None:
        from reclaim.demo.steps import STEPS

        STEPS.declared()  # every app's demo content, read at start-up
