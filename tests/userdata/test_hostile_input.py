"""Hostile or broken input (issue 15): each defect an independent test found, reproduced first.

Every case asserts what a planner gets: a file that opens safely, a clear message in both
languages, every row accounted for; never a traceback or a silently wrong reading.
"""

from __future__ import annotations

import io
import json
import warnings

import pandas as pd
import pytest
from openpyxl import load_workbook

from atlas_cli import main as cli

FORMULA_HEADER = '=HYPERLINK("http://x/","y")'


def _classified_csv(tmp_path, header_cells: str, row_cells: str):
    source = tmp_path / "in.csv"
    source.write_text(f"name,lon,lat,{header_cells}\na,120.62,31.30,{row_cells}\n", encoding="utf-8")
    return source


def test_a_formula_in_a_header_is_text_in_the_csv_and_xlsx_exports(tmp_path):
    quoted = '"' + FORMULA_HEADER.replace('"', '""') + '"'
    source = _classified_csv(tmp_path, quoted, "=1+1")
    for suffix in ("csv", "xlsx"):
        target = tmp_path / f"out.{suffix}"
        assert cli(["classify", str(source), "-o", str(target), "--crs", "wgs84"]) in (0, None)
        if suffix == "csv":
            header = pd.read_csv(target, encoding="utf-8-sig", dtype=str).columns
            assert "'" + FORMULA_HEADER in header and FORMULA_HEADER not in header
        else:
            cell = load_workbook(target).worksheets[0]["D1"]
            assert cell.value in (FORMULA_HEADER, "'" + FORMULA_HEADER) and cell.data_type == "s"


def test_a_control_character_in_a_header_or_cell_is_replaced_and_the_report_says_so(tmp_path, capsys):
    source = _classified_csv(tmp_path, "备\x0b注", "x\x0by")
    target = tmp_path / "out.xlsx"
    assert cli(["classify", str(source), "-o", str(target), "--crs", "wgs84", "--json"]) in (0, None)
    summary = json.loads(capsys.readouterr().out)
    sheet = load_workbook(target).worksheets[0]
    assert sheet["D1"].value == "备\ufffd注" and sheet["D2"].value == "x\ufffdy"
    warning = " ".join(w["en"] for w in summary["warnings"])
    assert "control character" in warning and "2" in warning  # one header and one cell
    assert any("控制字符" in w["zh"] for w in summary["warnings"])


def test_a_short_gbk_file_that_is_also_valid_utf8_is_read_as_gbk_and_the_choice_reported():
    from userdata.reading import read_table

    data = "name,lon,lat\n石路,120.60,31.31\n".encode("gbk")
    data.decode("utf-8")  # the trap: these GBK bytes are valid UTF-8 too ("ʯ·")
    frame, info = read_table(data, "t.csv")
    assert frame.iloc[0, 0] == "石路" and info.encoding == "gb18030"
    en, zh = info.encoding_note
    assert "UTF-8" in en and "GBK" in en and "UTF-8" in zh


@pytest.mark.parametrize("text", ["名称,经度\n苏州站,120.6\n", "name,lon\ncafé Müller,120.6\n", "name,lon\n石路 °,1\n"])
def test_utf8_text_stays_utf8_when_the_gbk_reading_is_no_more_plausible(text):
    from userdata.reading import read_table

    frame, info = read_table(text.encode("utf-8"), "t.csv")
    assert info.encoding == "utf-8" and frame.iloc[0, 0] == text.splitlines()[1].split(",")[0]


def test_swapped_lat_lon_is_called_swapped_and_not_projected_metres(atlas):
    from userdata.reading import read_table
    from userdata.tables import classify_table

    data = b"name,lon,lat\na,31.30,120.62\nb,31.27,120.73\nc,31.40,120.50\n"  # latitude typed first
    frame, info = read_table(data, "t.csv")
    _, report = classify_table(frame, info, atlas=atlas, crs="wgs84")
    advice = " ".join(en for en, _zh in report.warnings)
    assert "swapped" in advice and "EPSG:4549" not in advice and "metres" not in advice
    assert report.rejected == 3 and all("swapped" in issue.reason_en for issue in report.issues)


def test_projected_metres_under_a_degrees_system_still_get_the_projected_advice(atlas):
    from userdata.reading import read_table
    from userdata.tables import classify_table

    data = b"name,x,y\na,540000,3465000\nb,552000,3460000\n"
    frame, info = read_table(data, "t.csv")
    _, report = classify_table(frame, info, atlas=atlas, crs="wgs84")
    assert any("EPSG:4549" in en for en, _zh in report.warnings)


def _units_with_a_nan_vertex(atlas):
    import numpy as np
    import shapely

    frame = atlas.units[["adcode", "name_zh", "geometry"]].copy()
    broken = shapely.get_coordinates(frame.geometry.iloc[3]).copy()
    broken[5] = [np.nan, np.nan]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # shapely warns about the NaN it is given
        frame.loc[frame.index[3], "geometry"] = shapely.Polygon(broken)
    return frame


