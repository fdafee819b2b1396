"""Each signal on a planted pattern (tests/conftest.py), and not raised for officers who work
normally. Peers are the department's other officers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citizen_portal.accounts.models import Role
from citizen_portal.complaints.selectors.performance import period_of
from citizen_portal.complaints.services.lodging import ComplaintInput, complaint_lodge
from citizen_portal.complaints.services.officer_actions import complaint_resolve
from citizen_portal.core import clock
from citizen_portal.directory.tests.factories import CitizenFactory, StaffFactory
from citizen_portal.integrity.selectors.flags import Scope, flags_for
from citizen_portal.integrity.selectors.remarks import normalise
from citizen_portal.integrity.selectors.stats import binomial_tail
from citizen_portal.integrity.selectors.types import Signal, SubjectKind

pytestmark = pytest.mark.django_db


def office_flags(world, circle):
    scope = Scope(department=world.lesco, office=circle.office, period=period_of())
    return flags_for(scope)


def of(flags, signal, user):
    return [
        f
        for f in flags
        if f.signal == signal and f.subject == SubjectKind.OFFICER and f.subject_id == user.pk
    ]


def test_resolutions_bunched_on_the_due_date_flag_the_officer_not_the_peers(world, circle, planted):
    flags = office_flags(world, circle)
    (flag,) = of(flags, Signal.DEADLINE_BUNCHING, circle.officers["a"])
    assert (flag.observed, flag.total) == (6, 6)
    # Peers: 2 of 20 at the deadline, so 0.6 expected of A's 6.
    assert flag.peer_rate == pytest.approx(10.0)
    assert flag.ratio == pytest.approx(10.0)
    assert flag.p_value is not None
    assert flag.p_value < 0.001
    assert {e.reference for e in flag.evidence} == {c.reference for c in planted.lodged["a"]}
    assert all(e.due == planted.due for e in flag.evidence)
    assert not of(flags, Signal.DEADLINE_BUNCHING, circle.officers["b"])
    assert not of(flags, Signal.DEADLINE_BUNCHING, circle.officers["c"])


def test_disputes_far_above_peers_flag_the_officer(world, circle, planted):
    flags = office_flags(world, circle)
    (flag,) = of(flags, Signal.DISPUTES, circle.officers["a"])
    assert (flag.observed, flag.total) == (6, 6)
    assert flag.ratio == pytest.approx(10.0)
    assert not of(flags, Signal.DISPUTES, circle.officers["b"])
    assert not of(flags, Signal.DISPUTES, circle.officers["c"])


def test_one_remark_copied_across_complaints_is_grouped_and_flagged(world, circle, planted):
    flags = office_flags(world, circle)
    (flag,) = of(flags, Signal.SAME_REMARKS, circle.officers["a"])
    assert (flag.observed, flag.total) == (6, 6)
    (group,) = flag.groups
    assert set(group.references) == {c.reference for c in planted.lodged["a"]}
    assert group.excerpt.startswith("Bill corrected as per rules vide")
    assert not of(flags, Signal.SAME_REMARKS, circle.officers["b"])


def test_the_office_itself_is_compared_with_the_departments_other_offices(world, circle, planted):
    # The whole department: the circle is the only office with resolutions, so it has no
    # peers to be compared with, and is not flagged; its officers still are.
    scope = Scope(department=world.lesco, office=None, period=period_of())
    flags = flags_for(scope)
    assert not [f for f in flags if f.subject == SubjectKind.OFFICE]
    assert of(flags, Signal.DEADLINE_BUNCHING, circle.officers["a"])


def test_near_identical_remarks_group_despite_small_edits():
    first = normalise("Bill corrected as per rules vide PB-2026-0000123-Q. Units 401.")
    second = normalise("bill corrected as per rules, vide PB-2026-0000999-J; units 77")
    assert first == second


def test_binomial_tail_matches_a_hand_count():
    assert binomial_tail(2, 2, 0.5) == pytest.approx(0.25)
    assert binomial_tail(1, 3, 0.5) == pytest.approx(0.875)
    assert binomial_tail(0, 5, 0.1) == 1.0


def test_the_flags_cost_a_fixed_number_of_queries(world, circle, planted):
    scope = Scope(department=world.lesco, office=circle.office, period=period_of())
    with CaptureQueriesContext(connection) as queries:
        flags_for(scope)
    assert len(queries) <= 9


def test_complaints_lodged_and_resolved_by_the_same_people_are_flagged(world, circle):
    a, b = circle.officers["a"], circle.officers["b"]
    data = ComplaintInput(
        category=world.overbilling,
        area=world.lahore,
        subject="Bill three times the usual",
        description="My November bill is Rs 45,000 while I usually pay Rs 15,000.",
    )
    # Entered for a "caller" by the officer who then resolves it.
    entered = complaint_lodge(citizen=world.citizen, data=data, entered_by=a)
    complaint_resolve(complaint=entered, officer=a, remark="Bill corrected after checking.")
    # Lodged by a "citizen" whose proved e-mail is a staff member's.
    clerk = StaffFactory(username="lesco.clerk", email="Clerk@lesco.example", role=Role.AGENT)
    relative = CitizenFactory(email="clerk@lesco.example", email_verified_at=clock.now())
    lodged = complaint_lodge(citizen=relative, data=data)
    complaint_resolve(complaint=lodged, officer=a, remark="Meter replaced at site today.")
    # B's complaint is an ordinary one.
    normal = complaint_lodge(
        citizen=world.other_citizen,
        data=ComplaintInput(
            category=world.overbilling,
            area=world.kasur,
            subject=data.subject,
            description=data.description,
        ),
    )
    complaint_resolve(complaint=normal, officer=b, remark="Arrears removed after checking.")
    flags = office_flags(world, circle)
    (flag,) = of(flags, Signal.SAME_PEOPLE, a)
    assert flag.observed == 2
    details = {e.reference: e.detail for e in flag.evidence}
    assert "entered for the citizen by the officer who resolved it" in details[entered.reference]
    assert clerk.full_name in details[lodged.reference]
    assert not of(flags, Signal.SAME_PEOPLE, b)


def test_a_period_without_resolutions_has_no_flags(world, circle, planted):
    today = clock.today()
    scope = Scope(
        department=world.lesco,
        office=circle.office,
        period=period_of(today - timedelta(days=400), today - timedelta(days=300)),
    )
    assert flags_for(scope) == []
