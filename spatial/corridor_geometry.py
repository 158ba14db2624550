"""Corridor geometry in a planar CRS (metres): spines along a shore or bank, and footprints.

A corridor's footprint is the land of its member units within a band around its spine.
Every function here is pure and works on shapely geometries in one projected CRS
(the project uses EPSG:4549); callers project before and after.
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import LineString


def outer_rings(area: shapely.Geometry) -> shapely.Geometry:
    """The outer rings of every polygon in ``area`` as lines (island shores left out)."""
    parts = shapely.get_parts(area)
    return shapely.union_all([shapely.get_exterior_ring(p) for p in parts if not p.is_empty])


def waterside_line(water: shapely.Geometry, admin_boundary: shapely.Geometry, *, gap_m: float) -> LineString:
    """The longest stretch of ``water``'s outer edge that is shore or bank, not an administrative cut.

    ``water`` is a water body clipped to the city (its edge is partly shore, partly the city
    line drawn across the water); every part of the edge within ``gap_m`` of ``admin_boundary``
    is cut away, and the longest continuous piece left is returned.
    """
    shore = shapely.difference(outer_rings(water), shapely.buffer(admin_boundary, gap_m))
    pieces = list(shapely.get_parts(shapely.line_merge(shore)))
    if not pieces:
        raise ValueError("no shore is left once the administrative boundary is cut away")
    return max(pieces, key=lambda piece: piece.length)


def land(area: shapely.Geometry, water: shapely.Geometry) -> shapely.Geometry:
    """``area`` without ``water``."""
    return shapely.difference(area, water)


def label_point(area_land: shapely.Geometry) -> shapely.Point:
    """A point for an area's name, given its land: inside the largest piece, so never on an island."""
    pieces = list(shapely.get_parts(area_land))
    return shapely.point_on_surface(max(pieces, key=lambda piece: piece.area))


def footprint(spine: shapely.Geometry, band_m: float, members_land: shapely.Geometry) -> shapely.Geometry:
    """The part of ``members_land`` within ``band_m`` of ``spine`` (both sides, round ends)."""
    if band_m <= 0:
        raise ValueError(f"band width must be positive, got {band_m} m")
    return shapely.intersection(members_land, shapely.buffer(spine, band_m, quad_segs=8))


def members_beyond_band(
    member_lands: dict[str, shapely.Geometry], footprint_area: shapely.Geometry, *, min_area_m2: float
) -> tuple[str, ...]:
    """The members (keys of ``member_lands``, in their order) with less than ``min_area_m2`` of
    their land in ``footprint_area``: members a map of the band alone would not show.

    >>> from shapely.geometry import box
    >>> members_beyond_band({"a": box(0, 0, 9, 9), "b": box(50, 0, 59, 9)}, box(0, 0, 20, 9), min_area_m2=10)
    ('b',)
    """
    if min_area_m2 < 0:
        raise ValueError(f"min_area_m2 must not be negative, got {min_area_m2}")
    return tuple(
        code for code, area in member_lands.items() if shapely.intersection(area, footprint_area).area < min_area_m2
    )


def hatch_lines(area: shapely.Geometry, *, spacing_m: float, angle_deg: float = 45.0) -> shapely.Geometry:
    """Parallel lines ``spacing_m`` apart at ``angle_deg`` (anticlockwise from east), clipped to
    ``area``: a hatch any map can draw as plain lines (Leaflet has no hatched fill).

    >>> from shapely.geometry import box
    >>> round(hatch_lines(box(0, 0, 10, 10), spacing_m=1).length)
    100
    """
    if spacing_m <= 0:
        raise ValueError(f"hatch spacing must be positive, got {spacing_m} m")
    if area.is_empty:
        return shapely.MultiLineString()
    x0, y0, x1, y1 = area.bounds
    centre = np.array([(x0 + x1) / 2, (y0 + y1) / 2])
    reach = float(np.hypot(x1 - x0, y1 - y0)) / 2 + spacing_m
    angle = np.radians(angle_deg)
    along, across = np.array([np.cos(angle), np.sin(angle)]), np.array([-np.sin(angle), np.cos(angle)])
    offsets = np.arange(-reach, reach + spacing_m, spacing_m)[:, None]
    middles = centre + offsets * across
    lines = shapely.linestrings(np.stack([middles - reach * along, middles + reach * along], axis=1))
    return shapely.intersection(shapely.multilinestrings(lines), area)


def share_within(line: shapely.Geometry, target: shapely.Geometry, distance_m: float) -> float:
    """The share (0..1) of ``line``'s length that lies within ``distance_m`` of ``target``."""
    if line.length == 0:
        raise ValueError("the line has no length")
    near = shapely.intersection(line, shapely.buffer(target, distance_m))
    return float(near.length / line.length)


def outward_arrows(spine: shapely.Geometry, area: shapely.Geometry, *, length_m: float) -> list[shapely.Polygon]:
    """Arrowheads where ``spine`` leaves ``area`` for an end that lies outside it (the place an axis
    links to): each sits just outside the last crossing and points along the line toward that end."""
    arrows = []
    boundary = shapely.boundary(area)
    for part in shapely.get_parts(spine):
        positions = [part.project(p) for p in shapely.get_parts(shapely.intersection(part, boundary))]
        if not positions:
            continue
        for at_start in (True, False):
            end = shapely.Point(part.coords[0] if at_start else part.coords[-1])
            if area.contains(end):
                continue
            base_at = min(positions) if at_start else max(positions)
            tip_at = max(base_at - length_m, 0.0) if at_start else min(base_at + length_m, part.length)
            arrows.append(_arrowhead(part.interpolate(base_at), part.interpolate(tip_at)))
    return arrows


def _arrowhead(base: shapely.Point, tip: shapely.Point) -> shapely.Polygon:
    """A triangle from ``base`` to ``tip``, as wide at its base as 0.7 of its length."""
    dx, dy = tip.x - base.x, tip.y - base.y
    half = 0.35
    return shapely.Polygon(
        [(tip.x, tip.y), (base.x - dy * half, base.y + dx * half), (base.x + dy * half, base.y - dx * half)]
    )
