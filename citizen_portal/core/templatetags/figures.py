"""Figures on pages: numbers in the active language's format, "—" for one that cannot be
measured (a median of no resolutions, the satisfaction of no feedback)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.translation import get_language

register = template.Library()

NO_FIGURE = "—"


@register.filter
def figure(value: float | None, decimals: int | None = None) -> str:
    """`value` with the language's decimal and thousands separators (grouped whatever
    USE_THOUSAND_SEPARATOR says: 12,345 reads better than 12345 on a dashboard), rounded to
    `decimals` places if given; "—" for None."""
    if value is None:
        return NO_FIGURE
    if decimals is not None:
        value = round(value, decimals)  # Django's number_format cuts digits off; round first
    decimal, grouping, thousands = _separators(get_language() or "")
    # What django.utils.formats.number_format does, with the language's separators looked up
    # once per language instead of three times per number (a dashboard writes hundreds).
    return numberformat.format(
        value, decimal, decimals, grouping, thousands, force_grouping=True, use_l10n=True
    )


_SEPARATORS: dict[str, tuple[str, Any, str]] = {}


def _separators(language: str) -> tuple[str, Any, str]:
    found = _SEPARATORS.get(language)
    if found is None:
        found = (
            str(get_format("DECIMAL_SEPARATOR", language, use_l10n=True)),
            get_format("NUMBER_GROUPING", language, use_l10n=True),
            str(get_format("THOUSAND_SEPARATOR", language, use_l10n=True)),
        )
        _SEPARATORS[language] = found
    return found
