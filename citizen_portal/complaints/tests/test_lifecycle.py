from datetime import date

import pytest
from django.utils import timezone

from citizen_portal.complaints.models import Complaint, Status
from citizen_portal.complaints.services.citizen_actions import (
    FeedbackInput,
    complaint_give_feedback,
)
from citizen_portal.complaints.services.officer_actions import complaint_resolve
from citizen_portal.complaints.services.references import reference_is_well_formed
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.core.errors import ApplicationError, NotAllowed
from citizen_portal.directory.selectors.calendar import add_working_days

pytestmark = pytest.mark.django_db(transaction=True)


def actions(complaint):
    return list(complaint.events.order_by("seq").values_list("action", flat=True))


def test_lodged_complaint_goes_straight_to_the_position_of_the_matching_rule(world, sms_outbox):
    complaint = lodge(world)
    assert complaint.status == Status.ASSIGNED
    assert complaint.assigned_position == world.positions.se
    assert complaint.department == world.lesco
    assert actions(complaint) == ["lodge", "auto_route"]
    assert complaint.due_on == add_working_days(timezone.localdate(), 10)
    [sms] = sms_outbox.messages()
    assert sms["to"] == world.citizen.phone
    assert complaint.reference in sms["body"]


def test_unroutable_complaint_waits_in_the_departments_triage(world, sms_outbox):
    complaint = lodge(world, area=world.kasur)
    assert complaint.status == Status.TRIAGE
    assert complaint.assigned_position == world.positions.focal


def test_references_read_tier_year_sequence_and_check_letter(world, sms_outbox):
    first, second = lodge(world), lodge(world)
    year = timezone.localdate().year
    assert first.reference.startswith(f"PB-{year}-0000001-")
    assert second.reference.startswith(f"PB-{year}-0000002-")
    assert reference_is_well_formed(first.reference)
    typo = first.reference.replace("0000001", "0000007")
    assert not reference_is_well_formed(typo)


def test_out_of_scope_categories_are_refused(world):
    world.supply.out_of_scope = True
    world.supply.save()
    with pytest.raises(ApplicationError, match="outside"):
        lodge(world, category=world.supply)
    assert Complaint.objects.count() == 0


