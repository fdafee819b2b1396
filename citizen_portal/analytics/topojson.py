"""Decoding TopoJSON (https://github.com/topojson/topojson-specification) with the standard
library: enough for polygon files such as the district and province boundaries.

TopoJSON stores each shared border once, as an *arc*; a polygon's ring is a list of arc
indexes, where ~i (a negative index) means arc i walked backwards. A quantised file
(`transform` present) stores each arc as integer steps from the previous point, to be scaled
and translated back to longitude and latitude.
"""

from __future__ import annotations

from typing import Any

Position = tuple[float, float]  # (longitude, latitude)
Ring = list[Position]
Polygons = tuple[tuple[Ring, ...], ...]  # MultiPolygon coordinates: polygons of rings


def decode_arcs(topology: dict[str, Any], precision: int) -> list[Ring]:
    """Absolute positions of every arc, rounded to `precision` decimals."""
    transform = topology.get("transform")
    arcs: list[Ring] = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(round(p[0], precision), round(p[1], precision)) for p in arc])
            continue
        (kx, ky), (dx, dy) = transform["scale"], transform["translate"]
        x = y = 0
        points: Ring = []
        for step in arc:
            x, y = x + step[0], y + step[1]
            point = (round(x * kx + dx, precision), round(y * ky + dy, precision))
            if not points or point != points[-1]:  # rounding can merge neighbours
                points.append(point)
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list[Ring]) -> Ring:
    """Arcs joined end to end. Each arc starts where the one before ended, so that shared
    point is kept once."""
    joined: Ring = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        joined.extend(points if not joined else points[1:])
    return joined


def polygons(geometry: dict[str, Any], arcs: list[Ring]) -> Polygons:
    """A Polygon or MultiPolygon geometry's rings; nothing for any other type (the boundary
    files hold polygons only)."""
    if geometry.get("type") == "Polygon":
        parts = [geometry["arcs"]]
    elif geometry.get("type") == "MultiPolygon":
        parts = geometry["arcs"]
    else:
        return ()
    return tuple(tuple(ring(indexes, arcs) for indexes in polygon) for polygon in parts)


def arc_ids(geometry: dict[str, Any]) -> list[int]:
    """The arcs a polygon geometry uses, each as its non-negative index, once per use."""
    if geometry.get("type") == "Polygon":
        parts = [geometry["arcs"]]
    elif geometry.get("type") == "MultiPolygon":
        parts = geometry["arcs"]
    else:
        return []
    return [i if i >= 0 else ~i for polygon in parts for indexes in polygon for i in indexes]
