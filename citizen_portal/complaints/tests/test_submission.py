"""Lodging: a retried submission with the same idempotency key gives back the first complaint
(also under 20 concurrent retries), and lodging costs the same few queries however large the
directory is."""

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citizen_portal.complaints.models import Complaint, SubmissionKey
from citizen_portal.complaints.services.lodging import ComplaintInput, complaint_lodge
from citizen_portal.core.errors import ApplicationError
from citizen_portal.directory.selectors.memo import memo
from citizen_portal.directory.tests.factories import (
    AdminUnitFactory,
    CategoryFactory,
    OfficeFactory,
    PositionFactory,
    rule,
)

pytestmark = pytest.mark.django_db(transaction=True)

KEY = "5f0c6a4e-9d1b-4b8e-8a53-2f1d3c4b5a69"


def _input(world):
    return ComplaintInput(
        category=world.overbilling,
        area=world.lahore,
        subject="Bill three times the usual",
        description="My November bill is Rs 45,000 while I usually pay Rs 15,000.",
    )


def test_a_retry_with_the_same_key_returns_the_first_complaint(world):
    first = complaint_lodge(citizen=world.citizen, data=_input(world), idempotency_key=KEY)
    again = complaint_lodge(citizen=world.citizen, data=_input(world), idempotency_key=KEY)
    assert again.pk == first.pk
    assert Complaint.objects.count() == 1
    # Another key, or another citizen using the same key, is another complaint.
    complaint_lodge(citizen=world.citizen, data=_input(world), idempotency_key=KEY[::-1])
    complaint_lodge(citizen=world.other_citizen, data=_input(world), idempotency_key=KEY)
    assert Complaint.objects.count() == 3


def test_the_same_key_with_other_content_is_refused_and_nothing_is_lost(world):
    first = complaint_lodge(citizen=world.citizen, data=_input(world), idempotency_key=KEY)
    other = replace(_input(world), subject="Street light out for a month")
    with pytest.raises(ApplicationError, match=first.reference) as refused:
        complaint_lodge(citizen=world.citizen, data=other, idempotency_key=KEY)
    assert refused.value.code == "idempotency_key_reused"
    assert Complaint.objects.count() == 1


def test_the_key_is_forgotten_after_the_window(world, travel, settings):
    first = complaint_lodge(citizen=world.citizen, data=_input(world), idempotency_key=KEY)
    SubmissionKey.objects.update(
        created_at=first.created_at.replace(year=first.created_at.year - 1)
    )
    later = complaint_lodge(citizen=world.citizen, data=_input(world), idempotency_key=KEY)
    assert later.pk != first.pk
    assert SubmissionKey.objects.get().complaint == later


@pytest.mark.parametrize("key", ["short", "x" * 65, "has space in it", "ünïcode-key-1234"])
def test_malformed_keys_are_refused(world, key):
    with pytest.raises(ApplicationError, match="idempotency key"):
        complaint_lodge(citizen=world.citizen, data=_input(world), idempotency_key=key)
    assert Complaint.objects.count() == 0


def test_twenty_concurrent_retries_create_exactly_one_complaint(world):
    data = _input(world)
    barrier = threading.Barrier(20)

    def submit(_n):
        try:
            barrier.wait()
            return complaint_lodge(citizen=world.citizen, data=data, idempotency_key=KEY).pk
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        ids = list(pool.map(submit, range(20)))
    assert Complaint.objects.count() == 1
    assert set(ids) == {Complaint.objects.get().pk}
    complaint = Complaint.objects.get()
    assert list(complaint.events.values_list("action", flat=True)) == ["lodge", "auto_route"]


def _lodge_queries(world):
    memo.clear()  # the directory read from the tables, as by a process's first lodge
    with CaptureQueriesContext(connection) as queries:
        complaint_lodge(citizen=world.citizen, data=_input(world), idempotency_key=None)
    return len(queries)


def _grow_directory(world, n):
    """Many more districts, offices, posts, categories and rules."""
    for i in range(n):
        district = AdminUnitFactory(
            code=f"PK-PB-LHR-X{i:03d}", parent=world.lahore.parent, name_en=f"District {i}", depth=3
        )
        office = OfficeFactory(department=world.lesco, jurisdiction=district)
        post = PositionFactory(office=office, supervisor=world.positions.ceo)
        category = CategoryFactory(
            code=f"FED-LESCO.BILL.X{i:03d}", department=world.lesco, parent=world.billing, depth=1
        )
        rule(category, district, post)
        rule(world.overbilling, district, post)


def test_lodging_runs_a_bounded_number_of_queries_whatever_the_directory_size(world):
    _lodge_queries(world)  # warm up (reference counter row, caches)
    small = _lodge_queries(world)
    _grow_directory(world, 60)
    large = _lodge_queries(world)
    assert large == small
    assert small <= 40
