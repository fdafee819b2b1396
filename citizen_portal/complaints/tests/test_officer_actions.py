"""Officer actions through the services: each moves the complaint as the rules say, records
one event, and refuses what the rules forbid without changing anything."""

from datetime import timedelta

import pytest

from citizen_portal.complaints.models import Complaint, DropReason, Outcome, Status
from citizen_portal.complaints.services.citizen_actions import complaint_provide_info
from citizen_portal.complaints.services.officer_actions import (
    complaint_drop,
    complaint_interim_reply,
    complaint_link_duplicate,
    complaint_mark_down,
    complaint_remark,
    complaint_request_info,
    complaint_resolve,
    complaint_return_up,
    complaint_review_drop,
    complaint_route,
    complaint_transfer,
)
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.core import clock
from citizen_portal.core.errors import ApplicationError, NotAllowed
from citizen_portal.directory.models import OutOfScopeGround
from citizen_portal.directory.selectors.calendar import add_working_days
from citizen_portal.directory.tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    OfficeFactory,
    PositionFactory,
    StaffFactory,
    hold,
    rule,
)

pytestmark = pytest.mark.django_db(transaction=True)


def actions(complaint):
    return list(complaint.events.order_by("seq").values_list("action", flat=True))


@pytest.fixture
def xen(world):
    """An Executive Engineer below the SE, with a holder."""
    post = PositionFactory(
        office=world.positions.se.office,
        title_en="Executive Engineer",
        supervisor=world.positions.se,
    )
    officer = StaffFactory(username="lesco.xen")
    hold(officer, post)
    return post, officer


@pytest.fixture
def wasa_billing(world):
    """A category of another department (WASA), routed to its director in Lahore."""
    category = CategoryFactory(
        code="PB-WASA.BILL",
        department=world.stranger.holdings.first().position.office.department,
        name_en="Water bill",
    )
    rule(category, world.lahore, world.stranger.holdings.first().position)
    return category


def test_mark_down_moves_it_below_with_instructions_and_keeps_the_deadline(world, xen):
    post, officer = xen
    complaint = lodge(world)
    moved = complaint_mark_down(
        complaint=complaint,
        officer=world.officers.se,
        to=post,
        instructions="Check the meter reading.",
    )
    assert moved.assigned_position == post
    assert moved.due_on == complaint.due_on
    event = moved.events.get(action="mark_down")
    assert event.data == {"instructions": "Check the meter reading."}
    assert (event.from_position, event.to_position) == (world.positions.se, post)
    # The XEN now holds it; the SE supervises it.
    with pytest.raises(NotAllowed):
        complaint_resolve(
            complaint=moved, officer=world.officers.se, remark="Done by the SE myself."
        )
    complaint_return_up(complaint=moved, officer=officer, remark="Needs the SE's sanction.")
    moved.refresh_from_db()
    assert moved.assigned_position == world.positions.se


def test_mark_down_only_to_a_post_below(world):
    complaint = lodge(world)
    with pytest.raises(ApplicationError, match="below yours"):
        complaint_mark_down(
            complaint=complaint,
            officer=world.officers.se,
            to=world.positions.focal,
            instructions="Please look into this.",
        )
    assert actions(complaint) == ["lodge", "auto_route"]


def test_a_complaint_naming_an_officer_never_reaches_them_or_their_subordinates(world, xen):
    from citizen_portal.complaints.services.lodging import ComplaintInput, complaint_lodge

    post, _officer = xen
    complaint = complaint_lodge(
        citizen=world.citizen,
        data=ComplaintInput(
            category=world.overbilling,
            area=world.lahore,
            subject="The SE refuses to correct my bill",
            description="The Superintending Engineer has ignored three applications.",
            against_position=world.positions.se,
        ),
    )
    # The rule points at the SE; the complaint goes to the CEO above the named post instead.
    assert complaint.assigned_position == world.positions.ceo
    with pytest.raises(ApplicationError):
        complaint_mark_down(
            complaint=complaint,
            officer=world.officers.ceo,
            to=post,
            instructions="XEN, please handle this one.",
        )
    complaint.refresh_from_db()
    assert complaint.assigned_position == world.positions.ceo


def test_transfer_routes_it_in_the_receiving_department_with_a_fresh_deadline(world, wasa_billing):
    complaint = lodge(world)
    moved = complaint_transfer(
        complaint=complaint,
        officer=world.officers.se,
        category=wasa_billing,
        reason="This is a water bill, not electricity.",
    )
    assert moved.department == wasa_billing.department
    assert moved.category == wasa_billing
    assert moved.assigned_position == world.stranger.holdings.first().position
    assert moved.transfer_count == 1
    assert moved.status == Status.ASSIGNED


