"""The difficulty-adjusted officer score (analytics/selectors/officer_score.py): the arithmetic
of docs/performance.md's worked example, and on complaints lodged and resolved through the real
services, an officer whose category is slow everywhere judged fairly against one whose category
is quick everywhere."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citizen_portal.analytics.selectors.officer_score import (
    PRIOR_WEIGHT,
    Component,
    Counts,
    officer_score,
    points_for,
    score_of,
)
from citizen_portal.complaints.selectors.performance import period_of, scorecard_for
from citizen_portal.complaints.services.officer_actions import complaint_resolve
from citizen_portal.complaints.tests.factories import lodge
from citizen_portal.directory.tests.factories import (
    AdminUnitFactory,
    OfficeFactory,
    PositionFactory,
    StaffFactory,
    hold,
    rule,
)

NAMES = {1: "Over-billing", 2: "Power supply"}


def test_the_worked_example_of_docs_performance_md():
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


@pytest.mark.django_db
def test_an_officer_in_a_hard_category_is_not_punished_for_it(world, districts, travel):
    people, skp = districts.people, districts.sheikhupura
    pending: list[tuple[object, list[object]]] = []
    # The same own record for A and B: 2 of 4 resolved on time.
    work(
        world,
        people.a,
        category=world.supply,
        area=world.kasur,
        on_time=2,
        late=2,
        travel_later=pending,
    )
    work(
        world,
        people.b,
        category=world.overbilling,
        area=world.lahore,
        on_time=2,
        late=2,
        travel_later=pending,
    )
    # Peers: power supply 2 of 10 on time; over-billing 9 of 10.
    work(
        world, people.peer, category=world.supply, area=skp, on_time=2, late=8, travel_later=pending
    )
    work(
        world,
        people.peer,
        category=world.overbilling,
        area=skp,
        on_time=9,
        late=1,
        travel_later=pending,
    )
    travel(days=30)
    resolve_late(pending)

    period = period_of()
    a, b = officer_score(people.a, period), officer_score(people.b, period)
    a_time, b_time = a.component(Component.ON_TIME), b.component(Component.ON_TIME)
    assert (a_time.observed, a_time.trials) == (b_time.observed, b_time.trials) == (2, 4)
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
    with CaptureQueriesContext(connection) as queries:
        result = officer_score(people.a, period)
    assert len(queries) <= 9
    on_time = result.component(Component.ON_TIME)
    assert (on_time.trials, on_time.observed) == (card.resolved, card.resolved_on_time) == (4, 3)
    assert result.component(Component.KEPT).trials == card.received == 5
