from typing import Any

from django.core.management.base import BaseCommand

from citizen_portal.accounts.services.keys import field_keys_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt personal data under the first key of FIELD_ENCRYPTION_KEYS "
        "(see citizen_portal/accounts/services/keys.py for the whole procedure)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = field_keys_rotate()
        self.stdout.write(f"{count} values re-encrypted under the current key.")
