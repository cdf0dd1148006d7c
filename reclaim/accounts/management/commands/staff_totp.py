"""`reclaim staff_totp USERNAME`: a colleague's second factor, from the server's console.

By default it makes a ready authenticator-app device and prints its otpauth:// address, to
pass on privately (e.g. as a QR code). With ``--link`` it prints an enrolment link instead,
with which the colleague sets up their own app (reclaim.accounts.enrolment), so that the
secret never passes through anyone else's hands; ``--mail`` sends that link to their
address through the outbox, as the organisers' page does.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from reclaim.accounts import enrolment, services

ACTOR = "manage.py staff_totp"


class Command(BaseCommand):
    help = (
        "Create a confirmed TOTP device for a staff member and print its otpauth:// address,"
        " to pass on privately (e.g. as a QR code) to the colleague's authenticator app; or,"
        " with --link or --mail, issue a single-use enrolment link with which they set up"
        " their own."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the user's other devices first (a lost or replaced phone).",
        )
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--link",
            action="store_true",
            help="Print an enrolment link to hand over, instead of making a device.",
        )
        mode.add_argument(
            "--mail",
            action="store_true",
            help="Mail an enrolment link to the user's address, instead of making a device.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user_model = get_user_model()
        try:
            user = user_model.objects.get(**{user_model.USERNAME_FIELD: options["username"]})
        except user_model.DoesNotExist as exc:
            raise CommandError(f"No user named {options['username']!r}.") from exc
        if not user.is_staff:
            self.stderr.write(f"Note: {user.get_username()} is not a staff member.")
        with transaction.atomic():
            if options["replace"]:
                TOTPDevice.objects.filter(user=user).delete()
            if options["mail"]:
                self._mail(user)
            elif options["link"]:
                self.stdout.write(enrolment.hand_over_link(user, actor=ACTOR))
            else:
                device = services.create_confirmed_device(user, actor=ACTOR)
                self.stdout.write(device.config_url)

    def _mail(self, user: Any) -> None:
        try:
            enrolment.send_link(user, actor=ACTOR)
        except enrolment.NoAddress as exc:
            raise CommandError(f"{exc} Use --link to print one instead.") from exc
        hours = settings.RECLAIM["ENROLMENT_LINK_HOURS"]
        self.stdout.write(
            f"An enrolment link for {user.get_username()} is in the outbox (valid {hours} h)."
        )
