"""Messy tables of issue 22: line endings of any platform, point files with features that have no
geometry, headers merged over two rows, a coordinate column named right but holding words, rows
numbered as Excel shows them after a cell with a line break, and a file cut in the middle of a
character. Each case was reproduced first; every row is accounted for, every message bilingual.
"""

from __future__ import annotations

import io
import json

import geopandas as gpd
import pytest
import shapely
from openpyxl import Workbook

from atlas_core.errors import UserDataError
from userdata.reading import guess_columns, read_table
from userdata.tables import classify_table

SIP = (120.7384, 31.2729)  # 苏州工业园区
GUSU = (120.6064, 31.3306)  # 苏州站, 姑苏区
ROWS = [("甲", SIP), ("乙", GUSU), ("丙", SIP)]
TABLE = "名称,经度,纬度\n" + "".join(f"{name},{lon},{lat}\n" for name, (lon, lat) in ROWS)


def _classified(atlas, data: bytes, filename: str = "t.csv", **options):
    frame, info = read_table(data, filename)
    return classify_table(frame, info, atlas=atlas, crs="wgs84", **options)


def _xlsx(rows: list[list], merges: tuple[str, ...] = ()) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- 1. line endings


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_a_small_file_reads_alike_whatever_its_line_endings(atlas, ending):
    table, report = _classified(atlas, TABLE.replace("\n", ending).encode())
    assert list(table["名称"]) == ["甲", "乙", "丙"] and report.accepted == 3
    assert list(table["atlas_row"]) == [2, 3, 4]


@pytest.mark.parametrize("ending", ["\r", "\r\n"], ids=["cr", "crlf"])
def test_a_large_file_with_carriage_returns_is_read_not_refused_as_one_line(atlas, ending):
    rows = 5_000  # well past the 64 KB a first line may have
    text = "名称,经度,纬度" + ending + "".join(f"企业{i},{SIP[0]},{SIP[1]}{ending}" for i in range(rows))
    frame, info = read_table(text.encode(), "big.csv")
    assert len(frame) == rows and frame["名称"].iloc[-1] == f"企业{rows - 1}"
    assert list(info.row_numbers[[0, -1]]) == [2, rows + 1]


def test_mixed_line_endings_are_one_row_each(atlas):
    text = f"名称,经度,纬度\r甲,{SIP[0]},{SIP[1]}\r\n乙,{GUSU[0]},{GUSU[1]}\n丙,bad,{SIP[1]}\r"
    table, report = _classified(atlas, text.encode())
    assert list(table["名称"]) == ["甲", "乙", "丙"] and list(table["atlas_row"]) == [2, 3, 4]
    assert (report.accepted, report.rejected) == (2, 1) and report.issues[0].row == 4


def test_carriage_return_files_with_a_title_and_a_line_break_in_a_cell_keep_excels_row_numbers(atlas):
    text = f'企业名单\r\r名称,备注,经度,纬度\r甲,"一\r二",{SIP[0]},{SIP[1]}\r乙,x,{GUSU[0]},bad\r'
    table, report = _classified(atlas, text.encode())
    assert list(table["备注"]) == ["一\r二", "x"]  # the line break inside the cell is kept as it was
    assert list(table["atlas_row"]) == [4, 5] and report.issues[0].row == 5


def test_a_carriage_return_inside_a_quoted_cell_of_a_line_feed_file_stays_in_its_cell(atlas):
    text = f'名称,备注,经度,纬度\n甲,"一\r二",{SIP[0]},{SIP[1]}\n乙,x,{GUSU[0]},{GUSU[1]}\n'
    table, report = _classified(atlas, text.encode())
    assert list(table["备注"]) == ["一\r二", "x"] and report.accepted == 2
    assert list(table["atlas_row"]) == [2, 3]


# ---------------------------------------------------------------- 2. features without geometry


def _feature(name: str, geometry) -> dict:
    return {"type": "Feature", "properties": {"名称": name}, "geometry": geometry}


def _assert_rejected_for_no_geometry(table, report, rejected_names: list[str]) -> None:
    rejected = table[table["atlas_status"] == "rejected"]
    assert list(rejected["名称"]) == rejected_names and report.rejected == len(rejected_names)
    assert all("no geometry" in reason for reason in rejected["atlas_reason_en"])
    assert all("无几何" in reason for reason in rejected["atlas_reason_zh"])
    assert {issue.row for issue in report.issues} == set(rejected["atlas_row"])


