"""The public transparency page and its open data: no login, no personal data, and small
counts suppressed so that no figure can point to a person."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from citizen_portal.analytics.services.rollups import rollups_refresh
from citizen_portal.complaints.tests.factories import lodge

pytestmark = pytest.mark.django_db


@pytest.fixture
def lahore_twelve_kasur_three(world):
    """Twelve complaints in Lahore, three in Kasur, all lodged by the same citizen."""
    for _ in range(12):
        lodge(world)
    for _ in range(3):
        lodge(world, area=world.kasur)
    rollups_refresh()


def _json(client, **query):
    response = client.get(reverse("transparency:data_json"), query)
    assert response.status_code == 200
    return json.loads(response.content)


def test_counts_below_ten_are_suppressed_everywhere(client, world, lahore_twelve_kasur_three):
    rows = _json(client)["rows"]
    by_code = {(r["level"], r["code"]): r for r in rows}
    assert by_code[("district", world.lahore.code)]["lodged"] == 12
    assert by_code[("district", world.kasur.code)]["lodged"] is None  # 3: fewer than 10
    assert by_code[("nation", "PK")]["lodged"] == 15
    # No rate over fewer than 10: nothing was resolved, so no on-time rate.
    assert by_code[("nation", "PK")]["on_time_rate"] is None
    page = client.get(reverse("transparency:page")).content.decode()
    assert "fewer than 10" in page
    assert ">15<" in page


def test_the_csv_has_the_same_rows_and_names_no_one(client, world, lahore_twelve_kasur_three):
    response = client.get(reverse("transparency:data_csv"), {"preset": "30"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    kasur = next(r for r in rows if r["code"] == world.kasur.code)
    assert kasur["lodged"] == ""  # suppressed
    assert world.citizen.full_name not in text
    assert world.citizen.phone not in text
    assert "Bill three times the usual" not in text  # no complaint text either


def test_an_unknown_period_gets_a_message_and_the_last_year(client, world):
    response = client.get(reverse("transparency:page"), {"preset": "=cmd|' /C calc'!A0"})
    assert response.status_code == 200
    assert "That period is not offered" in response.content.decode()


def test_the_threshold_is_a_setting(client, world, settings, lahore_twelve_kasur_three):
    settings.OPEN_DATA_MIN_COUNT = 3
    rows = _json(client)["rows"]
    kasur = next(r for r in rows if r["code"] == world.kasur.code)
    assert kasur["lodged"] == 3
    assert "below 3" in _json(client)["suppression"]
