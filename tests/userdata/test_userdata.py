"""Planners' own data: hostile and broken input gets a clear message, good rows still load."""

from __future__ import annotations

import io
import json
import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from atlas_core.errors import BoundaryError, NeedsCRSError, UploadRejectedError, UserDataError
from spatial.aggregate import hexbin
from spatial.summary import point_counts
from userdata.boundaries import list_layers, match_units, read_boundaries, replace_units
from userdata.reading import guess_columns, read_table
from userdata.tables import classify_table

GOOD = "名称,经度,纬度,代码\n苏州站,120.606389,31.330556,00123\n西浦,120.73807,31.2748,913205000000000012\n"


def _classify(atlas, text_or_bytes, filename="points.csv", **kwargs):
    data = text_or_bytes.encode("utf-8") if isinstance(text_or_bytes, str) else text_or_bytes
    frame, info = read_table(data, filename)
    return classify_table(frame, info, atlas=atlas, **kwargs)


# ---------------------------------------------------------------- encodings and text cells


@pytest.mark.parametrize(
    "encoding, expected",
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030"), ("utf-16", "utf-16")],
)
def test_encodings_are_detected_and_reported(atlas, encoding, expected):
    table, report = _classify(atlas, GOOD.encode(encoding))
    assert report.encoding == expected
    assert list(table["名称"]) == ["苏州站", "西浦"]
    assert list(table["atlas_adcode"]) == ["320508", "320571"]


def test_encoding_can_be_overridden_and_a_wrong_one_says_so(atlas):
    data = GOOD.encode("gbk")
    frame, info = read_table(data, "p.csv", encoding="gbk")
    assert info.encoding == "gbk" and frame.iloc[0, 0] == "苏州站"
    with pytest.raises(UserDataError, match="cannot be read as utf-8"):
        read_table(data, "p.csv", encoding="utf-8")


def test_codes_with_leading_zeros_and_18_digit_ids_survive(atlas):
    table, _ = _classify(atlas, GOOD)
    assert list(table["代码"]) == ["00123", "913205000000000012"]


def test_xlsx_is_read_as_text_and_sheet_can_be_chosen(atlas):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "notes"
    sheet = book.create_sheet("points")
    sheet.append(["name", "lng", "lat", "id"])
    sheet.append(["苏州站", 120.606389, 31.330556, "00123"])
    sheet.append(["西浦", 120.73807, 31.2748, "913205000000000012"])
    buffer = io.BytesIO()
    book.save(buffer)
    frame, info = read_table(buffer.getvalue(), "p.xlsx", sheet="points")
    table, report = classify_table(frame, info, atlas=atlas)
    assert info.sheet == "points" and report.accepted == 2
    assert list(table["id"]) == ["00123", "913205000000000012"]
    with pytest.raises(UserDataError, match="no sheet 'nope'"):
        read_table(buffer.getvalue(), "p.xlsx", sheet="nope")


# ---------------------------------------------------------------- columns, CRS, suspicious input


@pytest.mark.parametrize(
    "headers, expected",
    [
        (["名称", "经度", "纬度"], ("经度", "纬度", "名称")),
        (["Name", "Longitude", "Latitude"], ("Longitude", "Latitude", "Name")),
        (["title", "X", "Y"], ("X", "Y", "title")),
        (["企业名称", "ＬＮＧ", "ＬＡＴ"], ("ＬＮＧ", "ＬＡＴ", "企业名称")),
    ],
)
def test_coordinate_and_name_columns_are_found_by_name(headers, expected):
    found = guess_columns(headers)
    assert (found["lon"], found["lat"], found["name"]) == expected


def test_columns_can_be_chosen_and_a_missing_one_is_explained(atlas):
    text = "a,b,c\n苏州站,120.606389,31.330556\n"
    with pytest.raises(UserDataError, match="no longitude or latitude column") as info:
        _classify(atlas, text)
    assert "请手动选择" in info.value.message("zh")
    table, report = _classify(atlas, text, lon_column="b", lat_column="c", name_column="a")
    assert report.accepted == 1 and table.loc[0, "atlas_adcode"] == "320508"


