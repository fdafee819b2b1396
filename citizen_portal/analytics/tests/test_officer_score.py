"""The difficulty-adjusted officer score (analytics/selectors/officer_score.py): the arithmetic
of docs/performance.md's worked example, and on complaints lodged and resolved through the real
services, an officer whose category is slow everywhere judged fairly against one whose category
is quick everywhere."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from citizen_portal.analytics.models import PeerTable
from citizen_portal.analytics.selectors.officer_score import (
    AREA_PRIOR,
    PRIOR_WEIGHT,
    AreaFactor,
    Component,
    Counts,
    area_factor,
    officer_score,
    peer_counts,
    points_for,
    score_of,
)
from citizen_portal.analytics.services.peer_tables import peer_table, peer_tables_refresh
from citizen_portal.complaints.selectors.performance import period_of, scorecard_for
from citizen_portal.complaints.services.officer_actions import complaint_resolve
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.directory.models import Department
from citizen_portal.directory.tests.factories import (
    AdminUnitFactory,
    CategoryFactory,
    OfficeFactory,
    PositionFactory,
    StaffFactory,
    hold,
    rule,
)

NAMES = {1: "Over-billing", 2: "Power supply"}


def _worked_example() -> tuple[dict[int, Counts], dict[int, Counts]]:
    own = {
        1: Counts(resolved=30, on_time=24, feedback=25, satisfied=20, received=32, missed=1),
        2: Counts(resolved=20, on_time=10, feedback=15, satisfied=9, received=23, missed=3),
    }
    peers = {
        1: Counts(
            resolved=1000, on_time=900, feedback=1000, satisfied=800, received=1000, missed=50
        ),
        2: Counts(
            resolved=1000, on_time=400, feedback=1000, satisfied=500, received=1000, missed=150
        ),
    }
    return own, peers


def test_the_worked_example_of_docs_performance_md():
    own, peers = _worked_example()
    result = score_of(own, peers, NAMES)

    on_time = result.component(Component.ON_TIME)
    assert (on_time.trials, on_time.observed) == (50, 34)
    assert on_time.expected == pytest.approx(35.0)
    assert on_time.adjusted_rate == pytest.approx(41 / 60)
    assert on_time.points == pytest.approx(48.81, abs=0.01)
    assert [line.category for line in on_time.lines] == ["Over-billing", "Power supply"]
    assert [line.expected for line in on_time.lines] == pytest.approx([27.0, 8.0])
    satisfied = result.component(Component.SATISFIED)
    assert satisfied.observed == 29
    assert satisfied.expected == pytest.approx(27.5)
    assert satisfied.points == pytest.approx(54.80, abs=0.01)
    kept = result.component(Component.KEPT)
    assert (kept.trials, kept.observed) == (55, 51)
    assert kept.expected == pytest.approx(49.95)
    assert kept.points == pytest.approx(58.80, abs=0.01)
    assert result.score == pytest.approx(53.6, abs=0.05)
    # The contributions add up to the score, so a page can show where it came from.
    assert sum(c.contribution or 0 for c in result.components) == pytest.approx(result.score)

    # The same 34 of 50 on time, all in the easy category, is below what peers would do.
    easy = score_of({1: Counts(resolved=50, on_time=34)}, peers, NAMES)
    assert easy.component(Component.ON_TIME).points == pytest.approx(39.81, abs=0.01)
    # Only timeliness was measured: it alone makes the score.
    assert easy.score == easy.component(Component.ON_TIME).points


def test_the_district_example_of_docs_performance_md():
    own, peers = _worked_example()
    kasur = AreaFactor(offices=2, trials=100, observed=60, expected=75.0, factor=80 / 95)
    assert area_factor(
        Component.ON_TIME,
        {(5, 7): Counts(resolved=100, on_time=60)},
        {5: Counts(resolved=1000, on_time=750)},
        {7},
    ).factor == pytest.approx(kasur.factor)
    result = score_of(own, peers, NAMES, {Component.ON_TIME: kasur})
    on_time = result.component(Component.ON_TIME)
    assert kasur.factor == pytest.approx(0.842, abs=0.001)
    assert [line.area_rate for line in on_time.lines] == pytest.approx([0.758, 0.337], abs=0.001)
    assert [line.expected for line in on_time.lines] == pytest.approx([22.7, 6.7], abs=0.05)
    assert on_time.expected_rate == pytest.approx(0.589, abs=0.001)
    assert on_time.adjusted_rate == pytest.approx(0.665, abs=0.001)
    assert on_time.points == pytest.approx(59.2, abs=0.05)
    assert result.score == pytest.approx(57.8, abs=0.05)


def test_points_are_fifty_at_par_a_hundred_for_perfection_and_zero_for_nothing():
    assert points_for(0.7, 0.7) == 50
    assert points_for(1.0, 0.7) == 100
    assert points_for(0.0, 0.7) == 0
    assert points_for(0.35, 0.7) == 25
    assert points_for(1.0, 1.0) == 50  # nothing better was possible


def test_three_complaints_make_neither_a_hero_nor_a_villain():
    peers = {1: Counts(resolved=100, on_time=70)}
    all_late = score_of({1: Counts(resolved=3, on_time=0)}, peers, NAMES).score
    all_on_time = score_of({1: Counts(resolved=3, on_time=3)}, peers, NAMES).score
    assert all_late is not None
    assert all_on_time is not None
    assert 35 < all_late < 50 < all_on_time < 65
    # A hundred complaints, all late, are a clear result.
    many_late = score_of({1: Counts(resolved=100, on_time=0)}, peers, NAMES).score
    assert many_late is not None
    assert many_late < 10
    assert PRIOR_WEIGHT == 10


def test_a_category_nobody_else_handled_counts_as_expected_and_no_work_gives_no_score():
    alone = score_of({1: Counts(resolved=4, on_time=1)}, {}, NAMES)
    assert alone.score == 50
    line = alone.component(Component.ON_TIME).lines[0]
    assert (line.peer_rate, line.expected) == (None, 1.0)
    nothing = score_of({}, {}, NAMES)
    assert nothing.score is None
    assert all(c.points is None for c in nothing.components)


@pytest.fixture
def districts(world):
    """Power supply is slow to fix everywhere, over-billing quick. Officer A handles power supply
    in Kasur, officer B over-billing in Lahore; a peer office in Sheikhupura handles both."""
    sheikhupura = AdminUnitFactory(
        code="PK-PB-LHR-SKP", parent=world.lahore.parent, name_en="Sheikhupura", depth=3
    )
    lesco = world.lesco
    kasur_office = OfficeFactory(department=lesco, name_en="Kasur", jurisdiction=world.kasur)
    lahore_office = OfficeFactory(department=lesco, name_en="Lahore", jurisdiction=world.lahore)
    peer_office = OfficeFactory(department=lesco, name_en="Sheikhupura", jurisdiction=sheikhupura)
    ceo = world.positions.ceo
    posts = SimpleNamespace(
        a=PositionFactory(office=kasur_office, title_en="XEN Kasur", supervisor=ceo),
        b=PositionFactory(office=lahore_office, title_en="XEN Lahore", supervisor=ceo),
        peer=PositionFactory(office=peer_office, title_en="XEN Sheikhupura", supervisor=ceo),
    )
    people = SimpleNamespace(
        a=StaffFactory(username="xen.kasur"),
        b=StaffFactory(username="xen.lahore"),
        peer=StaffFactory(username="xen.skp"),
    )
    for name in ("a", "b", "peer"):
        hold(getattr(people, name), getattr(posts, name))
    rule(world.supply, world.kasur, posts.a)
    rule(world.overbilling, world.lahore, posts.b)
    rule(world.supply, sheikhupura, posts.peer)
    rule(world.overbilling, sheikhupura, posts.peer)
    return SimpleNamespace(sheikhupura=sheikhupura, posts=posts, people=people)


def work(world, officer, *, category, area, on_time, late, travel_later):
    """Lodge on_time + late complaints; resolve on_time now, and return the rest to resolve
    after the deadline."""
    lodged = [lodge(world, category=category, area=area) for _ in range(on_time + late)]
    for complaint in lodged[:on_time]:
        complaint_resolve(complaint=complaint, officer=officer, remark="Fixed; supply restored.")
    travel_later.append((officer, lodged[on_time:]))


def resolve_late(pending):
    for officer, complaints in pending:
        for complaint in complaints:
            complaint_resolve(complaint=complaint, officer=officer, remark="Fixed, though late.")


def a_and_b_after(world, districts, travel, plan):
    """Carry out the plan (officer, category, area, on time, late), a month passes, the late
    ones are resolved; A's and B's scores, for the same own record: 2 of 4 on time."""
    pending: list[tuple[object, list[object]]] = []
    for officer, category, area, on_time, late in plan:
        work(
            world,
            officer,
            category=category,
            area=area,
            on_time=on_time,
            late=late,
            travel_later=pending,
        )
    travel(days=30)
    resolve_late(pending)
    period = period_of()
    a = officer_score(districts.people.a, period)
    b = officer_score(districts.people.b, period)
    a_time, b_time = a.component(Component.ON_TIME), b.component(Component.ON_TIME)
    assert (a_time.observed, a_time.trials) == (b_time.observed, b_time.trials) == (2, 4)
    return a, b


def hard_and_easy_categories(world, districts):
    """A handles power supply in Kasur, B over-billing in Lahore, with the same own record: 2 of
    4 resolved on time. Peers: power supply 2 of 10 on time, over-billing 9 of 10."""
    people, skp = districts.people, districts.sheikhupura
    return [
        (people.a, world.supply, world.kasur, 2, 2),
        (people.b, world.overbilling, world.lahore, 2, 2),
        (people.peer, world.supply, skp, 2, 8),
        (people.peer, world.overbilling, skp, 9, 1),
    ]


@pytest.mark.django_db
def test_an_officer_in_a_hard_category_is_not_punished_for_it(world, districts, travel):
    a, b = a_and_b_after(world, districts, travel, hard_and_easy_categories(world, districts))
    a_time, b_time = a.component(Component.ON_TIME), b.component(Component.ON_TIME)
    assert a_time.expected == pytest.approx(0.8)  # 4 × 2/10
    assert b_time.expected == pytest.approx(3.6)  # 4 × 9/10
    assert a.score is not None
    assert b.score is not None
    assert a.score > 50 > b.score
    # The officer's own office is never their benchmark: A's line shows only the peer's 10.
    assert (a_time.lines[0].peer_trials, a_time.lines[0].peer_successes) == (10, 2)
    # Nobody gave feedback; nobody missed a deadline (no sweep ran): kept at par.
    assert a.component(Component.SATISFIED).points is None
    assert a.component(Component.KEPT).points == 50


@pytest.mark.django_db
def test_the_score_counts_the_same_complaints_as_the_scorecard_in_a_bounded_number_of_queries(
    world, districts, travel
):
    people, skp = districts.people, districts.sheikhupura
    pending: list[tuple[object, list[object]]] = []
    work(
        world,
        people.a,
        category=world.supply,
        area=world.kasur,
        on_time=3,
        late=1,
        travel_later=pending,
    )
    work(
        world, people.peer, category=world.supply, area=skp, on_time=1, late=1, travel_later=pending
    )
    travel(days=30)
    resolve_late(pending)
    lodge(world, category=world.supply, area=world.kasur)  # received, not resolved

    period = period_of()
    card = scorecard_for(people.a)
    with CaptureQueriesContext(connection) as first:
        officer_score(people.a, period)
    with CaptureQueriesContext(connection) as queries:
        result = officer_score(people.a, period)
    # The first report of the period also counts and keeps the peers' table.
    assert len(first) <= 20
    assert len(queries) <= 9
    on_time = result.component(Component.ON_TIME)
    assert (on_time.trials, on_time.observed) == (card.resolved, card.resolved_on_time) == (4, 3)
    assert result.component(Component.KEPT).trials == card.received == 5


def test_an_areas_factor_is_its_offices_achievement_against_national_rates_shrunk_towards_one():
    # Category 1 is done on time 90% nationally, category 2 40%. Office 7 (in the officer's
    # area) did 30 of 50 and 4 of 20: expected 45 + 8 = 53, achieved 34.
    table = {
        (1, 7): Counts(resolved=50, on_time=30),
        (2, 7): Counts(resolved=20, on_time=4),
        (1, 8): Counts(resolved=950, on_time=870),
        (2, 8): Counts(resolved=980, on_time=396),
        (1, 9): Counts(resolved=500, on_time=0),  # not in the area: no part in the factor
    }
    national = {1: Counts(resolved=1000, on_time=900), 2: Counts(resolved=1000, on_time=400)}
    hard = area_factor(Component.ON_TIME, table, national, {7})
    assert (hard.offices, hard.trials, hard.observed) == (1, 70, 34)
    assert hard.expected == pytest.approx(53.0)
    assert hard.factor == pytest.approx((34 + AREA_PRIOR) / (53 + AREA_PRIOR))
    # No other office in the area: a factor of 1, nothing assumed.
    assert area_factor(Component.ON_TIME, table, national, set()).factor == 1.0
    # The factor scales the peers' rate for the officer, never above 100%.
    own = {1: Counts(resolved=10, on_time=5)}
    areas = {Component.ON_TIME: hard}
    line = score_of(own, national, NAMES, areas).component(Component.ON_TIME).lines[0]
    assert line.area_rate == pytest.approx(0.9 * hard.factor)
    assert line.expected == pytest.approx(10 * 0.9 * hard.factor)
    easy = area_factor(
        Component.ON_TIME, {(2, 7): Counts(resolved=900, on_time=900)}, national, {7}
    )
    assert easy.factor == pytest.approx(920 / 380)  # all of a category done 40% elsewhere
    capped = score_of(own, national, NAMES, {Component.ON_TIME: easy})
    assert capped.component(Component.ON_TIME).lines[0].area_rate == 1.0


@pytest.fixture
def water(world, districts):
    """WASA, another department, supplies water in Kasur and in Lahore: Kasur's office is slow
    at it, Lahore's quick."""
    wasa = Department.objects.get(code="PB-WASA")
    category = CategoryFactory(code="PB-WASA.WATER", department=wasa, name_en="Water supply")
    posts, people = {}, {}
    for name, district in (("kasur", world.kasur), ("lahore", world.lahore)):
        office = OfficeFactory(department=wasa, name_en=f"WASA {name}", jurisdiction=district)
        posts[name] = PositionFactory(office=office, title_en=f"Director {name}")
        people[name] = StaffFactory(username=f"wasa.{name}")
        hold(people[name], posts[name])
        rule(category, district, posts[name])
    return SimpleNamespace(category=category, people=SimpleNamespace(**people))


