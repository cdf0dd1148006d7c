"""A partner's side of the coalition in `reclaim demo`: a partner account for one lead
organisation (its password new on every run and printed, like the staff's), its widgets,
and some signatures made through its petition widget, so that the partner area has counts
to show. The signatures go through the signing service with the widget's key, as a widget
does; their confirmation mails are taken out of the outbox in the same transaction (the
demo sends no mail to invented people).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from reclaim.coalition.models import Organisation, Partner, Widget
from reclaim.coalition.services.partners import make_partner_account
from reclaim.coalition.services.widgets import ensure_widgets
from reclaim.demo.facts import member_states
from reclaim.demo.steps import ACTOR, DemoContext, Report, mail_withheld
from reclaim.letters import services as letters
from reclaim.letters.counting import aggregate_counts
from reclaim.letters.models import Signature

PARTNER_USERNAME = "partner"
ORGANISATION = "European Digital Rights (EDRi)"
# (country, how many) signed through the partner's petition widget.
THROUGH_WIDGET = [("BE", 9), ("DE", 6), ("FR", 4), ("NL", 3), ("AT", 2)]


def partner(context: DemoContext) -> Report:
    report = Report("Partner account (new password on every run)")
    organisation = Organisation.objects.filter(name=ORGANISATION).first()
    if organisation is None:
        report.warnings.append(f"{ORGANISATION} is not in the directory: no partner account.")
        return report
    made = ensure_widgets(organisation, ACTOR)
    link = Partner.objects.filter(user__username=PARTNER_USERNAME).select_related("user").first()
    if link is None:
        user = make_partner_account(
            organisation,
            "partner@edri.example.org",
            ACTOR,
            language="en",
            username=PARTNER_USERNAME,
        )
    else:
        user = link.user
    password = secrets.token_urlsafe(12)
    user.set_password(password)
    user.save(update_fields=["password"])
    report.add(f"Sign in: {settings.BASE_URL}/en/admin/login/?next=/en/coalition/partner/")
    report.add(f"{PARTNER_USERNAME:10} {password}   (partner of {organisation.name})")
    report.add(f"{len(made)} widgets made now, {organisation.widgets.count()} in all.")
    widget = (
        organisation.widgets.filter(target=Widget.Target.PETITION, retired_at__isnull=True)
        .select_related("petition")
        .first()
    )
    if widget is not None and widget.petition is not None:
        signed = _sign_through(widget)
        if signed:
            report.add(f"{signed} signatures made through its widget for “{widget.petition}”.")
    return report


def _sign_through(widget: Widget) -> int:
    if Signature.objects.filter(widget_key=widget.key).exists():
        return 0
    petition = widget.petition
    assert petition is not None
    signed = 0
    # Each signer in the language of their country, as the demo's other signers.
    language = {state.iso: state.site_language for state in member_states()}
    with mail_withheld():
        for country, count in THROUGH_WIDGET:
            for n in range(count):
                data = letters.SignerData(
                    Signature.Kind.INDIVIDUAL,
                    f"Widget Signer {country}{n}",
                    f"widget-{country.lower()}-{n}@example.org",
                    country,
                )
                signature = letters.sign_petition(
                    petition, data, language.get(country, "en"), widget_key=widget.key
                )
                if signature is not None and letters.confirm_signature(signature):
                    signed += 1
    # Spread over the past weeks, so the partner's weekly counts have a shape.
    for offset, signature in enumerate(Signature.objects.filter(widget_key=widget.key)):
        moment = timezone.now() - timedelta(days=3 * offset)
        Signature.objects.filter(pk=signature.pk).update(created_at=moment, confirmed_at=moment)
    aggregate_counts([petition.pk])  # the public counts include them at once
    return signed
