import threading
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from io import StringIO
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from citizen_portal.accounts.models import Role, User
from citizen_portal.accounts.services.phones import phone_normalise
from citizen_portal.complaints.models import (
    Complaint,
    DropReason,
    Event,
    Feedback,
    ReferenceCounter,
    Status,
)
from citizen_portal.complaints.services.events import chain_break
from citizen_portal.complaints.services.generator import GeneratorInput, complaints_generate
from citizen_portal.complaints.services.generator.indexes import DEFERRED_MODELS
from citizen_portal.complaints.services.generator.pipeline import built_ahead
from citizen_portal.complaints.services.generator.routes import Route
from citizen_portal.complaints.services.generator.world import world_load
from citizen_portal.complaints.services.references import reference_is_well_formed
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.complaints.transitions import TRANSITIONS, Action
from citizen_portal.core.errors import ApplicationError
from citizen_portal.directory.models import AdminUnit, PositionHolding
from citizen_portal.directory.selectors.routing import route_for
from citizen_portal.directory.tests.factories import (
    AdminUnitFactory,
    CategoryFactory,
    DepartmentFactory,
    OfficeFactory,
    PositionFactory,
    TierFactory,
    rule,
)

pytestmark = pytest.mark.django_db

ANCHOR = date(2026, 3, 15)
HORIZON = datetime.combine(ANCHOR, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))
SMALL = GeneratorInput(citizens=60, complaints=300, seed=7, anchor=ANCHOR, batch_size=100)

CITIZEN_ACTIONS = {"lodge", "provide_info", "confirm", "dispute"}
SYSTEM_ACTIONS = {"auto_route", "route_up", "silence_window", "info_timeout"}
# Officers act on the position the complaint is at when they act.
HOLDER_ACTIONS = {"route", "resolve", "drop", "request_info"}
CLOSING_ACTIONS = {"confirm", "silence_window"}


def generate(**changes):
    return complaints_generate(data=replace(SMALL, **changes))


def timelines():
    events = defaultdict(list)
    for event in Event.objects.order_by("complaint_id", "seq"):
        events[event.complaint_id].append(event)
    return events


def snapshot():
    complaints = list(
        Complaint.objects.order_by("reference").values_list(
            "reference",
            "status",
            "category_id",
            "area_id",
            "citizen__phone",
            "assigned_position_id",
            "created_at",
            "due_on",
            "resolved_at",
            "closed_at",
        )
    )
    events = list(
        Event.objects.order_by("complaint__reference", "seq").values_list(
            "complaint__reference", "seq", "action", "created_at", "hash"
        )
    )
    feedback = list(
        Feedback.objects.order_by("complaint__reference", "created_at").values_list(
            "complaint__reference", "satisfied", "rating", "comment"
        )
    )
    return complaints, events, feedback


@contextmanager
def rolled_back():
    """Generate, look, then undo it all, as if into a fresh database: events cannot be
    deleted (the ORM and, on PostgreSQL, the database refuse), so roll back instead."""
    savepoint = transaction.savepoint()
    try:
        yield
    finally:
        transaction.savepoint_rollback(savepoint)


def generated_citizens(world):
    return User.objects.filter(role=Role.CITIZEN).exclude(
        pk__in=[world.citizen.pk, world.other_citizen.pk]
    )


def test_every_generated_timeline_has_an_intact_hash_chain(world):
    generate()
    complaints = list(Complaint.objects.all())
    assert len(complaints) == 300
    assert all(chain_break(complaint) is None for complaint in complaints)
    assert all(reference_is_well_formed(complaint.reference) for complaint in complaints)


def test_each_complaint_is_where_its_last_event_left_it(world):
    generate()
    events = timelines()
    for complaint in Complaint.objects.all():
        timeline = events[complaint.pk]
        last = timeline[-1]
        assert [e.seq for e in timeline] == list(range(1, len(timeline) + 1))
        assert [e.action for e in timeline[:2]] == ["lodge", "auto_route"]
        assert (last.to_status, last.to_position_id) == (
            complaint.status,
            complaint.assigned_position_id,
        )
        assert complaint.created_at == timeline[0].created_at
        assert complaint.updated_at == last.created_at < HORIZON
        for before, after in pairwise(timeline):
            assert before.created_at < after.created_at
            assert (after.from_status, after.from_position_id) == (
                before.to_status,
                before.to_position_id,
            )
        for event in timeline:
            rule_ = TRANSITIONS[Action(event.action)]
            source = Status(event.from_status) if event.from_status else None
            assert (source in rule_.sources) if source else not rule_.sources, event
            assert Status(event.to_status) in rule_.targets, event
        # A dropped complaint says why, in the portal's own list of reasons.
        if complaint.status == Status.DROPPED:
            assert complaint.drop_reason == last.data["reason"]
            assert complaint.drop_reason in DropReason.values
        else:
            assert complaint.drop_reason == ""


