from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from citizen_portal.exports.models import Format


class ExportForm(forms.Form):
    """The file format; the list and its filters come from the address's query string."""

    format = forms.ChoiceField(label=_("Format"), choices=Format.choices, widget=forms.RadioSelect)
