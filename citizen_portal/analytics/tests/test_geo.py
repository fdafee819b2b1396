"""The district map: boundaries converted from TopoJSON, every current district drawn (as its
polygon or as a point), the public boundary endpoints and downloads, and what the map's
include renders from the figures a page gives it."""

from __future__ import annotations

import csv
import gzip
import itertools
import json
import re
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from citizen_portal.analytics import geo
from citizen_portal.analytics.topojson import arc_ids, decode_arcs, polygons
from citizen_portal.directory.models import AdminUnit
from citizen_portal.directory.services.loading import DATA_DIR
from citizen_portal.directory.services.loading.csvio import LoadReport
from citizen_portal.directory.services.loading.geography import load_units
from citizen_portal.directory.services.loading.urdu import fill_unofficial_urdu_names

# Pakistan's extent, a little generously (GB reaches 77.8° E, the coast 23.7° N).
LON = (60.5, 78.0)
LAT = (23.5, 37.2)
WITHOUT_POLYGON = {
    "PK-KP-DIK-USZ",  # Upper and Lower South Waziristan: one 2017 area
    "PK-KP-DIK-LSZ",
    "PK-BA-KSL-NDB",  # North and South Dera Bugti: one 2017 area
    "PK-BA-SDB",
    "PK-GB-DMA-DRL",  # Darel and Tangir: one 2017 tehsil
    "PK-GB-DMA-TGR",
}


@pytest.fixture
def geography(db: None) -> None:
    """The real geography (directory/data/units.csv, as load_directory loads it) with the
    team's Urdu names, without the rest of the directory the map does not read."""
    report = LoadReport()
    load_units(DATA_DIR, report, update=False)
    fill_unofficial_urdu_names(DATA_DIR, report)


def _district_codes_in_reference_data() -> set[str]:
    with (DATA_DIR / "units.csv").open(encoding="utf-8") as handle:
        return {row["code"] for row in csv.DictReader(handle) if row["level"] == "district"}


def _ring_area(ring: list[tuple[float, float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring)) / 2


# Converting the boundary file.


def test_the_topojson_decoder_follows_the_specification_example():
    # The quantised example of the TopoJSON specification, §2.1.2: delta-encoded arcs.
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.25], "translate": [100, 0]},
        "objects": {},
        "arcs": [[[0, 0], [2, 0], [0, 4], [-2, 0], [0, -4]], [[0, 0], [1, 1]]],
    }
    arcs = decode_arcs(topology, precision=4)
    assert arcs[0] == [(100, 0), (101, 0), (101, 1), (100, 1), (100, 0)]
    square = {"type": "Polygon", "arcs": [[0]]}
    assert polygons(square, arcs) == ((arcs[0],),)
    reversed_square = {"type": "MultiPolygon", "arcs": [[[~0]]]}
    assert polygons(reversed_square, arcs) == ((arcs[0][::-1],),)
    assert arc_ids({"type": "Polygon", "arcs": [[0, ~1]]}) == [0, 1]
    assert polygons({"type": "Point", "coordinates": [1, 2]}, arcs) == ()


def test_every_one_of_the_171_districts_with_a_boundary_becomes_closed_polygons_in_pakistan():
    districts = [area for area in geo.areas() if area.code]
    assert len(districts) == 171
    assert len({area.code for area in districts}) == 171
    assert {area.code for area in districts} <= _district_codes_in_reference_data()
    assert not {area.code for area in districts} & WITHOUT_POLYGON
    for area in districts:
        assert area.polygons, area.code
        assert sum(abs(_ring_area(polygon[0])) for polygon in area.polygons) > 0, area.code
        for polygon in area.polygons:
            for ring in polygon:
                assert len(ring) >= 4, area.code
                assert ring[0] == ring[-1], area.code
                assert all(LON[0] < x < LON[1] and LAT[0] < y < LAT[1] for x, y in ring)
    lahore = next(area for area in districts if area.code == "PK-PB-LHR-LHR")
    lon, lat = lahore.centroid()
    assert 74.1 < lon < 74.6  # Lahore is where Lahore is
    assert 31.3 < lat < 31.7


def test_areas_whose_district_is_unknown_are_kept_apart_with_their_candidates():
    unassigned = [area for area in geo.areas() if area.code is None]
    assert len(unassigned) == 8
    assert [area.key for area in unassigned] == [f"unassigned-{n}" for n in range(1, 9)]
    candidates = {c for area in unassigned for c in area.candidates}
    assert candidates >= WITHOUT_POLYGON
    assert candidates <= _district_codes_in_reference_data()


# Where each current district appears.


def test_every_active_district_of_the_real_directory_is_a_polygon_or_a_point(geography):
    placements = geo.district_placements()
    assert len(placements) == 177
    assert all(p.drawn for p in placements)
    points = {p.code: p for p in placements if not p.has_polygon}
    assert set(points) == WITHOUT_POLYGON
    areas = {area.key: area for area in geo.areas()}
    for place in points.values():
        # The reference data has no centroid for these: each stands in the area it shares.
        assert place.shares_area is not None
        area = areas[place.shares_area]
        assert place.code in area.candidates
        xs = [x for polygon in area.polygons for x, _ in polygon[0]]
        ys = [y for polygon in area.polygons for _, y in polygon[0]]
        lon, lat = place.point  # type: ignore[misc]
        assert min(xs) <= lon <= max(xs), place.code
        assert min(ys) <= lat <= max(ys), place.code
    assert points["PK-KP-DIK-USZ"].point == points["PK-KP-DIK-LSZ"].point
    assert all(p.point is None for p in placements if p.has_polygon)


