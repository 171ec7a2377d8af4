"""Print the current authenticator code of a demo person (development only)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Print the current TOTP code for a demo sign-in. Development only."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email", help="A demo person's email address.")

    def handle(self, *args, **options) -> None:
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
        from allauth.mfa.utils import decrypt

        if not settings.DEBUG:
            raise CommandError("demo_totp only runs with DJANGO_DEBUG=1.")
        email = options["email"].strip().lower()
        if not email.endswith(".demo.vawg-portal.uk"):
            raise CommandError("Only demo people (…@….demo.vawg-portal.uk) have printable codes.")
        authenticator = Authenticator.objects.filter(
            user__email=email, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            raise CommandError(f"No demo authenticator for {email}. Run `make demo` first.")
        secret = decrypt(authenticator.data["secret"])
        now = time.time()
        code = format_hotp_value(hotp_value(secret, int(now) // 30))
        self.stdout.write(f"{code}  (valid for {30 - int(now) % 30} more seconds)")
