"""The focal person's triage queue: what routing could not place, oldest first, a page at a
time; with the category and the post a routing rule now names, and a one-click "direct it
there". Only focal persons open it, and each sees only their own posts' complaints."""

from __future__ import annotations

import pytest
from django.urls import reverse

from citizen_portal.complaints import views_focal
from citizen_portal.complaints.models import Action, Complaint, Status
from citizen_portal.complaints.selectors.focal import suggestions_for
from citizen_portal.complaints.services.officer_actions import complaint_route
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.directory.selectors.routing import route_for
from citizen_portal.directory.tests.factories import CategoryFactory, PositionFactory, rule

pytestmark = pytest.mark.django_db(transaction=True)


def triage(client, **params):
    return client.get(reverse("complaints:focal_triage"), params)


def in_triage(world, n, **kwargs) -> list[Complaint]:
    complaints = [lodge(world, category=world.supply, **kwargs) for _ in range(n)]
    assert all(c.status == Status.TRIAGE for c in complaints)
    return complaints


def test_the_queue_lists_triage_complaints_oldest_first_with_where_they_could_go(
    client, world, sms_outbox
):
    lahore, kasur = in_triage(world, 1)[0], in_triage(world, 1, area=world.kasur)[0]
    placed = lodge(world)  # a rule covers it: with the office, not in triage
    # A rule added after they were lodged now covers the Lahore complaint, not the Kasur one.
    rule(world.supply, world.lahore, world.positions.se)
    client.force_login(world.officers.focal)
    response = triage(client)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index(lahore.reference) < page.index(kasur.reference)  # oldest first
    assert placed.reference not in page
    assert "Power supply" in page  # the category, as the citizen chose it
    assert "Superintending Engineer, LESCO Lahore Circle" in page  # the rule's post
    assert page.count("Direct it there") == 1
    assert "No rule covers it: choose a post." in page


def test_direct_it_there_routes_the_complaint_in_one_click(client, world, sms_outbox):
    [complaint] = in_triage(world, 1)
    rule(world.supply, world.lahore, world.positions.se)
    client.force_login(world.officers.focal)
    url = reverse("complaints:focal_route", args=[complaint.reference])
    response = client.post(url, {"to": world.positions.se.pk}, follow=True)
    assert f"{complaint.reference} is now with Superintending Engineer" in response.content.decode()
    moved = Complaint.objects.get(pk=complaint.pk)
    assert (moved.status, moved.assigned_position) == (Status.ASSIGNED, world.positions.se)
    assert moved.events.filter(action=Action.ROUTE).count() == 1
    # Pressed again (a second tab): refused with the reason, nothing changes.
    response = client.post(url, {"to": world.positions.se.pk}, follow=True)
    assert "This action is not possible while the complaint is" in response.content.decode()
    assert Complaint.objects.get(pk=complaint.pk).event_count == moved.event_count
    response = client.post(url, {"to": "not a post"}, follow=True)
    assert "choose a post in use" in response.content.decode()


def test_suggestions_agree_with_the_routing_rules(world, sms_outbox):
    meters = CategoryFactory(department=world.lesco, parent=world.supply, depth=1, name_en="Meters")
    complaints = [
        *in_triage(world, 1),
        *in_triage(world, 1, area=world.kasur),
        lodge(world, category=meters, area=world.kasur),
    ]
    cell = PositionFactory(office=world.positions.se.office, title_en="Meter Cell")
    rule(world.supply, world.punjab, world.positions.se)  # the province, the whole tree
    rule(meters, world.kasur, cell)  # deeper category, smaller area: wins
    suggestions = suggestions_for(complaints)
    for complaint in complaints:
        expected = route_for(category=complaint.category, area=complaint.area).position
        assert suggestions[complaint.pk].position == expected
        assert suggestions[complaint.pk].category == complaint.category
    assert suggestions[complaints[2].pk].position == cell