def test_a_district_added_later_is_a_point_at_its_centroid_or_else_named_as_not_on_the_map(
    geography,
):
    division = AdminUnit.objects.get(code="PK-PB-LHR")
    AdminUnit.objects.create(
        code="PK-PB-LHR-NEW", parent=division, level="district", depth=3, name_en="Newpur",
        lat="31.100", lon="74.000",
    )  # fmt: skip
    # A new division has no centroid yet: its new district has no place on the map.
    new_division = AdminUnit.objects.create(
        code="PK-SD-XXX", parent=AdminUnit.objects.get(code="PK-SD"), level="division",
        depth=2, name_en="Newdivision",
    )  # fmt: skip
    AdminUnit.objects.create(
        code="PK-SD-XXX-NOP", parent=new_division, level="district", depth=3, name_en="Nowhere"
    )
    AdminUnit.objects.filter(code="PK-PB-LHR-LHR").update(is_active=False)
    context = geo.map_context({}, metric_label="Complaints", title="Complaints")
    rows = {row.code: row for row in context["rows"]}
    assert "PK-PB-LHR-LHR" not in rows  # retired: no longer a district of its own
    assert rows["PK-PB-LHR-NEW"].drawn_as_point
    assert {"code": "PK-PB-LHR-NEW", "lon": 74.0, "lat": 31.1, "slot": 0, "slots": 1} in (
        context["config"]["points"]
    )
    assert [row.name for row in context["not_drawn"]] == ["Nowhere"]
    page = render_to_string("analytics/_map.html", {"map": context})
    assert "Not on the map" in page
    assert "Nowhere" in page


# The public endpoints.


