from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "reclaim.accounts"
    verbose_name = _("Staff accounts")

    def ready(self) -> None:
        from reclaim.accounts.roles import sync_roles

        post_migrate.connect(sync_roles, dispatch_uid="reclaim.accounts.sync_roles")