@pytest.mark.parametrize("driver, suffix", [("GPKG", "gpkg"), ("GeoJSON", "geojson")])
def test_a_nan_vertex_drops_that_feature_with_a_reason_and_keeps_the_rest(atlas, tmp_path, driver, suffix):
    from userdata.boundaries import read_boundaries

    path = tmp_path / f"b.{suffix}"
    frame = _units_with_a_nan_vertex(atlas)
    if driver == "GeoJSON":  # as a script writes it: the value spelled NaN, as Python's json module does
        text = frame.to_json()
        assert "[NaN, NaN]" in text
        path.write_text(text, encoding="utf-8")
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            frame.to_file(path, driver=driver)
    frame, report = read_boundaries(path.read_bytes(), path.name)
    assert len(frame) == 9 and report.features == 10
    (number, reason_en, reason_zh), *_ = report.dropped
    assert number == 4 and "not a number" in reason_en and "非数值" in reason_zh


def _zipped_shapefile(frame, folder, stem: str, *, encoding: str, keep_cpg: bool) -> dict[str, bytes]:
    """The parts of ``frame`` written as a Shapefile, {member name: bytes}."""
    folder.mkdir(parents=True, exist_ok=True)
    frame.to_file(folder / f"{stem}.shp", encoding=encoding)
    parts = {}
    for path in sorted(folder.glob(f"{stem}.*")):
        if path.suffix == ".cpg" and not keep_cpg:
            continue
        parts[path.name] = path.read_bytes()
    return parts


def _zip(members: dict[str, bytes], *, utf8_names: bool = True) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    placeholders: dict[bytes, bytes] = {}
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            if not utf8_names and not name.isascii():
                # Windows zip tools write GBK bytes without the UTF-8 flag; Python would set the flag,
                # so write an ASCII name of the same length and put the GBK bytes in its place after
                placeholder = f"~{len(placeholders):0{len(name.encode('gbk')) - 1}d}"
                placeholders[placeholder.encode()] = name.encode("gbk")
                name = placeholder
            archive.writestr(name, content)
    data = buffer.getvalue()
    for ascii_name, gbk_name in placeholders.items():
        data = data.replace(ascii_name, gbk_name)
    return data


def test_a_gbk_dbf_without_cpg_with_chinese_field_names_and_ascii_codes_is_read(atlas, tmp_path):
    from userdata.boundaries import match_units, read_boundaries

    frame = atlas.units[["adcode", "geometry"]].rename(columns={"adcode": "行政代码"})
    parts = _zipped_shapefile(frame, tmp_path / "gbk", "units", encoding="gbk", keep_cpg=False)
    read, report = read_boundaries(_zip(parts), "units.zip", crs="EPSG:4326")
    assert "行政代码" in read.columns and report.encoding.upper() in ("GBK", "CP936", "GB18030")
    assert match_units(read, atlas.units, report).match_column == "行政代码"


def test_two_shapefiles_of_the_same_name_in_different_folders_are_told_apart(atlas, tmp_path):
    import numpy as np
    import shapely

    from userdata.boundaries import list_layers, read_boundaries

    units = atlas.units[["adcode", "geometry"]]
    moved = units.assign(geometry=shapely.transform(units.geometry.values, lambda xy: xy + np.array([0.01, 0])))
    members = {}
    for year, frame in (("2020", units), ("2023", moved)):
        parts = _zipped_shapefile(frame, tmp_path / year, "乡镇", encoding="utf-8", keep_cpg=True)
        members |= {f"{year}/{name}": content for name, content in parts.items()}
    for utf8_names in (True, False):
        data = _zip(members, utf8_names=utf8_names)
        assert list_layers(data, "b.zip") == ["2020/乡镇", "2023/乡镇"]
        first, _ = read_boundaries(data, "b.zip", layer="2020/乡镇")
        second, _ = read_boundaries(data, "b.zip", layer="2023/乡镇")
        shift = second.geometry.iloc[0].centroid.x - first.geometry.iloc[0].centroid.x
        assert shift == pytest.approx(0.01, abs=1e-6)


def test_a_windows_path_with_dot_dot_is_a_layer_not_a_missing_shapefile(atlas, tmp_path):
    from userdata.boundaries import list_layers, read_boundaries

    parts = _zipped_shapefile(
        atlas.units[["adcode", "geometry"]], tmp_path / "w", "win", encoding="utf-8", keep_cpg=True
    )
    data = _zip({f"..\\outside\\{name}": content for name, content in parts.items()})
    assert list_layers(data, "w.zip") == ["outside/win"]
    frame, _ = read_boundaries(data, "w.zip")
    assert len(frame) == 10


def _units_zip(atlas, tmp_path) -> bytes:
    parts = _zipped_shapefile(atlas.units[["adcode", "geometry"]], tmp_path / "z", "u", encoding="utf-8", keep_cpg=True)
    return _zip(parts)


