from typing import Any

from django.core.management.base import BaseCommand

from citizen_portal.directory.services.loading import directory_load


class Command(BaseCommand):
    help = "Load Pakistan's geography, departments and categories (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = directory_load()
        self.stdout.write(f"Directory loaded. {report}")
