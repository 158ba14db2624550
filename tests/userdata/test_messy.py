"""What planners really send (issue 15): title rows, merged headers, the data on another sheet,
totals rows, both coordinates in one column, degrees-minutes-seconds, ``sep=`` lines, trailing
delimiters, invisible characters, duplicate or unit-laden headers, a GeoJSON or KML instead of
a table. Each is read correctly, or refused with what to do; every row is accounted for."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from openpyxl import Workbook

from atlas_core.errors import UserDataError
from userdata.reading import guess_columns, read_table
from userdata.tables import classify_table

SIP = (120.7384, 31.2729)  # 苏州工业园区
GUSU = (120.6064, 31.3306)  # 苏州站, 姑苏区


def _classified(atlas, data: bytes, filename: str, **options):
    frame, info = read_table(data, filename)
    return classify_table(frame, info, atlas=atlas, crs="wgs84", **options)


def _xlsx(sheets: dict[str, list[list]], *, hidden: tuple[str, ...] = (), merges: dict | None = None) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        if name in hidden:
            sheet.sheet_state = "hidden"
        for cells in (merges or {}).get(name, ()):
            sheet.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_title_and_notes_above_the_header_are_skipped_and_reported(atlas):
    data = (
        "苏州市重点企业名单（2024年）\n"
        "填报单位：某局,,\n"
        "\n"
        f"名称,经度,纬度\n甲,{SIP[0]},{SIP[1]}\n乙,{GUSU[0]},{GUSU[1]}\n"
    ).encode()
    table, report = _classified(atlas, data, "t.csv")
    assert list(table["名称"]) == ["甲", "乙"] and report.accepted == 2
    assert list(table["atlas_row"]) == [5, 6]  # the rows as the planner's spreadsheet numbers them
    notes = " ".join(en for en, _zh in report.notes)
    assert "above the header" in notes and "苏州市重点企业名单" in notes


def test_a_header_merged_over_two_rows_in_a_workbook(atlas):
    data = _xlsx(
        {
            "名单": [
                ["基本信息", None, "坐标", None],
                ["名称", "区", "经度", "纬度"],
                ["甲", "园区", SIP[0], SIP[1]],
            ]
        },
        merges={"名单": ("A1:B1", "C1:D1")},
    )
    table, report = _classified(atlas, data, "t.xlsx")
    assert report.lon_column == "经度" and report.lat_column == "纬度" and report.accepted == 1
    assert list(table["atlas_row"]) == [3]


def test_the_data_sheet_is_found_past_instructions_and_hidden_sheets(atlas):
    data = _xlsx(
        {
            "填表说明": [["请在“数据”表中填写"], ["坐标系：WGS84"]],
            "旧数据": [["名称", "经度", "纬度"], ["旧", 0.0, 0.0]],
            "数据": [["名称", "经度", "纬度"], ["甲", SIP[0], SIP[1]], ["合计", None, None]],
        },
        hidden=("旧数据",),
    )
    table, report = _classified(atlas, data, "t.xlsx")
    assert report.sheet == "数据" and list(table["名称"]) == ["甲", "合计"]
    assert report.accepted == 1 and report.rejected == 1
    assert "total" in report.issues[0].reason_en and "合计" in report.issues[0].reason_zh
    assert any("数据" in en and "填表说明" in en for en, _zh in report.notes)


@pytest.mark.parametrize(
    "cell, expected",
    [
        (f"{SIP[0]},{SIP[1]}", "accepted"),  # Amap's copy format
        (f"{SIP[0]}，{SIP[1]}", "accepted"),  # full-width comma
        (f"{SIP[0]} {SIP[1]}", "accepted"),
        (f"{SIP[1]},{SIP[0]}", "rejected"),  # latitude first: reported as swapped, never turned round silently
    ],
)
def test_both_coordinates_in_one_column(atlas, cell, expected):
    data = pd.DataFrame({"名称": ["甲"], "坐标": [cell]}).to_csv(index=False).encode()
    frame, info = read_table(data, "t.csv")
    assert guess_columns(frame.columns)["lon"] == guess_columns(frame.columns)["lat"] == "坐标"
    table, report = classify_table(frame, info, atlas=atlas, crs="wgs84")
    assert table["atlas_status"].iloc[0] == expected
    if expected == "accepted":
        assert table["atlas_lon_wgs84"].iloc[0] == pytest.approx(SIP[0]) and table["atlas_adcode"].iloc[0] == "320571"
    else:
        assert "swapped" in report.issues[0].reason_en


@pytest.mark.parametrize(
    "lon, lat",
    [
        ("120°44′18.24″", "31°16′22.44″"),
        ("120度44分18.24秒", "31度16分22.44秒"),
        ("E120°44'18.24\"", "N31°16'22.44\""),
        ("东经120°44′18.24″", "北纬31°16′22.44″"),
        ("120°44.304′", "31°16.374′"),
    ],
)
def test_degrees_minutes_seconds_in_chinese_and_symbol_notation(atlas, lon, lat):
    data = pd.DataFrame({"名称": ["甲"], "经度": [lon], "纬度": [lat]}).to_csv(index=False).encode()
    table, report = _classified(atlas, data, "t.csv")
    assert report.accepted == 1, report.issues
    assert table["atlas_lon_wgs84"].iloc[0] == pytest.approx(120.7384, abs=1e-4)
    assert table["atlas_lat_wgs84"].iloc[0] == pytest.approx(31.2729, abs=1e-4)


def test_a_minute_of_60_or_more_is_not_a_coordinate(atlas):
    data = "名称,经度,纬度\n甲,120°75′0″,31°16′22″\n".encode()
    _, report = _classified(atlas, data, "t.csv")
    assert report.rejected == 1 and "not a number" in report.issues[0].reason_en


@pytest.mark.parametrize(
    "text",
    [
        f"sep=;\n名称;经度;纬度\n甲;{SIP[0]};{SIP[1]}\n",  # Excel's sep= line
        f"名称;经度;纬度\n甲;{SIP[0]};{SIP[1]}\n",
        f"名称\t经度\t纬度\n甲\t{SIP[0]}\t{SIP[1]}\n",
        f"名称,经度,纬度\n甲,{SIP[0]},{SIP[1]},\n乙,{GUSU[0]},{GUSU[1]},\n",  # a delimiter after every row
    ],
    ids=["sep_line", "semicolon", "tab", "trailing_delimiter"],
)
def test_delimiters_planners_use(atlas, text):
    table, report = _classified(atlas, text.encode(), "t.csv")
    assert table["名称"].iloc[0] == "甲" and report.accepted == len(table) >= 1
    assert table["atlas_lon_wgs84"].iloc[0] == pytest.approx(SIP[0])


def test_invisible_characters_thousands_separators_and_units_in_headers(atlas):
    data = (
        "名称,X坐标(米),Y坐标（米）,经度(°),纬度（度）\n"
        f'甲,"540,000.5","3,460,000",\u200b{SIP[0]}\u00a0,\ufeff{SIP[1]}\n'
    ).encode()
    frame, info = read_table(data, "t.csv")
    assert guess_columns(frame.columns)["lon"] == "经度(°)" and guess_columns(frame.columns)["lat"] == "纬度（度）"
    table, report = classify_table(frame, info, atlas=atlas, crs="wgs84")
    assert report.accepted == 1 and table["atlas_lon_wgs84"].iloc[0] == pytest.approx(SIP[0])
    _, report = classify_table(
        frame, info, atlas=atlas, crs="EPSG:4549", lon_column="X坐标(米)", lat_column="Y坐标（米）"
    )
    assert report.rejected == 0  # "540,000.5" read as 540000.5


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_duplicate_column_names_are_kept_apart_and_reported(atlas, kind, tmp_path, capsys):
    rows = [["名称", "经度", "纬度", "备注", "备注"], ["甲", SIP[0], SIP[1], "一", "二"]]
    data = "\n".join(",".join(map(str, r)) for r in rows).encode() if kind == "csv" else _xlsx({"表": rows})
    table, report = _classified(atlas, data, f"t.{kind}")
    assert list(table.columns[:5]) == ["名称", "经度", "纬度", "备注", "备注 (2)"]
    assert list(table.iloc[0, 3:5]) == ["一", "二"]
    assert any("备注" in en and "duplicate" in en for en, _zh in report.notes)
    from atlas_cli import main

    path = tmp_path / f"t.{kind}"
    path.write_bytes(data)
    assert main(["classify", str(path), "--crs", "wgs84", "-o", str(tmp_path / "out.csv")]) in (0, None)


def test_geojson_points_given_as_a_table_are_read_as_one(atlas):
    features = [
        {"type": "Feature", "properties": {"名称": "甲"}, "geometry": {"type": "Point", "coordinates": list(SIP)}},
        {"type": "Feature", "properties": {"名称": "乙"}, "geometry": {"type": "Point", "coordinates": list(GUSU)}},
    ]
    data = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode()
    table, report = _classified(atlas, data, "points.geojson")
    assert list(table["名称"]) == ["甲", "乙"] and report.accepted == 2
    assert list(table["atlas_adcode"]) == ["320571", "320508"]


def test_kml_points_given_as_a_table_are_read_as_one(atlas):
    data = (
        '<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        f"<Placemark><name>甲</name><Point><coordinates>{SIP[0]},{SIP[1]},0</coordinates></Point></Placemark>"
        "</Document></kml>"
    ).encode()
    table, report = _classified(atlas, data, "points.kml")
    assert report.accepted == 1 and table["atlas_adcode"].iloc[0] == "320571"


def test_a_boundary_file_given_as_a_table_says_where_it_belongs(atlas):
    data = atlas.units[["adcode", "geometry"]].head(2).to_json().encode()
    with pytest.raises(UserDataError) as caught:
        read_table(data, "units.geojson")
    assert "boundar" in caught.value.message("en") and "边界" in caught.value.message("zh")
