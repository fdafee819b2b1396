"""Filters for plain-text messages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def clip(value: object, length: int) -> str:
    """`value` on one line, cut to `length` characters with "..." rather than "…": a single
    character outside the GSM alphabet makes an English SMS cost twice as many segments."""
    text = " ".join(str(value or "").split())
    if len(text) <= length:
        return text
    return text[: max(length - 3, 0)].rstrip() + "..."
