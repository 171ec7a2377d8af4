"""Load idempotent, synthetic demo data (DESIGN §6). Refuses to run unless DJANGO_DEBUG=1."""

import importlib
import importlib.util

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from partnership.demo import DemoContext
from partnership.services import system_actor


def _demo_modules() -> list:
    """Each project app's `demo` module, in INSTALLED_APPS order (partnership first)."""
    modules = []
    for config in apps.get_app_configs():
        name = f"{config.name}.demo"
        if config.path.startswith(str(settings.BASE_DIR)) and importlib.util.find_spec(name):
            modules.append(importlib.import_module(name))
    return modules


class Command(BaseCommand):
    help = "Load the synthetic demo partnerships, people and records. Development only."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--quiet-logins", action="store_true", help="Do not print the demo logins."
        )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo only runs with DJANGO_DEBUG=1: demo data never belongs in production."
            )
        with transaction.atomic():
            context = DemoContext(actor=system_actor())
            for module in _demo_modules():
                module.seed(context)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        if not options["quiet_logins"]:
            self._print_logins(context)

    def _print_logins(self, context: DemoContext) -> None:
        self.stdout.write("\nDemo sign-ins (synthetic people only):")
        for email, password, name in context.logins:
            extra = context.extra.get(f"login-note:{email}", "")
            self.stdout.write(f"  {email:<55} {password}  {name}{extra}")
