"""Pakistan's district boundaries for the choropleth map: TopoJSON in, GeoJSON out.

The boundary files (data/geography/, see its README) are TopoJSON, which ECharts cannot read;
they are converted here once per process, with the standard library only, and kept in memory
as the exact bytes the map endpoints serve (with an ETag computed once), because the files
change only with a deployment.

Two kinds of feature come out of `districts.topo.json`:

- a district: `code` is a current district's code;
- an *unassigned area* (`code` null): land whose district is not known, e.g. South Waziristan,
  split in 2022 into Upper and Lower without a sourced tehsil allocation. It lists its
  `candidates`. It is served and drawn in neutral grey, never coloured with a district's
  figure: leaving it out would leave holes in the country that read as "no complaints",
  and colouring it as one of its candidates would be a guess.

A district with no polygon of its own (six today: the candidates of the shared areas above) is
drawn as a point; `district_placements` says which, and where.

Province borders are taken from the district file itself (arcs between districts of different
provinces, plus the outer edge), not from `provinces.topo.json`: the two files come from
different sources and their borders differ by a few kilometres, which would show as doubled
lines. `provinces.topo.json` is served as it is for pages that need a province map.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import itertools
import json
import math
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import get_text_list
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from citizen_portal.analytics.topojson import (
    Polygons,
    Position,
    Ring,
    arc_ids,
    decode_arcs,
    polygons,
)
from citizen_portal.core.templatetags.figures import figure
from citizen_portal.directory.models import AdminUnit
from citizen_portal.directory.selectors.memo import memo

DATA_DIR = Path(__file__).resolve().parent / "data" / "geography"
DISTRICTS_FILE = "districts.topo.json"
PROVINCES_FILE = "provinces.topo.json"
TEHSIL_MAP_FILE = "boundaries_tehsil_map.csv"
# 4 decimals of a degree is about 11 m, finer than the files' quantisation (about 15 m): the
# conversion loses nothing, and 3 decimals would save only a tenth of the bytes.
PRECISION = 4
UNASSIGNED_PREFIX = "unassigned-"


@dataclass(frozen=True)
class GeoPayload:
    """What a map endpoint serves: compact JSON, the same gzipped (the districts are 780 KB
    as JSON, 220 KB gzipped, and the embedded server compresses nothing but static files),
    and a strong ETag for each of the two."""

    body: bytes
    gzipped: bytes
    etag: str
    etag_gzipped: str


@dataclass(frozen=True)
class Area:
    """One feature of the district file. `code` is None for an unassigned area."""

    key: str  # the district code, or "unassigned-<n>": how the map names the region
    code: str | None
    name: str
    province: str
    candidates: tuple[str, ...]
    polygons: Polygons  # MultiPolygon coordinates

    def centroid(self) -> Position:
        """The area-weighted centroid of the outer rings (holes are negligible here)."""
        total = sx = sy = 0.0
        for polygon in self.polygons:
            ring = polygon[0]
            for (x0, y0), (x1, y1) in itertools.pairwise(ring):
                cross = x0 * y1 - x1 * y0
                total += cross
                sx += (x0 + x1) * cross
                sy += (y0 + y1) * cross
        if total == 0:  # degenerate: fall back on the bounding box's centre
            xs = [x for polygon in self.polygons for x, _ in polygon[0]]
            ys = [y for polygon in self.polygons for _, y in polygon[0]]
            return ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
        return (sx / (3 * total), sy / (3 * total))


@dataclass(frozen=True)
class DistrictPlacement:
    """How an active district appears on the map: as its polygon, or as a point."""

    code: str
    name: str  # in the active language
    province: str  # its province's name, in the active language
    has_polygon: bool
    point: Position | None  # (lon, lat) when drawn as a point; None when it has a polygon
    shares_area: str | None  # the unassigned area's key its point stands in, if any

    @property
    def drawn(self) -> bool:
        return self.has_polygon or self.point is not None


# 1. The areas and the GeoJSON the map endpoints serve.


@functools.lru_cache(maxsize=4)
def _topology(filename: str) -> dict[str, Any]:
    with (DATA_DIR / filename).open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


@functools.lru_cache(maxsize=1)
def _source_version() -> str:
    """A short hash of the boundary file, for the map's address: a new file after a
    deployment is fetched at once. Hashing the file (a millisecond) spares the page building
    the GeoJSON itself, which the endpoint does when first asked."""
    return hashlib.sha256((DATA_DIR / DISTRICTS_FILE).read_bytes()).hexdigest()[:8]


@functools.lru_cache(maxsize=1)
def areas() -> tuple[Area, ...]:
    """Every feature of the district file, in file order."""
    topology = _topology(DISTRICTS_FILE)
    arcs = decode_arcs(topology, PRECISION)
    found: list[Area] = []
    unassigned = 0
    for geometry in topology["objects"]["districts"]["geometries"]:
        props = geometry.get("properties") or {}
        code = props.get("code") or None
        if code is None:
            unassigned += 1
        found.append(
            Area(
                key=code or f"{UNASSIGNED_PREFIX}{unassigned}",
                code=code,
                name=props.get("name") or "",
                province=props.get("province") or "",
                candidates=tuple(c for c in (props.get("candidates") or "").split(";") if c),
                polygons=polygons(geometry, arcs),
            )
        )
    return tuple(found)


def _province_borders() -> list[Ring]:
    """Arcs that separate two provinces, or that only one area uses (the outer edge)."""
    topology = _topology(DISTRICTS_FILE)
    provinces: dict[int, set[str]] = defaultdict(set)
    uses: dict[int, int] = defaultdict(int)
    for geometry in topology["objects"]["districts"]["geometries"]:
        province = (geometry.get("properties") or {}).get("province") or ""
        for arc in arc_ids(geometry):
            provinces[arc].add(province)
            uses[arc] += 1
    arcs = decode_arcs(topology, PRECISION)
    return [arcs[i] for i in sorted(uses) if uses[i] == 1 or len(provinces[i]) > 1]


def _payload(document: dict[str, Any]) -> GeoPayload:
    body = json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()
    digest = hashlib.sha256(body).hexdigest()[:32]
    # mtime=0: the same bytes in every process, so every web worker gives the same answer.
    gzipped = gzip.compress(body, compresslevel=9, mtime=0)
    return GeoPayload(
        body=body, gzipped=gzipped, etag=f'"{digest}"', etag_gzipped=f'"{digest}-gzip"'
    )


def _multipolygon(parts: Polygons) -> dict[str, Any]:
    return {"type": "MultiPolygon", "coordinates": [[list(map(list, r)) for r in p] for p in parts]}


@functools.lru_cache(maxsize=1)
def districts_geojson() -> GeoPayload:
    """A FeatureCollection of districts and unassigned areas. `region` names each feature for
    the map (the code, or "unassigned-<n>"); `province_borders`, a foreign member (RFC 7946
    §6.1), holds the province borders as a MultiLineString."""
    features = [
        {
            "type": "Feature",
            "id": area.key,
            "properties": {
                "region": area.key,
                "code": area.code,
                "name": area.name,
                "province": area.province,
                "candidates": list(area.candidates),
            },
            "geometry": _multipolygon(area.polygons),
        }
        for area in areas()
    ]
    borders = {
        "type": "MultiLineString",
        "coordinates": [list(map(list, line)) for line in _province_borders()],
    }
    return _payload(
        {"type": "FeatureCollection", "features": features, "province_borders": borders}
    )


@functools.lru_cache(maxsize=1)
def provinces_geojson() -> GeoPayload:
    """The seven provinces and territories (the Public Domain file)."""
    topology = _topology(PROVINCES_FILE)
    arcs = decode_arcs(topology, PRECISION)
    features = []
    for geometry in topology["objects"]["provinces"]["geometries"]:
        props = geometry.get("properties") or {}
        features.append(
            {
                "type": "Feature",
                "id": props.get("code"),
                "properties": {"code": props.get("code"), "name": props.get("name")},
                "geometry": _multipolygon(polygons(geometry, arcs)),
            }
        )
    return _payload({"type": "FeatureCollection", "features": features})


# 2. Where each current district appears.


def _coordinate(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def district_placements() -> list[DistrictPlacement]:
    """`_district_placements`, remembered per language with the directory (it changes when an
    administrator saves a unit): every dashboard and the public page draw the map."""
    return memo.get(("district_placements", get_language()), _district_placements)


def _district_placements() -> list[DistrictPlacement]:
    """Every active district, in the order of its name in the active language: drawn as its
    polygon, or as a point at its stored centroid (AdminUnit.lat/lon), else within the
    unassigned area that names it as a candidate, else at its division's centroid. A district
    with none of these (a new one an administrator added) has `point` None: not drawn."""
    units = {
        u.pk: u
        for u in AdminUnit.objects.filter(
            level__in=[AdminUnit.Level.PROVINCE, AdminUnit.Level.DIVISION, AdminUnit.Level.DISTRICT]
        )
    }
    with_polygon = {area.code for area in areas() if area.code and area.polygons}
    candidate_of = {c: area for area in areas() if area.code is None for c in area.candidates}
    found: list[DistrictPlacement] = []
    districts = [u for u in units.values() if u.level == AdminUnit.Level.DISTRICT and u.is_active]
    for unit in sorted(districts, key=lambda u: (u.name.casefold(), u.code)):
        parent = units.get(unit.parent_id) if unit.parent_id else None
        province = parent
        while province is not None and province.level != AdminUnit.Level.PROVINCE:
            province = units.get(province.parent_id) if province.parent_id else None
        point: Position | None = None
        shares: str | None = None
        if unit.code not in with_polygon:
            lon, lat = _coordinate(unit.lon), _coordinate(unit.lat)
            if lon is not None and lat is not None:
                point = (lon, lat)
            elif unit.code in candidate_of:
                shares = candidate_of[unit.code].key
                point = candidate_of[unit.code].centroid()
            elif (
                parent is not None
                and parent.level == AdminUnit.Level.DIVISION
                and parent.lat is not None
                and parent.lon is not None
            ):
                point = (float(parent.lon), float(parent.lat))
        found.append(
            DistrictPlacement(
                code=unit.code,
                name=unit.name,
                province=province.name if province else "",
                has_polygon=unit.code in with_polygon,
                point=point,
                shares_area=shares,
            )
        )
    return found


# 3. What a page hands to templates/analytics/_map.html.

# How a figure is written: decimals, and whether it is a percentage (a value of 0 to 100).
VALUE_FORMATS = {"count": (0, False), "rate": (1, False), "percent": (1, True)}
_MAP_ID = re.compile(r"[a-z][a-z0-9-]{0,40}")


@dataclass(frozen=True)
class MapRow:
    """One district in the map's table (the map for screen readers and pages without
    JavaScript)."""

    code: str
    name: str
    province: str
    value: float | None
    text: str  # the value as the page writes it, or "No data"
    link: str  # "" when the page gave none
    drawn_as_point: bool
    not_drawn: bool


def _number(value: object) -> float | None:
    """A figure to draw, or None for no data: anything that is not a finite number (a string,
    a boolean, NaN, infinity) is no data rather than an error."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _link(url: object) -> str:
    """Only a link within the portal (a path): never another site, never `javascript:`."""
    if not isinstance(url, str) or not url.startswith("/") or url.startswith("//"):
        return ""
    return url if url_has_allowed_host_and_scheme(url, allowed_hosts=None) else ""


