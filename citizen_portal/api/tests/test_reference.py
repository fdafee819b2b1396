"""Reference data for apps: public, in the caller's language, filtered within bounds, cacheable
with ETags, and cheap in queries even over the full national directory."""

from datetime import date

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from citizen_portal.api.throttling import PerAddressThrottle
from citizen_portal.directory.models import AdminUnit, Category, OutOfScopeGround
from citizen_portal.directory.tests.factories import (
    AdminUnitFactory,
    CategoryFactory,
    DepartmentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The rate limits count in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


def codes(response):
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()]


# --- Areas ----------------------------------------------------------------------------------


def test_without_filters_only_provinces_are_listed(api, world):
    AdminUnitFactory(code="PK-SD", parent=world.punjab.parent, level="province", name_en="Sindh")
    response = api.get("/api/v1/areas/")
    assert codes(response) == ["PK-PB", "PK-SD"]
    punjab = response.json()[0]
    assert punjab == {
        "code": "PK-PB",
        "name": "Punjab",
        "name_en": "Punjab",
        "name_ur": "",
        "level": "province",
        "parent": "PK",
        "is_active": True,
        "successors": [],
        "population": None,
    }


def test_a_parent_lists_its_children(api, world):
    assert codes(api.get("/api/v1/areas/", {"parent": "PK-PB"})) == ["PK-PB-LHR"]
    assert codes(api.get("/api/v1/areas/", {"parent": "PK-PB-LHR"})) == [
        "PK-PB-LHR-KSR",
        "PK-PB-LHR-LHR",
    ]


def test_a_level_below_a_parent_skips_the_levels_between(api, world):
    response = api.get("/api/v1/areas/", {"level": "district", "parent": "PK-PB"})
    assert codes(response) == ["PK-PB-LHR-KSR", "PK-PB-LHR-LHR"]


def test_tehsils_of_a_district_are_listed(api, world):
    AdminUnitFactory(code="PK-PB-LHR-LHR-CITY", parent=world.lahore, level="tehsil", depth=4)
    response = api.get("/api/v1/areas/", {"level": "tehsil", "parent": "PK-PB-LHR-LHR"})
    assert codes(response) == ["PK-PB-LHR-LHR-CITY"]


