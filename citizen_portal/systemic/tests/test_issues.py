"""Grouping complaints into a systemic issue, and fixing it: each linked complaint's own
timeline says so (and its hash chain stays valid), the fix resolves every linked complaint
still with an office, and every linked citizen and every follower is told."""

import pytest
from django.core.exceptions import ValidationError

from citizen_portal.complaints.models import Action, Complaint, Status
from citizen_portal.complaints.services.events import chain_break
from citizen_portal.complaints.services.officer_actions import (
    complaint_remark,
    complaint_request_info,
    complaint_resolve,
)
from citizen_portal.core.errors import ApplicationError, NotAllowed
from citizen_portal.notifications.tests.helpers import inbox, sms_to
from citizen_portal.systemic.models import IssueAction, IssueStatus, SystemicEvent
from citizen_portal.systemic.services.follows import complaint_follow
from citizen_portal.systemic.services.issues import (
    issue_change_owner,
    issue_fix,
    issue_link,
    issue_remark,
    issue_unlink,
    systemic_issue_create,
)
from citizen_portal.systemic.tests.helpers import lodge_as

TITLE = "Feeder 14 over-billing in Gulberg"


def group(world, complaints, actor=None):
    return systemic_issue_create(
        complaints=[c.reference for c in complaints],
        title=TITLE,
        summary="The meter reader of feeder 14 added a month.",
        owner=world.positions.se,
        actor=actor or world.officers.se,
    )


@pytest.mark.django_db
def test_grouping_appends_a_public_event_to_each_complaint_and_keeps_its_chain_valid(world):
    first, second = lodge_as(world, citizen=world.citizen), lodge_as(world)
    issue = group(world, [first, second])
    assert issue.reference.startswith("SI-")
    assert issue.status == IssueStatus.OPEN
    assert issue.area == world.lahore
    assert issue.department == world.lesco
    for complaint in (first, second):
        complaint.refresh_from_db()
        event = complaint.events.latest("seq")
        assert event.action == Action.LINK_SYSTEMIC
        assert event.is_public
        assert event.data == {"issue": issue.reference, "title": TITLE}
        assert complaint.status == Status.ASSIGNED  # grouping leaves the status alone
        assert chain_break(complaint) is None
    actions = list(issue.events.values_list("action", flat=True))
    assert actions == [IssueAction.CREATED, IssueAction.LINKED, IssueAction.LINKED]


@pytest.mark.django_db
def test_a_complaint_belongs_to_one_issue_and_only_open_ones_of_one_department(world):
    first, second = lodge_as(world), lodge_as(world)
    issue = group(world, [first])
    with pytest.raises(ApplicationError, match="already grouped"):
        issue_link(issue=issue, reference=first.reference, actor=world.officers.se)
    water = lodge_as(world, category=world.supply)
    Complaint.objects.filter(pk=water.pk).update(status=Status.CLOSED)
    with pytest.raises(ApplicationError, match="not open"):
        issue_link(issue=issue, reference=water.reference, actor=world.officers.se)
    with pytest.raises(ApplicationError, match="No complaint"):
        issue_link(issue=issue, reference="PB-2026-9999999-X", actor=world.officers.se)
    issue_link(issue=issue, reference=second.reference, actor=world.officers.se)
    assert issue.links.count() == 2


@pytest.mark.django_db
def test_an_officer_of_another_department_can_neither_group_nor_touch_an_issue(world):
    complaint = lodge_as(world)
    with pytest.raises(NotAllowed):
        group(world, [complaint], actor=world.stranger)
    assert (
        not Complaint.objects.get(pk=complaint.pk)
        .events.filter(action=Action.LINK_SYSTEMIC)
        .exists()
    )
    issue = group(world, [complaint])
    with pytest.raises(NotAllowed):
        issue_remark(issue=issue, remark="Not mine to say", actor=world.stranger)
    # Only the focal person gives the issue to another post.
    with pytest.raises(NotAllowed):
        issue_change_owner(issue=issue, owner=world.positions.ceo, actor=world.officers.se)
    issue_change_owner(issue=issue, owner=world.positions.ceo, actor=world.officers.focal)
    issue.refresh_from_db()
    assert issue.owner == world.positions.ceo


