from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from citizen_portal.hotspots.services.alerts import NOTE_MAX


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("What is being done about it: seen by leadership and the department."),
    )