def test_gcj02_bd09_and_projected_input_land_in_the_right_unit(atlas):
    from spatial.datum import convert_lonlat

    lon, lat = 120.606389, 31.330556  # Suzhou railway station, WGS84
    g = convert_lonlat(np.array([lon]), np.array([lat]), source="wgs84", target="gcj02")
    b = convert_lonlat(np.array([lon]), np.array([lat]), source="wgs84", target="bd09")
    for crs, (x, y) in (("gcj02", g), ("bd09", b)):
        table, report = _classify(atlas, f"name,lon,lat\n站,{x[0]:.7f},{y[0]:.7f}\n", crs=crs)
        assert report.accepted == 1
        assert abs(table.loc[0, "atlas_lon_wgs84"] - lon) < 1e-5 and abs(table.loc[0, "atlas_lat_wgs84"] - lat) < 1e-5
    from pyproj import Transformer

    x, y = Transformer.from_crs(4326, 4549, always_xy=True).transform(lon, lat)
    table, report = _classify(atlas, f"name,x,y\n站,{x:.2f},{y:.2f}\n", crs="EPSG:4549")
    assert report.accepted == 1 and table.loc[0, "atlas_adcode"] == "320508"


def test_swapped_projected_as_degrees_and_degrees_as_projected_are_explained(atlas):
    swapped = "name,lon,lat\n" + "".join(f"p{i},31.3{i},120.6{i}\n" for i in range(5))
    table, report = _classify(atlas, swapped)
    assert report.rejected == 5 and all("swapped" in r for r in table["atlas_reason_en"])
    assert any("wrong way round" in en for en, _ in report.warnings)
    metres = "name,x,y\n" + "".join(f"p{i},5{i}0000.0,346{i}000.0\n" for i in range(5))
    table, report = _classify(atlas, metres, lon_column="x", lat_column="y")
    assert report.rejected == 5 and any("projected metres" in en for en, _ in report.warnings)
    degrees = "name,x,y\n站,120.606389,31.330556\n"
    table, report = _classify(atlas, degrees, lon_column="x", lat_column="y", crs="EPSG:4549")
    assert report.rejected == 1 and "degrees" in table.loc[0, "atlas_reason_en"]
    assert any("look like degrees" in en for en, _ in report.warnings)


def test_every_row_is_kept_with_row_number_and_reason(atlas):
    text = (
        "名称,经度,纬度,备注\n"
        "好,120.606389,31.330556,ok\n"
        "空,,31.2,blank\n"
        "文字,abc,31.2,text\n"
        "无穷,inf,31.2,inf\n"
        "NaN,nan,31.2,nan\n"
        "全角,１２０．７２６,３１．２７６,fullwidth\n"
        "外面,118.8,32.0,outside\n"
        "南京?,200,31,beyond\n"
    )
    table, report = _classify(atlas, text)
    assert len(table) == 8 and report.rows == 8
    assert list(table["备注"]) == ["ok", "blank", "text", "inf", "nan", "fullwidth", "outside", "beyond"]
    status = dict(zip(table["备注"], table["atlas_status"], strict=True))
    assert status == {
        "ok": "accepted",
        "blank": "rejected",
        "text": "rejected",
        "inf": "rejected",
        "nan": "rejected",
        "fullwidth": "accepted",
        "outside": "doubtful",
        "beyond": "rejected",
    }
    issues = report.issues_frame()
    assert list(issues["row"]) == [3, 4, 5, 6, 8, 9]
    assert (issues["reason_zh"] != "").all() and (issues["reason_en"] != "").all()
    assert (report.accepted, report.doubtful, report.rejected) == (2, 1, 5)


def test_original_columns_are_intact_even_when_names_clash(atlas):
    text = "name,lon,lat,atlas_status\n站,120.606389,31.330556,mine\n"
    table, _ = _classify(atlas, text)
    assert table.loc[0, "atlas_status_original"] == "mine" and table.loc[0, "atlas_status"] == "accepted"
    assert list(table.columns[:3]) == ["name", "lon", "lat"]


# ---------------------------------------------------------------- broken files