def test_after_three_transfers_it_goes_to_the_tiers_complaint_cell(world, wasa_billing, settings):
    complaint = lodge(world)
    Complaint.objects.filter(pk=complaint.pk).update(transfer_count=settings.MAX_TRANSFERS)
    moved = complaint_transfer(
        complaint=complaint,
        officer=world.officers.se,
        category=wasa_billing,
        reason="Still not ours, it is water.",
    )
    assert moved.status == Status.TRIAGE
    assert moved.assigned_position == world.positions.cell
    # The cell places it with the right office; its own moves do not count as transfers.
    placed = complaint_transfer(
        complaint=moved,
        officer=world.cell_officer,
        category=wasa_billing,
        reason="Water billing belongs to WASA.",
    )
    assert placed.department == wasa_billing.department
    assert placed.transfer_count == settings.MAX_TRANSFERS


def test_transfer_within_the_same_department_is_refused(world):
    complaint = lodge(world)
    with pytest.raises(ApplicationError, match="another department"):
        complaint_transfer(
            complaint=complaint,
            officer=world.officers.se,
            category=world.supply,
            reason="Belongs to supply section.",
        )


def test_focal_person_routes_triage_to_a_post_and_its_clock_starts(world, travel):
    complaint = lodge(world, area=world.kasur)
    assert complaint.status == Status.TRIAGE
    travel(days=3)
    moved = complaint_route(
        complaint=complaint, officer=world.officers.focal, to=world.positions.se
    )
    assert moved.status == Status.ASSIGNED
    assert moved.assigned_position == world.positions.se
    assert moved.clock_started_on == clock.today()
    assert moved.due_on == add_working_days(clock.today(), 10)


def test_request_info_pauses_the_deadline_until_the_citizen_answers(world, travel):
    complaint = lodge(world)
    asked = complaint_request_info(
        complaint=complaint, officer=world.officers.se, question="Please send your consumer number."
    )
    assert asked.status == Status.AWAITING_CITIZEN
    assert asked.paused_at is not None
    # A week later (five working days) the citizen answers: the deadline moves by five.
    travel(days=7)
    answered = complaint_provide_info(
        complaint=asked, citizen=world.citizen, answer="Consumer number 12 34567 8901234"
    )
    assert answered.status == Status.ASSIGNED
    assert answered.paused_at is None
    assert complaint.due_on is not None
    assert answered.due_on == add_working_days(complaint.due_on, 5)
    assert answered.events.get(action="provide_info").data["paused_working_days"] == 5


def test_only_the_owner_answers_and_only_when_asked(world):
    complaint = lodge(world)
    with pytest.raises(ApplicationError, match="Nothing has been asked"):
        complaint_provide_info(complaint=complaint, citizen=world.citizen, answer="Here it is.")
    complaint_request_info(
        complaint=complaint, officer=world.officers.se, question="Please send your consumer number."
    )
    with pytest.raises(NotAllowed):
        complaint_provide_info(complaint=complaint, citizen=world.other_citizen, answer="Mine!")


def test_interim_reply_sets_the_expected_date_but_not_the_deadline(world):
    complaint = lodge(world)
    expected = clock.today() + timedelta(days=40)
    moved = complaint_interim_reply(
        complaint=complaint,
        officer=world.officers.se,
        expected_on=expected,
        reason="A new meter must be ordered from Lahore store.",
    )
    assert moved.expected_on == expected
    assert moved.due_on == complaint.due_on
    with pytest.raises(ApplicationError, match="expected date"):
        complaint_interim_reply(
            complaint=moved,
            officer=world.officers.se,
            expected_on=clock.today() - timedelta(days=1),
            reason="Backdating is not allowed.",
        )


def test_resolution_records_the_outcome_and_not_possible_needs_an_explanation(world):
    complaint = lodge(world)
    with pytest.raises(ApplicationError, match="at least 30"):
        complaint_resolve(
            complaint=complaint,
            officer=world.officers.se,
            remark="Cannot be done.",
            outcome=Outcome.RELIEF_NOT_POSSIBLE,
        )
    moved = complaint_resolve(
        complaint=complaint,
        officer=world.officers.se,
        remark="The bill follows the tariff notified by NEPRA for this month.",
        outcome=Outcome.RELIEF_NOT_POSSIBLE,
    )
    assert moved.status == Status.RESOLVED
    assert moved.outcome == Outcome.RELIEF_NOT_POSSIBLE
    assert moved.events.get(action="resolve").data["outcome"] == "relief_not_possible"


