"""Re-encrypt every encrypted field under the newest FIELD_ENCRYPTION_KEYS key (DESIGN §5).

Put the new key first in FIELD_ENCRYPTION_KEYS, keep the old ones after it, run this, then
remove the old keys. One transaction: if any value cannot be read, nothing changes.
"""

from django.core.management.base import BaseCommand, CommandError

from marac.crypto import UnreadableField
from marac.services.keys import field_keys_rotate
from partnership.services import system_actor


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field under the newest key in FIELD_ENCRYPTION_KEYS."

    def handle(self, *args, **options) -> None:
        try:
            counts = field_keys_rotate(acting_user=system_actor())
        except UnreadableField as error:
            raise CommandError(
                "A stored value opens with none of FIELD_ENCRYPTION_KEYS: nothing was changed. "
                "Put every key still in use after the new one and run again."
            ) from error
        for label, rows in counts.items():
            self.stdout.write(f"{label}: {rows} rows re-encrypted")
        self.stdout.write(self.style.SUCCESS("Every encrypted field now uses the newest key."))
