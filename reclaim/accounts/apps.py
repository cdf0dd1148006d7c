from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_migrate, pre_save
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "reclaim.accounts"
    verbose_name = _("Staff accounts")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from reclaim.accounts import checks  # noqa: F401  (registers the deploy checks)
        from reclaim.accounts.lockout import login_failed
        from reclaim.accounts.roles import sync_roles
        from reclaim.accounts.signals import groups_changed, signed_in, staff_flags_changed
        from reclaim.core.hooks import PERMISSIONS

        PERMISSIONS.declared()  # every app's grants, read at start-up
        user = get_user_model()
        post_migrate.connect(sync_roles, dispatch_uid="reclaim.accounts.sync_roles")
        m2m_changed.connect(
            groups_changed, sender=user.groups.through, dispatch_uid="reclaim.accounts.groups"
        )
        pre_save.connect(staff_flags_changed, sender=user, dispatch_uid="reclaim.accounts.flags")
        user_login_failed.connect(login_failed, dispatch_uid="reclaim.accounts.lockout")
        user_logged_in.connect(signed_in, dispatch_uid="reclaim.accounts.language")