@pytest.mark.django_db
def test_an_officer_in_a_district_hard_for_every_department_is_not_punished_for_it(
    world, districts, water, travel
):
    people, skp = districts.people, districts.sheikhupura
    rule(world.overbilling, world.kasur, districts.posts.a)
    a, b = a_and_b_after(
        world,
        districts,
        travel,
        [
            # LESCO: the same over-billing record for A in Kasur and B in Lahore.
            (people.a, world.overbilling, world.kasur, 2, 2),
            (people.b, world.overbilling, world.lahore, 2, 2),
            (people.peer, world.overbilling, skp, 9, 1),
            # WASA: water on time 2 of 10 in Kasur, 9 of 10 in Lahore.
            (water.people.kasur, water.category, world.kasur, 2, 8),
            (water.people.lahore, water.category, world.lahore, 9, 1),
        ],
    )
    a_time, b_time = a.component(Component.ON_TIME), b.component(Component.ON_TIME)
    # Kasur's area: WASA Kasur only (LESCO's own offices are not "the district"); it did 2 of
    # 10 where water is done 11 of 20 nationally: 5.5 expected.
    assert (a_time.area.offices, a_time.area.trials, a_time.area.observed) == (1, 10, 2)
    assert a_time.area.expected == pytest.approx(5.5)
    assert a_time.area.factor == pytest.approx(22 / 25.5)
    assert b_time.area.factor == pytest.approx(29 / 25.5)
    peer_rate = a_time.lines[0].peer_rate
    assert peer_rate is not None
    assert peer_rate == b_time.lines[0].peer_rate == pytest.approx(11 / 14)
    assert a_time.expected == pytest.approx(4 * peer_rate * 22 / 25.5)
    assert b_time.expected == pytest.approx(4 * peer_rate * 29 / 25.5)
    assert a.score is not None
    assert b.score is not None
    assert a.score > b.score  # the same record counts for more where everything is slow


