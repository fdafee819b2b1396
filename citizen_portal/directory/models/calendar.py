"""Public holidays, per tier: deadlines count working days, and holidays are not."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from citizen_portal.directory.models.base import BilingualName
from citizen_portal.directory.models.government import Tier


class Holiday(BilingualName):
    """A gazetted public holiday. Federal holidays are observed by every tier; a provincial
    holiday only by its own tier's offices."""

    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="holidays")
    date = models.DateField()
    source = models.CharField(_("notification or source"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["tier", "date"], name="one_holiday_per_tier_day")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"
