from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "reclaim.newsletter"
    verbose_name = _("Newsletter")

    def ready(self) -> None:
        from reclaim.letters.signals import news_wanted

        # The signing form's "send me news" box becomes a pending subscription.
        news_wanted.connect(_news_wanted, dispatch_uid="newsletter.subscribe_from_signing")


def _news_wanted(sender: Any, **kwargs: Any) -> None:
    from reclaim.newsletter.services.subscriptions import subscribe_from_signing

    subscribe_from_signing(**kwargs)
