"""Pieces shared by the directory's models: bilingual names and tree lineage."""

from __future__ import annotations

from typing import Any

from django.db import connection, models
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


def lineage_ids(model: type[models.Model], pk: int) -> list[int]:
    """The ids of `pk`, its parent, and so on up to the root: one small recursive query, for
    hot paths (routing) that need the ids only."""
    table = connection.ops.quote_name(model._meta.db_table)
    # The table name comes from the model, never from input.
    sql = (
        f"WITH RECURSIVE up (id, parent_id, hop) AS ("  # noqa: S608
        f" SELECT id, parent_id, 0 FROM {table} WHERE id = %s"
        f" UNION ALL SELECT t.id, t.parent_id, up.hop + 1 FROM {table} t"
        f" JOIN up ON t.id = up.parent_id WHERE up.hop < %s"
        f") SELECT id FROM up ORDER BY hop"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk, MAX_TREE_DEPTH])
        return [row[0] for row in cursor.fetchall()]


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
