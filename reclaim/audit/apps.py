from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "reclaim.audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from reclaim.audit.kinds import AUDIT_KINDS

        AUDIT_KINDS.declared()  # every app's kinds of entry, read at start-up
