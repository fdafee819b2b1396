"""The officers' endpoints: the inbox (the web inbox's complaints, filtered and paged by
deadline), drops to review, a complaint's work page with its full timeline, and every action
with the web page's rules: what is not offered is refused, what the service refuses is
explained, junk is never a server error. Each action shows in what the citizen then sees."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from citizen_portal.api.serializers_actions import OFFICER_ACTIONS
from citizen_portal.api.tests.clients import api_for
from citizen_portal.complaints.models import Complaint, DropReason, Kind, Status
from citizen_portal.complaints.selectors.inbox import InboxQuery, inbox_complaints, inbox_scope
from citizen_portal.complaints.services.citizen_actions import complaint_provide_info
from citizen_portal.complaints.services.lodging import ComplaintInput, complaint_lodge
from citizen_portal.complaints.services.officer_actions import complaint_drop
from citizen_portal.complaints.services.transition import offered
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.complaints.views_officer import STEPS
from citizen_portal.core import clock
from citizen_portal.directory.models import Department, OutOfScopeGround
from citizen_portal.directory.tests.factories import (
    CategoryFactory,
    PositionFactory,
    StaffFactory,
    hold,
)

pytestmark = pytest.mark.django_db(transaction=True)

WORK = "/api/v1/work/"


def act(api, complaint, action, body=None, **kwargs):
    url = f"/api/v1/complaints/{complaint.reference}/actions/{action}/"
    kwargs.setdefault("format", "json")
    return api.post(url, body if body is not None else {}, **kwargs)


def citizen_view(world, complaint):
    response = api_for(world.citizen).get(f"/api/v1/complaints/{complaint.reference}/")
    assert response.status_code == 200
    return response.json()


def lodge_as(world, *, category, area, kind=Kind.COMPLAINT, subject="Power cut every evening"):
    return complaint_lodge(
        citizen=world.citizen,
        data=ComplaintInput(
            category=category,
            area=area,
            subject=subject,
            description="The supply has been cut every evening for a week now.",
            kind=kind,
        ),
    )


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 200, 20)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def sdo(world):
    """A Sub-Divisional Officer below the Superintending Engineer, and the officer holding it."""
    position = PositionFactory(
        office=world.positions.se.office,
        supervisor=world.positions.se,
        title_en="Sub-Divisional Officer",
    )
    officer = StaffFactory(username="lesco.sdo", full_name="Sajid Mehmood")
    hold(officer, position)
    return position, officer


@pytest.fixture
def ground(db):
    return OutOfScopeGround.objects.create(
        code="family",
        name_en="Family dispute",
        reason_en="Family disputes are decided by the family courts.",
    )


def references(page):
    return [item["reference"] for item in page["results"]]


def test_the_inbox_holds_what_the_web_inbox_holds_most_urgent_deadline_first(
    world, sms_outbox, travel
):
    early = lodge(world)
    travel(days=3)
    later = lodge(world)
    triage = lodge_as(world, category=world.supply, area=world.lahore)
    suggestion = lodge_as(world, category=world.supply, area=world.lahore, kind=Kind.SUGGESTION)
    se = api_for(world.officers.se).get(WORK).json()
    assert references(se) == [early.reference, later.reference]
    web = inbox_complaints(inbox_scope(world.officers.se), InboxQuery()).order_by(
        "due_sort",  # type: ignore[misc]  # an annotation the plugin does not see
        "pk",
    )
    assert references(se) == [c.reference for c in web]
    focal = api_for(world.officers.focal).get(WORK).json()
    # Suggestions have no deadline: after every complaint.
    assert references(focal) == [triage.reference, suggestion.reference]
    item = focal["results"][0]
    assert item["status"] == Status.TRIAGE
    assert item["assigned_to"]["title"] == "Complaint Cell"
    assert item["category"] == {"code": "FED-LESCO.SUPPLY", "name": "Power supply"}
    assert item["overdue"] is False


def test_the_inbox_filters_by_status_category_area_kind_and_overdue(world, sms_outbox, travel):
    supply = lodge_as(world, category=world.supply, area=world.lahore)
    kasur = lodge_as(world, category=world.overbilling, area=world.kasur)  # no rule: triage
    suggestion = lodge_as(world, category=world.supply, area=world.lahore, kind=Kind.SUGGESTION)
    api = api_for(world.officers.focal)

    def listed(**query):
        response = api.get(WORK, query)
        assert response.status_code == 200, response.json()
        return set(references(response.json()))

    assert listed() == {supply.reference, kasur.reference, suggestion.reference}
    assert listed(status="triage") == {supply.reference, kasur.reference}
    assert listed(category="FED-LESCO.BILL.OVER") == {kasur.reference}
    assert listed(area="PK-PB-LHR-KSR") == {kasur.reference}
    assert listed(kind="suggestion") == {suggestion.reference}
    assert listed(category="NO-SUCH-CODE") == set()
    assert listed(overdue="true") == set()
    travel(days=40)  # past every deadline, before any sweep escalates them
    assert listed(overdue="true") == {supply.reference, kasur.reference}
    assert listed(overdue="true", area="PK-PB-LHR-LHR") == {supply.reference}
    for junk in [{"status": "urgent"}, {"overdue": "maybe"}, {"page_size": "1e9"}]:
        assert api.get(WORK, junk).status_code == 400, junk


def test_the_inbox_pages_through_every_complaint_once(world, sms_outbox, travel):
    lodged = []
    for _ in range(3):
        lodged.append(lodge(world).reference)
        travel(days=1)
    api = api_for(world.officers.se)
    page = api.get(WORK, {"page_size": 2}).json()
    seen = references(page)
    while page["next"]:
        page = api.get(page["next"]).json()
        seen += references(page)
    assert seen == lodged
    back = api.get(page["previous"]).json()
    assert references(back) == lodged[:2]


def test_the_inbox_costs_the_same_queries_for_many_complaints(
    world, sms_outbox, django_assert_max_num_queries
):
    api = api_for(world.officers.se)
    lodge(world)
    with django_assert_max_num_queries(4):
        assert len(api.get(WORK).json()["results"]) == 1
    for _ in range(5):
        lodge(world)
    with django_assert_max_num_queries(4):
        assert len(api.get(WORK).json()["results"]) == 6


def test_the_work_page_has_the_full_timeline_and_masks_the_citizen(world, sms_outbox, sdo):
    complaint = lodge(world)
    se = api_for(world.officers.se)
    noted = act(se, complaint, "internal_note", {"remark": "Meter reader suspected"})
    assert noted.status_code == 200, noted.json()
    response = se.get(f"{WORK}{complaint.reference}/")
    assert response.status_code == 200
    body = response.json()
    assert body["timeline"][-1]["internal"] is True
    assert body["timeline"][-1]["quotes"][0]["text"] == "Meter reader suspected"
    assert body["timeline"][-1]["actor"] == str(world.officers.se)
    assert body["citizen"]["name"] == "Ayesha Khan"
    assert body["citizen"]["phone"] == world.citizen.masked_phone
    assert "+923001112233" not in response.content.decode()
    allowed = set(offered(world.officers.se, Complaint.objects.get(pk=complaint.pk)))
    assert body["actions"] == [a.value for a in STEPS if a in allowed]
    position, _officer = sdo
    assert body["positions"]["mark_down"] == [
        {"id": position.pk, "title": "Sub-Divisional Officer", "office": "LESCO Lahore Circle"}
    ]
    assert body["positions"]["route"] == []
    # The citizen never sees the note, nor that there was one.
    timeline = api_for(world.citizen).get(f"/api/v1/complaints/{complaint.reference}/timeline/")
    assert "Meter reader suspected" not in timeline.content.decode()


def test_actions_through_the_api_change_what_the_citizen_sees(world, sms_outbox, sdo):
    position, sdo_officer = sdo
    complaint = lodge(world)
    se = api_for(world.officers.se)
    marked = act(se, complaint, "mark_down", {"to": position.pk, "instructions": "Check meter"})
    assert marked.status_code == 200, marked.json()
    assert marked.json()["assigned_to"]["title"] == "Sub-Divisional Officer"
    assert marked.json()["visible"] is True  # the SE supervises it still
    assert citizen_view(world, complaint)["assigned_to"]["title"] == "Sub-Divisional Officer"

    sdo_api = api_for(sdo_officer)
    asked = act(sdo_api, complaint, "request_info", {"question": "Which meter number is it?"})
    assert asked.status_code == 200, asked.json()
    seen = citizen_view(world, complaint)
    assert seen["status"] == Status.AWAITING_CITIZEN
    assert seen["question"] == "Which meter number is it?"
    complaint_provide_info(complaint=complaint, citizen=world.citizen, answer="Meter 0451-22")

    promise = (clock.today() + timedelta(days=20)).isoformat()
    interim = act(
        sdo_api, complaint, "interim_reply", {"expected_on": promise, "reason": "New meter due"}
    )
    assert interim.status_code == 200, interim.json()
    assert citizen_view(world, complaint)["expected_on"] == promise

    evidence = SimpleUploadedFile("new-meter.png", png(), content_type="image/png")
    resolved = act(
        sdo_api,
        complaint,
        "resolve",
        {"remark": "The meter was replaced.", "outcome": "relief_granted", "files": [evidence]},
        format="multipart",
    )
    assert resolved.status_code == 200, resolved.json()
    assert resolved.json()["status"] == Status.RESOLVED
    assert "resolved" in resolved.json()["message"]
    seen = citizen_view(world, complaint)
    assert seen["status"] == Status.RESOLVED
    assert seen["allowed_actions"] == ["feedback"]
    events = api_for(world.citizen).get(f"/api/v1/complaints/{complaint.reference}/timeline/")
    last = events.json()["events"][-1]
    assert last["action"] == "resolve"
    assert last["attachments"][0]["name"] == "new-meter.png"
    assert {"label": "Outcome", "value": "Relief granted"} in last["facts"]


def test_an_action_that_is_not_offered_is_refused_before_any_service(world, sms_outbox):
    complaint = lodge(world)  # with the Superintending Engineer
    before = Complaint.objects.get(pk=complaint.pk).event_count
    focal = api_for(world.officers.focal)
    refused = act(focal, complaint, "resolve", {"remark": "Done and dusted here."})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "not_offered"
    # Routing is for complaints in triage; this one is assigned.
    assert act(api_for(world.officers.se), complaint, "route", {"to": 1}).status_code == 403
    assert act(api_for(world.officers.se), complaint, "fly_away").status_code == 404
    assert act(api_for(world.officers.se), complaint, "provide_info").status_code == 404
    # Another department's officer does not see it at all.
    assert act(api_for(world.stranger), complaint, "remark", {"remark": "Hello"}).status_code == 404
    assert api_for(world.stranger).get(f"{WORK}{complaint.reference}/").status_code == 404
    as_citizen = act(api_for(world.citizen), complaint, "remark", {"remark": "Hello there"})
    assert as_citizen.status_code == 403
    assert as_citizen.json()["error"]["code"] == "wrong_account"
    assert api_for(world.citizen).get(WORK).status_code == 403
    assert Complaint.objects.get(pk=complaint.pk).event_count == before


def test_the_forms_and_services_refusals_come_back_as_400_or_409(world, sms_outbox, sdo):
    complaint = lodge(world)
    se = api_for(world.officers.se)
    past = (clock.today() - timedelta(days=1)).isoformat()
    late = act(se, complaint, "interim_reply", {"expected_on": past, "reason": "A long story"})
    assert late.status_code == 400
    assert late.json()["error"]["code"] == "expected_on"
    short = act(se, complaint, "resolve", {"remark": "Done"})
    assert short.status_code == 400
    assert short.json()["error"]["code"] == "too_short"
    # The CEO's post is not below the SE's: the web form does not offer it.
    above = act(
        se, complaint, "mark_down", {"to": world.positions.ceo.pk, "instructions": "Look at it"}
    )
    assert above.status_code == 400
    assert "to" in above.json()["error"]["fields"]
    own = act(se, complaint, "transfer", {"category": "FED-LESCO.SUPPLY", "reason": "Not billing"})
    assert own.status_code == 400
    assert own.json()["error"]["fields"]["category"] == [
        "Choose a category of another department on the portal."
    ]
    unknown = act(se, complaint, "transfer", {"category": "NOPE", "reason": "Elsewhere entirely"})
    assert unknown.json()["error"]["fields"]["category"] == ["No category has this code."]
    assert Complaint.objects.get(pk=complaint.pk).status == Status.ASSIGNED


def test_triage_routes_to_a_post_and_a_transfer_takes_it_out_of_sight(world, sms_outbox):
    wasa = CategoryFactory(
        code="PB-WASA.WATER", department=Department.objects.get(code="PB-WASA"), name_en="Water"
    )
    complaint = lodge_as(world, category=world.supply, area=world.lahore)
    focal = api_for(world.officers.focal)
    choices = focal.get(f"{WORK}{complaint.reference}/").json()["positions"]["route"]
    se_post = next(c for c in choices if c["title"] == "Superintending Engineer")
    routed = act(focal, complaint, "route", {"to": se_post["id"]})
    assert routed.status_code == 200, routed.json()
    assert citizen_view(world, complaint)["assigned_to"]["title"] == "Superintending Engineer"
    se = api_for(world.officers.se)
    moved = act(se, complaint, "transfer", {"category": wasa.code, "reason": "Water, not power"})
    assert moved.status_code == 200, moved.json()
    assert moved.json()["visible"] is False
    assert moved.json()["actions"] == []
    seen = citizen_view(world, complaint)
    assert seen["department"]["code"] == "PB-WASA"
    assert seen["assigned_to"]["title"] == "Director"


def test_a_drop_is_explained_to_the_citizen_and_reviewed_once_by_the_supervisor(
    world, sms_outbox, ground
):
    complaint = lodge(world)
    se = api_for(world.officers.se)
    dropped = act(
        se,
        complaint,
        "drop",
        {"reason": "out_of_scope", "explanation": "This is a family matter.", "ground": "family"},
    )
    assert dropped.status_code == 200, dropped.json()
    drop = citizen_view(world, complaint)["drop"]
    assert drop["drop_reason"] == "out_of_scope"
    assert drop["explanation"] == "This is a family matter."
    assert drop["ground"]["reason"] == "Family disputes are decided by the family courts."
    ceo = api_for(world.officers.ceo)
    assert references(ceo.get(f"{WORK}drops-to-review/").json()) == [complaint.reference]
    upheld = act(ceo, complaint, "review_drop", {"overturn": False, "remark": "Rightly dropped."})
    assert upheld.status_code == 200, upheld.json()
    assert references(ceo.get(f"{WORK}drops-to-review/").json()) == []
    again = act(ceo, complaint, "review_drop", {"overturn": True, "remark": "On second thought"})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "reviewed"


def test_an_overturned_drop_goes_back_to_work(world, sms_outbox):
    complaint = lodge(world)
    complaint_drop(
        complaint=complaint,
        officer=world.officers.se,
        reason=DropReason.ABUSIVE,
        explanation="Insulting language used.",
    )
    ceo = api_for(world.officers.ceo)
    missing = act(ceo, complaint, "review_drop", {"remark": "It was not abusive."})
    assert missing.status_code == 400  # a decision is never assumed
    overturned = act(
        ceo, complaint, "review_drop", {"overturn": True, "remark": "It was not abusive."}
    )
    assert overturned.status_code == 200, overturned.json()
    assert citizen_view(world, complaint)["status"] == Status.ASSIGNED


def test_a_duplicate_follows_the_earlier_complaint(world, sms_outbox):
    earlier = lodge(world)
    later = lodge(world)
    se = api_for(world.officers.se)
    linked = act(se, later, "link_duplicate", {"earlier_reference": earlier.reference.lower()})
    assert linked.status_code == 200, linked.json()
    seen = citizen_view(world, later)
    assert seen["status"] == Status.DROPPED
    assert seen["followed"]["reference"] == earlier.reference
    backwards = act(se, earlier, "link_duplicate", {"earlier_reference": later.reference})
    assert backwards.status_code == 400


def test_a_suggestion_is_acknowledged_considered_and_adopted(world, sms_outbox):
    suggestion = lodge_as(world, category=world.supply, area=world.lahore, kind=Kind.SUGGESTION)
    focal = api_for(world.officers.focal)
    actions = focal.get(f"{WORK}{suggestion.reference}/").json()["actions"]
    assert actions == ["transfer", "acknowledge", "consider", "note", "remark", "internal_note"]
    assert act(focal, suggestion, "acknowledge").status_code == 200
    assert act(focal, suggestion, "consider", {"remark": ""}).status_code == 200
    assert act(focal, suggestion, "adopt").status_code == 400  # the citizen is told what follows
    adopted = act(focal, suggestion, "adopt", {"remark": "Evening meter readings from May."})
    assert adopted.status_code == 200, adopted.json()
    assert citizen_view(world, suggestion)["status"] == Status.ADOPTED


def test_every_officer_action_of_the_web_page_is_in_the_api():
    assert list(STEPS) == OFFICER_ACTIONS


JUNK: list[Any] = [
    {},
    [],
    None,
    "text",
    7,
    {"remark": ["a"], "to": "1 OR 1=1", "question": {"q": 1}},
    {"remark": "x" * 5000, "instructions": "💥" * 3000, "question": "\x00", "reason": "\x00"},
    {"to": 10**30, "expected_on": "2020-02-31", "reason": "not_our_department"},
    {"category": {"code": "x"}, "earlier_reference": "\x00PB-2026", "explanation": "\u202e"},
    {"overturn": "perhaps", "outcome": "miracle", "remark": "\ud800"},
    {"ground": "-5", "reason": "out_of_scope", "explanation": "x" * 3000},
    {"to": -1, "expected_on": "tomorrow", "remark": 3.5, "earlier_reference": "x" * 40},
]


def test_junk_to_any_action_is_answered_with_an_error_never_a_server_error(
    world, sms_outbox, sdo, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    complaint = lodge(world)
    se = api_for(world.officers.se)
    for action in [*OFFICER_ACTIONS, "x" * 300, "%00"]:
        for body in JUNK:
            url = f"/api/v1/complaints/{complaint.reference}/actions/{action}/"
            response = se.post(url, json.dumps(body), content_type="application/json")
            assert response.status_code in {400, 403, 404}, (action, body, response.content)
            assert response.json()["error"]["code"]
        form = act(se, complaint, action, {"files": "not a file", "to": "x"}, format="multipart")
        assert form.status_code in {400, 403, 404}, (action, form.content)
        plain = se.post(url, "remark=hello", content_type="text/plain")
        assert plain.status_code in {403, 404, 415}
    huge = json.dumps({"remark": "x" * 200_000})
    too_big = act(se, complaint, "remark", huge, content_type="application/json", format=None)
    assert too_big.status_code == 413
    assert Complaint.objects.get(pk=complaint.pk).status == Status.ASSIGNED
    assert Complaint.objects.get(pk=complaint.pk).event_count == 2


def test_the_work_page_names_the_agent_who_lodged_it_for_the_citizen(world, sms_outbox):
    from citizen_portal.complaints.models import Channel
    from citizen_portal.intake.services.lodging import channel_lodge

    agent = StaffFactory(username="helpline.one", full_name="Sana Agent", role="agent")
    complaint = channel_lodge(
        citizen=world.citizen,
        channel=Channel.PHONE,
        subject="Bill doubled",
        description="The caller's bill doubled this month without reason.",
        category=world.billing,
        area=world.lahore,
        entered_by=agent,
    )
    page = api_for(world.officers.se).get(f"{WORK}{complaint.reference}/").json()
    assert (page["channel"], page["entered_by"]) == ("phone", "Sana Agent")
    own = lodge(world)
    assert api_for(world.officers.se).get(f"{WORK}{own.reference}/").json()["entered_by"] is None
