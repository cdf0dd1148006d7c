"""Deploy checks for the privacy notice: a public site names who answers for the data."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning, register
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

# Setting in RECLAIM, and the environment variable that sets it.
NOTICE = {
    "CONTROLLER_NAME": "RECLAIM_CONTROLLER_NAME",
    "CONTROLLER_ADDRESS": "RECLAIM_CONTROLLER_ADDRESS",
    "PRIVACY_CONTACT": "RECLAIM_PRIVACY_CONTACT",
}


@register(deploy=True)
def controller_is_named(**kwargs: Any) -> list[CheckMessage]:
    """GDPR Article 13(1)(a): when collecting personal data, give the identity and contact
    details of the controller. The privacy page shows these settings; unset, it cannot."""
    config = settings.RECLAIM
    missing = [variable for key, variable in NOTICE.items() if not config.get(key, "").strip()]
    warnings: list[CheckMessage] = []
    if missing:
        warnings.append(
            Warning(
                f"The privacy page does not name the data controller: {', '.join(missing)} "
                f"{'is' if len(missing) == 1 else 'are'} not set.",
                hint="Set the controller's name, postal address and a contact email address "
                "for data-protection questions (GDPR Article 13(1)(a)).",
                id="reclaim.privacy.W001",
            )
        )
    contact = config.get("PRIVACY_CONTACT", "").strip()
    if contact:
        try:
            validate_email(contact)
        except ValidationError:
            warnings.append(
                Warning(
                    f"RECLAIM_PRIVACY_CONTACT is not an email address: {contact!r}.",
                    hint="Give the address people write to about their data.",
                    id="reclaim.privacy.W002",
                )
            )
    return warnings
