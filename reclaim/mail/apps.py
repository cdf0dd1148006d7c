from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    name = "reclaim.mail"
    verbose_name = _("Mail")

    def ready(self) -> None:
        from reclaim.mail.builders import MAILS

        MAILS.declared()  # every app's kinds of mail, read at start-up