def test_blank_filters_count_as_not_given(api, world):
    assert codes(api.get("/api/v1/areas/?level=&parent=")) == ["PK-PB"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"level": "village"}, "level"),
        ({"level": "tehsil"}, "parent"),
        ({"parent": "PK-NOWHERE"}, "parent"),
        ({"parent": "PK\x00PB"}, "parent"),
        ({"parent": "PK-PB\n"}, "parent"),
        ({"include_retired": "perhaps"}, "include_retired"),
        ({"include_retired": "yes"}, "include_retired"),  # the schema says true or false
    ],
)
def test_a_bad_filter_is_refused_in_the_error_shape(api, world, query, field):
    response = api.get("/api/v1/areas/", query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == [field]


def test_retired_units_are_hidden_unless_asked_for_and_name_their_successors(api, world):
    old = AdminUnitFactory(
        code="PK-PB-LHR-OLD",
        parent=world.lahore.parent,
        name_en="Old District",
        is_active=False,
        retired_on=date(2022, 1, 1),
    )
    old.successors.add(world.lahore, world.kasur)
    assert "PK-PB-LHR-OLD" not in codes(api.get("/api/v1/areas/", {"parent": "PK-PB-LHR"}))
    response = api.get("/api/v1/areas/", {"parent": "PK-PB-LHR", "include_retired": "true"})
    retired = next(row for row in response.json() if row["code"] == "PK-PB-LHR-OLD")
    assert retired["is_active"] is False
    assert retired["successors"] == ["PK-PB-LHR-KSR", "PK-PB-LHR-LHR"]


def test_names_follow_accept_language_and_both_are_given(api, world):
    AdminUnit.objects.filter(code="PK-PB").update(name_ur="پنجاب")
    urdu = api.get("/api/v1/areas/", HTTP_ACCEPT_LANGUAGE="ur").json()[0]
    assert (urdu["name"], urdu["name_en"], urdu["name_ur"]) == ("پنجاب", "Punjab", "پنجاب")
    english = api.get("/api/v1/areas/", HTTP_ACCEPT_LANGUAGE="en").json()[0]
    assert english["name"] == "Punjab"


def test_a_name_missing_in_urdu_falls_back_to_english(api, world):
    row = api.get("/api/v1/areas/", HTTP_ACCEPT_LANGUAGE="ur").json()[0]
    assert (row["name"], row["name_ur"]) == ("Punjab", "")


# --- Caching --------------------------------------------------------------------------------


def test_an_unchanged_list_is_answered_304_with_its_etag(api, world):
    first = api.get("/api/v1/areas/")
    etag = first["ETag"]
    assert etag.startswith('"')  # strong: no W/ in front
    assert first["Cache-Control"] in {"public, max-age=300", "max-age=300, public"}
    assert "Accept-Language" in first["Vary"]
    again = api.get("/api/v1/areas/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert "max-age=300" in again["Cache-Control"]


def test_a_change_gives_a_new_etag_and_a_full_answer(api, world):
    etag = api.get("/api/v1/areas/")["ETag"]
    AdminUnit.objects.filter(code="PK-PB").update(name_en="Punjab Province")
    changed = api.get("/api/v1/areas/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed.json()[0]["name"] == "Punjab Province"
    assert changed["ETag"] != etag


def test_each_language_has_its_own_etag(api, world):
    AdminUnit.objects.filter(code="PK-PB").update(name_ur="پنجاب")
    english = api.get("/api/v1/areas/", HTTP_ACCEPT_LANGUAGE="en")["ETag"]
    urdu = api.get("/api/v1/areas/", HTTP_ACCEPT_LANGUAGE="ur")["ETag"]
    assert english != urdu
    stale = api.get("/api/v1/areas/", HTTP_ACCEPT_LANGUAGE="ur", HTTP_IF_NONE_MATCH=english)
    assert stale.status_code == 200


def test_one_of_several_etags_and_a_weak_copy_both_match(api, world):
    etag = api.get("/api/v1/tiers/")["ETag"]
    listed = api.get("/api/v1/tiers/", HTTP_IF_NONE_MATCH=f'"other", {etag}')
    weak = api.get("/api/v1/tiers/", HTTP_IF_NONE_MATCH=f"W/{etag}")
    assert (listed.status_code, weak.status_code) == (304, 304)


def test_errors_are_not_cached(api, world):
    response = api.get("/api/v1/areas/", {"level": "village"})
    assert response.status_code == 400
    assert "ETag" not in response
    assert "public" not in response.get("Cache-Control", "")


# --- Access ---------------------------------------------------------------------------------


def test_reference_data_needs_no_token_and_ignores_a_stale_one(api, world):
    assert api.get("/api/v1/tiers/").status_code == 200
    api.credentials(HTTP_AUTHORIZATION="Bearer cpt_expired-or-unknown")
    assert api.get("/api/v1/tiers/").status_code == 200


def test_too_many_requests_from_one_address_are_refused(api, world, monkeypatch):
    monkeypatch.setattr(PerAddressThrottle, "THROTTLE_RATES", {"address": "2/min"})
    assert api.get("/api/v1/tiers/").status_code == 200
    assert api.get("/api/v1/tiers/").status_code == 200
    refused = api.get("/api/v1/tiers/")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "throttled"
    assert int(refused["Retry-After"]) > 0
    # Another address still gets through.
    assert api.get("/api/v1/tiers/", REMOTE_ADDR="10.1.2.3").status_code == 200


# --- Tiers and departments ------------------------------------------------------------------


def test_tiers_carry_their_reference_prefix_and_both_names(api, world):
    [tier] = api.get("/api/v1/tiers/", HTTP_ACCEPT_LANGUAGE="ur").json()
    assert tier == {
        "code": "punjab",
        "name": "پنجاب",
        "name_en": "Punjab",
        "name_ur": "پنجاب",
        "reference_prefix": "PB",
    }


def test_departments_say_whether_they_are_on_the_portal(api, world):
    DepartmentFactory(code="PB-NEW", tier=world.tier, name_en="Not yet onboarded")
    rows = {row["code"]: row for row in api.get("/api/v1/departments/").json()}
    assert rows["FED-LESCO"]["on_portal"] is True
    assert rows["FED-LESCO"]["tier"] == "punjab"
    assert rows["PB-NEW"]["on_portal"] is False


def test_a_sub_department_is_on_the_portal_through_its_parent(api, world):
    DepartmentFactory(code="FED-LESCO-GULBERG", tier=world.tier, parent=world.lesco)
    rows = {row["code"]: row for row in api.get("/api/v1/departments/").json()}
    assert rows["FED-LESCO-GULBERG"]["parent"] == "FED-LESCO"
    assert rows["FED-LESCO-GULBERG"]["on_portal"] is True


def test_departments_are_filtered_by_tier_and_inactive_ones_left_out(api, world):
    federal = DepartmentFactory(code="FED-NADRA", tier__code="federal", tier__reference_prefix="FD")
    DepartmentFactory(code="PB-CLOSED", tier=world.tier, is_active=False)
    assert codes(api.get("/api/v1/departments/", {"tier": "federal"})) == [federal.code]
    assert "PB-CLOSED" not in codes(api.get("/api/v1/departments/"))


def test_an_unknown_tier_is_refused(api, world):
    response = api.get("/api/v1/departments/", {"tier": "atlantis"})
    assert response.status_code == 400
    assert "tier" in response.json()["error"]["fields"]


# --- Categories -----------------------------------------------------------------------------


def test_a_departments_categories_come_as_a_tree_parents_first(api, world):
    rows = api.get("/api/v1/categories/", {"department": "FED-LESCO"}).json()
    assert [row["code"] for row in rows] == [
        "FED-LESCO.BILL",
        "FED-LESCO.BILL.OVER",
        "FED-LESCO.SUPPLY",
    ]
    over = rows[1]
    assert over["parent"] == "FED-LESCO.BILL"
    assert over["department"] == "FED-LESCO"
    assert over["depth"] == 1
    assert over["deadline_working_days"] == 10
    assert over["lodgeable"] is True
    assert (over["out_of_scope"], over["out_of_scope_reason"]) == (False, None)


def test_a_parent_lists_its_subcategories(api, world):
    response = api.get("/api/v1/categories/", {"parent": "FED-LESCO.BILL"})
    assert codes(response) == ["FED-LESCO.BILL.OVER"]


def test_categories_need_a_department_or_a_parent(api, world):
    response = api.get("/api/v1/categories/")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "department": ["Give a department or a parent category."]
    }


def test_an_out_of_scope_category_is_not_lodgeable_and_says_why_in_urdu(api, world):
    CategoryFactory(
        code="FED-LESCO.OOS", department=world.lesco, name_en="Court cases", out_of_scope=True
    )
    response = api.get("/api/v1/categories/FED-LESCO.OOS/", HTTP_ACCEPT_LANGUAGE="ur")
    row = response.json()
    assert (row["lodgeable"], row["out_of_scope"]) == (False, True)
    assert row["out_of_scope_reason"] == "یہ معاملہ پورٹل کے دائرہ کار سے باہر ہے۔"


def test_a_category_of_a_department_off_the_portal_is_not_lodgeable(api, world):
    offline = DepartmentFactory(code="PB-OFF", tier=world.tier)
    CategoryFactory(code="PB-OFF.ROADS", department=offline)
    [row] = api.get("/api/v1/categories/", {"department": "PB-OFF"}).json()
    assert row["lodgeable"] is False


def test_a_retired_category_is_still_found_by_code_but_not_lodgeable(api, world):
    Category.objects.filter(code="FED-LESCO.SUPPLY").update(is_active=False)
    assert "FED-LESCO.SUPPLY" not in codes(
        api.get("/api/v1/categories/", {"department": "FED-LESCO"})
    )
    row = api.get("/api/v1/categories/FED-LESCO.SUPPLY/").json()
    assert (row["is_active"], row["lodgeable"]) == (False, False)


@pytest.mark.parametrize("code", ["NO-SUCH.CODE", "bad code", "x" * 81])
def test_an_unknown_category_is_not_found_in_the_error_shape(api, world, code):
    response = api.get(f"/api/v1/categories/{code}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_category_answer_is_cacheable_too(api, world):
    first = api.get("/api/v1/categories/FED-LESCO.BILL/")
    again = api.get("/api/v1/categories/FED-LESCO.BILL/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


# --- Out-of-scope grounds -------------------------------------------------------------------


def test_out_of_scope_grounds_give_their_reasons_in_both_languages(api, db):
    OutOfScopeGround.objects.create(
        code="OOS-COURT",
        name_en="Matter before a court",
        reason_en="The portal cannot intervene in court proceedings.",
        reason_ur="پورٹل عدالتی کارروائی میں مداخلت نہیں کر سکتا۔",
    )
    OutOfScopeGround.objects.create(code="OOS-OLD", name_en="Old", reason_en="-", is_active=False)
    [ground] = api.get("/api/v1/out-of-scope/", HTTP_ACCEPT_LANGUAGE="ur").json()
    assert ground["code"] == "OOS-COURT"
    assert ground["reason"] == "پورٹل عدالتی کارروائی میں مداخلت نہیں کر سکتا۔"
    assert ground["reason_en"] == "The portal cannot intervene in court proceedings."


# --- Over the real directory ----------------------------------------------------------------


@pytest.fixture
def national(db):
    from citizen_portal.directory.services.loading import directory_load

    directory_load()


@pytest.mark.parametrize(
    ("path", "query", "at_most"),
    [
        ("/api/v1/areas/", {}, 2),
        ("/api/v1/areas/", {"level": "district"}, 2),
        ("/api/v1/areas/", {"level": "tehsil", "parent": "PK-PB"}, 3),
        ("/api/v1/tiers/", {}, 1),
        ("/api/v1/departments/", {}, 4),
        ("/api/v1/departments/", {"tier": "punjab"}, 5),
        ("/api/v1/categories/", {"department": "FED-LESCO"}, 5),
        ("/api/v1/categories/FED-LESCO.BILL/", {}, 4),
        ("/api/v1/out-of-scope/", {}, 1),
    ],
)
def test_lists_cost_a_few_queries_over_the_real_directory(
    api, national, django_assert_max_num_queries, path, query, at_most
):
    with django_assert_max_num_queries(at_most):
        response = api.get(path, query, HTTP_ACCEPT_LANGUAGE="ur")
    assert response.status_code == 200
    assert response.json()


def test_no_request_returns_the_whole_tree(api, national):
    provinces = api.get("/api/v1/areas/").json()
    assert {row["level"] for row in provinces} == {"province"}
    assert "PK-PB" in [row["code"] for row in provinces]
    assert len(provinces) < 10
    districts = api.get("/api/v1/areas/", {"level": "district"}).json()
    assert {row["level"] for row in districts} == {"district"}
    assert 100 < len(districts) < 200
    # Urdu names of the real directory come through.
    assert next(row for row in provinces if row["code"] == "PK-PB")["name_ur"] == "پنجاب"