@pytest.mark.parametrize(
    "geometry",
    [None, {"type": "Point", "coordinates": []}],
    ids=["null", "empty_point"],
)
def test_a_geojson_feature_without_geometry_is_kept_and_rejected_with_a_reason(atlas, geometry):
    features = [_feature("甲", {"type": "Point", "coordinates": list(SIP)}), _feature("乙", geometry)]
    data = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode()
    table, report = _classified(atlas, data, "points.geojson")
    assert list(table["名称"]) == ["甲", "乙"] and list(table["atlas_row"]) == [1, 2]
    assert report.accepted == 1
    _assert_rejected_for_no_geometry(table, report, ["乙"])


def test_a_geojson_whose_every_feature_lacks_geometry_keeps_every_row(atlas):
    features = [_feature("甲", None), _feature("乙", None)]
    data = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode()
    table, report = _classified(atlas, data, "points.geojson")
    assert len(table) == 2
    _assert_rejected_for_no_geometry(table, report, ["甲", "乙"])


@pytest.mark.parametrize("empty", [None, shapely.Point()], ids=["null", "empty_point"])
def test_a_geopackage_feature_without_geometry_is_kept_and_rejected(atlas, tmp_path, empty):
    frame = gpd.GeoDataFrame({"名称": ["甲", "乙"]}, geometry=[shapely.Point(SIP), empty], crs=4326)
    frame.to_file(tmp_path / "p.gpkg", driver="GPKG")
    table, report = _classified(atlas, (tmp_path / "p.gpkg").read_bytes(), "p.gpkg")
    assert list(table["名称"]) == ["甲", "乙"] and report.accepted == 1
    _assert_rejected_for_no_geometry(table, report, ["乙"])


def test_a_kml_placemark_without_geometry_is_kept_and_rejected(atlas):
    data = (
        '<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        f"<Placemark><name>甲</name><Point><coordinates>{SIP[0]},{SIP[1]},0</coordinates></Point></Placemark>"
        "<Placemark><name>乙</name></Placemark>"
        "</Document></kml>"
    ).encode()
    table, report = _classified(atlas, data, "points.kml")
    assert len(table) == 2 and report.accepted == 1
    rejected = table[table["atlas_status"] == "rejected"]
    assert len(rejected) == 1 and "no geometry" in rejected["atlas_reason_en"].iloc[0]
    assert "无几何" in rejected["atlas_reason_zh"].iloc[0]


# ---------------------------------------------------------------- 3a. a header merged over two rows


MERGED_ROWS = [
    ["名称", "地址", "坐标", None, "备注"],
    [None, None, "经度", "纬度", None],
    ["甲", "星湖街", SIP[0], SIP[1], "一"],
    ["乙", "站前路", GUSU[0], GUSU[1], "二"],
]


def _assert_merged_header_read(table, report) -> None:
    assert list(table.columns[:5]) == ["名称", "地址", "经度", "纬度", "备注"]
    assert (report.lon_column, report.lat_column) == ("经度", "纬度")
    assert report.accepted == 2 and list(table["atlas_row"]) == [3, 4]
    assert any("two rows" in en and "两行" in zh for en, zh in report.notes)


def test_a_workbook_header_merged_across_and_down_takes_the_lower_names(atlas):
    data = _xlsx(MERGED_ROWS, merges=("A1:A2", "B1:B2", "C1:D1", "E1:E2"))
    table, report = _classified(atlas, data, "t.xlsx")
    _assert_merged_header_read(table, report)


def test_a_csv_header_over_two_rows_with_an_empty_cell_after_the_group_takes_the_lower_names(atlas):
    text = "\n".join(",".join("" if c is None else str(c) for c in row) for row in MERGED_ROWS) + "\n"
    table, report = _classified(atlas, text.encode())
    _assert_merged_header_read(table, report)


def test_a_two_row_header_below_a_title(atlas):
    text = "苏州市企业名单\n" + "\n".join(",".join("" if c is None else str(c) for c in r) for r in MERGED_ROWS)
    table, report = _classified(atlas, text.encode())
    assert (report.lon_column, report.lat_column) == ("经度", "纬度") and report.accepted == 2
    assert list(table["atlas_row"]) == [4, 5]


def test_a_data_row_with_blanks_under_a_gap_is_not_taken_for_a_second_header_row(atlas):
    text = f"名称,经度,纬度,\n甲,{SIP[0]},{SIP[1]},\n乙,,,待补\n"
    table, _report = _classified(atlas, text.encode())
    assert list(table["名称"]) == ["甲", "乙"] and list(table["atlas_row"]) == [2, 3]