def test_resolved_and_closed_dates_are_those_of_the_events(world):
    generate()
    events = timelines()
    for complaint in Complaint.objects.all():
        timeline = events[complaint.pk]
        resolves = [e for e in timeline if e.action == "resolve"]
        closing = [e for e in timeline if e.action in CLOSING_ACTIONS]
        if complaint.status in {Status.RESOLVED, Status.CLOSED}:
            assert complaint.resolved_at == resolves[-1].created_at
        else:
            assert complaint.resolved_at is None
        assert complaint.closed_at == (closing[-1].created_at if closing else None)
        if complaint.status == Status.CLOSED:
            assert timeline[-1].action in CLOSING_ACTIONS


def test_people_act_where_the_table_says_and_officers_are_the_holders(world):
    generate()
    holders = dict(
        PositionHolding.objects.filter(ended_at__isnull=True).values_list("position_id", "user_id")
    )
    citizens = dict(Complaint.objects.values_list("pk", "citizen_id"))
    for event in Event.objects.all():
        if event.action in CITIZEN_ACTIONS:
            assert event.actor_id == citizens[event.complaint_id]
        elif event.action in SYSTEM_ACTIONS:
            assert event.actor_id is None
        else:
            assert event.action in HOLDER_ACTIONS
            assert event.from_position_id is not None
            assert event.actor_id == holders.get(event.from_position_id)


def test_old_complaints_are_mostly_finished_and_new_ones_mostly_open(world):
    generate(complaints=600)
    month_ago = HORIZON - timedelta(days=30)
    old = Counter(
        Complaint.objects.filter(created_at__lt=month_ago).values_list("status", flat=True)
    )
    new = Counter(
        Complaint.objects.filter(created_at__gte=HORIZON - timedelta(days=5)).values_list(
            "status", flat=True
        )
    )
    finished = old[Status.CLOSED] + old[Status.DROPPED]
    assert finished / sum(old.values()) > 0.8
    assert old[Status.ASSIGNED] > 0  # neglected, now overdue
    assert new[Status.CLOSED] < sum(new.values()) / 2
    everything = set(Complaint.objects.values_list("status", flat=True))
    assert {Status.CLOSED, Status.ASSIGNED, Status.TRIAGE, Status.RESOLVED} <= everything
    assert Complaint.objects.filter(status=Status.ASSIGNED, due_on__lt=ANCHOR).exists()
    disputed = Event.objects.filter(action="dispute").values_list("complaint_id", flat=True)
    assert Event.objects.filter(action="route_up", complaint_id__in=disputed).exists()


def test_feedback_judges_a_resolve_event_of_its_own_complaint(world):
    generate()
    feedback = list(Feedback.objects.select_related("resolution_event"))
    assert feedback
    for item in feedback:
        resolve = item.resolution_event
        assert resolve.action == "resolve"
        assert resolve.complaint_id == item.complaint_id
        verdict = Event.objects.get(complaint_id=item.complaint_id, seq=resolve.seq + 1)
        assert verdict.action == ("confirm" if item.satisfied else "dispute")
        assert verdict.data == {"rating": item.rating, "comment": item.comment}
        assert verdict.created_at == item.created_at
        assert item.rating >= 3 if item.satisfied else item.rating <= 3


def test_citizens_are_happier_with_quick_resolutions(world):
    generate(complaints=2000, citizens=300, batch_size=1000)
    quick, slow = [], []
    for item in Feedback.objects.select_related("resolution_event", "complaint"):
        took = item.resolution_event.created_at - item.complaint.created_at
        if took < timedelta(days=2):
            quick.append(item)
        elif took > timedelta(days=7):
            slow.append(item)
    assert quick
    assert slow

    def mean(items, value):
        return sum(value(item) for item in items) / len(items)

    assert mean(quick, lambda f: f.satisfied) > mean(slow, lambda f: f.satisfied) + 0.1
    assert mean(quick, lambda f: f.rating) > mean(slow, lambda f: f.rating)


def test_the_same_seed_gives_the_same_data_and_another_seed_does_not(world):
    with rolled_back():
        generate()
        first = snapshot()
    with rolled_back():
        generate()
        assert snapshot() == first
    generate(seed=8)
    assert snapshot()[0] != first[0]


