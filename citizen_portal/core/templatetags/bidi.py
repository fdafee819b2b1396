"""Text people wrote, set inside a sentence of a right-to-left message."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language_bidi

register = template.Library()

# FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE (Unicode's bidirectional algorithm).
FSI, PDI = "\u2068", "\u2069"


@register.filter
def isolate(value: object) -> str:
    """`value` as an island of its own direction in an Urdu message: an English subject keeps
    its full stop at its end and does not reorder the Urdu words around it. In a left-to-right
    language it is returned as it is (the marks would make an English SMS cost double: they
    are not in the GSM alphabet)."""
    text = "" if value is None else str(value)
    if not text or not get_language_bidi():
        return text
    return f"{FSI}{text}{PDI}"