@pytest.mark.parametrize("damage", ["truncated", "bad_crc"])
def test_a_damaged_zip_gets_a_clear_message_in_both_languages(atlas, tmp_path, damage):
    from atlas_core.errors import BoundaryError
    from userdata.boundaries import list_layers, read_boundaries

    data = _units_zip(atlas, tmp_path)
    if damage == "truncated":
        data = data[: len(data) // 2]
    else:  # a byte of the stored .shp changed: the member's CRC-32 no longer matches
        at = data.index(b"u.shp") + 5 + 200
        data = data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]
    with pytest.raises(BoundaryError) as caught:
        list_layers(data, "u.zip")
        read_boundaries(data, "u.zip")
    assert "damaged" in caught.value.message("en") and "损坏" in caught.value.message("zh")


@pytest.mark.parametrize(
    "data",
    [
        b"120.6," * 400_000,  # 2.4 MB with no line break: took minutes before
        (",".join(f"c{i}" for i in range(5000)) + "\n" + "1," * 4999 + "1\n").encode(),  # 5000 columns
    ],
    ids=["no_line_break", "too_wide"],
)
def test_a_file_that_is_not_a_table_of_rows_is_refused_with_what_to_do(data):
    from atlas_core.errors import UserDataError
    from userdata.reading import read_table

    with pytest.raises(UserDataError) as caught:
        read_table(data, "one-line.csv")
    assert "line break" in caught.value.message("en") and "换行" in caught.value.message("zh")


def _units_in(atlas, crs: str):
    return atlas.units[["adcode", "name_zh", "geometry"]].to_crs(crs)


def test_metres_in_a_geojson_without_a_crs_are_not_taken_for_degrees(atlas, tmp_path):
    from atlas_core.errors import NeedsCRSError
    from userdata.boundaries import read_boundaries

    metres = _units_in(atlas, "EPSG:4549")
    text = json.loads(metres.to_json())
    text.pop("crs", None)  # GeoJSON without a crs member: GDAL reads it as WGS84 degrees
    data = json.dumps(text).encode()
    with pytest.raises(NeedsCRSError) as caught:
        read_boundaries(data, "metres.geojson")
    assert caught.value.guess == "EPSG:4549" and "EPSG:4326" in caught.value.message("en")
    frame, report = read_boundaries(data, "metres.geojson", crs="EPSG:4549")  # the planner says what it is
    assert len(frame) == 10 and report.source_crs == "EPSG:4549"
    assert frame.geometry.union_all().centroid.distance(atlas.units.geometry.union_all().centroid) < 1e-6


def test_degrees_labelled_as_projected_metres_are_refused_with_the_likely_crs(atlas, tmp_path):
    from atlas_core.errors import NeedsCRSError
    from userdata.boundaries import read_boundaries

    path = tmp_path / "mislabelled.gpkg"
    _units_in(atlas, "EPSG:4326").set_crs("EPSG:4549", allow_override=True).to_file(path)
    with pytest.raises(NeedsCRSError) as caught:
        read_boundaries(path.read_bytes(), path.name)
    assert caught.value.guess == "EPSG:4326"


def test_a_feature_far_from_suzhou_is_dropped_with_a_reason_and_the_rest_kept(atlas, tmp_path):
    import shapely

    from userdata.boundaries import read_boundaries

    frame = _units_in(atlas, "EPSG:4326")
    far = shapely.affinity.translate(frame.geometry.iloc[0], xoff=-4.2, yoff=8.6)  # near Beijing
    frame.loc[frame.index[0], "geometry"] = far
    path = tmp_path / "far.gpkg"
    frame.to_file(path)
    read, report = read_boundaries(path.read_bytes(), path.name)
    assert len(read) == 9 and [d[0] for d in report.dropped] == [1]
    assert "outside" in report.dropped[0][1] and "苏州" in report.dropped[0][2]


@pytest.mark.parametrize("lon, lat", [(120.70, 31.38), (120.64, 31.27)])
def test_round_number_points_on_a_units_straight_edge_belong_to_a_unit(lon, lat, capsys):
    """Issue 15, defect 12: both land exactly on straight edges of the SIP outline."""
    assert cli(["locate", str(lon), str(lat), "--json"]) in (0, None)
    assert json.loads(capsys.readouterr().out)["unit"] is not None


def test_a_point_on_a_shared_border_belongs_to_exactly_one_unit_by_the_smallest_code():
    import geopandas as gpd
    import shapely

    from spatial.classify import build_unit_grid, classify_points

    units = gpd.GeoDataFrame(
        {"adcode": ["320506", "320505"]},
        geometry=[shapely.box(120.0, 31.0, 120.5, 31.5), shapely.box(120.5, 31.0, 121.0, 31.5)],
        crs=4326,
    )
    grid = build_unit_grid(units)
    got = classify_points(grid, [120.5, 120.25, 120.0, 121.0, 121.01], [31.2, 31.5, 31.0, 31.25, 31.25])
    # shared edge: the smaller code; outer edges and corners: in; beyond: outside
    assert list(got["adcode"]) == ["320505", "320506", "320506", "320505", None]