def test_a_complaint_lodged_afterwards_gets_the_next_reference(world):
    today = timezone.localdate()
    generate(anchor=today + timedelta(days=1))
    prefix = f"PB-{today.year}-"
    issued = Complaint.objects.filter(reference__startswith=prefix).values_list(
        "reference", flat=True
    )
    last = max((int(reference.split("-")[2]) for reference in issued), default=0)
    complaint = lodge(world)
    assert complaint.reference.startswith(f"{prefix}{last + 1:07d}-")
    assert Complaint.objects.filter(reference=complaint.reference).count() == 1


def test_citizens_have_unique_valid_mobile_numbers_and_mostly_speak_urdu(world):
    generate(citizens=400, complaints=0)
    citizens = list(generated_citizens(world))
    phones = [citizen.phone for citizen in citizens]
    assert len(set(phones)) == 400
    assert all(phone_normalise(phone) == phone for phone in phones)
    assert all(c.username == c.phone and not c.has_usable_password() for c in citizens)
    abroad = [phone for phone in phones if not phone.startswith("+923")]
    assert 0 < len(abroad) < 40
    urdu = sum(citizen.preferred_language == "ur" for citizen in citizens)
    assert 0.5 < urdu / 400 < 0.7


@pytest.fixture
def country(world):
    """The world plus Sindh: a federal department serving everyone and a Sindh one."""
    pakistan = world.punjab.parent
    sindh = AdminUnitFactory(
        code="PK-SD", parent=pakistan, level=AdminUnit.Level.PROVINCE, name_en="Sindh", depth=1
    )
    karachi = AdminUnitFactory(code="PK-SD-KHI", parent=sindh, name_en="Karachi", depth=2)
    federal = TierFactory(code="federal", reference_prefix="FD", name_en="Federal")
    sindh_tier = TierFactory(code="sindh", reference_prefix="SD", name_en="Sindh")
    categories = {}
    for tier, code in ((federal, "FED-NADRA"), (sindh_tier, "SD-KWSC")):
        department = DepartmentFactory(code=code, tier=tier)
        office = OfficeFactory(department=department, jurisdiction=pakistan)
        department.focal_position = PositionFactory(office=office, title_en="Complaint Cell")
        department.save()
        categories[code] = CategoryFactory(code=f"{code}.ANY", department=department)
    world.lahore.population, world.kasur.population, karachi.population = (
        13_000_000,
        4_000_000,
        20_000_000,
    )
    for unit in (world.lahore, world.kasur, karachi):
        unit.save()
    world.karachi = karachi
    world.categories = categories
    return world


def test_departments_serve_their_own_province_and_federal_ones_everywhere(country):
    generate(complaints=400)
    seen = Counter(Complaint.objects.values_list("area__code", "department__tier__code"))
    assert seen[("PK-SD-KHI", "punjab")] == 0
    assert seen[("PK-PB-LHR-LHR", "sindh")] == 0
    assert seen[("PK-SD-KHI", "sindh")] > 0
    assert seen[("PK-SD-KHI", "federal")] > 0
    assert seen[("PK-PB-LHR-LHR", "federal")] > 0
    assert Complaint.objects.filter(reference__startswith="SD-").exists()


def test_districts_are_drawn_in_proportion_to_their_population(country):
    generate(complaints=400)
    areas = Counter(Complaint.objects.values_list("area__code", flat=True))
    # Karachi 20 M, Lahore 13 M, Kasur 4 M of 37 M.
    assert 0.42 < areas["PK-SD-KHI"] / 400 < 0.66
    assert 0.04 < areas["PK-PB-LHR-KSR"] / 400 < 0.18


def test_the_route_book_agrees_with_route_for_on_every_pair(country):
    positions = country.positions
    rule(country.supply, country.punjab, positions.ceo)
    rule(country.overbilling, country.kasur, positions.focal)
    rule(country.categories["FED-NADRA"], country.punjab.parent, positions.se)
    world = world_load(seed=1)
    categories = [c for weighted in world.categories.values() for c in weighted.items]
    pairs = {(c, d) for c in categories for d in world.districts.items if d.province}
    for category, district in sorted(pairs, key=lambda p: (p[0].id, p[1].id)):
        decision = route_for(
            category=type(country.billing).objects.get(pk=category.id),
            area=AdminUnit.objects.get(pk=district.id),
        )
        assert decision.position is not None
        expected = Route(decision.position.pk, decision.rule.pk if decision.rule else None)
        assert world.route(category, district) == expected, (category.code, district.code)
    assert world.routes.asked < len(pairs)


def test_queries_do_not_grow_with_the_number_of_complaints(world):
    with rolled_back(), CaptureQueriesContext(connection) as small:
        generate(complaints=100, batch_size=1000)
    with CaptureQueriesContext(connection) as large:
        generate(complaints=600, batch_size=1000)
    assert len(large) == len(small)


