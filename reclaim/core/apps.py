from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "reclaim.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from reclaim.core import checks  # noqa: F401  (registers the hook checks)
        from reclaim.core.hooks import (
            FOOTER_LINKS,
            JOBS,
            LINKS,
            POLICIES,
            SECTIONS,
            STAFF_LINKS,
        )

        # Read every app's declarations now: a hook module that fails to import stops the
        # site at start-up rather than on the first job run or page view.
        for hook in (JOBS, POLICIES, LINKS, FOOTER_LINKS, SECTIONS, STAFF_LINKS):
            hook.declared()
