"""The daily job groups a persistent cluster (five complaints alike in words, one category and
district, lodged over days) into a systemic issue, and leaves scattered complaints alone."""

import pytest

from citizen_portal.complaints.models import Action
from citizen_portal.notifications.models import Notification
from citizen_portal.systemic.models import SystemicIssue
from citizen_portal.systemic.services.grouping import clusters_group
from citizen_portal.systemic.tests.helpers import lodge_as

ALIKE = [
    ("No electricity in Gulberg block C", "Transformer in Gulberg block C burnt, no electricity"),
    ("Gulberg block C transformer burnt", "No electricity since the transformer burnt in block C"),
    ("Block C Gulberg without electricity", "The transformer of Gulberg block C is burnt again"),
    ("Transformer burnt Gulberg C block", "Whole Gulberg block C has no electricity, transformer"),
    ("Electricity gone Gulberg block C", "Burnt transformer, Gulberg block C, no electricity"),
]
SCATTERED = [
    ("Meter reader rude", "The meter reader shouted at my mother"),
    ("Wrong name on bill", "My bill shows my late father's name"),
    ("Street light broken", "Pole 7 light has not worked for a week"),
    ("Load shedding schedule", "Please publish the schedule for Model Town"),
    ("New connection delayed", "Applied in March, still no connection"),
]


@pytest.mark.django_db
def test_the_daily_job_groups_a_persistent_cluster_and_leaves_scattered_complaints(
    world, settings, django_capture_on_commit_callbacks
):
    settings.SYSTEMIC_CLUSTER_MIN = 5
    alike = [
        lodge_as(world, subject=s, description=d, category=world.supply, days_ago=6 - i)
        for i, (s, d) in enumerate(ALIKE)
    ]
    scattered = [
        lodge_as(world, subject=s, description=d, days_ago=6 - i)
        for i, (s, d) in enumerate(SCATTERED)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        created = clusters_group()

    assert len(created) == 1
    issue = created[0]
    assert set(issue.complaints.all()) == set(alike)
    assert issue.category == world.supply
    assert issue.area == world.lahore
    assert issue.created_by is None
    assert issue.events.order_by("pk")[0].actor is None
    # The department's focal post owns it (no routing rule sends supply complaints to a post).
    assert issue.owner == world.positions.focal
    assert all(c.events.filter(action=Action.LINK_SYSTEMIC).exists() for c in alike)
    assert not any(c.systemic_issues.exists() for c in scattered)
    # The owner's holder is told.
    assert Notification.objects.filter(user=world.officers.focal, url__contains=issue.reference)
    # Grouped complaints are not grouped again.
    assert clusters_group() == []
    assert SystemicIssue.objects.count() == 1


@pytest.mark.django_db
def test_a_burst_of_one_day_is_not_a_persistent_cluster(world):
    for subject, description in ALIKE:
        lodge_as(world, subject=subject, description=description, days_ago=0.5)
    assert clusters_group() == []


@pytest.mark.django_db
def test_the_post_most_of_a_cluster_is_assigned_to_owns_it(world):
    for i, (subject, description) in enumerate(ALIKE):
        lodge_as(world, subject=subject, description=description, days_ago=5 - i)
    [issue] = clusters_group()
    assert issue.owner == world.positions.se  # the routing rule sends over-billing there
