"""Where: Pakistan's administrative units, and countries of residence for overseas citizens."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from citizen_portal.directory.models.base import BilingualName, lineage


class AdminUnit(BilingualName):
    """A node of the geography tree: country → province → division → district → tehsil.

    Codes are permanent: a unit that moves keeps its code and only its parent changes. A unit
    that is split or merged is retired, not deleted, and names its successors: complaints filed
    under it keep pointing at it.
    """

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
    retired_on = models.DateField(null=True, blank=True)
    successors = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="predecessors"
    )
    lat = models.DecimalField(max_digits=6, decimal_places=3, null=True, blank=True)
    lon = models.DecimalField(max_digits=6, decimal_places=3, null=True, blank=True)
    # 2023 census population: tehsils from PBS Table 1, districts and above the sum of their
    # tehsils. Empty where the census has no figure for the current unit (GB, AJK, districts
    # whose tehsils could not be assigned after a split; see directory/data/README.md).
    population = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["name_en"]
        indexes = [models.Index(fields=["level", "name_en"], name="unit_level_name")]

    def clean(self) -> None:
        super().clean()
        if self.retired_on is not None and self.is_active:
            raise ValidationError(
                {"is_active": _("A retired unit cannot stay active: untick “active”.")}
            )

    def ancestors_and_self(self) -> list[AdminUnit]:
        """From this unit up to the country."""
        return lineage(self)


class Country(BilingualName):
    """ISO 3166-1 countries: where an overseas citizen lives."""

    code = models.CharField(_("ISO 3166-1 alpha-2 code"), max_length=2, unique=True)
    alpha3 = models.CharField(_("ISO 3166-1 alpha-3 code"), max_length=3, unique=True)

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name_en"]
