"""Print the code the demo accounts' authenticator app would show now (local demo only)."""

import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from consultations.management.commands.seed_demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = (
        "Print the current authenticator code of the demo accounts made by seed_demo "
        "(moderator, staff, leads, admin). Runs only with DEBUG on."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "demo_totp_code prints codes for the demo's well-known authenticator secret, "
                "so it only runs with DEBUG on."
            )
        now = time.time()
        period = app_settings.TOTP_PERIOD
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(now) // period))
        seconds_left = period - int(now) % period
        self.stdout.write(code)
        self.stdout.write(
            f"Valid for {seconds_left} more second{'s' if seconds_left != 1 else ''}; each code "
            "signs in once. The demo secret, for an authenticator app: " + DEMO_TOTP_SECRET
        )
