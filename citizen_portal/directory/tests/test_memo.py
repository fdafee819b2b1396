"""Lodging remembers the directory rows it reads (directory/selectors/memo.py): a warm lodge
reads no directory table, a change saved through the models routes the very next complaint,
and a change made behind the models' back (another process, SQL) within
DIRECTORY_MEMO_SECONDS."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citizen_portal.complaints.services.lodging import ComplaintInput, complaint_lodge
from citizen_portal.directory.models import Holiday, RoutingRule
from citizen_portal.directory.tests.factories import rule

pytestmark = pytest.mark.django_db


def _lodge(world):
    return complaint_lodge(
        citizen=world.citizen,
        data=ComplaintInput(
            category=world.overbilling,
            area=world.lahore,
            subject="Bill three times the usual",
            description="My November bill is Rs 45,000 while I usually pay Rs 15,000.",
        ),
    )


def test_a_warm_lodge_reads_no_directory_table(world):
    _lodge(world)
    with CaptureQueriesContext(connection) as queries:
        complaint = _lodge(world)
    assert complaint.assigned_position == world.positions.se
    read = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]
    assert not [sql for sql in read if "directory_" in sql], read


def test_a_rule_saved_through_the_models_routes_the_next_complaint(world):
    assert _lodge(world).assigned_position == world.positions.se
    rule(world.overbilling, world.lahore, world.positions.ceo)  # the admin adds a closer rule
    assert _lodge(world).assigned_position == world.positions.ceo


def test_a_holiday_saved_through_the_models_moves_the_next_deadline(world):
    first = _lodge(world)
    Holiday.objects.create(tier=world.tier, date=first.due_on, name_en="Extra holiday")
    assert _lodge(world).due_on > first.due_on


def test_a_change_behind_the_models_back_is_seen_within_the_memo_time(world, settings):
    settings.DIRECTORY_MEMO_SECONDS = 1
    assert _lodge(world).assigned_position == world.positions.se
    # As another process or an operator's SQL would: no signal reaches this process.
    RoutingRule.objects.filter(category=world.billing).update(position=world.positions.ceo)
    assert _lodge(world).assigned_position == world.positions.se
    time.sleep(1.1)
    assert _lodge(world).assigned_position == world.positions.ceo


def test_zero_seconds_reads_the_tables_every_time(world, settings):
    settings.DIRECTORY_MEMO_SECONDS = 0
    _lodge(world)
    RoutingRule.objects.filter(category=world.billing).update(position=world.positions.ceo)
    assert _lodge(world).assigned_position == world.positions.ceo
