"""A hotspot alert: one category in one district far above its usual weekly level.

One alert per (category, district) while it is open or acknowledged (a partial unique
constraint): the daily detection refreshes the figures of an alert still standing instead of
raising a second one, and closes it once the last seven days are back to normal
(services/detection.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from citizen_portal.directory.models import AdminUnit, Category, Department


class HotspotAlert(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        CLOSED = "closed", _("Closed")

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    # The category's department when the alert was raised: whose focal person is told, and
    # which department dashboards show it.
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    # The seven days counted (both inclusive), as of the latest detection that saw the rise.
    window_start = models.DateField()
    window_end = models.DateField()
    count = models.PositiveIntegerField()
    # The usual weekly level: the mean of the eight weeks before the window, with a floor.
    baseline = models.FloatField()
    ratio = models.FloatField()
    p_value = models.FloatField()
    # The highest weekly count seen while the alert stood.
    peak_count = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(max_length=2000, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("hotspot alert")
        verbose_name_plural = _("hotspot alerts")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # No duplicate alert while one stands: the detection's refresh-or-create relies on it.
            models.UniqueConstraint(
                fields=["category", "district"],
                condition=~Q(status="closed"),
                name="one_standing_hotspot",
            )
        ]
        indexes = [
            # The dashboards' panel and the /hotspots/ page: standing alerts by department.
            models.Index(fields=["status", "department"], name="hotspot_by_status"),
        ]

    def __str__(self) -> str:
        return f"{self.category_id}@{self.district_id} {self.window_end} ({self.status})"

    @property
    def is_standing(self) -> bool:
        return self.status != self.Status.CLOSED

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)
