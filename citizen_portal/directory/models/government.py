"""Who: tiers of government, departments, offices, positions and who holds them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from citizen_portal.directory.models.base import BilingualName
from citizen_portal.directory.models.geography import AdminUnit


class Tier(BilingualName):
    """A government: Federal, a province or territory, or Overseas Pakistanis."""

    code = models.CharField(max_length=20, unique=True)
    # Prefix of complaint reference numbers, e.g. "PB" in PB-2026-0001234-K.
    reference_prefix = models.CharField(max_length=3, unique=True)
    # The tier's own complaint cell (e.g. the Prime Minister's or a Chief Minister's): it takes
    # a complaint transferred too often, and reviews a second dispute, outside any department.
    complaint_cell = models.ForeignKey(
        "Position",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("complaint cell"),
    )

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


class Office(BilingualName):
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="offices")
    jurisdiction = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="offices")
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "name_en"], name="one_office_name_per_department"
            )
        ]


class Position(models.Model):
    """A desk that work is assigned to, e.g. "Superintending Engineer, LESCO Lahore Circle".

    Complaints are assigned to positions, never to people; people hold positions over time, so
    transferring an officer moves no complaint.
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
        constraints = [
            models.UniqueConstraint(fields=["office", "title_en"], name="one_title_per_office")
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.office.name}"

    @property
    def title(self) -> str:
        if translation.get_language() == "ur" and self.title_ur:
            return self.title_ur
        return self.title_en


class PositionHolding(models.Model):
    """Who held a position when: credit and blame go to the holder at the time. History is kept:
    a holding ends, it is never deleted."""

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
        constraints = [
            # One current holder per position; additional charge is a holding of its own.
            models.UniqueConstraint(
                fields=["position"], condition=Q(ended_at__isnull=True), name="one_current_holder"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.position}"
