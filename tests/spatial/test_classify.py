import geopandas as gpd
import numpy as np
import pytest

from atlas_core.errors import CoordinateError, CRSError
from spatial.classify import build_unit_grid, classify_points


def _sjoin_codes(units, lon, lat):
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4326)
    joined = gpd.sjoin(pts, units[["adcode", "geometry"]], predicate="within", how="left")
    return joined["adcode"].groupby(level=0).first().reindex(range(len(lon))).to_numpy()


def test_same_assignments_as_sjoin_on_random_points(atlas, grid):
    rng = np.random.default_rng(42)
    lon = rng.uniform(119.85, 121.45, 50_000)
    lat = rng.uniform(30.7, 32.1, 50_000)
    ours = classify_points(grid, lon, lat)["adcode"].to_numpy()
    ref = _sjoin_codes(atlas.units, lon, lat)
    assert np.array_equal(np.where(pd_isna(ours), "-", ours), np.where(pd_isna(ref), "-", ref))
    assert (~pd_isna(ours)).sum() > 10_000  # the sample really exercises the units


def test_points_near_borders_match_sjoin(atlas, grid):
    # Points sampled along every unit border, jittered by up to ~50 m, stress the exact path.
    rng = np.random.default_rng(7)
    coords = np.vstack(
        [
            np.asarray(
                g.boundary.segmentize(0.002).coords
                if g.geom_type == "Polygon"
                else np.vstack([np.asarray(p.exterior.coords) for p in g.geoms])
            )
            for g in atlas.units.geometry
        ]
    )
    coords = coords + rng.normal(0, 0.0004, coords.shape)
    ours = classify_points(grid, coords[:, 0], coords[:, 1])["adcode"].to_numpy()
    ref = _sjoin_codes(atlas.units, coords[:, 0], coords[:, 1])
    assert np.array_equal(np.where(pd_isna(ours), "-", ours), np.where(pd_isna(ref), "-", ref))


def test_corridors_column(atlas, grid):
    mapping = atlas.members.groupby("adcode")["corridor_id"].agg(tuple).to_dict()
    out = classify_points(grid, [120.69, 121.47], [31.31, 31.23], unit_corridors=mapping)
    assert out["adcode"].tolist() == ["320571", None]
    assert out["corridors"].tolist() == ["ring|huning|tongsujia|hongqiao", ""]


def test_non_finite_points_are_reported_with_positions(grid):
    with pytest.raises(CoordinateError, match=r"2 point\(s\).*positions 1, 3"):
        classify_points(grid, [120.6, np.nan, 120.7, 120.8], [31.3, 31.3, 31.3, np.inf])


def test_missing_crs_is_rejected(atlas):
    with pytest.raises(CRSError, match="has no CRS"):
        build_unit_grid(atlas.units.set_crs(None, allow_override=True))


def test_wrong_crs_is_rejected(atlas):
    with pytest.raises(CRSError, match=r"EPSG:4549, expected EPSG:4326"):
        build_unit_grid(atlas.units.to_crs(4549))


def pd_isna(arr):
    return np.array([v is None or (isinstance(v, float) and np.isnan(v)) for v in arr])
