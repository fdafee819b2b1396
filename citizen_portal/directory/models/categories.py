"""What: complaint categories, the grounds on which a matter is outside the portal, and the
rules that send a category in an area to a position."""

from __future__ import annotations

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from citizen_portal.directory.models.base import BilingualName, lineage
from citizen_portal.directory.models.geography import AdminUnit
from citizen_portal.directory.models.government import Department, Position


class Category(BilingualName):
    """What a complaint is about; a tree per department, each node with a deadline."""

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


class OutOfScopeGround(BilingualName):
    """A kind of matter the portal cannot take (sub judice, family dispute …), with the
    explanation shown to citizens before they file."""

    code = models.CharField(max_length=40, unique=True)
    reason_en = models.TextField(_("reason shown to citizens (English)"))
    reason_ur = models.TextField(_("reason shown to citizens (Urdu)"), blank=True)
    basis = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("out-of-scope ground")
        verbose_name_plural = _("out-of-scope grounds")
        ordering = ["id"]

    @property
    def reason(self) -> str:
        if translation.get_language() == "ur" and self.reason_ur:
            return self.reason_ur
        return self.reason_en


class RoutingRule(models.Model):
    """(category subtree, area) → position. The most specific match wins: deepest category
    first, then the smallest area. No match sends the complaint to the department's focal
    position for triage."""

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
