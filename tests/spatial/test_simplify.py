import itertools

import pytest
import shapely

from atlas_core.errors import CRSError
from spatial.crs import PLANNING_CRS
from spatial.simplify import simplify_coverage, union_of


def _overlap_m2(frame):
    geoms = frame.to_crs(PLANNING_CRS).geometry.values
    return sum(a.intersection(b).area for a, b in itertools.combinations(geoms, 2))


def _holes(geom):
    polys = getattr(geom, "geoms", [geom])
    return sum(len(p.interiors) for p in polys)


@pytest.mark.parametrize("tolerance_m", [100, 300])
def test_simplified_units_keep_a_gapless_non_overlapping_coverage(atlas, tolerance_m):
    before = atlas.units
    after = simplify_coverage(before, tolerance_m=tolerance_m)
    assert (
        shapely.get_num_coordinates(after.geometry.values).sum()
        < 0.6 * shapely.get_num_coordinates(before.geometry.values).sum()
    )
    assert after.is_valid.all()
    assert _overlap_m2(after) <= _overlap_m2(before) + 1.0
    union_before = before.to_crs(PLANNING_CRS).union_all()
    union_after = after.to_crs(PLANNING_CRS).union_all()
    assert _holes(union_after) <= _holes(union_before)  # no new gaps between neighbours
    assert union_after.area == pytest.approx(union_before.area, rel=0.002)


def test_neighbours_share_identical_border_vertices(atlas):
    after = simplify_coverage(atlas.units, tolerance_m=200).set_index("adcode")
    gusu, sip = after.loc["320508"].geometry, after.loc["320571"].geometry
    shared = shapely.intersection(gusu.boundary, sip.boundary)
    assert shared.length > 0.01  # a real shared edge (degrees), not a point
    assert gusu.intersection(sip).area < 1e-9


def test_zone_union_has_no_internal_seams(atlas):
    after = simplify_coverage(atlas.units, tolerance_m=200)
    ring_codes = atlas.members.loc[atlas.members["corridor_id"] == "ring", "adcode"]
    zone = union_of(after, ring_codes)
    assert zone.geom_type == "Polygon" and len(zone.interiors) == 0


def test_simplify_needs_wgs84(atlas):
    with pytest.raises(CRSError):
        simplify_coverage(atlas.units.to_crs(PLANNING_CRS), tolerance_m=100)
    with pytest.raises(ValueError):
        simplify_coverage(atlas.units, tolerance_m=-1)