def test_command_prints_progress_and_the_rate(world):
    out = StringIO()
    call_command(
        "generate_complaints",
        "--citizens=50",
        "--complaints=200",
        "--seed=3",
        "--batch=100",
        "--anchor=2026-03-15",
        stdout=out,
    )
    assert "complaints: 200 / 200" in out.getvalue()
    assert "complaints/s" in out.getvalue()
    assert Complaint.objects.count() == 200


def test_command_refuses_an_empty_directory(db):
    with pytest.raises(CommandError, match="load_directory"):
        call_command("generate_complaints", "--citizens=5", "--complaints=5", "--seed=1")


def test_command_refuses_a_directory_where_no_department_is_on_the_portal(world):
    type(world.lesco).objects.update(focal_position=None)
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("generate_complaints", "--citizens=5", "--complaints=5", "--seed=1")
    assert not Complaint.objects.exists()


# Writing fast: building ahead, deferred indexes ---------------------------------------------


def test_a_complaint_lodged_between_batches_keeps_its_reference_and_the_rest_follow_it(world):
    lodged: list[Complaint] = []

    def lodge_after_the_first_batch(progress):
        if progress.what == "complaints" and not lodged:
            lodged.append(lodge(world))

    # The next batch was numbered before this complaint took the next key and reference: it
    # must be numbered again, not collide with it.
    today = timezone.localdate()
    data = replace(SMALL, anchor=today + timedelta(days=1))
    complaints_generate(data=data, progress=lodge_after_the_first_batch)
    complaints = list(Complaint.objects.all())
    assert len(complaints) == SMALL.complaints + 1
    assert Complaint.objects.get(pk=lodged[0].pk).reference == lodged[0].reference
    assert all(chain_break(complaint) is None for complaint in complaints)
    for counter in ReferenceCounter.objects.all():
        prefix = f"{counter.prefix}-{counter.year}-"
        issued = [
            int(c.reference.split("-")[2]) for c in complaints if c.reference.startswith(prefix)
        ]
        assert counter.last == max(issued)
    assert lodge(world).reference  # and the portal goes on lodging after them


def test_work_built_ahead_arrives_in_order_and_its_failure_reaches_the_consumer():
    with built_ahead(iter(range(5))) as items:
        assert list(items) == [0, 1, 2, 3, 4]

    def failing():
        yield 1
        raise ValueError("simulation failed")

    with built_ahead(failing()) as items, pytest.raises(ValueError, match="simulation failed"):
        list(items)

    def endless():
        n = 0
        while True:
            yield n
            n += 1

    with built_ahead(endless()) as items:
        assert next(items) == 0
    assert not any(t.name == "generator-builder" for t in threading.enumerate())


def declared_indexes_missing():
    with connection.cursor() as cursor:
        return [
            index.name
            for model in DEFERRED_MODELS
            for index in model._meta.indexes
            if index.name
            not in connection.introspection.get_constraints(cursor, model._meta.db_table)
        ]


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("deferring indexes is for PostgreSQL")


def test_deferred_indexes_are_built_again_and_the_rows_are_the_same(world, postgresql):
    with rolled_back():
        generate()
        expected = snapshot()
    report = generate(defer_indexes=True)
    assert snapshot() == expected
    assert report.indexes_rebuilt == sum(len(m._meta.indexes) for m in DEFERRED_MODELS) > 0
    assert declared_indexes_missing() == []


def test_deferred_indexes_come_back_when_writing_fails(world, postgresql):
    def interrupt(progress):
        if progress.what == "complaints":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        complaints_generate(data=replace(SMALL, defer_indexes=True), progress=interrupt)
    assert declared_indexes_missing() == []


def test_a_run_with_deferred_indexes_repairs_an_index_an_earlier_run_left_missing(
    world, postgresql
):
    with connection.schema_editor() as editor:
        editor.remove_index(Complaint, Complaint._meta.indexes[0])
    out = StringIO()
    call_command(
        "generate_complaints",
        "--citizens=0",
        "--complaints=0",
        "--seed=1",
        "--defer-indexes",
        stdout=out,
    )
    rebuilt = sum(len(m._meta.indexes) for m in DEFERRED_MODELS)
    assert f"Rebuilt {rebuilt} indexes" in out.getvalue()
    assert declared_indexes_missing() == []


def test_deferring_indexes_is_refused_off_postgresql(world):
    if connection.vendor == "postgresql":
        pytest.skip("refused elsewhere only")
    with pytest.raises(ApplicationError, match="PostgreSQL"):
        generate(defer_indexes=True)
    assert not Complaint.objects.exists()
