"""Likely duplicates on two pages (issue 14):

- the officer's complaint page: `{% load duplicates %}{% possible_duplicates complaint user %}`
  in complaints/work_detail.html (the view has already checked the reader's capacity on
  `complaint`);
- (the citizen's lodge form, review step, includes systemic/_duplicates_lodge.html with the
  `duplicates` its view found: complaints/views_lodge.py review).
"""

from __future__ import annotations

from typing import Any

from django import template

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Complaint
from citizen_portal.systemic.selectors.duplicates import officer_duplicates

register = template.Library()


@register.inclusion_tag("systemic/_duplicates_officer.html", takes_context=True)
def possible_duplicates(context: Any, complaint: Complaint, user: User) -> dict[str, Any]:
    return {
        "complaint": complaint,
        "matches": officer_duplicates(user, complaint),
        "csrf_token": context.get("csrf_token"),
    }