def test_a_header_whose_merged_down_names_repeat_in_the_second_row_takes_the_lower_names(atlas):
    text = f"名称,坐标,\n名称,经度,纬度\n甲,{SIP[0]},{SIP[1]}\n"
    table, report = _classified(atlas, text.encode())
    assert list(table.columns[:3]) == ["名称", "经度", "纬度"] and report.accepted == 1


def test_a_data_row_of_words_below_a_header_with_a_pair_column_stays_a_row(atlas):
    text = f"名称,地址,坐标,,备注\n甲,星湖街,见附件,无,一\n乙,站前路,{GUSU[0]},{GUSU[1]},二\n"
    frame, info = read_table(text.encode(), "t.csv")
    assert list(frame["名称"]) == ["甲", "乙"] and list(info.row_numbers) == [2, 3]


# ---------------------------------------------------------------- 3b. a coordinate column holding words


LON_OF_NAMES = (
    f"名称,lon,经度(°),纬度(°)\n甲,园区,{SIP[0]},{SIP[1]}\n乙,姑苏,{GUSU[0]},{GUSU[1]}\n丙,园区,{SIP[0]},{SIP[1]}\n"
).encode()


def test_a_column_named_lon_holding_words_loses_to_one_holding_longitudes(atlas):
    frame, info = read_table(LON_OF_NAMES, "t.csv")
    assert guess_columns(frame.columns)["lon"] == "lon"  # by name alone
    assert guess_columns(frame)["lon"] == "经度(°)"  # by name and values
    _table, report = classify_table(frame, info, atlas=atlas, crs="wgs84")
    assert report.lon_column == "经度(°)" and report.accepted == 3 and report.warnings == []


def test_degrees_beat_metres_of_a_column_whose_name_comes_first(atlas):
    data = f"名称,x,y,经度,纬度\n甲,540000,3460000,{SIP[0]},{SIP[1]}\n".encode()
    _table, report = _classified(atlas, data)
    assert (report.lon_column, report.lat_column) == ("经度", "纬度") and report.accepted == 1
    frame, info = read_table(data, "t.csv")
    _, projected = classify_table(frame, info, atlas=atlas, crs="EPSG:4549")
    assert (projected.lon_column, projected.lat_column) == ("x", "y")  # metres for a projected system


def test_columns_chosen_that_make_most_rows_unreadable_are_named_in_a_warning(atlas):
    _table, report = _classified(atlas, LON_OF_NAMES, lon_column="lon", lat_column="纬度(°)")
    assert report.rejected == 3
    [(en, zh)] = [w for w in report.warnings if "'lon'" in w[0]]
    assert "3 of 3" in en and "经度(°)" in en
    assert "lon" in zh and "经度(°)" in zh and "3/3" in zh


def test_a_pair_column_holding_words_loses_to_separate_coordinate_columns(atlas):
    data = f"名称,坐标,经度,纬度\n甲,见附件,{SIP[0]},{SIP[1]}\n".encode()
    _, report = _classified(atlas, data)
    assert (report.lon_column, report.lat_column) == ("经度", "纬度") and report.accepted == 1


# ---------------------------------------------------------------- 3c. rows numbered as Excel shows them


