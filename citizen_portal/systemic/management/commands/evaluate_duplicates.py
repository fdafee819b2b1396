"""Measure duplicate detection on planted duplicates: precision, recall and F1 at the
configured threshold, a table of thresholds around it, and the time to score 300 candidates.

Nothing is written to the database: the planted complaints live in memory and go through the
selector's scoring function (systemic/selectors/planted.py). The directory's categories and
districts are read for their names when there are any; otherwise a small made-up set is used.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.utils import DatabaseError

from citizen_portal.complaints.services.generator.world import CategoryInfo, DistrictInfo
from citizen_portal.directory.models import AdminUnit, Category
from citizen_portal.systemic.selectors import duplicates, planted

_MADE_UP_CATEGORIES = (
    ("Water supply", "پانی کی فراہمی"),
    ("Sewerage and drainage", "سیوریج اور نکاسی آب"),
    ("Electricity supply", "بجلی کی فراہمی"),
    ("Garbage collection", "کچرا اٹھانا"),
    ("Street lights", "اسٹریٹ لائٹس"),
    ("Roads and potholes", "سڑکیں اور گڑھے"),
)
_MADE_UP_DISTRICTS = (
    ("Lahore", "لاہور"),
    ("Islamabad", "اسلام آباد"),
    ("Karachi South", "کراچی جنوبی"),
    ("Peshawar", "پشاور"),
)


def _category(pk: int, code: str, department: int, en: str, ur: str) -> CategoryInfo:
    return CategoryInfo(
        id=pk,
        code=code,
        department_id=department,
        prefix="EV",
        deadline=10,
        name_en=en,
        name_ur=ur or en,
        focal_id=0,
        speed=1.0,
    )


def _phrasebook_categories(limit: int) -> list[CategoryInfo]:
    """Categories the demo generator's phrasebook knows (codes `DEPARTMENT.TOPIC`), so that
    the planted texts are in citizens' words even on an empty directory."""
    try:
        from citizen_portal.intelligence.services.phrasebook import phrasebook
    except ImportError:
        return []
    found: list[CategoryInfo] = []
    seen: set[str] = set()
    for department, family in sorted(phrasebook().items()):
        if family.name in seen:
            continue
        seen.add(family.name)
        for suffix in sorted(family.topics)[:2]:
            name = suffix.replace(".", " ").replace("_", " ").capitalize()
            found.append(_category(len(found) + 1, f"{department}.{suffix}", 1, name, ""))
    return found[:limit]


def _directory(categories: int, districts: int) -> tuple[list[CategoryInfo], list[DistrictInfo]]:
    try:
        rows = list(
            Category.objects.filter(is_active=True, out_of_scope=False).order_by("code")[
                :categories
            ]
        )
        units = list(
            AdminUnit.objects.filter(level=AdminUnit.Level.DISTRICT, is_active=True).order_by(
                "code"
            )[:districts]
        )
    except DatabaseError:  # not migrated: the made-up set will do
        rows, units = [], []
    found = [
        _category(c.pk, c.code, c.department_id, c.name_en, c.name_ur or c.name_en) for c in rows
    ]
    if not found:
        found = _phrasebook_categories(categories) or [
            _category(n, f"EV-{n}", 1, en, ur) for n, (en, ur) in enumerate(_MADE_UP_CATEGORIES, 1)
        ]
    places = [DistrictInfo(u.pk, u.code, u.name_en, u.name_ur or u.name_en, "") for u in units]
    if not places:
        named = list(_MADE_UP_DISTRICTS) + [
            (f"District {n}", f"ضلع {n}") for n in range(len(_MADE_UP_DISTRICTS) + 1, districts + 1)
        ]
        places = [DistrictInfo(n, f"D{n}", en, ur, "") for n, (en, ur) in enumerate(named, 1)]
    return found, places[:districts]


class Command(BaseCommand):
    help = "Measure duplicate detection on planted duplicates (nothing is saved)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--groups", type=int, default=200, help="duplicate groups to plant")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--categories", type=int, default=12, help="categories to spread them over"
        )
        parser.add_argument(
            "--districts",
            type=int,
            default=30,
            help="districts to spread them over (fewer: more problems per category and place)",
        )
        parser.add_argument(
            "--threshold",
            type=float,
            default=None,
            help="similarity to report at (default: DUPLICATES_MIN_SIMILARITY)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        groups, seed = int(options["groups"]), int(options["seed"])
        if not 1 <= groups <= 5000:
            raise CommandError("--groups must be between 1 and 5000.")
        chosen = options["threshold"]
        threshold = duplicates.min_similarity() if chosen is None else float(chosen)
        if not 0.0 <= threshold <= 1.0:
            raise CommandError("--threshold must be between 0 and 1.")
        spread = (int(options["categories"]), int(options["districts"]))
        if not (1 <= spread[0] <= 500 and 2 <= spread[1] <= 500):
            raise CommandError("--categories must be 1–500 and --districts 2–500.")
        categories, districts = _directory(*spread)
        plants = planted.plant(groups=groups, seed=seed, categories=categories, districts=districts)
        scored = planted.score(plants, radius=duplicates.radius_km())
        out = self.stdout.write
        out(
            f"{scored.complaints} planted complaints: {scored.groups} duplicate groups "
            f"({scored.positives} duplicate pairs, both ways), {len(categories)} categories, "
            f"{len(districts)} districts; {len(scored.pairs)} candidate pairs scored."
        )
        out("threshold  precision  recall    F1     found  wrong")
        table = sorted({round(t / 100, 2) for t in range(15, 71, 5)} | {round(threshold, 2)})
        for value in table:
            f = planted.figures(scored, value, duplicates.CLOSE_KM, duplicates.CLOSE_BONUS)
            mark = " <" if abs(value - threshold) < 1e-9 else ""
            out(
                f"{f.threshold:9.2f}  {f.precision:9.3f}  {f.recall:6.3f}  {f.f1:6.3f}"
                f"  {f.found:5d}  {f.wrong:5d}{mark}"
            )
        at = planted.figures(scored, threshold, duplicates.CLOSE_KM, duplicates.CLOSE_BONUS)
        median, slowest = planted.timing(plants)
        out(
            f"At {threshold:.2f} (radius {duplicates.radius_km():g} km): "
            f"precision {at.precision:.1%}, recall {at.recall:.1%}, F1 {at.f1:.3f}."
        )
        # The generator's words alone, without the street and landmark each citizen names:
        # every complaint of a category and district then says nearly the same.
        bare = planted.score(
            planted.plant(
                groups=groups, seed=seed, categories=categories, districts=districts, places=False
            ),
            radius=duplicates.radius_km(),
        )
        b = planted.figures(bare, threshold, duplicates.CLOSE_KM, duplicates.CLOSE_BONUS)
        out(
            f"Without streets or landmarks in the texts: precision {b.precision:.1%}, "
            f"recall {b.recall:.1%}, F1 {b.f1:.3f}."
        )
        out(
            f"Scoring one text against 300 candidates: median {median:.1f} ms, "
            f"slowest {slowest:.1f} ms."
        )
        if settings.DEBUG:
            out("(DEBUG is on: timings include its overhead.)")