def _written(value: float | None, value_format: str) -> str:
    if value is None:
        return str(_("No data"))
    decimals, percent = VALUE_FORMATS[value_format]
    text = figure(value, decimals)
    return _("%(value)s%%") % {"value": text} if percent else text


def _rows(
    placements: list[DistrictPlacement],
    values: Mapping[str, object],
    value_format: str,
    links: Mapping[str, str],
) -> list[MapRow]:
    return [
        MapRow(
            code=place.code,
            name=place.name,
            province=place.province,
            value=(value := _number(values.get(place.code))),
            text=_written(value, value_format),
            link=_link(links.get(place.code)),
            drawn_as_point=place.point is not None,
            not_drawn=not place.drawn,
        )
        for place in placements
    ]


def _points(placements: list[DistrictPlacement]) -> list[dict[str, Any]]:
    """Districts drawn as points. Those that stand in one unassigned area share its centroid;
    `slot` of `slots` tells the script to set them side by side, a fixed number of pixels
    apart, so that each can be seen and clicked at any zoom;
    in code order, the same in every language."""
    sharing: dict[str | None, list[str]] = defaultdict(list)
    for place in placements:
        if place.point is not None:
            sharing[place.shares_area or place.code].append(place.code)
    return [
        {
            "code": place.code,
            "lon": place.point[0],
            "lat": place.point[1],
            "slot": (group := sorted(sharing[place.shares_area or place.code])).index(place.code),
            "slots": len(group),
        }
        for place in placements
        if place.point is not None
    ]


