"""Pieces shared by the directory's models: bilingual names and tree lineage."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

# Deep enough for every tree in the reference data (geography is 5 levels, categories 3).
MAX_TREE_DEPTH = 6


def lineage(node: Any) -> list[Any]:
    """`node`, its parent, and so on up to the root, read in one query."""
    path = "__".join(["parent"] * MAX_TREE_DEPTH)
    current = type(node)._default_manager.select_related(path).get(pk=node.pk)
    chain = []
    while current is not None:
        chain.append(current)
        current = current.parent  # loaded by select_related up to MAX_TREE_DEPTH
    return chain


class BilingualName(models.Model):
    """English and Urdu names. Urdu names the team translated itself are marked unofficial,
    so that an administrator can tell them from notified names and replace them."""

    name_en = models.CharField(_("name (English)"), max_length=255)
    name_ur = models.CharField(_("name (Urdu)"), max_length=255, blank=True)
    name_ur_official = models.BooleanField(
        _("Urdu name is official"),
        default=False,
        help_text=_("Untick for the portal team's own translation, awaiting an official one."),
    )

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