def test_the_queue_costs_the_same_number_of_queries_however_long_it_is(
    client, world, sms_outbox, django_assert_max_num_queries
):
    in_triage(world, 1, area=world.kasur)
    rule(world.billing, world.kasur, world.positions.se)  # the rules are read either way
    client.force_login(world.officers.focal)
    triage(client)  # the session is warm, as for an officer at work
    with django_assert_max_num_queries(12):
        assert triage(client).status_code == 200
    in_triage(world, 15)
    in_triage(world, 14, area=world.kasur)
    rule(world.supply, world.kasur, world.positions.se)  # after lodging: they stay in triage
    with django_assert_max_num_queries(12):
        page = triage(client).content.decode()
    assert page.count("Direct it there") == 15


def test_the_queue_is_read_a_page_at_a_time(client, world, sms_outbox, monkeypatch):
    monkeypatch.setattr(views_focal, "PAGE_SIZE", 2)
    complaints = [c.reference for c in in_triage(world, 5)]
    client.force_login(world.officers.focal)
    first = triage(client).content.decode()
    assert [r in first for r in complaints] == [True, True, False, False, False]
    assert "Earlier complaints" not in first
    second_url = first.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0]
    second = client.get(second_url.replace("&amp;", "&")).content.decode()
    assert [r in second for r in complaints] == [False, False, True, True, False]
    # A complaint directed meanwhile does not shift the pages: nothing is skipped.
    complaint_route(
        complaint=Complaint.objects.get(reference=complaints[0]),
        officer=world.officers.focal,
        to=world.positions.se,
    )
    back_url = second.split('rel="prev"')[0].rsplit('href="', 1)[1].split('"')[0]
    back = client.get(back_url.replace("&amp;", "&")).content.decode()
    assert [r in back for r in complaints] == [False, True, False, False, False]
    third_url = second.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0]
    third = client.get(third_url.replace("&amp;", "&")).content.decode()
    assert [r in third for r in complaints] == [False, False, False, False, True]
    assert "Later complaints" not in third


def test_a_forged_page_link_gives_the_first_page_and_says_so(client, world, sms_outbox):
    [complaint] = in_triage(world, 1)
    client.force_login(world.officers.focal)
    for forged in ["nonsense", "Znw=", "Znx4fDE", "ZnwyMDI2LTAxLTAxfHg"]:
        response = triage(client, page=forged)
        assert response.status_code == 400
        page = response.content.decode()
        assert "This page link is not valid" in page
        assert complaint.reference in page


def test_complaints_at_a_vacant_post_below_show_in_the_assigned_queue(client, world, sms_outbox):
    vacant = PositionFactory(
        office=world.positions.focal.office, supervisor=world.positions.focal, title_en="Clerk"
    )
    [complaint] = in_triage(world, 1)
    complaint_route(complaint=complaint, officer=world.officers.focal, to=vacant)
    client.force_login(world.officers.focal)
    page = client.get(reverse("complaints:focal_desk")).content.decode()
    assert complaint.reference in page
    assert "Clerk" in page
    assert complaint.reference not in triage(client).content.decode()


def test_each_focal_person_sees_only_their_own_queue(client, world, sms_outbox):
    [complaint] = in_triage(world, 1)
    client.force_login(world.stranger)  # WASA's focal person
    response = triage(client)
    assert response.status_code == 200
    assert complaint.reference not in response.content.decode()
    assert "Nothing is waiting for triage." in response.content.decode()
    url = reverse("complaints:focal_route", args=[complaint.reference])
    assert client.post(url, {"to": world.positions.se.pk}).status_code == 404
    assert Complaint.objects.get(pk=complaint.pk).status == Status.TRIAGE


@pytest.mark.parametrize(("who", "expected"), [("se", 403), ("citizen", 403), ("nobody", 302)])
def test_only_focal_persons_open_the_queues(client, world, sms_outbox, who, expected):
    [complaint] = in_triage(world, 1)
    if who == "se":
        client.force_login(world.officers.se)
    elif who == "citizen":
        client.force_login(world.citizen)
    assert triage(client).status_code == expected
    assert client.get(reverse("complaints:focal_desk")).status_code == expected
    url = reverse("complaints:focal_route", args=[complaint.reference])
    assert client.post(url, {"to": world.positions.se.pk}).status_code == expected
    assert Complaint.objects.get(pk=complaint.pk).status == Status.TRIAGE


def test_the_government_complaint_cell_has_a_triage_queue_too(client, world, sms_outbox):
    client.force_login(world.cell_officer)
    assert triage(client).status_code == 200