def _unassigned_labels(placements: list[DistrictPlacement]) -> dict[str, str]:
    """What the tooltip says over each unassigned area: the districts it may belong to."""
    names = {place.code: place.name for place in placements}
    return {
        area.key: _("District not known: %(names)s")
        % {"names": get_text_list([names.get(c, c) for c in area.candidates], _("or"))}
        for area in areas()
        if area.code is None
    }


def map_context(
    values: Mapping[str, object],
    *,
    metric_label: str,
    value_format: str = "count",
    links: Mapping[str, str] | None = None,
    title: str,
    map_id: str = "district-map",
) -> dict[str, Any]:
    """Everything `analytics/_map.html` renders, for every active district.

    `values` and `links` are keyed by district code; a missing code, None, or anything that
    is not a finite number is "no data"; codes that are not active districts are ignored, as
    are links that leave the portal. `value_format` is "count", "rate" (one decimal) or
    "percent" (0 to 100, one decimal). `map_id` tells two maps on one page apart.
    """
    if value_format not in VALUE_FORMATS:
        raise ValueError(f"value_format must be one of {sorted(VALUE_FORMATS)}")
    if not _MAP_ID.fullmatch(map_id):
        raise ValueError("map_id must be lower-case letters, digits and hyphens")
    placements = district_placements()
    rows = _rows(placements, values, value_format, links or {})
    decimals, percent = VALUE_FORMATS[value_format]
    config = {
        "geojson": reverse("analytics:map_districts") + "?v=" + _source_version(),
        "title": str(title),
        "metric": str(metric_label),
        "decimals": decimals,
        "suffix": "%" if percent else "",
        "values": {row.code: row.value for row in rows},
        "texts": {row.code: row.text for row in rows},
        "names": {row.code: row.name for row in rows},
        "links": {row.code: row.link for row in rows if row.link},
        "points": _points(placements),
        "unassigned": _unassigned_labels(placements),
    }
    return {
        "id": map_id,
        "config_id": f"{map_id}-data",
        "title": title,
        "metric_label": metric_label,
        "rows": rows,
        "points": [row for row in rows if row.drawn_as_point],
        "not_drawn": [row for row in rows if row.not_drawn],
        "config": config,
    }