@pytest.mark.parametrize(
    "data, filename, message",
    [
        (b"", "empty.csv", "is empty"),
        ("名称,经度,纬度\n".encode(), "header.csv", "no data rows"),
        (b"PK\x03\x04" + b"\x00" * 40, "fake.csv", "ZIP/XLSX"),
        (b"name,lon,lat\n1,2,3\n", "fake.xlsx", "not an Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "old.xls", "old Excel .xls"),
        (b"\x00\x01\x02\xff\xfe\x00\x10" * 100, "binary.csv", "not a text table"),
        (b"name,lon,lat\n\xff\xfe\xfa\xfb,120.6,31.3\n\x81\x30\xff", "bad.csv", "neither UTF-8 nor GB18030"),
    ],
)
def test_broken_files_get_a_clear_message(data, filename, message):
    with pytest.raises((UserDataError, UploadRejectedError), match=message):
        read_table(data, filename)


def test_size_limit_is_enforced_in_code(monkeypatch):
    monkeypatch.setenv("ATLAS_MAX_UPLOAD_MB", "1")
    with pytest.raises(UploadRejectedError, match="limit is 1 MB") as info:
        read_table(GOOD.encode() * (2 * 1048576 // len(GOOD.encode())), "big.csv")
    assert "超过上限" in info.value.message("zh")


# ---------------------------------------------------------------- boundaries


def test_geopackage_layers_are_listed_and_matched_by_code(atlas, tmp_path):
    path = tmp_path / "b.gpkg"
    atlas.units[["adcode", "name_zh", "geometry"]].to_file(path, driver="GPKG", layer="bureau")
    atlas.units.iloc[:2][["name_zh", "geometry"]].to_file(path, driver="GPKG", layer="other", mode="a")
    data = path.read_bytes()
    assert list_layers(data, "b.gpkg") == ["bureau", "other"]
    frame, report = read_boundaries(data, "b.gpkg", layer="bureau")
    report = match_units(frame, atlas.units, report)
    assert report.match_column == "adcode" and report.can_replace_units
    replaced = replace_units(atlas, frame, report)
    assert set(replaced.units["boundary_precision"]) == {"user supplied"}
    frame2, report2 = read_boundaries(data, "b.gpkg", layer="other")
    report2 = match_units(frame2, atlas.units, report2)
    assert report2.match_column == "name_zh" and len(report2.missing_units) == 8 and not report2.can_replace_units
    with pytest.raises(BoundaryError, match="missing"):
        replace_units(atlas, frame2, report2)


def _zip_shapefile(tmp_path, frame, *, folder="", keep=(".shp", ".shx", ".dbf", ".prj", ".cpg"), encoding="UTF-8"):
    frame.to_file(tmp_path / "u.shp", encoding=encoding)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for suffix in keep:
            if (tmp_path / f"u{suffix}").exists():
                archive.write(tmp_path / f"u{suffix}", f"{folder}u{suffix}")
    return buffer.getvalue()


def test_nested_shapefile_without_prj_asks_for_crs_with_a_guess(atlas, tmp_path):
    data = _zip_shapefile(
        tmp_path,
        atlas.units.to_crs(4549)[["name_zh", "geometry"]],
        folder="a/b/c/",
        keep=(".shp", ".shx", ".dbf", ".cpg"),
    )
    with pytest.raises(NeedsCRSError) as info:
        read_boundaries(data, "u.zip")
    assert info.value.guess == "EPSG:4549" and "EPSG:4549" in info.value.message("zh")
    frame, _report = read_boundaries(data, "u.zip", crs="EPSG:4549")
    assert frame.crs.to_epsg() == 4326 and len(frame) == 10
    gusu = frame.loc[frame["name_zh"] == "姑苏区"].geometry.iloc[0]
    assert gusu.contains(shapely.Point(120.61944, 31.30000))


def test_shapefile_without_cpg_is_read_as_gbk(atlas, tmp_path):
    data = _zip_shapefile(
        tmp_path, atlas.units[["name_zh", "geometry"]], keep=(".shp", ".shx", ".dbf", ".prj"), encoding="GBK"
    )
    frame, report = read_boundaries(data, "u.zip")
    assert report.encoding == "GBK" and "苏州工业园区" in set(frame["name_zh"])


def test_geojson_repairs_self_intersections_closes_rings_and_reports_drops():
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "bow"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[120.5, 31.2], [120.6, 31.3], [120.6, 31.2], [120.5, 31.3], [120.5, 31.2]]],
                },
            },
            {
                "type": "Feature",
                "properties": {"name": "open"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[120.5, 31.2], [120.6, 31.2], [120.6, 31.3], [120.5, 31.3]]],
                },
            },
            {
                "type": "Feature",
                "properties": {"name": "point"},
                "geometry": {"type": "Point", "coordinates": [120.5, 31.2]},
            },
        ],
    }
    frame, report = read_boundaries(json.dumps(collection).encode(), "x.geojson")
    assert list(frame["name"]) == ["bow", "open"] and frame.is_valid.all()
    assert report.repaired == 1 and report.dropped == [(3, "not a polygon (Point)", "不是面要素（Point）")]
    assert any("not closed" in en for en, _ in report.notes)


