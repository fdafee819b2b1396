"""The complaint page's note that the complaint is grouped with a wider problem:
`{% load systemic_issues %}{% systemic_issue_of complaint %}`."""

from __future__ import annotations

from typing import Any

from django import template

from citizen_portal.complaints.models import Complaint
from citizen_portal.systemic.selectors.issues import issue_of_complaint

register = template.Library()


@register.inclusion_tag("systemic/_complaint_issue.html")
def systemic_issue_of(complaint: Complaint) -> dict[str, Any]:
    return {"issue": issue_of_complaint(complaint)}