def test_the_districts_geojson_is_public_compact_and_cacheable(client: Client):
    response = client.get(reverse("analytics:map_districts"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert "public" in response["Cache-Control"]
    assert int(re.search(r"max-age=(\d+)", response["Cache-Control"])[1]) >= 24 * 3600  # type: ignore[index]
    assert re.fullmatch(r'"[0-9a-f]{32}"', response["ETag"])
    body = response.content
    assert b": " not in body[:2000]  # no whitespace padding
    assert b", " not in body[:2000]
    document = json.loads(body)
    assert document["type"] == "FeatureCollection"
    assert len(document["features"]) == 179
    lahore = next(f for f in document["features"] if f["id"] == "PK-PB-LHR-LHR")
    assert lahore["properties"]["region"] == "PK-PB-LHR-LHR"
    assert lahore["geometry"]["type"] == "MultiPolygon"
    assert document["province_borders"]["type"] == "MultiLineString"
    assert len(document["province_borders"]["coordinates"]) > 20


def test_a_client_holding_the_current_copy_gets_304_and_a_gzip_client_gets_it_compressed(
    client: Client,
):
    url = reverse("analytics:map_districts")
    plain = client.get(url)
    again = client.get(url, headers={"If-None-Match": plain["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert client.get(url, headers={"If-None-Match": '"stale"'}).status_code == 200
    packed = client.get(url, headers={"Accept-Encoding": "gzip, deflate"})
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert packed["ETag"] != plain["ETag"]
    assert gzip.decompress(packed.content) == plain.content
    assert client.post(url).status_code == 405


def test_the_provinces_geojson_has_the_seven_provinces_and_territories(client: Client):
    response = client.get(reverse("analytics:map_provinces"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert "ETag" in response
    assert "public" in response["Cache-Control"]
    codes = {f["properties"]["code"] for f in response.json()["features"]}
    assert codes == {"PK-PB", "PK-SD", "PK-KP", "PK-BA", "PK-IS", "PK-GB", "PK-JK"}


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("districts.topo.json", "application/json"),
        ("provinces.topo.json", "application/json"),
        ("boundaries_tehsil_map.csv", "text/csv; charset=utf-8"),
    ],
)
def test_the_boundary_files_download_unchanged_as_attachments(client: Client, name, content_type):
    response = client.get(reverse("analytics:map_download", args=[name]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response.getvalue() == (geo.DATA_DIR / name).read_bytes()


@pytest.mark.parametrize("name", ["README.md", "units.csv", "..%2F..%2Fgeo.py", "%2Fetc%2Fpasswd"])
def test_nothing_but_the_boundary_files_can_be_downloaded(client: Client, name):
    response = client.get(reverse("analytics:map_download", args=["x"]).replace("/x", "/" + name))
    assert response.status_code == 404


# What the include renders.


def _config(page: str, map_id: str = "district-map") -> dict[str, Any]:
    found = re.search(rf'<script id="{map_id}-data" type="application/json">(.*?)</script>', page)
    assert found, "no json_script for the map"
    config: dict[str, Any] = json.loads(found[1])
    return config


def test_the_map_shows_figures_links_attribution_and_a_table_of_every_district(geography):
    values = {"PK-PB-LHR-LHR": 1234.4, "PK-KP-DIK-USZ": 12, "PK-SD-KHI-KCW": None}
    links = {code: f"/analytics/districts/{code}/" for code in values}
    context = geo.map_context(
        values, metric_label="Complaints", value_format="count", links=links, title="Complaints"
    )
    page = render_to_string("analytics/_map.html", {"map": context})
    config = _config(page)
    assert config["values"]["PK-PB-LHR-LHR"] == 1234.4
    assert config["texts"]["PK-PB-LHR-LHR"] == "1,234"  # as the table writes it
    assert config["texts"]["PK-SD-KHI-KCW"] == "No data"
    assert config["links"]["PK-KP-DIK-USZ"] == "/analytics/districts/PK-KP-DIK-USZ/"
    assert config["geojson"].startswith(reverse("analytics:map_districts") + "?v=")
    assert config["unassigned"]["unassigned-1"].startswith("District not known: ")
    # The table: every active district, linked where the page gave a link.
    assert page.count('<th scope="row">') == 177
    assert '<a href="/analytics/districts/PK-PB-LHR-LHR/">Lahore</a>' in page
    # The legend names the districts drawn as points; the licence's attribution and the
    # boundary file's download are on the map.
    assert "drawn as a point" in page
    assert "Upper South Waziristan" in page
    assert "Tehsil boundaries: Pathways Data Pvt. Ltd. (based on PBS census data)" in page
    assert reverse("analytics:map_download", args=["districts.topo.json"]) in page
    assert "https://opendatacommons.org/licenses/odbl/1-0/" in page
    assert "<script>" not in page  # scripts by address only (Content-Security-Policy)
    assert ' style="' not in page


def test_bad_figures_are_no_data_and_links_off_the_portal_are_dropped(geography):
    values = {
        "PK-PB-LHR-LHR": float("nan"),
        "PK-PB-LHR-KSR": float("inf"),
        "PK-PB-LHR-NNS": "12",
        "PK-PB-LHR-SKP": True,
        "PK-PB-RWP-RWP": -3,
        "PK-XX-NOT-REAL": 5,
    }
    links = {
        "PK-PB-LHR-LHR": "javascript:alert(1)",
        "PK-PB-LHR-KSR": "//evil.example/",
        "PK-PB-LHR-NNS": "https://evil.example/",
        "PK-PB-LHR-SKP": "/fine/",
        "PK-XX-NOT-REAL": "/nowhere/",
    }
    context = geo.map_context(
        values, metric_label="Rate", value_format="percent", links=links, title="Rate"
    )
    config = context["config"]
    for code in ("PK-PB-LHR-LHR", "PK-PB-LHR-KSR", "PK-PB-LHR-NNS", "PK-PB-LHR-SKP"):
        assert config["values"][code] is None, code
        assert config["texts"][code] == "No data", code
    assert config["texts"]["PK-PB-RWP-RWP"] == "-3.0%"
    assert config["links"] == {"PK-PB-LHR-SKP": "/fine/"}
    assert "PK-XX-NOT-REAL" not in config["values"]
    json.dumps(config, allow_nan=False)  # valid JSON for the browser: no NaN or Infinity
    with pytest.raises(ValueError, match="value_format"):
        geo.map_context({}, metric_label="x", value_format="money", title="x")
    with pytest.raises(ValueError, match="map_id"):
        geo.map_context({}, metric_label="x", title="x", map_id='x"><script>')


def test_names_from_the_directory_cannot_break_out_of_the_page(geography):
    AdminUnit.objects.filter(code="PK-PB-LHR-LHR").update(name_en="</script><b>Lahore</b>")
    context = geo.map_context(
        {"PK-PB-LHR-LHR": 1}, metric_label="<i>x</i>", title="<i>Map</i>", map_id="second-map"
    )
    page = render_to_string("analytics/_map.html", {"map": context, "skip_map_assets": True})
    assert "<b>Lahore</b>" not in page
    assert "<i>" not in page
    assert _config(page, "second-map")["names"]["PK-PB-LHR-LHR"] == "</script><b>Lahore</b>"
    assert "echarts" not in page  # the second map on a page loads nothing again


def test_in_urdu_the_map_names_districts_in_urdu(geography):
    with translation.override("ur"):
        context = geo.map_context({}, metric_label="x", title="x")
    lahore = AdminUnit.objects.get(code="PK-PB-LHR-LHR")
    assert lahore.name_ur
    assert context["config"]["names"]["PK-PB-LHR-LHR"] == lahore.name_ur
    assert context["rows"][0].name <= context["rows"][1].name  # in Urdu alphabetical order


def test_the_map_context_reads_the_directory_in_one_query(geography, django_assert_num_queries):
    geo.areas()
    geo.districts_geojson()
    with django_assert_num_queries(1):
        geo.map_context({}, metric_label="x", title="x")