def test_gcj02_boundaries_are_shifted_back(atlas):
    from spatial.datum import convert_frame

    shifted = convert_frame(atlas.units[["adcode", "geometry"]], source="wgs84", target="gcj02")
    frame, _ = read_boundaries(shifted.to_json().encode(), "amap.geojson", datum="gcj02")
    distance = shapely.hausdorff_distance(frame.to_crs(4549).geometry.values, atlas.units.to_crs(4549).geometry.values)
    assert distance.max() < 1.0  # metres


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda z: [z.writestr(f"f{i}.txt", "x") for i in range(201)], "at most 200"),
        (lambda z: z.writestr("bomb.shp", b"\x00" * 5_000_000), "zip bomb"),
    ],
)
def test_suspicious_archives_are_refused_before_reading(build, message):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        build(archive)
    with pytest.raises(UploadRejectedError, match=message):
        read_boundaries(buffer.getvalue(), "x.zip")


def test_encrypted_archive_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("u.shp", b"x")
    data = bytearray(buffer.getvalue())
    data[6] |= 0x1  # local header: encrypted flag
    central = data.rfind(b"PK\x01\x02")
    data[central + 8] |= 0x1  # central directory: encrypted flag
    with pytest.raises(UploadRejectedError, match="encrypted"):
        read_boundaries(bytes(data), "x.zip")


def test_a_file_that_is_not_what_it_claims_is_refused():
    with pytest.raises(BoundaryError, match="not a GeoJSON, GeoPackage or zipped Shapefile"):
        read_boundaries(b"name,lon,lat\n", "x.geojson")


# ---------------------------------------------------------------- aggregation and counts


def test_hexbin_counts_every_point_once(atlas):
    rng = np.random.default_rng(1)
    lon, lat = rng.uniform(120.5, 120.9, 5000), rng.uniform(31.1, 31.5, 5000)
    cells = hexbin(np.append(lon, np.nan), np.append(lat, 31.3), size_m=2000)
    assert cells["count"].sum() == 5000
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon[:500], lat[:500]), crs=4326)
    hits = gpd.sjoin(points, cells, predicate="intersects")
    assert hits.index.nunique() == 500


def test_point_counts_per_unit_and_corridor(atlas):
    per_corridor, per_unit = point_counts(
        ["320571", "320571", "320508", "", None], units=atlas.units, corridors=atlas.corridors, members=atlas.members
    )
    assert per_unit.set_index("adcode").loc["320571", "points"] == 2 and per_unit["points"].sum() == 3
    ring = set(atlas.members.loc[atlas.members["corridor_id"] == "ring", "adcode"])
    expected = sum(code in ring for code in ["320571", "320571", "320508"])
    assert per_corridor.set_index("id").loc["ring", "points"] == expected


def test_rows_with_stray_delimiters_are_kept_and_reported(atlas):
    text = "名称,经度,纬度\n好,120.606389,31.330556\n多一列,120.7,31.3,extra\n少一列,120.7\n也好,120.73807,31.2748\n"
    table, _report = _classify(atlas, text)
    assert len(table) == 4 and list(table["名称"]) == ["好", "多一列", "少一列", "也好"]
    assert list(table["atlas_status"]) == ["accepted", "rejected", "rejected", "accepted"]
    assert "4 fields where the header has 3" in table.loc[1, "atlas_reason_en"]
    assert "2 个字段" in table.loc[2, "atlas_reason_zh"]


# ---------------------------------------------------------------- classified rows in the UI language


