import pytest
from django.urls import reverse

from citizen_portal.complaints.models import Complaint, Status
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.complaints.tests.lodging_steps import (
    DESCRIPTION,
    SUBJECT,
    fill_steps,
    lodge_on_the_web,
    step_url,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_citizen_lodges_on_the_web_and_lands_on_the_tracking_page(client, world, sms_outbox):
    client.force_login(world.citizen)
    page = client.get(reverse("complaints:lodge")).content.decode()
    assert "LESCO" in page
    chosen = {"department": world.lesco.pk, "action": "department"}
    page = client.post(reverse("complaints:lodge"), chosen, follow=True).content.decode()
    assert "Billing › Over-billing" in page
    response = lodge_on_the_web(client, world, follow=True)
    complaint = Complaint.objects.get()
    page = response.content.decode()
    assert complaint.reference in page
    assert "Superintending Engineer" in page
    assert complaint.status == Status.ASSIGNED


@pytest.mark.parametrize(
    ("step", "data", "message"),
    [
        ("details", {"subject": ""}, "This field is required"),
        ("details", {"subject": "x" * 201}, "at most 200 characters"),
        ("details", {"description": "too short"}, "at least 20 characters"),
        ("what", {"category": "999999"}, "Choose a category from the list."),
        ("where", {"district": "not-a-number"}, "Choose a district from the list."),
    ],
)
def test_bad_complaints_are_refused_and_what_was_typed_is_kept(client, world, step, data, message):
    client.force_login(world.citizen)
    fill_steps(client, world)
    typed = {
        "what": {"department": world.lesco.pk},
        "where": {"district": world.lahore.pk},
        "details": {"subject": SUBJECT, "description": DESCRIPTION},
    }[step]
    response = client.post(step_url(step), {**typed, **data, "action": "next"})
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    if step == "details":  # everything typed is still there to correct
        for value in {**typed, **data}.values():
            assert str(value) in page
    assert Complaint.objects.count() == 0


def test_a_citizen_never_sees_another_citizens_complaint(client, world, sms_outbox):
    complaint = lodge(world)
    client.force_login(world.other_citizen)
    assert client.get(reverse("complaints:detail", args=[complaint.reference])).status_code == 404
    assert complaint.reference not in client.get(reverse("complaints:mine")).content.decode()


def test_an_unknown_or_garbled_reference_is_a_plain_not_found(client, world):
    client.force_login(world.citizen)
    for reference in ["PB-2026-0000001-A", "%3Cscript%3E", "x" * 300]:
        assert client.get(f"/complaints/{reference}/").status_code == 404


def test_officer_sees_it_in_the_inbox_and_resolves_it(client, world, sms_outbox):
    complaint = lodge(world)
    client.force_login(world.officers.se)
    inbox = client.get(reverse("complaints:inbox")).content.decode()
    assert complaint.reference in inbox
    detail = client.get(reverse("complaints:work_detail", args=[complaint.reference]))
    page = detail.content.decode()
    assert "Mark as resolved" in page
    assert world.citizen.phone not in page  # the phone number is masked for officers
    response = client.post(
        reverse("complaints:work_resolve", args=[complaint.reference]),
        {"remark": "Meter re-read, bill corrected to Rs 15,000."},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.RESOLVED


def test_resolving_without_a_remark_explains_why_and_changes_nothing(client, world, sms_outbox):
    complaint = lodge(world)
    client.force_login(world.officers.se)
    response = client.post(
        reverse("complaints:work_resolve", args=[complaint.reference]), {"remark": "ok"}
    )
    assert response.status_code == 400
    assert "at least 10 characters" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == Status.ASSIGNED


def test_officers_of_other_departments_get_not_found(client, world, sms_outbox):
    complaint = lodge(world)
    client.force_login(world.stranger)
    assert complaint.reference not in client.get(reverse("complaints:inbox")).content.decode()
    url = reverse("complaints:work_detail", args=[complaint.reference])
    assert client.get(url).status_code == 404
    resolve = reverse("complaints:work_resolve", args=[complaint.reference])
    assert client.post(resolve, {"remark": "Resolved by a stranger."}).status_code == 404
    complaint.refresh_from_db()
    assert complaint.status == Status.ASSIGNED


def test_supervisor_can_read_but_not_resolve_a_subordinates_complaint(client, world, sms_outbox):
    complaint = lodge(world)
    client.force_login(world.officers.ceo)
    page = client.get(reverse("complaints:work_detail", args=[complaint.reference]))
    assert page.status_code == 200
    assert "Mark as resolved" not in page.content.decode()
    resolve = reverse("complaints:work_resolve", args=[complaint.reference])
    response = client.post(resolve, {"remark": "Resolved from above."})
    assert "You may not do this" in response.content.decode()


def test_citizens_and_staff_stay_on_their_own_pages(client, world):
    client.force_login(world.citizen)
    assert client.get(reverse("complaints:inbox")).status_code == 403
    client.force_login(world.officers.se)
    assert client.get(reverse("complaints:lodge")).status_code == 403
    client.logout()
    response = client.get(reverse("complaints:inbox"))
    assert response["Location"].startswith(reverse("accounts:staff_login"))


def test_citizen_gives_feedback_on_the_tracking_page(client, world, sms_outbox):
    from citizen_portal.complaints.services.officer_actions import complaint_resolve

    complaint = lodge(world)
    complaint_resolve(complaint=complaint, officer=world.officers.se, remark="Bill corrected.")
    client.force_login(world.citizen)
    url = reverse("complaints:detail", args=[complaint.reference])
    assert "Was your problem really solved?" in client.get(url).content.decode()
    response = client.post(url, {"satisfied": "maybe", "rating": "9"})
    assert "Select a valid choice" in response.content.decode()
    response = client.post(
        url, {"satisfied": "yes", "rating": "5", "comment": "Quick"}, follow=True
    )
    assert "now closed" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED


def test_lists_cost_the_same_few_queries_however_many_complaints(
    client, world, sms_outbox, django_assert_max_num_queries
):
    for _ in range(6):
        lodge(world)
    client.force_login(world.citizen)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("complaints:mine")).status_code == 200
    client.force_login(world.officers.se)
    # Session, user, notifications; posts, tab counts, filter choices (2), the page, drops,
    # the scorecard.
    with django_assert_max_num_queries(16):
        page = client.get(reverse("complaints:inbox")).content.decode()
    assert page.count('href="/work/PB-') == 6


def test_a_rule_to_a_vacant_post_still_routes_and_the_supervisor_sees_and_acts(
    client, world, sms_outbox
):
    from django.utils import timezone

    from citizen_portal.complaints.services.officer_actions import complaint_resolve

    world.positions.se.holdings.update(ended_at=timezone.now())  # the SE is transferred out
    complaint = lodge(world)
    assert complaint.assigned_position == world.positions.se
    client.force_login(world.officers.ceo)
    inbox = client.get(reverse("complaints:inbox")).content.decode()
    assert complaint.reference in inbox
    assert "Vacant post: Superintending Engineer" in inbox
    complaint_resolve(
        complaint=complaint,
        officer=world.officers.ceo,
        remark="Handled by the CEO while the post is vacant.",
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.RESOLVED
    # The officer who left no longer sees it.
    client.force_login(world.officers.se)
    assert complaint.reference not in client.get(reverse("complaints:inbox")).content.decode()


def test_the_lodge_page_lists_what_the_portal_cannot_take_with_the_reason(client, world):
    from citizen_portal.directory.models import OutOfScopeGround

    OutOfScopeGround.objects.create(
        code="OOS-COURT",
        name_en="Matter before a court",
        reason_en="The portal cannot intervene in court proceedings.",
        name_ur="عدالت میں زیرِ سماعت معاملہ",
        reason_ur="پورٹل عدالتی کارروائی میں مداخلت نہیں کر سکتا۔",
    )
    client.force_login(world.citizen)
    page = client.get(reverse("complaints:lodge")).content.decode()
    assert "The portal cannot intervene in court proceedings." in page
    client.cookies["portal_language"] = "ur"
    page = client.get(reverse("complaints:lodge")).content.decode()
    assert "پورٹل عدالتی کارروائی میں مداخلت نہیں کر سکتا۔" in page


def test_a_post_never_filled_shows_in_the_supervisors_inbox(client, world, sms_outbox):
    from citizen_portal.directory.tests.factories import PositionFactory, rule

    new_post = PositionFactory(office=world.positions.se.office, supervisor=world.positions.se)
    rule(world.overbilling, world.lahore, new_post)
    complaint = lodge(world)
    assert complaint.assigned_position == new_post
    client.force_login(world.officers.se)
    inbox = client.get(reverse("complaints:inbox")).content.decode()
    assert complaint.reference in inbox
    assert "Vacant post" in inbox


def test_the_lodge_form_costs_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    from citizen_portal.directory.tests.factories import CategoryFactory, DepartmentFactory

    for _ in range(5):  # departments nested under LESCO, each with categories
        child = DepartmentFactory(parent=world.lesco, tier=world.tier)
        CategoryFactory(department=child)
    client.force_login(world.citizen)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("complaints:lodge")).status_code == 200
