"""The stored versions of the category-suggestion model, for the administrators' page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from citizen_portal.intelligence.models import CategoryModel

HISTORY = 20
LANGUAGE_NAMES = {"en": "English", "ur": "اردو", "roman": "Roman Urdu", "mixed": "Mixed"}


@dataclass(frozen=True)
class Figures:
    group: str
    n: int
    top1: float | None
    top3: float | None


@dataclass(frozen=True)
class VersionRow:
    version: int
    created_at: datetime
    examples: int
    labels: int
    corrections: int
    top1: float | None
    top3: float | None
    size: int
    is_active: bool
    seconds: float | None
    held_out: list[Figures]
    labelled: list[Figures]
    exact_top1: float | None
    exact_top3: float | None


def _figures(block: Any) -> list[Figures]:
    if not isinstance(block, dict):
        return []
    rows = []
    for group, rates in block.items():
        if isinstance(rates, dict) and rates.get("n"):
            rows.append(
                Figures(
                    group=LANGUAGE_NAMES.get(group) or group,
                    n=int(rates["n"]),
                    top1=rates.get("top1"),
                    top3=rates.get("top3"),
                )
            )
    return rows


def model_history() -> list[VersionRow]:
    """The newest versions first, without their model files. One query."""
    rows = CategoryModel.objects.defer("blob").order_by("-version")[:HISTORY]
    history = []
    for row in rows:
        evaluation = row.evaluation if isinstance(row.evaluation, dict) else {}
        labelled = evaluation.get("labelled")
        overall = labelled.get("all", {}) if isinstance(labelled, dict) else {}
        history.append(
            VersionRow(
                version=row.version,
                created_at=row.created_at,
                examples=row.examples,
                labels=row.labels,
                corrections=row.corrections,
                top1=row.top1,
                top3=row.top3,
                size=row.size,
                is_active=row.is_active,
                seconds=evaluation.get("seconds"),
                held_out=_figures(evaluation.get("held_out")),
                labelled=_figures(labelled),
                exact_top1=overall.get("exact_top1"),
                exact_top3=overall.get("exact_top3"),
            )
        )
    return history