LOCALISE = (
    "名称,经度,纬度,状态\n苏州站,120.606389,31.330556,在营\n反了,31.3,120.6,停业\n"
    "外面,118.8,32.0,在营\n园区,120.73807,31.2748,在营\n"
)


def test_localised_table_in_chinese(atlas):
    from userdata.tables import localised_table

    table, _ = _classify(atlas, LOCALISE)
    before = table.copy()
    shown = localised_table(table, lang="zh", corridors=atlas.corridors)
    pd.testing.assert_frame_equal(table, before)  # input untouched
    assert list(shown.columns) == [
        "名称",
        "经度",
        "纬度",
        "状态",
        "行号",
        "状态（图集）",
        "原因",
        "经度（WGS84）",
        "纬度（WGS84）",
        "单元代码",
        "所在单元",
        "所在走廊",
        "定位精度",
        "地址匹配",
    ]
    pd.testing.assert_frame_equal(shown[["名称", "经度", "纬度", "状态"]], table[["名称", "经度", "纬度", "状态"]])
    assert list(shown["状态（图集）"]) == ["接受", "拒绝", "存疑", "接受"]
    assert list(shown["行号"]) == [2, 3, 4, 5]
    assert shown.loc[1, "原因"].startswith("经纬度似乎填反了") and shown.loc[0, "原因"] == ""
    assert list(shown["所在单元"]) == ["姑苏区", "", "", "苏州工业园区"]
    assert shown.loc[0, "所在走廊"] == "中环科技创新走廊"
    assert shown.loc[3, "所在走廊"].split("、")[:2] == ["中环科技创新走廊", "沪宁产业创新轴"]
    assert shown.loc[1, "所在走廊"] == "" and shown.loc[0, "经度（WGS84）"] == table.loc[0, "atlas_lon_wgs84"]


def test_localised_table_in_english(atlas):
    from userdata.tables import localised_table

    table, _ = _classify(atlas, LOCALISE)
    shown = localised_table(table, lang="en", corridors=atlas.corridors)
    assert list(shown.columns)[4:] == [
        "Row",
        "Status",
        "Reason",
        "Longitude (WGS84)",
        "Latitude (WGS84)",
        "Unit code",
        "Unit",
        "Corridors",
        "Placed by",
        "Address words",
    ]
    assert list(shown["Status"]) == ["accepted", "rejected", "doubtful", "accepted"]
    assert "swapped" in shown.loc[1, "Reason"] and shown.loc[3, "Unit"] == "Suzhou Industrial Park"
    assert shown.loc[3, "Corridors"].split("; ")[:2] == [
        "Middle Ring Science and Innovation Corridor",
        "Shanghai–Nanjing Industrial Innovation Axis",
    ]


def test_localised_table_keeps_renamed_user_columns_and_unknown_ids(atlas):
    from userdata.tables import localised_table

    table, _ = _classify(atlas, "name,lon,lat,atlas_status\n站,120.606389,31.330556,mine\n")
    table.loc[0, "atlas_corridors"] = "ring|someone_elses"
    shown = localised_table(table, lang="zh", corridors=atlas.corridors)
    assert shown.loc[0, "atlas_status_original"] == "mine" and shown.loc[0, "状态"] == "接受"
    assert shown.loc[0, "所在走廊"] == "中环科技创新走廊、someone_elses"


def test_status_words_agree_with_the_app_texts():
    from presentation.i18n import t
    from userdata.tables import STATUS_LABELS

    for status, (zh, en) in STATUS_LABELS.items():
        assert (t(f"im_status_{status}", "zh"), t(f"im_status_{status}", "en")) == (zh, en)


def test_localised_table_refuses_a_table_that_was_not_classified(atlas):
    from userdata.tables import localised_table

    with pytest.raises(UserDataError, match=r"not a classified table.*atlas_status") as info:
        localised_table(pd.DataFrame({"a": [1]}), lang="zh", corridors=atlas.corridors)
    assert "classify_table" in str(info.value) and "分类" in info.value.message("zh")
    table, _ = _classify(atlas, LOCALISE)
    with pytest.raises(UserDataError, match="unknown language 'fr'"):
        localised_table(table, lang="fr", corridors=atlas.corridors)
