"""Figures on pages: numbers in the active language's format, "—" for one that cannot be
measured (a median of no resolutions, the satisfaction of no feedback)."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

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
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)