@pytest.mark.parametrize("ending", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_after_a_cell_with_a_line_break_rows_are_numbered_as_excel_shows_them(atlas, ending):
    text = ending.join(
        ["名称,备注,经度,纬度", f'甲,"第一行{ending}第二行",{SIP[0]},{SIP[1]}', f"乙,x,{GUSU[0]},bad", ""]
    )
    table, report = _classified(atlas, text.encode())
    assert list(table["atlas_row"]) == [2, 3] and report.issues[0].row == 3


def test_a_title_with_a_line_break_counts_as_one_row(atlas):
    text = f'"苏州市\n企业名单",,\n名称,经度,纬度\n甲,{SIP[0]},{SIP[1]}\n乙,bad,{GUSU[1]}\n'
    table, report = _classified(atlas, text.encode())
    assert list(table["名称"]) == ["甲", "乙"]
    assert list(table["atlas_row"]) == [3, 4] and report.issues[0].row == 4


def test_blank_lines_are_rows_in_excel_and_keep_their_numbers(atlas):
    text = f'名称,备注,经度,纬度\n甲,"a\nb",{SIP[0]},{SIP[1]}\n\n乙,x,bad,{GUSU[1]}\n'
    table, report = _classified(atlas, text.encode())
    assert list(table["atlas_row"]) == [2, 4] and report.issues[0].row == 4


def test_excels_sep_line_is_not_a_row_excel_shows(atlas):
    text = f"sep=;\n名称;经度;纬度\n甲;{SIP[0]};{SIP[1]}\n乙;bad;{GUSU[1]}\n"
    table, report = _classified(atlas, text.encode())
    assert list(table["atlas_row"]) == [2, 3] and report.issues[0].row == 3


# ---------------------------------------------------------------- 3d. a file cut in the middle of a character


def _decode_error(data: bytes) -> UserDataError:
    with pytest.raises(UserDataError) as caught:
        read_table(data, "cut.csv")
    return caught.value


def test_a_file_cut_in_its_last_character_gives_that_characters_byte_offset():
    data = (TABLE + "丁").encode()[:-1]  # the last character's third byte lost
    error = _decode_error(data)
    offset = len(data) - 2  # 0-based offset of the cut character's first byte
    assert f"byte offset {offset} (counting from 0)" in error.message("en")
    assert f"第 {offset} 字节（从 0 起算）" in error.message("zh")
    assert "cut off" in error.message("en") and "截断" in error.message("zh")


def test_a_character_cut_in_the_middle_of_the_file_gives_its_byte_offset():
    data = TABLE.encode()
    start = data.index("乙".encode())
    error = _decode_error(data[: start + 1] + data[start + 3 :])  # two bytes of 乙 lost
    assert f"byte offset {start} (counting from 0)" in error.message("en")
    assert f"第 {start} 字节（从 0 起算）" in error.message("zh")


def test_a_cut_character_after_a_byte_order_mark_is_counted_from_the_start_of_the_file():
    data = b"\xef\xbb\xbf" + (TABLE + "丁").encode()[:-1]
    error = _decode_error(data)
    assert f"byte offset {len(data) - 2} (counting from 0)" in error.message("en")


def test_a_utf16_file_cut_in_half_a_character_is_refused_with_a_message():
    data = TABLE.encode("utf-16")[:-1]
    error = _decode_error(data)
    assert f"byte offset {len(data) - 1} (counting from 0)" in error.message("en")
    assert "UTF-16" in error.message("zh")


def test_a_gbk_file_with_a_bad_byte_gives_the_offset_in_the_gbk_reading():
    data = TABLE.encode("gbk")
    start = data.index("乙".encode("gbk"))
    error = _decode_error(data[:start] + b"\xff" + data[start:])
    assert f"byte offset {start} (counting from 0)" in error.message("en")
    assert "GB18030" in error.message("en")


@pytest.mark.parametrize("encoding, bom", [("utf-8", b""), ("utf-8-sig", b"\xef\xbb\xbf")])
def test_a_cut_file_read_in_a_chosen_encoding_gives_the_offset_in_the_file(encoding, bom):
    data = bom + (TABLE + "丁").encode()[:-1]
    with pytest.raises(UserDataError) as caught:
        read_table(data, "cut.csv", encoding=encoding)
    assert f"cannot be read as {encoding}" in caught.value.message("en")
    assert f"byte offset {len(data) - 2} (counting from 0)" in caught.value.message("en")


def test_utf8_whose_first_64_kb_read_as_gbk_but_the_rest_does_not_is_read_as_utf8():
    gbk_like = "石路,120.6,31.3\n".encode("gbk")  # also valid UTF-8 ("ʯ·"), and the more plausible as GBK
    data = b"nm,lon,lat\n" + gbk_like * 5_000 + "名,120.6,31.3\n".encode()  # "名," is not GBK
    assert data[:65_536].decode("gb18030") and data[65_536:65_537].isascii()  # the 64 KB sample reads as GBK
    frame, info = read_table(data, "t.csv")
    assert info.encoding == "utf-8" and frame["nm"].iloc[-1] == "名" and len(frame) == 5_001


def test_a_quote_never_closed_is_reported_at_its_row_not_as_a_crash():
    text = f'名称,经度,纬度\n甲,{SIP[0]},{SIP[1]}\n乙,"{GUSU[0]},{GUSU[1]}\n' + "丙,120.6,31.3\n" * 12_000
    with pytest.raises(UserDataError, match=r"row 3: .*quote") as caught:
        read_table(text.encode(), "t.csv")
    assert "第 3 行" in caught.value.message("zh") and "引号" in caught.value.message("zh")
