"""Draw the app's icons (core/icons.py) into citizen_portal/static/icons/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from citizen_portal.core.icons import ICON_DIR, icons_write


class Command(BaseCommand):
    help = "Draw the web app's icons (PNG) into citizen_portal/static/icons/."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, default=ICON_DIR, help="directory to write to")

    def handle(self, *args: Any, **options: Any) -> None:
        for path in icons_write(directory=options["out"]):
            self.stdout.write(f"{path} ({path.stat().st_size} bytes)")
