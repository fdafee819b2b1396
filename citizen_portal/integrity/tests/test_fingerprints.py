"""Feedback from a staff member's address and browser: recorded as keyed hashes when staff act
and citizens give feedback on the web, matched to flag the resolving officer."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from citizen_portal.complaints.models import Complaint
from citizen_portal.complaints.selectors.performance import period_of
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.integrity.models import FeedbackFingerprint, StaffFingerprint
from citizen_portal.integrity.selectors.flags import Scope, flags_for
from citizen_portal.integrity.selectors.types import Signal

pytestmark = pytest.mark.django_db

OFFICE_PC: dict[str, Any] = {"REMOTE_ADDR": "10.9.8.7", "HTTP_USER_AGENT": "OfficeBrowser/1.0"}
HOME_PHONE: dict[str, Any] = {"REMOTE_ADDR": "203.0.113.50", "HTTP_USER_AGENT": "PhoneBrowser/2.0"}


def resolve_on_the_web(officer, complaint: Complaint, where: dict[str, Any]) -> None:
    client = Client(**where)
    client.force_login(officer)
    url = reverse("complaints:work_act", args=[complaint.reference, "resolve"])
    response = client.post(
        url, {"outcome": "relief_granted", "remark": "Meter replaced, bill fixed."}
    )
    assert response.status_code == 302


def confirm_on_the_web(citizen, complaint: Complaint, where: dict[str, Any]) -> None:
    client = Client(**where)
    client.force_login(citizen)
    url = reverse("complaints:detail", args=[complaint.reference])
    response = client.post(url, {"satisfied": "yes", "rating": "5"})
    assert response.status_code == 302


def test_feedback_from_the_resolvers_own_computer_flags_them(world, circle):
    a, b = circle.officers["a"], circle.officers["b"]
    gamed = lodge(world, area=circle.areas["a"])
    honest = lodge(world, area=circle.areas["b"])
    resolve_on_the_web(a, gamed, OFFICE_PC)
    resolve_on_the_web(b, honest, HOME_PHONE | {"REMOTE_ADDR": "10.1.1.1"})
    confirm_on_the_web(world.citizen, gamed, OFFICE_PC)
    confirm_on_the_web(world.citizen, honest, HOME_PHONE)

    scope = Scope(department=world.lesco, office=circle.office, period=period_of())
    flags = [f for f in flags_for(scope) if f.signal == Signal.STAFF_DEVICES]
    assert [f.subject_id for f in flags] == [a.pk]
    (evidence,) = flags[0].evidence
    assert evidence.reference == gamed.reference
    assert "address and browser of the resolving officer" in evidence.detail


def test_only_hashes_are_stored_never_the_address_or_browser(world, circle):
    complaint = lodge(world, area=circle.areas["a"])
    resolve_on_the_web(circle.officers["a"], complaint, OFFICE_PC)
    confirm_on_the_web(world.citizen, complaint, OFFICE_PC)
    staff = StaffFingerprint.objects.get(user=circle.officers["a"])
    given = FeedbackFingerprint.objects.get(complaint=complaint)
    stored = [staff.ip_hash, staff.agent_hash, given.ip_hash, given.agent_hash]
    assert all(len(value) == 64 for value in stored)
    assert not any("10.9.8.7" in value or "Office" in value for value in stored)
    assert (staff.ip_hash, staff.agent_hash) == (given.ip_hash, given.agent_hash)


def test_a_second_action_from_the_same_computer_counts_the_same_row(world, circle):
    for _ in range(2):
        resolve_on_the_web(circle.officers["a"], lodge(world, area=circle.areas["a"]), OFFICE_PC)
    (row,) = StaffFingerprint.objects.filter(user=circle.officers["a"])
    assert row.uses == 2


def test_feedback_given_outside_a_citizens_own_request_is_not_fingerprinted(world, circle):
    from citizen_portal.complaints.services.citizen_actions import (
        FeedbackInput,
        complaint_give_feedback,
    )
    from citizen_portal.complaints.services.officer_actions import complaint_resolve

    complaint = lodge(world, area=circle.areas["a"])
    complaint_resolve(complaint=complaint, officer=circle.officers["a"], remark="Bill corrected.")
    complaint_give_feedback(
        complaint=complaint, citizen=world.citizen, data=FeedbackInput(satisfied=True, rating=4)
    )
    assert not FeedbackFingerprint.objects.exists()
