"""The daily detection as the focal person meets it: a real spike raises one alert and one
message; steady high volume, a small rise or a rise under the minimum raise none; a second
run raises nothing more; the alert closes once the week is back to normal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command

from citizen_portal.core import clock
from citizen_portal.hotspots.models import HotspotAlert
from citizen_portal.hotspots.selectors.detection import poisson_upper_tail
from citizen_portal.hotspots.services.detection import hotspots_detect
from citizen_portal.hotspots.tests.helpers import plant, plant_weeks
from citizen_portal.notifications.models import Notification

pytestmark = pytest.mark.django_db

USUAL = [2, 2, 1, 3, 2, 2, 2, 2]  # about 2 a week before


def _tehsil(world):
    from citizen_portal.directory.tests.factories import AdminUnitFactory

    return AdminUnitFactory(
        code="PK-PB-LHR-LHR-CNT", parent=world.lahore, level="tehsil", name_en="Lahore City"
    )


def test_a_spike_raises_one_alert_and_tells_the_focal_person_once(
    world, smtp_server, django_capture_on_commit_callbacks
):
    world.officers.focal.email = "cell@lesco.example.pk"
    world.officers.focal.save()
    today = clock.today()
    # 15 this week, 5 of them lodged against a tehsil of Lahore: they count towards Lahore.
    plant_weeks(world, today, [10, *USUAL])
    plant(world, day=today - timedelta(days=1), n=5, area=_tehsil(world))
    with django_capture_on_commit_callbacks(execute=True):
        outcome = hotspots_detect(today=today)
    [alert] = outcome.raised
    assert (alert.category, alert.district, alert.department) == (
        world.overbilling,
        world.lahore,
        world.lesco,
    )
    assert alert.count == 15
    assert alert.baseline == pytest.approx(2.0)
    assert alert.p_value < 0.001
    assert alert.status == HotspotAlert.Status.OPEN
    [note] = Notification.objects.filter(user=world.officers.focal)
    assert "Over-billing" in note.title
    assert "Lahore" in note.title
    assert note.url == f"/hotspots/{alert.pk}/"
    [mail] = [m for m in smtp_server if b"Hotspot alert" in m.content]
    assert mail.rcpt_tos == ["cell@lesco.example.pk"]
    assert f"/hotspots/{alert.pk}/" in mail.content.decode()
    # Nobody else in the department is told.
    assert not Notification.objects.filter(user=world.officers.se).exists()

    # The next morning the rise continues: the same alert, refreshed, and no second message.
    plant(world, day=today, n=3)
    with django_capture_on_commit_callbacks(execute=True):
        again = hotspots_detect(today=today + timedelta(days=1))
    assert again.raised == []
    assert again.refreshed == 1
    assert HotspotAlert.objects.count() == 1
    assert HotspotAlert.objects.get().count == 18
    assert Notification.objects.filter(user=world.officers.focal).count() == 1
    assert len([m for m in smtp_server if b"Hotspot alert" in m.content]) == 1


def test_steady_high_volume_small_rises_and_suggestions_raise_nothing(world):
    today = clock.today()
    # A busy category: 40 a week, every week (45 this week is within its usual range).
    plant_weeks(world, today, [45, 40, 38, 42, 40, 41, 39, 40, 40], category=world.supply)
    # Under the minimum: 6 where there is usually none.
    plant_weeks(world, today, [6], area=world.kasur)
    # Suggestions are not complaints.
    plant_weeks(world, today, [20], category=world.billing, kind="suggestion")
    outcome = hotspots_detect(today=today)
    assert outcome.raised == []
    assert outcome.judged == 2  # suggestions are not counted at all
    assert not HotspotAlert.objects.exists()
    assert not Notification.objects.exists()


def test_a_rise_not_far_enough_above_the_usual_week_raises_nothing(world):
    today = clock.today()
    # 12 against about 5 a week: more than the minimum, but under three times the usual.
    plant_weeks(world, today, [12, 5, 5, 4, 6, 5, 5, 5, 5])
    assert hotspots_detect(today=today).raised == []


def test_the_alert_closes_itself_once_the_week_is_back_to_normal(world):
    today = clock.today()
    plant_weeks(world, today, [15, *USUAL])
    [alert] = hotspots_detect(today=today).raised
    # Four days on, the spike's days are still within the last seven: it stays open.
    assert hotspots_detect(today=today + timedelta(days=3)).closed == 0
    # A week on, the last seven days hold no complaint of it: back to normal, closed.
    outcome = hotspots_detect(today=today + timedelta(days=7))
    assert outcome.closed == 1
    alert.refresh_from_db()
    assert alert.status == HotspotAlert.Status.CLOSED
    assert alert.closed_at is not None
    # A new rise later is a new alert.
    plant_weeks(world, today + timedelta(days=21), [16])
    assert len(hotspots_detect(today=today + timedelta(days=21)).raised) == 1
    assert HotspotAlert.objects.count() == 2


def test_the_operators_command_runs_as_of_a_date_and_refuses_a_bad_one(world, capsys):
    today = clock.today()
    plant_weeks(world, today, [15, *USUAL])
    call_command("detect_hotspots", "--date", today.isoformat())
    assert "1 raised" in capsys.readouterr().out
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("detect_hotspots", "--date", "2026-13-45")


def test_the_poisson_tail_matches_known_values():
    # P(X >= 8 | mean 1) = 1.0249e-5; P(X >= 0) = 1.
    assert poisson_upper_tail(8, 1.0) == pytest.approx(1.0249e-5, rel=1e-3)
    assert poisson_upper_tail(0, 3.0) == 1.0
    assert poisson_upper_tail(10, 10.0) == pytest.approx(0.54207, rel=1e-4)
    assert poisson_upper_tail(500, 2.0) < 1e-300 or poisson_upper_tail(500, 2.0) == 0.0