@pytest.mark.django_db
def test_the_peers_counts_are_kept_for_the_period_and_counted_afresh_when_old(
    world, districts, travel, settings
):
    people, skp = districts.people, districts.sheikhupura
    a_and_b_after(world, districts, travel, hard_and_easy_categories(world, districts))
    period = period_of()
    # Scoring A and B kept the period's table: the next report reads it, not the events.
    assert PeerTable.objects.filter(since=period.since, until=period.until).exists()
    assert peer_table(period) == peer_counts(period)
    with CaptureQueriesContext(connection) as queries:
        peer_table(period)
    assert len(queries) == 1
    # A resolution made since is not among the peers until the kept table is an hour old.
    work(world, people.peer, category=world.supply, area=skp, on_time=1, late=0, travel_later=[])
    assert peer_table(period) != peer_counts(period)
    PeerTable.objects.update(
        computed_at=F("computed_at") - timedelta(seconds=settings.OFFICER_PEERS_MAX_AGE_SECONDS + 1)
    )
    assert peer_table(period) == peer_counts(period)


@pytest.mark.django_db
def test_the_worker_counts_the_usual_periods_and_forgets_old_tables(world):
    old = PeerTable.objects.create(
        since=date(2025, 1, 1),
        until=date(2025, 1, 31),
        computed_at=timezone.now() - timedelta(days=2),
    )
    counted = peer_tables_refresh()
    assert counted == 5  # an officer report's 90 days, and 7 days, 30 days, 3 and 12 months
    assert PeerTable.objects.count() == counted
    assert not PeerTable.objects.filter(pk=old.pk).exists()
    default = period_of()
    assert PeerTable.objects.filter(since=default.since, until=default.until).exists()
