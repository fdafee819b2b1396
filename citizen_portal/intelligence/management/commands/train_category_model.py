"""Train a new version of the category-suggestion model (or only evaluate the active one)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from citizen_portal.core.errors import ApplicationError
from citizen_portal.intelligence.services.training import (
    active_model_evaluate,
    category_model_train,
)


def _figures(name: str, block: dict[str, Any] | None) -> list[str]:
    if not block:
        return []
    lines = []
    for group, rates in block.items():
        if not isinstance(rates, dict) or not rates.get("n"):
            continue
        extra = (
            f"; exact category (department included) top-1 {rates['exact_top1']:.1%}, "
            f"top-3 {rates['exact_top3']:.1%}"
            if rates.get("exact_top3") is not None
            else ""
        )
        lines.append(
            f"{name} [{group}] n={rates['n']}: top-1 {rates['top1']:.1%}, "
            f"top-3 {rates['top3']:.1%}{extra}"
        )
    return lines


class Command(BaseCommand):
    help = "Train the category-suggestion model on confirmed complaints and activate it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--evaluate",
            action="store_true",
            help="Only evaluate the active version on the labelled set.",
        )
        parser.add_argument(
            "--no-activate", action="store_true", help="Store the new version without using it."
        )
        parser.add_argument("--limit", type=int, default=200_000, help="Newest examples to use.")
        parser.add_argument(
            "--set",
            dest="labelled_set",
            default="",
            help="With --evaluate: another labelled file, e.g. the development set "
            "(citizen_portal/intelligence/data/development/dev.jsonl) to choose settings on.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        if options["evaluate"]:
            result = active_model_evaluate(path=options["labelled_set"] or None)
            if result is None:
                raise CommandError("No active model, or no labelled set to evaluate on.")
            for line in _figures("labelled set", result):
                self.stdout.write(line)
            return
        try:
            record = category_model_train(
                activate=not options["no_activate"], limit=max(2, options["limit"])
            )
        except ApplicationError as error:
            raise CommandError(str(error)) from error
        evaluation = record.evaluation
        self.stdout.write(
            f"examples {record.examples}, labels {record.labels}, corrections {record.corrections}"
        )
        for line in _figures("held-out", evaluation.get("held_out")):
            self.stdout.write(line)
        for line in _figures("labelled set", evaluation.get("labelled")):
            self.stdout.write(line)
        state = "active" if record.is_active else "stored, not active"
        self.stdout.write(
            self.style.SUCCESS(
                f"version {record.version} ({state}), {record.size / 1024:.0f} KiB, "
                f"{time.monotonic() - started:.1f} s"
            )
        )
