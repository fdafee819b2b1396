"""Receivers that fingerprint, without the complaints or accounts services knowing:

- a staff login (web or API: both send `user_logged_in`) records where the staff member is;
- a citizen's own feedback (confirm or dispute, web or app) records where it came from.
  Feedback recorded for a citizen by the helpline or the mail room is staff's work on the
  citizen's behalf, already marked so on the timeline, and is not fingerprinted; nor is
  feedback given outside a request (an SMS reply arrives from the gateway, not the citizen).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest

from citizen_portal.accounts.models import User
from citizen_portal.complaints.models import Feedback
from citizen_portal.integrity.fingerprint import (
    RECORDED,
    current_request,
    fingerprint_of,
)
from citizen_portal.integrity.services.fingerprints import feedback_seen, staff_seen


@receiver(user_logged_in, dispatch_uid="integrity_staff_login")
def staff_logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is None or not isinstance(user, User) or user.is_citizen:
        return
    fingerprint = fingerprint_of(request)
    if fingerprint is not None:
        staff_seen(user=user, fingerprint=fingerprint)
        setattr(request, RECORDED, True)


@receiver(post_save, sender=Feedback, dispatch_uid="integrity_feedback")
def feedback_given(sender: Any, instance: Feedback, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    request = current_request()
    if request is None:
        return
    user = getattr(request, "user", None)
    # Only the complaint's own citizen, signed in and giving it themself.
    if not isinstance(user, User) or user.pk != instance.complaint.citizen_id:
        return
    fingerprint = fingerprint_of(request)
    if fingerprint is not None:
        feedback_seen(feedback=instance, fingerprint=fingerprint)