@pytest.mark.django_db
def test_the_issue_timeline_is_append_only(world):
    issue = group(world, [lodge_as(world)])
    event = issue.events.first()
    event.data = {"forged": True}
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    with pytest.raises(ValidationError):
        SystemicEvent.objects.filter(issue=issue).update(action=IssueAction.FIXED)
    with pytest.raises(ValidationError):
        SystemicEvent.objects.filter(issue=issue).delete()


@pytest.mark.django_db
def test_unlinking_takes_the_complaint_out_and_notes_it_for_officers_only(world):
    first, second = lodge_as(world), lodge_as(world)
    issue = group(world, [first, second])
    issue_unlink(issue=issue, reference=second.reference, actor=world.officers.se)
    assert list(issue.complaints.all()) == [first]
    second.refresh_from_db()
    last = second.events.latest("seq")
    assert last.action == Action.INTERNAL_NOTE
    assert not last.is_public
    assert chain_break(second) is None


@pytest.mark.django_db(transaction=True)
def test_fixing_resolves_linked_complaints_and_tells_every_citizen_and_follower(world, sms_outbox):
    ayesha = lodge_as(world, citizen=world.citizen)
    bilal = lodge_as(world, citizen=world.other_citizen)
    waiting = lodge_as(world)
    complaint_request_info(
        complaint=waiting, officer=world.officers.se, question="Which meter number is it?"
    )
    follower = lodge_as(world).citizen  # any citizen; they follow Ayesha's instead of lodging
    complaint_follow(
        citizen=follower,
        complaint=ayesha,
        category_id=world.overbilling.pk,
        district_id=world.lahore.pk,
    )
    issue = group(world, [ayesha, bilal, waiting])
    issue_fix(
        issue=issue, remarks="Feeder 14 bills recalculated for everyone.", actor=world.officers.se
    )

    issue.refresh_from_db()
    assert issue.status == IssueStatus.FIXED
    assert issue.fixed_at is not None
    for complaint in (ayesha, bilal):
        complaint.refresh_from_db()
        assert complaint.status == Status.RESOLVED
        actions = list(complaint.events.order_by("-seq").values_list("action", flat=True)[:2])
        assert actions == [Action.RESOLVE, Action.SYSTEMIC_FIXED]
        assert chain_break(complaint) is None
        # Told as after any resolution, and asked for feedback on their own page.
        assert "resolved" in sms_to(sms_outbox, complaint.citizen.phone or "")[-1]
        assert "Feeder 14 bills recalculated" in inbox(complaint.citizen)[-1].body
    # Waiting for the citizen's answer: not resolved, but told that the problem is fixed.
    waiting.refresh_from_db()
    assert waiting.status == Status.AWAITING_CITIZEN
    assert "is fixed" in inbox(waiting.citizen)[-1].body
    assert "has been fixed" in sms_to(sms_outbox, waiting.citizen.phone or "")[-1]
    # The follower: told on their channel, never shown the other citizen's words or name.
    notice = inbox(follower)[-1]
    assert TITLE in notice.body
    assert ayesha.reference in notice.body
    assert "45,000" not in notice.body
    assert world.citizen.full_name not in notice.body
    assert "has been fixed" in sms_to(sms_outbox, follower.phone or "")[-1]


@pytest.mark.django_db(transaction=True)  # the notifications are sent after commit
def test_a_follower_is_told_where_the_followed_complaint_stands_and_nothing_more(world, sms_outbox):
    theirs = lodge_as(world, citizen=world.other_citizen)
    follower = lodge_as(world).citizen
    complaint_follow(
        citizen=follower,
        complaint=theirs,
        category_id=world.overbilling.pk,
        district_id=world.lahore.pk,
    )
    told = len(inbox(follower))
    complaint_remark(complaint=theirs, officer=world.officers.se, remark="Meter reader called.")
    assert len(inbox(follower)) == told  # a remark is between the office and its citizen
    complaint_resolve(
        complaint=theirs, officer=world.officers.se, remark="Bill corrected to Rs 15,000."
    )
    notice = inbox(follower)[-1]
    assert len(inbox(follower)) == told + 1
    assert theirs.reference in notice.body
    assert "Resolved, waiting for the citizen to confirm" in notice.body
    for private in ("Bill corrected", "45,000", world.other_citizen.full_name):
        assert private not in notice.body
