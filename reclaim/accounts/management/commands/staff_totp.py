"""`reclaim staff_totp USERNAME`: a ready authenticator-app device for a colleague."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from reclaim.accounts import services


class Command(BaseCommand):
    help = (
        "Create a confirmed TOTP device for a staff member and print its otpauth:// address,"
        " to pass on privately (e.g. as a QR code) to the colleague's authenticator app."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the user's other devices first (a lost or replaced phone).",
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
            device = services.create_confirmed_device(user, actor="manage.py staff_totp")
        self.stdout.write(device.config_url)