def test_holder_resolves_with_a_remark_and_the_citizen_is_asked_for_feedback(world, sms_outbox):
    complaint = lodge(world)
    complaint_resolve(
        complaint=complaint, officer=world.officers.se, remark="Bill corrected to Rs 15,000."
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.RESOLVED
    assert complaint.resolved_at is not None
    resolve = complaint.events.get(action="resolve")
    assert resolve.actor == world.officers.se
    assert resolve.data == {
        "outcome": "relief_granted",
        "remark": "Bill corrected to Rs 15,000.",
        "due_on": str(complaint.due_on),  # the deadline in force when resolved (ISO date)
    }
    assert (
        "feedback" in sms_outbox.messages()[-1]["body"]
        or "solved" in sms_outbox.messages()[-1]["body"]
    )


@pytest.mark.parametrize("who", ["stranger", "ceo", "citizen"])
def test_only_the_holder_may_resolve(world, who):
    complaint = lodge(world)
    officer = {
        "stranger": world.stranger,
        "ceo": world.officers.ceo,
        "citizen": world.citizen,
    }[who]
    with pytest.raises(NotAllowed):
        complaint_resolve(complaint=complaint, officer=officer, remark="Closing this myself.")
    complaint.refresh_from_db()
    assert complaint.status == Status.ASSIGNED
    assert actions(complaint) == ["lodge", "auto_route"]


def test_resolution_needs_a_real_remark(world):
    complaint = lodge(world)
    with pytest.raises(ApplicationError, match="at least 10"):
        complaint_resolve(complaint=complaint, officer=world.officers.se, remark="  done  ")


def _resolved(world):
    complaint = lodge(world)
    complaint_resolve(complaint=complaint, officer=world.officers.se, remark="Bill corrected.")
    complaint.refresh_from_db()
    return complaint


def test_satisfied_citizen_closes_the_complaint(world):
    complaint = _resolved(world)
    feedback = complaint_give_feedback(
        complaint=complaint, citizen=world.citizen, data=FeedbackInput(True, 5, "Thank you")
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    assert complaint.closed_at is not None
    assert feedback.rating == 5
    assert actions(complaint)[-1] == "confirm"


def test_dissatisfied_citizen_reopens_it_one_level_above_the_resolver(world, sms_outbox):
    complaint = _resolved(world)
    complaint_give_feedback(
        complaint=complaint, citizen=world.citizen, data=FeedbackInput(False, 1, "Still wrong")
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.ASSIGNED
    assert complaint.assigned_position == world.positions.ceo
    assert complaint.resolved_at is None
    assert actions(complaint)[-2:] == ["dispute", "route_up"]
    assert "reopened" in sms_outbox.messages()[-1]["body"]


def test_feedback_only_once_per_resolution_and_only_by_the_owner(world):
    complaint = _resolved(world)
    with pytest.raises(NotAllowed):
        complaint_give_feedback(
            complaint=complaint, citizen=world.other_citizen, data=FeedbackInput(True, 5)
        )
    complaint_give_feedback(complaint=complaint, citizen=world.citizen, data=FeedbackInput(True, 4))
    complaint.refresh_from_db()
    with pytest.raises(ApplicationError, match="once the complaint is resolved"):
        complaint_give_feedback(
            complaint=complaint, citizen=world.citizen, data=FeedbackInput(False, 1)
        )


def test_rating_outside_one_to_five_is_refused(world):
    complaint = _resolved(world)
    with pytest.raises(ApplicationError, match="between 1 and 5"):
        complaint_give_feedback(
            complaint=complaint, citizen=world.citizen, data=FeedbackInput(True, 6)
        )


def test_events_cannot_be_edited_or_deleted_through_the_orm(world):
    event = lodge(world).events.get(seq=1)
    event.data = {"changed": True}
    with pytest.raises(Exception, match="append-only"):
        event.save()
    with pytest.raises(Exception, match="append-only"):
        event.delete()


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Friday + 1 → Monday
        (date(2026, 11, 30), 5, date(2026, 12, 7)),  # Monday + 5 → next Monday
        (date(2026, 11, 28), 0, date(2026, 11, 28)),
    ],
)
def test_deadlines_count_working_days_only(start, days, due):
    assert add_working_days(start, days) == due


def test_deadlines_skip_the_tiers_holidays_and_federal_ones(world, sms_outbox):

    from citizen_portal.directory.models import Holiday, Tier

    today = timezone.localdate()
    plain = add_working_days(today, 10)
    federal = Tier.objects.create(code="federal", reference_prefix="FD", name_en="Federal")
    sindh = Tier.objects.create(code="sindh", reference_prefix="SD", name_en="Sindh")
    first_working_day = add_working_days(today, 1)
    Holiday.objects.create(tier=federal, date=first_working_day, name_en="National day")
    # Another province's holiday changes nothing for a Punjab office.
    Holiday.objects.create(tier=sindh, date=add_working_days(today, 2), name_en="Sindh day")
    complaint = lodge(world)
    assert complaint.due_on == add_working_days(today, 10, {first_working_day})
    assert complaint.due_on > plain


def test_a_dispute_never_returns_to_the_person_who_resolved_it(world, sms_outbox):
    from citizen_portal.directory.tests.factories import PositionFactory, StaffFactory, hold

    # The SE's post is vacant; the CEO resolves for it; the CEO reports to a board chair.
    chair = PositionFactory(office=world.positions.ceo.office, title_en="Chair of the Board")
    world.positions.ceo.supervisor = chair
    world.positions.ceo.save()
    hold(StaffFactory(username="lesco.chair"), chair)
    world.positions.se.holdings.update(ended_at=timezone.now())
    complaint = lodge(world)
    complaint_resolve(complaint=complaint, officer=world.officers.ceo, remark="Bill corrected.")
    complaint.refresh_from_db()
    complaint_give_feedback(
        complaint=complaint, citizen=world.citizen, data=FeedbackInput(False, 1, "Not fixed")
    )
    complaint.refresh_from_db()
    assert complaint.assigned_position == chair