def test_drop_needs_a_listed_reason_and_the_supervisor_can_overturn_it(world):
    ground = OutOfScopeGround.objects.create(
        code="sub-judice-test", name_en="Sub judice", reason_en="The matter is before a court."
    )
    complaint = lodge(world)
    with pytest.raises(ApplicationError, match="listed reasons"):
        complaint_drop(
            complaint=complaint,
            officer=world.officers.se,
            reason=DropReason.INCOMPLETE,
            explanation="The citizen did not reply.",
        )
    with pytest.raises(ApplicationError, match="outside the portal"):
        complaint_drop(
            complaint=complaint,
            officer=world.officers.se,
            reason=DropReason.OUT_OF_SCOPE,
            explanation="This is a matter for the court.",
        )
    dropped = complaint_drop(
        complaint=complaint,
        officer=world.officers.se,
        reason=DropReason.OUT_OF_SCOPE,
        explanation="This is a matter for the court.",
        ground=ground,
    )
    assert dropped.status == Status.DROPPED
    assert dropped.drop_reason == DropReason.OUT_OF_SCOPE
    # The holder cannot review their own drop; the CEO above can, once.
    with pytest.raises(NotAllowed):
        complaint_review_drop(
            complaint=dropped, officer=world.officers.se, overturn=True, remark="I changed my mind."
        )
    reopened = complaint_review_drop(
        complaint=dropped,
        officer=world.officers.ceo,
        overturn=True,
        remark="Billing is ours, not the court's.",
    )
    assert reopened.status == Status.ASSIGNED
    assert reopened.assigned_position == world.positions.se
    assert reopened.drop_reason == ""
    assert reopened.drop_reviewed_at is not None


def test_duplicates_link_to_the_earliest_complaint_of_the_department(world):
    first = lodge(world)
    second = lodge(world, citizen=world.other_citizen)
    third = lodge(world)
    complaint_link_duplicate(
        complaint=second, officer=world.officers.se, earlier_reference=first.reference
    )
    # Linking to a duplicate follows it to the original.
    linked = complaint_link_duplicate(
        complaint=third, officer=world.officers.se, earlier_reference=second.reference.lower()
    )
    assert linked.status == Status.DROPPED
    assert linked.drop_reason == DropReason.DUPLICATE
    assert linked.duplicate_of == first
    with pytest.raises(ApplicationError, match="earlier complaint"):
        complaint_link_duplicate(
            complaint=first, officer=world.officers.se, earlier_reference=first.reference
        )


def test_internal_notes_are_hidden_from_the_citizen_and_remarks_are_not(world):
    complaint = lodge(world)
    complaint_remark(complaint=complaint, officer=world.officers.se, remark="Site visit on Monday.")
    complaint_remark(
        complaint=complaint,
        officer=world.officers.ceo,
        remark="Check this consumer's history.",
        internal=True,
    )
    events = {e.action: e.is_public for e in complaint.events.all()}
    assert events["remark"] is True
    assert events["internal_note"] is False
    with pytest.raises(NotAllowed):
        complaint_remark(complaint=complaint, officer=world.stranger, remark="Not my business.")


def test_a_suggestion_goes_to_the_department_and_follows_its_own_flow(world):
    from citizen_portal.complaints.models import Kind
    from citizen_portal.complaints.services.lodging import ComplaintInput, complaint_lodge
    from citizen_portal.complaints.services.officer_actions import suggestion_step
    from citizen_portal.complaints.transitions import Action

    suggestion = complaint_lodge(
        citizen=world.citizen,
        data=ComplaintInput(
            category=world.billing,
            area=world.lahore,
            subject="Send bills by SMS",
            description="An SMS with the amount due would save paper and trips to the bank.",
            kind=Kind.SUGGESTION,
        ),
    )
    assert suggestion.status == Status.RECEIVED
    assert suggestion.assigned_position == world.positions.focal
    assert suggestion.due_on is None
    for action in (Action.ACKNOWLEDGE, Action.CONSIDER):
        suggestion = suggestion_step(
            complaint=suggestion, officer=world.officers.focal, action=action
        )
    with pytest.raises(ApplicationError):
        complaint_resolve(complaint=suggestion, officer=world.officers.focal, remark="Done it all.")
    adopted = suggestion_step(
        complaint=suggestion,
        officer=world.officers.focal,
        action=Action.ADOPT,
        remark="SMS bills start next quarter.",
    )
    assert adopted.status == Status.ADOPTED
    assert actions(adopted) == ["lodge", "auto_route", "acknowledge", "consider", "adopt"]


def test_a_department_without_a_cell_and_other_unrelated_officers_are_refused(world):
    other = DepartmentFactory(code="FED-NADRA-T", tier=world.tier, name_en="NADRA")
    office = OfficeFactory(department=other, jurisdiction=world.lahore)
    post = PositionFactory(office=office, title_en="Registrar")
    complaint = lodge(world)
    with pytest.raises(ApplicationError):
        complaint_mark_down(
            complaint=complaint, officer=world.officers.se, to=post, instructions="Over to NADRA."
        )


def test_a_suggestion_can_always_be_passed_to_the_right_department(world, wasa_billing, settings):
    from citizen_portal.complaints.models import Kind

    suggestion = lodge(world)
    Complaint.objects.filter(pk=suggestion.pk).update(
        kind=Kind.SUGGESTION,
        status=Status.RECEIVED,
        assigned_position=world.positions.focal,
        transfer_count=settings.MAX_TRANSFERS,
        due_on=None,
    )
    moved = complaint_transfer(
        complaint=suggestion,
        officer=world.officers.focal,
        category=wasa_billing,
        reason="Water billing is WASA's to consider.",
    )
    assert moved.status == Status.RECEIVED
    assert moved.department == wasa_billing.department
    assert moved.due_on is None
