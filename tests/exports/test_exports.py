"""Exported files are opened and checked: sizes, text, fonts, glyphs, data round trips, formula safety."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from PIL import Image

from atlas_core.errors import CJKFontMissingError, ExportError, FigureSpecError
from atlas_web.html_export import interactive_map_html
from exports import fonts
from exports.data import export_data, layers_for_export, shapefile_restore, tables_for_export
from exports.figure import FigureSpec, each_corridor, render_figure

pytestmark = pytest.mark.slow  # most tests render whole figures or run the CLI end to end


@pytest.fixture(scope="module")
def a4_png(atlas):
    return render_figure(atlas, FigureSpec(fmt="png", dpi=150, lang="zh"))


@pytest.mark.parametrize(
    "paper, orientation, dpi, size_mm",
    [
        ("A4", "landscape", 150, (297, 210)),
        ("A3", "portrait", 200, (297, 420)),
    ],
)
def test_png_pixel_size_is_paper_size_times_dpi(atlas, paper, orientation, dpi, size_mm):
    data = render_figure(
        atlas, FigureSpec(paper=paper, orientation=orientation, dpi=dpi, fmt="png", layers=("labels",))
    )
    width, height = Image.open(io.BytesIO(data)).size
    assert (width, height) == (round(size_mm[0] / 25.4 * dpi), round(size_mm[1] / 25.4 * dpi))


def test_svg_keeps_title_and_legend_as_text(atlas):
    svg = render_figure(atlas, FigureSpec(fmt="svg", title="测试标题 Test title", corridors=("taihu",))).decode()
    texts = " ".join(re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S))
    assert "测试标题 Test title" in texts
    for label in ("图例", "规划单元边界", "高校", "北"):
        assert label in texts, label
    assert "环太湖科技研发创新带" in texts.replace("\n", "")


def test_pdf_embeds_a_cjk_font(atlas, tmp_path):
    pdffonts = shutil.which("pdffonts")
    assert pdffonts, "pdffonts (Debian poppler-utils) is needed: run `make system-deps`"
    path = tmp_path / "figure.pdf"
    path.write_bytes(render_figure(atlas, FigureSpec(fmt="pdf", dpi=150)))
    listing = subprocess.run([pdffonts, str(path)], capture_output=True, text=True, check=True).stdout
    cjk_rows = [line for line in listing.splitlines() if "CJK" in line]
    assert cjk_rows and all(re.search(r"\byes\b", row) for row in cjk_rows), listing


def test_pdf_renders_without_poppler_warnings(atlas, tmp_path):
    # Type 42 with Noto CJK's CFF outlines wrote fonts poppler called "Mismatch between font
    # type and embedded font file" on every page render.
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm (Debian poppler-utils) is needed: run `make system-deps`"
    path = tmp_path / "figure.pdf"
    path.write_bytes(render_figure(atlas, FigureSpec(fmt="pdf", dpi=150, lang="zh")))
    command = [pdftoppm, "-r", "30", "-png", str(path), str(tmp_path / "page")]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    assert run.returncode == 0 and run.stderr.strip() == "", run.stderr
    assert (tmp_path / "page-1.png").stat().st_size > 1000


def _glyph(text: str, family: str) -> np.ndarray:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(1, 1), dpi=100)
    canvas = FigureCanvasAgg(fig)
    fig.text(0.5, 0.5, text, fontsize=40, family=family, ha="center", va="center")
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., 0].copy()


def test_cjk_glyphs_are_not_missing_glyph_boxes(recwarn):
    family = fonts.cjk_family()
    su, zhou = _glyph("苏", family), _glyph("州", family)
    assert (su != zhou).any()  # real glyphs differ from each other
    box_su, box_zhou = _glyph("苏", "DejaVu Sans"), _glyph("州", "DejaVu Sans")
    assert (box_su == box_zhou).all()  # without a CJK font: the same box twice
    assert (su != box_su).any()


def test_figure_title_differs_from_a_rendering_without_cjk_font(atlas, a4_png, monkeypatch):
    monkeypatch.setattr("exports.figure.cjk_family", lambda: "DejaVu Sans")
    with pytest.warns(UserWarning, match="missing from font"):
        tofu = render_figure(atlas, FigureSpec(fmt="png", dpi=150, lang="zh"))
    real = np.asarray(Image.open(io.BytesIO(a4_png)).convert("L"))
    boxes = np.asarray(Image.open(io.BytesIO(tofu)).convert("L"))
    title_band = slice(0, real.shape[0] // 12)
    assert (real[title_band] != boxes[title_band]).mean() > 0.005


def test_missing_cjk_font_fails_with_what_to_install(atlas, monkeypatch):
    monkeypatch.setattr(fonts, "CJK_FAMILIES", ("No Such CJK Font",))
    fonts.cjk_family.cache_clear()
    try:
        with pytest.raises(CJKFontMissingError, match="fonts-noto-cjk") as info:
            render_figure(atlas, FigureSpec(fmt="png", dpi=150))
        assert "fonts-noto-cjk" in info.value.message("zh")
    finally:
        fonts.cjk_family.cache_clear()


def test_bad_figure_requests_are_refused(atlas):
    with pytest.raises(FigureSpecError, match="DPI"):
        render_figure(atlas, FigureSpec(dpi=100))
    with pytest.raises(FigureSpecError, match="paper") as info:
        render_figure(atlas, FigureSpec(paper="A5", corridors=("nowhere",)))
    assert "nowhere" in str(info.value) and "纸张" in info.value.message("zh")


def test_each_corridor_gives_one_figure_per_corridor(atlas):
    files = each_corridor(atlas, FigureSpec(fmt="png", dpi=150, layers=()))
    assert list(files) == [f"{i:02d}_{cid}.png" for i, cid in enumerate(atlas.corridors["id"], start=1)]
    assert len(set(files.values())) == len(files)


def test_interactive_html_is_self_contained(atlas):
    html = interactive_map_html(atlas, lang="en")
    assert not re.search(r'<(script|link)[^>]+(src|href)="https?://', html)
    assert "L.markerClusterGroup" in html and "Middle Ring Science and Innovation Corridor" in html
    assert "var L" in html or "window.L" in html  # Leaflet itself is inlined


# ---------------------------------------------------------------- data


def _unzip(data: bytes, folder):
    zipfile.ZipFile(io.BytesIO(data)).extractall(folder)
    return folder


def _same_layer(read: gpd.GeoDataFrame, written: gpd.GeoDataFrame, tolerance: float):
    columns = [c for c in written.columns if c != "geometry"]
    left = read[columns].astype(str).reset_index(drop=True)
    right = written[columns].astype(str).reset_index(drop=True)
    pd.testing.assert_frame_equal(left, right, check_dtype=False)
    distances = shapely.hausdorff_distance(read.geometry.values, written.geometry.values)
    assert distances.max() <= tolerance


@pytest.mark.parametrize(
    "crs, epsg, tolerance", [("wgs84", 4326, 1e-7), ("cgcs2000", 4490, 1e-7), ("cgcs2000_gk120", 4549, 0.01)]
)
def test_geopackage_round_trips_every_layer_in_the_asked_crs(atlas, tmp_path, crs, epsg, tolerance):
    name, data = export_data(atlas, "gpkg", crs)
    path = tmp_path / name
    path.write_bytes(data)
    import pyogrio

    assert [layer for layer, _ in pyogrio.list_layers(path)] == [
        "units",
        "water",
        "corridor_zones",
        "corridor_footprints",
        "corridor_spines",
        "facilities",
    ]
    for layer, written in layers_for_export(atlas).items():
        read = gpd.read_file(path, layer=layer)
        assert read.crs.to_epsg() == epsg
        _same_layer(read, written.to_crs(epsg), tolerance)
    assert "苏州工业园区" in set(gpd.read_file(path, layer="units")["name_zh"])


def test_geojson_is_rfc7946_wgs84_and_refuses_projected_output(atlas, tmp_path):
    _name, data = export_data(atlas, "geojson", "wgs84")
    folder = _unzip(data, tmp_path)
    for layer, written in layers_for_export(atlas).items():
        text = (folder / f"{layer}.geojson").read_text(encoding="utf-8")
        assert '"crs"' not in text  # RFC 7946: no crs member
        read = gpd.read_file(folder / f"{layer}.geojson")
        assert read.crs.to_epsg() == 4326
        _same_layer(read, written, 1e-6)  # RFC 7946 writer keeps 7 decimals
    with pytest.raises(ExportError, match="GeoJSON"):
        export_data(atlas, "geojson", "cgcs2000_gk120")


def test_gcj02_output_is_shifted_like_amap(atlas, tmp_path):
    from spatial.datum import convert_lonlat

    name, data = export_data(atlas, "gpkg", "gcj02")
    (tmp_path / name).write_bytes(data)
    read = gpd.read_file(tmp_path / name, layer="facilities").set_index("facility_id")
    wgs = atlas.facilities.loc[atlas.facilities["precision"] != "unit"].set_index("facility_id").geometry
    lon, lat = convert_lonlat(wgs.x.values, wgs.y.values, source="wgs84", target="gcj02")
    assert np.allclose(read.loc[wgs.index].geometry.x, lon, atol=1e-9)
    assert np.allclose(read.loc[wgs.index].geometry.y, lat, atol=1e-9)


def test_zipped_shapefile_has_prj_and_utf8_cpg_and_loses_no_text(atlas, tmp_path):
    _name, data = export_data(atlas, "shp", "cgcs2000")
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    for layer in layers_for_export(atlas):
        assert {f"{layer}{s}" for s in (".shp", ".shx", ".dbf", ".prj", ".cpg")} <= set(names)
    folder = _unzip(data, tmp_path)
    assert (folder / "units.cpg").read_text().strip().upper() in ("UTF-8", "UTF8")
    for layer, written in layers_for_export(atlas).items():
        read = shapefile_restore(gpd.read_file(folder / f"{layer}.shp"))
        assert read.crs.to_epsg() == 4490
        _same_layer(read, written.to_crs(4490), 1e-7)


def test_csv_tables_have_bom_and_round_trip(atlas, tmp_path):
    _name, data = export_data(atlas, "csv", "wgs84")
    folder = _unzip(data, tmp_path)
    raw = (folder / "corridor_members.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    read = pd.read_csv(folder / "corridor_members.csv", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    pd.testing.assert_frame_equal(read, tables_for_export(atlas)["corridor_members"].astype(str))
    facilities = pd.read_csv(folder / "facilities.csv", dtype={"adcode": str}, encoding="utf-8-sig")
    assert {"lon", "lat"} <= set(facilities.columns) and "西交利物浦大学" in set(facilities["name_zh"])
    register = pd.read_csv(folder / "facility_register.csv", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    # every entity the plan names is in the register, those without a point too, with their reason
    assert len(register) == len(atlas.facilities) + len(atlas.unplaced)
    unit_only = register.loc[register["precision"] == "unit"]
    assert len(unit_only) and (unit_only[["lon", "lat"]] == "").all().all()
    unplaced = register.loc[register["precision"] == "none"]
    assert set(unplaced["note_en"]) == set(atlas.unplaced["reason_en"])


def test_formula_like_text_stays_text(atlas, tmp_path):
    from openpyxl import load_workbook

    facilities = atlas.facilities.copy()
    facilities.loc[facilities.index[0], "name_zh"] = '=HYPERLINK("http://x","点我")'
    facilities.loc[facilities.index[1], "name_en"] = "+1+1"
    facilities.loc[facilities.index[2], "note_en"] = "@SUM(A1)\nsecond line"
    hostile = dataclasses.replace(atlas, facilities=facilities)
    _name, data = export_data(hostile, "xlsx", "wgs84")
    sheet = load_workbook(io.BytesIO(data))["facilities"]
    header = [c.value for c in sheet[1]]
    cells = {(r, header[i]): c for r, row in enumerate(sheet.iter_rows(min_row=2)) for i, c in enumerate(row)}
    for (row, column), value in [
        ((0, "name_zh"), '=HYPERLINK("http://x","点我")'),
        ((1, "name_en"), "+1+1"),
        ((2, "note_en"), "@SUM(A1)\nsecond line"),
    ]:
        assert cells[(row, column)].data_type == "s" and cells[(row, column)].value == value
    points = facilities.loc[facilities["precision"] != "unit"]  # the layer holds the rows with a point
    assert sheet.max_row == len(points) + 1
    _name, data = export_data(hostile, "csv", "wgs84")
    read = pd.read_csv(
        io.BytesIO(zipfile.ZipFile(io.BytesIO(data)).read("facilities.csv")),
        dtype=str,
        encoding="utf-8-sig",
        keep_default_na=False,
    )
    assert len(read) == len(points)  # the embedded newline kept the row count
    assert read.loc[0, "name_zh"] == "'" + '=HYPERLINK("http://x","点我")'
    assert read.loc[1, "name_en"] == "'+1+1" and read.loc[2, "note_en"] == "'@SUM(A1)\nsecond line"


def test_unknown_format_and_crs_are_refused(atlas):
    with pytest.raises(ExportError, match="format"):
        export_data(atlas, "kml", "wgs84")
    with pytest.raises(ExportError, match="CRS") as info:
        export_data(atlas, "gpkg", "beijing54")
    assert "坐标系" in info.value.message("zh")


def test_titles_and_names_are_literal_text_in_figures(atlas):
    units = atlas.units.copy()
    units.loc[units.index[0], "name_zh"] = "区$x^2$_{bad"
    hostile = dataclasses.replace(atlas, units=units)
    svg = render_figure(hostile, FigureSpec(fmt="svg", title="GDP $100 and $x^{2}$ <b>&", subtitle="50% {{ 7*7 }}"))
    text = svg.decode()
    assert "GDP $100 and $x^{2}$ &lt;b&gt;&amp;" in text and "50% {{ 7*7 }}" in text
    assert "区$x^2$_{bad" in text


def test_control_characters_and_newlines_keep_every_row(atlas):
    from openpyxl import load_workbook

    from safety.spreadsheet import csv_bytes, xlsx_bytes

    frame = pd.DataFrame({"name": ["a\x01b", "line1\nline2", "tab\there", "=1+1"], "n": [1, 2, 3, 4]})
    sheet = load_workbook(io.BytesIO(xlsx_bytes({"t": frame})))["t"]
    assert sheet.max_row == 5 and sheet["A2"].value == "a\ufffdb" and sheet["A3"].value == "line1\nline2"
    read = pd.read_csv(io.BytesIO(csv_bytes(frame)), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert len(read) == 4 and read.loc[1, "name"] == "line1\nline2" and read.loc[3, "name"] == "'=1+1"


def test_html_map_carries_the_approval_number_or_the_internal_use_note(atlas):
    # Seen by the walkthrough: the figure showed the 审图号, the HTML of the same export said "未送审".
    from atlas_web.html_export import interactive_map_html

    approved = interactive_map_html(atlas, lang="zh", approval="苏S（2025）012号")
    assert "审图号：苏S（2025）012号" in approved and "未送审" not in approved
    assert "内部使用，未送审" in interactive_map_html(atlas, lang="zh")
