"""Who is responsible for what: geography, government, categories and routing rules.

Codes come from the reference data in citizen_portal/directory/data (see its README) and are
permanent identifiers: a unit that moves keeps its code and only its parent changes.
"""

from __future__ import annotations

from typing import TypeVar

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

# Deep enough for every tree in the reference data (geography is 5 levels, categories 3).
MAX_TREE_DEPTH = 6

Node = TypeVar("Node", "AdminUnit", "Category", "Department")


def lineage(node: Node) -> list[Node]:
    """`node`, its parent, and so on up to the root, read in one query."""
    path = "__".join(["parent"] * MAX_TREE_DEPTH)
    current: Node | None = type(node)._default_manager.select_related(path).get(pk=node.pk)
    chain: list[Node] = []
    while current is not None:
        chain.append(current)
        current = current.parent  # loaded by select_related up to MAX_TREE_DEPTH
    return chain


class BilingualName(models.Model):
    name_en = models.CharField(_("name (English)"), max_length=255)
    name_ur = models.CharField(_("name (Urdu)"), max_length=255, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language, falling back to English where Urdu is missing."""
        if translation.get_language() == "ur" and self.name_ur:
            return self.name_ur
        return self.name_en


class AdminUnit(BilingualName):
    """A node of the geography tree: country → province → division → district → tehsil."""

    class Level(models.TextChoices):
        COUNTRY = "country", _("Country")
        PROVINCE = "province", _("Province or territory")
        DIVISION = "division", _("Division")
        DISTRICT = "district", _("District")
        TEHSIL = "tehsil", _("Tehsil")

    code = models.CharField(max_length=40, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    level = models.CharField(max_length=10, choices=Level.choices)
    # Depth in the tree (country 0), stored so that routing can prefer the smallest area.
    depth = models.PositiveSmallIntegerField(default=0)
    valid_from = models.CharField(max_length=10, blank=True)
    is_active = models.BooleanField(default=True)
    lat = models.DecimalField(max_digits=6, decimal_places=3, null=True, blank=True)
    lon = models.DecimalField(max_digits=6, decimal_places=3, null=True, blank=True)

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["name_en"]
        indexes = [models.Index(fields=["level", "name_en"], name="unit_level_name")]

    def ancestors_and_self(self) -> list[AdminUnit]:
        """From this unit up to the country."""
        return lineage(self)


class Tier(BilingualName):
    """A government: Federal, a province or territory, or Overseas Pakistanis."""

    code = models.CharField(max_length=20, unique=True)
    # Prefix of complaint reference numbers, e.g. "PB" in PB-2026-0001234-K.
    reference_prefix = models.CharField(max_length=3, unique=True)

    class Meta:
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")
        ordering = ["id"]


class Department(BilingualName):
    """A ministry, division, attached department, company or office of the head of government."""

    code = models.CharField(max_length=40, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="departments")
    kind = models.CharField(max_length=30)
    website = models.URLField(blank=True)
    is_active = models.BooleanField(default=True)
    # Where complaints go when no routing rule matches: the department's complaint cell.
    focal_position = models.ForeignKey(
        "Position", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name_en"]


class Category(BilingualName):
    """What a complaint is about; a tree per department, each leaf with a deadline."""

    code = models.CharField(max_length=80, unique=True)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="categories")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    deadline_working_days = models.PositiveSmallIntegerField(default=15)
    out_of_scope = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["code"]

    def ancestors_and_self(self) -> list[Category]:
        """From this category up to its department's top-level category."""
        return lineage(self)


class Office(BilingualName):
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="offices")
    jurisdiction = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="offices")
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["name_en"]


class Position(models.Model):
    """A desk that work is assigned to, e.g. "Superintending Engineer, LESCO Lahore Circle".

    Complaints are assigned to positions, never to people; people hold positions over time.
    """

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="positions")
    title_en = models.CharField(_("title (English)"), max_length=255)
    title_ur = models.CharField(_("title (Urdu)"), max_length=255, blank=True)
    supervisor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="subordinates"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["title_en"]

    def __str__(self) -> str:
        return f"{self.title}, {self.office.name}"

    @property
    def title(self) -> str:
        if translation.get_language() == "ur" and self.title_ur:
            return self.title_ur
        return self.title_en


class PositionHolding(models.Model):
    """Who held a position when: credit and blame go to the holder at the time."""

    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="holdings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="holdings"
    )
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("position holding")
        verbose_name_plural = _("position holdings")
        indexes = [
            # "Which positions does this officer hold now?" on every officer page.
            models.Index(fields=["user", "ended_at"], name="holding_user_current"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.position}"


class RoutingRule(models.Model):
    """(category, area) → position. The most specific match wins: deepest category first,
    then the smallest area. No match sends the complaint to the department's focal position."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="routing_rules")
    area = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="routing_rules")
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="routing_rules")

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(fields=["category", "area"], name="one_rule_per_category_area")
        ]

    def __str__(self) -> str:
        return f"{self.category.code} @ {self.area.code} → {self.position_id}"
