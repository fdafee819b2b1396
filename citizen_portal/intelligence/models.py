"""The category-suggestion model's versions, kept in the database so that every web machine
reads the same one (issue 14)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CategoryModel(models.Model):
    """One trained version. The blob is an .npz archive of plain arrays (no pickle) with the
    vocabularies and labels as JSON text inside: loading it can never run code."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    created_at = models.DateTimeField(_("trained at"), auto_now_add=True)
    examples = models.PositiveIntegerField(_("training examples"), default=0)
    labels = models.PositiveIntegerField(_("labels"), default=0)
    corrections = models.PositiveIntegerField(_("corrections"), default=0)
    top1 = models.FloatField(_("held-out top-1 accuracy"), null=True, blank=True)
    top3 = models.FloatField(_("held-out top-3 accuracy"), null=True, blank=True)
    # Held-out and labelled-set figures, per language, the seconds it took, the parameters.
    evaluation = models.JSONField(_("evaluation"), default=dict, blank=True)
    blob = models.BinaryField(_("model file"))
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(max_length=64)
    is_active = models.BooleanField(_("active"), default=False)

    class Meta:
        verbose_name = _("category-suggestion model")
        verbose_name_plural = _("category-suggestion models")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=models.Q(is_active=True),
                name="one_active_category_model",
            )
        ]

    def __str__(self) -> str:
        return f"v{self.version}"
