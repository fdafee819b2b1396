"""The issue's page for the staff in its scope (404 to everyone else, citizens included), the
officer's group form, the citizen's note on their complaint, and following a complaint."""

import pytest
from django.urls import reverse

from citizen_portal.complaints.models import Action
from citizen_portal.complaints.services.lodge_drafts import SESSION_KEY, draft_new, draft_store
from citizen_portal.complaints.services.officer_actions import complaint_remark
from citizen_portal.systemic.models import Follow, IssueStatus, SystemicIssue
from citizen_portal.systemic.services.issues import systemic_issue_create
from citizen_portal.systemic.tests.helpers import lodge_as

pytestmark = pytest.mark.django_db

TITLE = "Feeder 14 over-billing in Gulberg"


@pytest.fixture
def issue(world):
    complaint = lodge_as(world, citizen=world.citizen)
    return systemic_issue_create(
        complaints=[complaint.reference],
        title=TITLE,
        summary="",
        owner=world.positions.se,
        actor=world.officers.se,
    )


def test_the_issue_page_opens_for_its_owner_supervisor_and_focal_person_only(client, world, issue):
    url = reverse("systemic:detail", args=[issue.reference])
    for officer in (world.officers.se, world.officers.ceo, world.officers.focal):
        client.force_login(officer)
        page = client.get(url)
        assert page.status_code == 200
        assert TITLE in page.content.decode()
    for outsider in (world.stranger, world.cell_officer, world.citizen):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "remark", "remark": "Let me in"}).status_code == 404
    client.force_login(world.citizen)
    assert client.get(reverse("systemic:list")).status_code == 404
    client.force_login(world.officers.focal)
    assert issue.reference in client.get(reverse("systemic:list")).content.decode()
    client.force_login(world.stranger)
    assert issue.reference not in client.get(reverse("systemic:list")).content.decode()


def test_the_owner_remarks_and_marks_it_fixed_from_the_page(
    client, world, issue, django_capture_on_commit_callbacks
):
    client.force_login(world.officers.se)
    url = reverse("systemic:detail", args=[issue.reference])
    short = client.post(url, {"action": "fix", "remarks": "done"})
    assert short.status_code == 400
    assert "at least 10 characters" in short.content.decode()
    assert (
        client.post(url, {"action": "remark", "remark": "Crew sent to feeder 14"}).status_code
        == 302
    )
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"action": "fix", "remarks": "Bills of feeder 14 recalculated."})
    assert done.status_code == 302
    issue.refresh_from_db()
    assert issue.status == IssueStatus.FIXED
    page = client.get(url).content.decode()
    assert "Crew sent to feeder 14" in page
    assert "Bills of feeder 14 recalculated." in page
    assert client.post(url, {"action": "nonsense"}).status_code == 400


def test_the_citizen_sees_on_their_complaint_that_it_is_grouped(client, world, issue):
    complaint = issue.complaints.get()
    client.force_login(world.citizen)
    page = client.get(reverse("complaints:detail", args=[complaint.reference])).content.decode()
    assert "grouped with a wider problem" in page
    assert TITLE in page
    assert "Open" in page


def test_the_group_form_groups_the_complaints_an_officer_may_reach(client, world):
    first, second = lodge_as(world), lodge_as(world)
    url = reverse("systemic:group", args=[first.reference])
    client.force_login(world.stranger)
    assert client.post(url, {"complaints": second.reference, "title": TITLE}).status_code == 404
    client.force_login(world.officers.se)
    # From the ticked duplicates (no title yet): the form asks for one, keeping the ticks.
    ask = client.post(url, {"complaints": [second.reference]})
    assert ask.status_code == 200
    assert second.reference in ask.content.decode()
    bad = client.post(url, {"complaints": "PB-2026-0000000-X", "title": TITLE})
    assert bad.status_code == 400
    assert "No complaint" in bad.content.decode()
    done = client.post(url, {"complaints": [second.reference], "title": TITLE})
    issue = SystemicIssue.objects.get()
    assert done.status_code == 302
    assert done["Location"].endswith(f"/{issue.reference}/")
    assert set(issue.complaints.all()) == {first, second}


def _draft(client, citizen, category, district):
    session = client.session
    draft = draft_new(citizen.pk)
    draft.category, draft.district = category.pk, district.pk
    draft_store(session, draft)
    session.save()
    assert SESSION_KEY in session


def test_a_citizen_follows_only_a_similar_open_complaint_of_someone_else(client, world):
    theirs = lodge_as(world, citizen=world.citizen)
    mine = lodge_as(world, citizen=world.other_citizen)
    client.force_login(world.other_citizen)
    url = reverse("systemic:follow", args=[theirs.reference])
    # Not offered: no draft, another district, or their own complaint.
    assert client.post(url).status_code == 404
    _draft(client, world.other_citizen, world.overbilling, world.kasur)
    assert client.post(url).status_code == 404
    _draft(client, world.other_citizen, world.overbilling, world.lahore)
    assert client.post(reverse("systemic:follow", args=[mine.reference])).status_code == 404
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # twice is once
    assert Follow.objects.filter(citizen=world.other_citizen).count() == 1
    # What they see of it: stage, category, district; never the other citizen's words, nor
    # what the office wrote to that citizen.
    complaint_remark(
        complaint=theirs, officer=world.officers.se, remark="Ms Ayesha, house 12 is rechecked."
    )
    page = client.get(reverse("systemic:following")).content.decode()
    assert "house 12" not in page
    assert theirs.reference in page
    assert "Over-billing" in page
    assert "Lahore" in page
    assert theirs.description not in page
    assert world.citizen.full_name not in page
    # The complaint itself stays closed to the follower.
    assert client.get(reverse("complaints:detail", args=[theirs.reference])).status_code == 404
    unfollow = reverse("systemic:unfollow", args=[theirs.reference])
    assert client.post(unfollow).status_code == 302
    assert client.post(unfollow).status_code == 404
    assert not theirs.events.filter(action=Action.LINK_SYSTEMIC).exists()


def test_the_focal_person_gives_the_issue_to_another_post_and_it_can_be_reopened(
    client, world, issue, django_capture_on_commit_callbacks
):
    url = reverse("systemic:detail", args=[issue.reference])
    client.force_login(world.officers.se)
    assert "Change the owner" not in client.get(url).content.decode()
    client.force_login(world.officers.focal)
    assert "Change the owner" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        moved = client.post(url, {"action": "owner", "owner": world.positions.ceo.pk})
    assert moved.status_code == 302
    issue.refresh_from_db()
    assert issue.owner == world.positions.ceo
    # The new owner's holder is told; the old owner (the SE) no longer opens it.
    assert world.officers.ceo.notifications.filter(url=url).exists()
    client.force_login(world.officers.se)
    assert client.get(url).status_code == 404
    client.force_login(world.officers.ceo)
    client.post(url, {"action": "fix", "remarks": "Transformer replaced on feeder 14."})
    client.post(url, {"action": "reopen", "remark": "Burnt again"})
    issue.refresh_from_db()
    assert issue.status == IssueStatus.REOPENED


def test_the_list_reads_a_fixed_number_of_queries(
    client, world, issue, django_assert_max_num_queries
):
    for _ in range(3):
        systemic_issue_create(
            complaints=[lodge_as(world).reference],
            title=TITLE,
            summary="",
            owner=world.positions.se,
            actor=world.officers.se,
        )
    client.force_login(world.officers.focal)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("systemic:list")).content.decode()
    assert page.count(TITLE) == 4
