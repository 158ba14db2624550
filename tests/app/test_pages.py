"""The Streamlit app driven by streamlit.testing (server side): pages, controls, URL state."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import numpy as np
import pytest
from browser import ROOT
from streamlit.testing.v1 import AppTest

import layers
from database.connection import describe
from presentation.pages import PAGES
from spatial.datum import convert_lonlat

pytestmark = pytest.mark.slow  # each test draws app pages (AppTest)

APP = str(ROOT / "app.py")


PAGE_FILES = {page.name: page.file for page in PAGES}


def _app(params: dict | None = None, page: str = "map") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    return _go(at, page) if page != "map" else at


def _go(at: AppTest, page: str) -> AppTest:
    """Switch page within the same session, as the sidebar's page links do."""
    return at.switch_page(PAGE_FILES[page]).run()


def _view(at: AppTest):
    return at.session_state["_view"]


def _choose_crs(at: AppTest, data: bytes, choice: str = "wgs84") -> AppTest:
    """Declare the uploaded table's coordinate system (the app asks; there is no default)."""
    digest = hashlib.sha256(data).hexdigest()[:20]
    return at.selectbox(key=f"im_crs_{digest}").set_value(choice).run()


def _map_args(at) -> dict:
    [component] = at.get("component_instance")
    return json.loads(component.proto.json_args)


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [s.value for s in at.subheader] + [c.value for c in at.caption]
    parts += [e.value for e in at.error] + [w.value for w in at.warning] + [i.value for i in at.info]
    parts += [s.value for s in at.success]
    return "\n".join(parts)


def test_map_page_renders_in_chinese_by_default_with_local_assets_only():
    at = _app()
    assert not at.exception
    assert at.title[0].value == "苏州数字经济创新集群地图"
    args = _map_args(at)
    links = args["js_links"] + args["css_links"]
    assert links and all(link.startswith("/app/static/vendor/") for link in links)
    assert "http://" not in args["header"] and "https://" not in args["header"]
    assert "中环科技创新走廊" in args["script"]


def test_language_switch_changes_every_label():
    at = _app()
    at.sidebar.radio(key="view_lang").set_value("en").run()
    assert at.title[0].value == "Suzhou Innovation Atlas"
    args = _map_args(at)
    assert "Middle Ring Science and Innovation Corridor" in args["script"]
    assert "中环科技创新走廊" not in args["script"]
    assert at.query_params["lang"] == "en"


def test_corridor_toggle_hides_the_overlay_and_updates_the_url(atlas):
    at = _app()
    at.sidebar.multiselect(key="view_corridors").set_value(["ring", "taihu"]).run()
    script = _map_args(at)["script"]
    shown = script.count(".addTo(map_div)")
    at.sidebar.multiselect(key="view_corridors").set_value(["ring"]).run()
    assert _map_args(at)["script"].count(".addTo(map_div)") == shown - 1
    assert at.query_params["corridors"] == "ring"


def test_category_toggle_removes_markers():
    at = _app()
    # the facilities' clustered markers (the coordinates tool has a circle marker of its own)
    assert "L.markerClusterGroup(" in _map_args(at)["script"]
    at.sidebar.multiselect(key="view_cats").set_value([]).run()
    assert "L.markerClusterGroup(" not in _map_args(at)["script"]


def test_amap_basemap_shifts_vectors_into_gcj02(atlas):
    at = _app()
    plain = _map_args(at)["script"]
    at.sidebar.selectbox(key="view_basemap").set_value("amap").run()
    shifted = _map_args(at)["script"]
    assert "autonavi" in shifted and "autonavi" not in plain
    assert at.info and "GCJ-02" in at.info[0].value
    # the facility points move by the GCJ-02 offset (hundreds of metres), to where Amap draws them
    sip = atlas.facilities.set_index("facility_id").loc["xjtlu"].geometry  # a campus point
    g_lon, g_lat = convert_lonlat(np.array([sip.x]), np.array([sip.y]), source="wgs84", target="gcj02")
    wgs_point = f'"lat": {round(sip.y, 6)}, "lng": {round(sip.x, 6)}'
    gcj_point = f'"lat": {round(float(g_lat[0]), 6)}, "lng": {round(float(g_lon[0]), 6)}'
    assert wgs_point in plain and wgs_point not in shifted
    assert gcj_point in shifted


def test_tianditu_without_a_key_explains_how_to_get_one(monkeypatch):
    monkeypatch.delenv("TIANDITU_KEY", raising=False)
    at = _app()
    at.sidebar.selectbox(key="view_basemap").set_value("tianditu").run()
    assert any("TIANDITU_KEY" in w.value and "console.tianditu.gov.cn" in w.value for w in at.warning)
    assert "tianditu.gov.cn" not in _map_args(at)["script"]


def test_tianditu_with_a_key_uses_it(monkeypatch):
    monkeypatch.setenv("TIANDITU_KEY", "abcdef0123456789")
    at = _app()
    at.sidebar.selectbox(key="view_basemap").set_value("tianditu").run()
    assert not at.warning
    assert "tk=abcdef0123456789" in _map_args(at)["script"]


def test_custom_tile_url_is_validated():
    at = _app()
    at.sidebar.selectbox(key="view_basemap").set_value("custom").run()
    at.sidebar.text_input(key="view_custom_url").input("http://tiles.intranet/{z}/{x}.png").run()
    assert any("瓦片地址须包含" in w.value for w in at.warning)
    at.sidebar.text_input(key="view_custom_url").input("http://tiles.intranet/{z}/{x}/{y}.png").run()
    assert not at.warning
    assert "tiles.intranet" in _map_args(at)["script"]


def test_shared_link_sets_the_view_and_bad_values_are_reported():
    at = _app({"lang": "en", "corridors": "ring,nowhere", "unit": "320571", "basemap": "evil"})
    assert _view(at).corridors == ["ring"]
    assert _view(at).unit == "320571"
    warnings = " ".join(w.value for w in at.warning)
    assert "nowhere" in warnings and "evil" in warnings
    text = _texts(at)
    assert "Suzhou Industrial Park" in text and "Middle Ring" in text


def test_query_page_answers_like_the_cli():
    at = _app({"lang": "en"}, page="query")
    at.text_input(key="q_unit").input("SIP").run()
    assert "Suzhou Industrial Park" in _texts(at)
    at.text_input(key="q_unit").input("相成区").run()
    assert any("Xiangcheng District" in e.value and "did you mean" in e.value for e in at.error)
    at.selectbox(key="q_corridor").set_value("hongqiao").run()
    assert "central business cooperation zone" in _texts(at)
    at.text_input(key="q_unit").input("").run()
    at.text_input(key="q_lon").input("31.3").run()
    at.text_input(key="q_lat").input("120.6").run()
    assert any("swapped" in e.value for e in at.error)
    at.text_input(key="q_lon").input("１２０.６２").run()  # full-width digits
    at.text_input(key="q_lat").input("31.30").run()
    assert any("Gusu" in s.value for s in at.success)
    at.selectbox(key="q_datum").set_value("bd09").run()
    assert not at.error
    at.text_input(key="q_facility").input("nano").run()
    assert any("Nano" in " ".join(map(str, df.value.iloc[:, 0])) for df in at.dataframe)
    at.text_input(key="q_lat").input("").run()
    at.text_input(key="q_lon").input("120.738400,31.272900").run()  # Amap's copy, one box
    assert not at.error and any("Suzhou Industrial Park" in s.value for s in at.success)


def test_facility_search_knows_the_short_names_planners_use():
    at = _app(page="query")
    at.text_input(key="q_facility").input("纳米所").run()
    names = " ".join(" ".join(map(str, df.value.iloc[:, 0])) for df in at.dataframe)
    assert "纳米技术与纳米仿生研究所" in names


def test_query_page_answers_an_address_with_what_settled_it_or_why_it_cannot():
    at = _app(page="query")
    at.text_input(key="q_address").input("江苏省苏州市吴江区盛泽镇市场路8号").run()
    assert not at.exception and any("吴江区 盛泽镇" in s.value for s in at.success)
    assert "依据地址中的“盛泽镇”（街道镇级）" in _texts(at)
    roles = [df.value for df in at.dataframe]
    assert roles and any("环太湖科技研发创新带" in " ".join(map(str, df.iloc[:, 0])) for df in roles)
    at.text_input(key="q_address").input("苏州虎丘").run()
    assert any("有歧义" in w.value and "姑苏区" in w.value and "虎丘区" in w.value for w in at.warning)
    at.text_input(key="q_address").input("北京市海淀区苏州街").run()
    assert any("苏州以外" in i.value and "北京" in i.value for i in at.info) and not at.success


def test_query_page_in_chinese():
    at = _app(page="query")
    at.text_input(key="q_lon").input("abc").run()
    at.text_input(key="q_lat").input("31").run()
    assert any("经纬度必须是" in e.value for e in at.error)


def test_summary_page_tables_and_downloads(atlas):
    at = _app({"lang": "en"}, page="summary")
    assert not at.exception
    frames = [df.value for df in at.dataframe]
    corridor_table = frames[0]
    assert list(corridor_table.iloc[:, 0]) == list(atlas.corridors["id"])
    present = set(layers.present_categories(atlas.facilities))  # only categories in use get a column
    assert all((cat in corridor_table.columns) == (cat in present) for cat in layers.FACILITY_CATEGORIES)
    assert "lab" in corridor_table.columns
    matrix = frames[-1]
    assert matrix.shape == (len(atlas.units), len(atlas.corridors))
    assert (matrix != "").sum().sum() == len(atlas.members)
    downloads = at.get("download_button")
    assert len(downloads) == 6  # corridors, units, the three indicator tables, the matrix
    units = next(f for f in frames if "Resident population (10,000)" in f.columns)
    assert len(units) == 11 and units.iloc[-1, 0] == "Suzhou (city)"
    corridors = next(f for f in frames if "Plan-named facilities per 100 km² of land" in f.columns)
    assert list(corridors.iloc[:, 0]) == list(atlas.corridors["name_en"])  # the plan's order
    assert "High-tech enterprises" not in corridors.columns  # no corridor has a sum: no always-empty column


def test_no_page_has_an_exception_in_either_language():
    for page in PAGE_FILES:
        for lang in ("zh", "en"):
            at = _app({"lang": lang}, page=page)
            assert not at.exception, (page, lang, at.exception)


def test_export_page_previews_and_offers_every_download():
    at = _app({"lang": "en"}, page="export")
    assert not at.exception
    assert len(at.image) == 1
    labels = [button.proto.label for button in at.get("download_button")]
    assert any(label.endswith(".png") for label in labels)
    assert any(".zip" in label and "per corridor" in label for label in labels)
    assert any(label.endswith(".html") for label in labels) and any("wgs84" in label for label in labels)
    at.selectbox(key="ex_format").set_value("pdf").run()
    assert any(button.proto.label.endswith(".pdf") for button in at.get("download_button"))
    at.selectbox(key="ex_data_format").set_value("geojson").run()
    at.selectbox(key="ex_crs").set_value("cgcs2000_gk120").run()
    assert any("GeoJSON" in e.value for e in at.error)
    at.text_input(key="ex_title").input("My $title$ <b>").run()
    assert not at.exception and len(at.image) == 1


def test_the_export_page_makes_a_corridor_chapter_named_for_what_it_holds():
    import io as _io

    import docx

    at = _app(page="export")
    at.selectbox(key="ex_report_scope").set_value("yangtze").run()
    at.radio(key="ex_report_lang").set_value("en").run()
    assert not [b for b in at.get("download_button") if "report" in b.proto.label]  # made only on request
    at.button(key="ex_report_make").click().run()
    assert not at.exception
    (button,) = [b for b in at.get("download_button") if "suzhou_atlas_report_yangtze_en_" in b.proto.label]
    assert button.proto.label.endswith(".docx")
    content = at.session_state["_ex_report"][2]
    headings = [p.text for p in docx.Document(_io.BytesIO(content)).paragraphs if p.style.name == "Title"]
    assert headings == ["Yangtze Riverside Science and Industry Innovation Belt"]


POINTS_CSV = (
    "名称,经度,纬度,代码\n"
    "苏州站,120.606389,31.330556,00123\n"
    "<img src=x onerror=alert(1)>${x}`,120.73807,31.2748,2\n"
    "反了,31.3,120.6,3\n"
    "空,,31.2,4\n"
).encode("gbk")


def test_import_page_classifies_a_table_and_the_result_reaches_map_and_summary():
    at = _app({"lang": "en"}, page="import")
    at.file_uploader(key="im_file").set_value(("企业.csv", POINTS_CSV, "text/csv")).run()
    assert not at.exception
    assert any("no default" in w.value for w in at.warning)  # the datum is asked for first
    assert _ws(at).points is None
    _choose_crs(at, POINTS_CSV, "wgs84")
    text = _texts(at)
    assert "gb18030" in text and "4 rows: 2 accepted, 0 doubtful, 2 rejected" in text
    rows = at.dataframe[1].value  # every row, on screen (after the preview of the first rows as read)
    assert list(at.dataframe[0].value["代码"]) == ["00123", "2", "3", "4"]  # the preview, as read
    assert len(rows) == 4 and list(rows["代码"]) == ["00123", "2", "3", "4"]
    assert list(rows["Status"]) == ["accepted", "accepted", "rejected", "rejected"]
    assert "swapped" in rows["Reason"].iloc[2]
    at.multiselect(key="im_filter").set_value(["rejected"]).run()
    assert list(at.dataframe[1].value["Row"]) == [4, 5]
    table = _ws(at).points.table
    assert list(table["代码"]) == ["00123", "2", "3", "4"] and len(table) == 4
    _go(at, "map")
    script = _map_args(at)["script"]
    assert "My points: " in script and "L.circleMarker" in script
    assert "<img src=x" not in script and "${x}" not in script
    _go(at, "summary")
    frames = [df.value for df in at.dataframe]
    counts = [f for f in frames if "Points" in f.columns]
    assert counts and sum(counts[-1]["Points"]) == 2
    assert "2 points counted (4 rows; 0 doubtful rows outside the ten units and 2 rejected" in _texts(at)


def _ws(at: AppTest):
    return at.session_state["_workspace"]


def test_classified_rows_read_in_chinese_when_the_ui_is_chinese():
    at = _app(page="import")
    at.file_uploader(key="im_file").set_value(("企业.csv", POINTS_CSV, "text/csv")).run()
    _choose_crs(at, POINTS_CSV, "wgs84")
    rows = at.dataframe[1].value
    assert list(rows["状态"]) == ["接受", "接受", "拒绝", "拒绝"]
    assert "中环科技创新走廊" in rows["所在走廊"].iloc[0] and "ring" not in rows["所在走廊"].iloc[0]


def test_a_baidu_table_is_placed_by_the_datum_the_planner_declares(atlas):
    import numpy as np

    from spatial.datum import convert_lonlat

    lon, lat = convert_lonlat(np.array([120.738400]), np.array([31.272900]), source="wgs84", target="bd09")
    data = f"名称,经度,纬度\n金鸡湖边,{lon[0]:.6f},{lat[0]:.6f}\n".encode()
    at = _app({"lang": "en"}, page="import")
    at.file_uploader(key="im_file").set_value(("baidu.csv", data, "text/csv")).run()
    assert _ws(at).points is None and any("Choose this table's coordinate system" in w.value for w in at.warning)
    _choose_crs(at, data, "bd09")
    row = _ws(at).points.table.iloc[0]
    assert abs(row["atlas_lon_wgs84"] - 120.7384) < 1e-5 and abs(row["atlas_lat_wgs84"] - 31.2729) < 1e-5
    # back from another page the file, its datum and its rows are all still there to review
    _go(at, "map")
    _go(at, "import")
    digest = hashlib.sha256(data).hexdigest()[:20]
    assert at.selectbox(key=f"im_crs_{digest}").value == "bd09"
    assert r"baidu\.csv" in _texts(at) and len(at.dataframe[1].value) == 1
    # the same file uploaded again keeps its datum too (remembered by content, not by upload)
    at.file_uploader(key="im_file").set_value(("baidu-copy.csv", data, "text/csv")).run()
    assert at.selectbox(key=f"im_crs_{digest}").value == "bd09"


def test_rows_typed_latitude_first_can_be_swapped_by_the_planner():
    data = "名称,经度,纬度\n甲,120.606389,31.330556\n乙,31.2748,120.73807\n".encode()
    at = _app({"lang": "en"}, page="import")
    at.file_uploader(key="im_file").set_value(("swap.csv", data, "text/csv")).run()
    _choose_crs(at, data, "wgs84")
    assert _ws(at).points.report.rejected == 1
    digest = hashlib.sha256(data).hexdigest()[:20]
    at.button(key=f"im_swap_{digest}").click().run()
    table = _ws(at).points.table
    assert list(table["atlas_status"]) == ["accepted", "accepted"]
    assert abs(table["atlas_lon_wgs84"].iloc[1] - 120.73807) < 1e-9
    assert "swapped in row 3, as you chose" in _texts(at)
    _go(at, "summary")
    _go(at, "import")  # the swap can still be undone after a visit to another page
    at.button(key=f"im_swap_undo_{digest}").click().run()
    assert _ws(at).points.report.rejected == 1


def test_the_swap_button_names_the_rows_as_the_table_numbers_them_and_the_cells_stay_as_typed():
    data = "站点清单\n名称,经度,纬度\n甲,120.606389,31.330556\n乙,31.2748,120.73807\n".encode()  # a title line
    at = _app({"lang": "en"}, page="import")
    at.file_uploader(key="im_file").set_value(("swap.csv", data, "text/csv")).run()
    _choose_crs(at, data, "wgs84")
    digest = hashlib.sha256(data).hexdigest()[:20]
    rows = at.dataframe[1].value
    flagged = int(rows.loc[rows["Status"] == "rejected", "Row"].iloc[0])
    assert flagged == 4 and f"row {flagged}" in at.button(key=f"im_swap_{digest}").label
    at.button(key=f"im_swap_{digest}").click().run()
    table = _ws(at).points.table
    assert (table["经度"].iloc[1], table["纬度"].iloc[1]) == ("31.2748", "120.73807")  # as typed
    assert "swapped" in table["atlas_reason_en"].iloc[1]
    assert "swapped in row 4, as you chose" in _texts(at)


def test_the_import_page_preselects_the_columns_that_hold_coordinates_not_just_their_names():
    data = "lon,经度(°),纬度\n园区,120.738400,31.272900\n姑苏,120.606389,31.330556\n".encode()
    at = _app({"lang": "en"}, page="import")
    at.file_uploader(key="im_file").set_value(("named.csv", data, "text/csv")).run()
    digest = hashlib.sha256(data).hexdigest()[:20]
    assert at.selectbox(key=f"im_lon_{digest}").value == "经度(°)"


def test_import_page_offers_a_template_with_chinese_headers():
    at = _app(page="import")
    [template] = [b for b in at.get("download_button") if "模板" in b.proto.label]
    assert template is not None


def test_import_page_reports_a_broken_file_in_both_languages():
    at = _app(page="import")
    at.file_uploader(key="im_file").set_value(("空.csv", b"", "text/csv")).run()
    assert any("空文件" in e.value for e in at.error)
    at.sidebar.radio(key="view_lang").set_value("en").run()
    assert any("is empty" in e.value for e in at.error)


def test_boundary_upload_can_replace_the_units(atlas, tmp_path):
    path = tmp_path / "bureau.gpkg"
    atlas.units[["adcode", "name_zh", "geometry"]].to_file(path, driver="GPKG", layer="bureau")
    at = _app({"lang": "en"}, page="import")
    data = path.read_bytes()
    at.file_uploader(key="im_boundary_file").set_value(("bureau.gpkg", data, "application/octet-stream")).run()
    assert not at.exception
    # lon/lat borders: the app asks whether they are WGS84 or Amap's GCJ-02 before using them
    assert any("there is no default" in w.value for w in at.warning) and "Matched" not in _texts(at)
    assert _ws(at).boundary is None
    digest = hashlib.sha256(data).hexdigest()[:20]
    at.selectbox(key=f"im_boundary_datum_{digest}").set_value("wgs84").run()
    assert "Matched 10 units by column 'adcode'" in _texts(at)
    at.button(key="im_replace").click().run()
    assert _ws(at).borders == "bureau.gpkg"
    assert r"The imported borders are in use: bureau\.gpkg" in _texts(at)  # escaped markdown
    assert "im_replace" not in [b.key for b in at.button]  # the same file cannot be swapped in twice
    _go(at, "map")
    assert r"bureau\.gpkg" in _texts(at)  # the map says whose borders it draws
    _go(at, "import")
    assert r"bureau\.gpkg" in _texts(at) and not at.exception
    at.button(key="im_restore").click().run()
    assert _ws(at).borders is None and _ws(at).atlas is _ws(at).base


def test_shapefile_without_prj_asks_for_the_crs(atlas, tmp_path):
    import io as _io
    import zipfile as _zip

    atlas.units.to_crs(4549)[["name_zh", "geometry"]].to_file(tmp_path / "u.shp")
    buffer = _io.BytesIO()
    with _zip.ZipFile(buffer, "w") as archive:
        for suffix in (".shp", ".shx", ".dbf"):
            archive.write(tmp_path / f"u{suffix}", f"nested/u{suffix}")
    at = _app({"lang": "en"}, page="import")
    at.file_uploader(key="im_boundary_file").set_value(("u.zip", buffer.getvalue(), "application/zip")).run()
    assert any("no \\.prj" in w.value for w in at.warning)
    digest = hashlib.sha256(buffer.getvalue()).hexdigest()[:20]
    box = at.selectbox(key=f"im_boundary_crs_{digest}")
    assert box.value is None and "EPSG:4549" in box.placeholder  # a guess offered, not taken
    box.set_value("EPSG:4549").run()
    assert r"Matched 10 units by column 'name\_zh'" in _texts(at)
    at.checkbox(key=f"im_boundary_show_{digest}").uncheck().run()  # the choices stay on later runs
    assert r"Matched 10 units by column 'name\_zh'" in _texts(at) and not _ws(at).boundary.show
    _go(at, "summary")
    _go(at, "import")  # and after a visit to another page: the file, its CRS and the choice are kept
    assert r"Matched 10 units by column 'name\_zh'" in _texts(at) and not _ws(at).boundary.show


def test_large_imports_are_drawn_as_a_hexagon_grid_not_one_marker_each():
    import numpy as np

    rng = np.random.default_rng(3)
    n = 2500
    rows = "\n".join(
        f"p{i},{lon:.6f},{lat:.6f}"
        for i, (lon, lat) in enumerate(zip(rng.uniform(120.5, 120.9, n), rng.uniform(31.2, 31.45, n), strict=True))
    )
    at = _app({"lang": "en"}, page="import")
    data = f"name,lon,lat\n{rows}\n".encode()
    at.file_uploader(key="im_file").set_value(("many.csv", data, "text/csv")).run()
    _choose_crs(at, data, "wgs84")
    _go(at, "map")
    script = _map_args(at)["script"]
    assert "darker = more points" in script
    assert script.count('"lat":') < 100  # facilities only: no marker per imported point
    assert "p2499" not in script


def test_unit_without_a_published_land_area_shows_no_number():
    at = _app({"unit": "320508"})  # 姑苏区: a published total, no published land figure
    text = _texts(at)
    assert "83.42" in text and "nan" not in text.lower() and "公布陆域面积" not in text
    at = _app({"unit": "320506"})  # 吴中区: both
    assert "2231.46" in _texts(at) and "公布陆域面积**: 745" in _texts(at)
    assert "苏州统计年鉴2019" in _texts(at) and "微信百科" in _texts(at)  # each figure's source, by its publisher


def test_empty_cells_read_as_a_dash_not_none():
    at = _app(page="summary")
    units = next(df.value for df in at.dataframe if "公布面积（km²）" in df.value.columns)
    gusu = units.loc[units["单元"] == "姑苏区"].iloc[0]
    assert gusu["公布陆域（km²）"] == "—"
    data = "名称,经度,纬度\n甲,120.606389,31.330556\n空,,31.2\n".encode()
    at = _app(page="import")
    at.file_uploader(key="im_file").set_value(("空格.csv", data, "text/csv")).run()
    _choose_crs(at, data, "wgs84")
    rows = at.dataframe[1].value
    assert rows["经度（WGS84）"].iloc[1] == "—" and rows["经度（WGS84）"].iloc[0] != "—"


def test_thematic_map_picker_is_in_chinese_fills_the_units_and_goes_in_the_link():
    at = _app()
    picker = at.sidebar.selectbox(key="view_theme")
    assert picker.value == "none" and picker.format_func("none") == "无"  # never Streamlit's "Choose an option"
    picker.set_value("resident_population_10k").run()
    script = _map_args(at)["script"]
    assert "常住人口（万人），2023 年" in script and at.query_params["theme"] == "resident_population_10k"
    at2 = _app({"theme": "gdp_100m_yuan", "lang": "en"})
    script = _map_args(at2)["script"]
    assert "GDP (100 million yuan), 2023" in script and "† derived: the city less the other units" in script
    assert "950.07 †" in script  # 姑苏区's tooltip (issue 26)


def test_facility_chart_legend_lists_every_category_in_use(atlas):
    # Seen by the walkthrough: Streamlit's bar chart cut its legend after six categories.
    import layers

    at = _app({"lang": "zh"}, page="summary")
    charts = [e for e in at.main if getattr(e, "type", "") == "vega_lite_chart"]
    spec = json.loads(charts[-1].proto.spec)  # the second chart: facilities by category
    assert spec["encoding"]["color"]["legend"]["columns"] == 3
    domain = spec["encoding"]["color"]["scale"]["domain"]
    assert len(domain) == len(layers.present_categories(atlas.facilities)) and "国家级开发区" in domain
    areas = json.loads(charts[0].proto.spec)
    assert areas["encoding"]["y"]["sort"] == list(atlas.corridors["name_zh"])  # the plan's order, not A-Z


def test_a_gbk_file_that_is_also_valid_utf8_shows_the_choice_and_a_preview_before_classifying():
    at = _app({"lang": "en"}, page="import")
    data = "name,lon,lat\n石路,120.60,31.31\n".encode("gbk")
    at.file_uploader(key="im_file").set_value(("short.csv", data, "text/csv")).run()
    assert not at.exception
    assert any("both UTF-8 and GBK" in w.value.replace("\\", "") for w in at.warning)
    assert list(at.dataframe[0].value["name"]) == ["石路"]  # the preview, before any datum is chosen


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_unexpected_error_shows_a_message_and_a_reference_never_a_traceback(monkeypatch, caplog, lang):
    import safety.spreadsheet

    def broken(*_args, **_kwargs):
        raise RuntimeError("secret internal detail /srv/atlas/db.py")

    monkeypatch.setattr(safety.spreadsheet, "csv_bytes", broken)  # the Summary page imports it as it runs
    at = _app({"lang": lang}, page="summary")
    assert not at.exception  # Streamlit's own error box (with its traceback) never shows
    (error,) = [e.value for e in at.error]
    reference = re.search(r"[0-9a-f]{8}", error).group(0)
    assert ("意外错误" if lang == "zh" else "unexpected error") in error
    assert "secret" not in _texts(at) and "Traceback" not in _texts(at)
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert reference in logged and "secret internal detail" in caplog.text  # the traceback is in the log


def test_the_server_config_hides_error_details_from_the_page():
    import tomllib

    config = tomllib.loads((Path(APP).parent / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"


def test_a_messy_table_with_a_title_and_repeated_headers_reaches_the_map_and_summary():
    data = ("苏州市重点企业名单（2024年）\n名称,经度,纬度,备注,备注\n甲,120.7384,31.2729,一,二\n合计,,,,\n").encode()
    at = _app({"lang": "en"}, page="import")
    at.file_uploader(key="im_file").set_value(("名单.csv", data, "text/csv")).run()
    assert not at.exception
    assert "above the header" in _texts(at).replace("\\", "")  # said before anything is classified
    assert list(at.dataframe[0].value.columns) == ["名称", "经度", "纬度", "备注", "备注 (2)"]
    _choose_crs(at, data, "wgs84")
    rows = at.dataframe[1].value
    assert list(rows["Row"]) == [3, 4] and list(rows["Status"]) == ["accepted", "rejected"]
    assert "totals row" in rows["Reason"].iloc[1]
    for page in ("map", "summary", "export"):  # duplicate headers once crashed the Map page after an import
        _go(at, page)
        assert not at.exception, page


def test_a_workbook_with_an_instructions_sheet_first_is_read_from_its_data_sheet():
    """Seen in the browser: the sheet picker defaulted to the first sheet, the instructions."""
    import io as _io

    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "填表说明"
    book.active.append(["请在“企业”表中填写"])
    sheet = book.create_sheet("企业")
    sheet.append(["名称", "经度", "纬度"])
    sheet.append(["甲", 120.7384, 31.2729])
    buffer = _io.BytesIO()
    book.save(buffer)
    at = _app({"lang": "en"}, page="import")
    at.file_uploader(key="im_file").set_value(("名单.xlsx", buffer.getvalue(), "application/octet-stream")).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert list(at.dataframe[0].value["名称"]) == ["甲"]
    assert "read sheet '企业'" in _texts(at).replace("\\", "")
    assert "Text encoding" not in [box.label for box in at.selectbox]  # a workbook has none to choose


# ---------------------------------------------------------------- scenarios and workspaces (issue 14)


def _submit(at: AppTest, label: str) -> AppTest:
    [button] = [b for b in at.button if b.label == label]
    return button.click().run()


def _suffix(at: AppTest, corridor: str, lang: str = "zh") -> str:
    return f"{corridor}_{at.session_state['_workspace'].atlas_token}_{lang}"


def _add_member(at: AppTest, corridor: str, adcode: str, role: str) -> AppTest:
    at.selectbox(key="sc_corridor").set_value(corridor).run()
    suffix = _suffix(at, corridor)
    at.selectbox(key=f"sc_unit_{suffix}").set_value(adcode).run()
    at.text_input(key=f"sc_role_zh_{suffix}_{adcode}").input(role)
    return _submit(at, "加入 / 修改")


def test_a_member_added_on_the_scenario_page_reaches_every_page():
    at = _app(page="scenario")
    assert "当前为规划布局" in _texts(at)
    at = _add_member(at, "yangtze", "320506", "试验角色甲")
    ws = at.session_state["_workspace"]
    assert ws.scenario == "未命名情景"  # in the language of the UI when it was made
    assert ("320506", "试验角色甲") in set(
        ws.atlas.members.loc[ws.atlas.members["corridor_id"] == "yangtze", ["adcode", "role_zh"]].itertuples(
            index=False, name=None
        )
    )
    assert any("生效中（非规划原文）" in w.value for w in at.warning)  # the banner
    at = _go(at, "map")
    assert "试验角色甲" in json.dumps(_map_args(at), ensure_ascii=False)  # 吴中区's tooltip names the new role
    assert any("生效中（非规划原文）" in w.value for w in at.warning)
    at = _go(at, "query")
    assert any("生效中" in w.value for w in at.warning)
    at = _go(at, "scenario")
    at.button(key="sc_back").click().run()
    assert at.session_state["_workspace"].layout is None and not any("生效中" in w.value for w in at.warning)


def test_an_empty_corridor_name_is_refused_and_changes_nothing():
    at = _app(page="scenario")
    at.selectbox(key="sc_corridor").set_value("ring").run()
    at.text_input(key="sc_name_zh_ring_default_zh").input("  ")
    at = _submit(at, "应用")
    assert any("中英文名称都不能为空" in e.value for e in at.error)
    assert at.session_state["_workspace"].layout is None


def test_a_renamed_corridor_and_a_new_width_show_in_the_summary():
    at = _app(page="scenario")
    at.selectbox(key="sc_corridor").set_value("ring").run()
    at.text_input(key="sc_name_zh_ring_default_zh").input("中环试验走廊")
    at.number_input(key="sc_band_ring_default_zh").set_value(6.0)
    at = _submit(at, "应用")
    ws = at.session_state["_workspace"]
    ring = ws.atlas.corridors.set_index("id").loc["ring"]
    assert ring["name_zh"] == "中环试验走廊" and ring["band_km"] == 6.0
    before = ws.derived_with(None).corridor_summary().set_index("id").loc["ring", "footprint_land_km2"]
    assert ws.derived.corridor_summary().set_index("id").loc["ring", "footprint_land_km2"] > before
    at = _go(at, "summary")
    assert any("中环试验走廊" in str(frame.value.to_string()) for frame in at.dataframe)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_place(request, tmp_path, monkeypatch) -> tuple[str, str | None]:
    """The app's workspace store in this test, on each backend: the SQLite file in a new data
    directory, or a new PostgreSQL database (ATLAS_STORE_URL, with a password); returns what the
    Workspaces page says of where it is, and the password no page may show."""
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path))
    if request.param == "sqlite":
        return str(tmp_path / "workspaces.sqlite"), None
    url = request.getfixturevalue("pg_url")
    monkeypatch.setenv("ATLAS_STORE_URL", url)
    return describe(url), request.getfixturevalue("postgis").password


def test_a_workspace_saved_is_reopened_in_another_session(store_place, tmp_path):
    where, password = store_place
    at = _app(page="scenario")
    at = _add_member(at, "yangtze", "320506", "试验角色乙")
    at = _go(at, "workspaces")
    assert any(where in c.value.replace("\\", "").replace("\u2060", "") for c in at.caption)  # md()'s escapes
    at.text_input(key="ws_save_name").input("周五的情景")
    at = _submit(at, "保存")
    assert any("已保存“周五的情景”，第 1 版" in s.value for s in at.success)
    assert (tmp_path / "workspaces.sqlite").exists() == (password is None)  # in the one store chosen
    later = _app(page="workspaces")  # another session (as after a restart)
    assert later.session_state["_workspace"].layout is None
    later.selectbox(key="ws_selected").set_value("周五的情景").run()
    later.button(key="ws_open").click().run()
    ws = later.session_state["_workspace"]
    assert ws.scenario == "未命名情景" and "试验角色乙" in set(ws.atlas.members["role_zh"])
    assert any("已打开“周五的情景”第 1 版" in s.value for s in later.success)
    assert password is None or password not in _texts(at) + _texts(later)


def test_a_store_that_is_not_ours_is_reported_and_left_alone(tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path))
    (tmp_path / "workspaces.sqlite").write_bytes(b"not a database at all" * 100)
    at = _app(page="workspaces")
    assert any("不是本应用的工作空间库" in e.value for e in at.error)
    assert (tmp_path / "workspaces.sqlite").read_bytes() == b"not a database at all" * 100


@pytest.mark.parametrize("page", ["map", "workspaces"])
def test_bad_settings_are_named_on_the_page_never_a_crash(tmp_path, monkeypatch, page):
    (tmp_path / "a-file").write_text("x")
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path / "a-file"))
    monkeypatch.setenv("ATLAS_MAX_UPLOAD_MB", "nan")
    at = _app({"workspace": "周五的情景"}, page=page)  # a link to a saved workspace, too
    assert not at.exception
    (error,) = [e.value.replace("\\", "") for e in at.error]
    assert "ATLAS_DATA_DIR" in error and "ATLAS_MAX_UPLOAD_MB" in error
    assert (
        "应用可写的目录" in error and "a folder the app may write in" in error
    )  # both languages: before any is chosen


def test_a_store_that_cannot_be_opened_names_the_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path))
    (tmp_path / "workspaces.sqlite").mkdir()  # a folder where the store's file should be
    at = _app({"workspace": "周五的情景"}, page="workspaces")
    assert not at.exception
    assert any("ATLAS_DATA_DIR" in e.value.replace("\\", "") for e in at.error)


def test_a_store_url_whose_password_is_refused_is_reported_without_it(postgis, pg_url, tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ATLAS_STORE_URL", pg_url.replace(postgis.password, "Wr0ng-Secret-9"))
    at = _app({"workspace": "周五的情景"}, page="workspaces")
    assert not at.exception
    (error,) = [e.value.replace("\\", "") for e in at.error]
    assert "密码被拒绝" in error and "ATLAS_STORE_URL" in error and f"127.0.0.1:{postgis.port}" in error
    assert "Wr0ng-Secret-9" not in _texts(at) and postgis.password not in _texts(at)
    assert not (tmp_path / "workspaces.sqlite").exists()  # no quiet fallback to the SQLite file


def test_changing_a_members_role_starts_from_its_role_and_keeps_its_group():
    at = _app(page="scenario")
    plan = at.session_state["_workspace"].atlas.members.set_index(["corridor_id", "adcode"]).loc[("yangtze", "320582")]
    at.selectbox(key="sc_corridor").set_value("yangtze").run()
    suffix = _suffix(at, "yangtze")
    at.selectbox(key=f"sc_unit_{suffix}").set_value("320582").run()  # 张家港市, a member already
    box = at.text_input(key=f"sc_role_zh_{suffix}_320582")
    assert box.value == plan["role_zh"]
    assert at.text_input(key=f"sc_group_zh_{suffix}_320582").value == plan["group_zh"]
    box.input("改后角色")
    at = _submit(at, "修改角色")
    members = at.session_state["_workspace"].atlas.members
    row = members.loc[(members["corridor_id"] == "yangtze") & (members["adcode"] == "320582")].iloc[0]
    assert (row["role_zh"], row["group_zh"], row["group_en"]) == ("改后角色", plan["group_zh"], plan["group_en"])
    assert row["role_en"] == plan["role_en"]  # the English role was kept, not overwritten


def test_the_unit_pickers_follow_the_language():
    at = _app(page="scenario")
    at.selectbox(key="sc_corridor").set_value("ring").run()
    assert "虎丘区 (320505)" in at.selectbox(key=f"sc_unit_{_suffix(at, 'ring')}").options
    at.radio(key="view_lang").set_value("en").run()
    options = at.selectbox(key=f"sc_unit_{_suffix(at, 'ring', 'en')}").options
    assert "Huqiu District (320505)" in options and not any("虎丘区" in o for o in options)


def test_the_comparison_prints_whole_numbers_as_such():
    at = _app(page="scenario")
    at = _add_member(at, "yangtze", "320506", "试验")
    [_changes, figures] = [d.value for d in at.dataframe][-2:]
    counts = figures.loc[figures["指标"] == "单元数"].iloc[0]
    assert (counts["原值"], counts["新值"], counts["变化"]) == ("3", "4", "+1")


def test_a_link_naming_a_saved_workspace_opens_it(store_place):
    at = _app(page="scenario")
    at = _add_member(at, "yangtze", "320506", "链接里的角色")
    at = _go(at, "workspaces")
    at.text_input(key="ws_save_name").input("周五 的情景")
    at = _submit(at, "保存")
    assert _view(at).workspace == "周五 的情景" and at.query_params["workspace"] == "周五 的情景"
    shared = _app({"workspace": "周五 的情景", "corridors": "yangtze", "lang": "en"})  # a colleague's browser
    ws = shared.session_state["_workspace"]
    assert "链接里的角色" in set(ws.atlas.members["role_zh"]) and ws.scenario is not None
    assert _view(shared).corridors == ["yangtze"] and _view(shared).lang == "en"  # the link's own view
    assert any("The link opened the saved workspace" in i.value for i in shared.info)
    unknown = _app({"workspace": "没有这个"})
    assert unknown.session_state["_workspace"].layout is None
    assert any("workspace=没有这个" in w.value for w in unknown.warning)


def test_the_scenario_is_compared_with_a_saved_one(tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path))
    at = _app(page="scenario")
    at.radio(key="sc_compare_with").set_value("saved").run()
    assert any("还没有含情景的已保存工作空间" in i.value for i in at.info)
    at = _add_member(at, "yangtze", "320506", "先存的角色")
    at = _go(at, "workspaces")
    at.text_input(key="ws_save_name").input("甲方案")
    at = _submit(at, "保存")
    at = _go(at, "scenario")
    at.button(key="sc_back").click().run()  # the plan again, compared with the saved scenario
    at.radio(key="sc_compare_with").set_value("saved").run()
    assert at.selectbox(key="sc_compare_saved").value == "甲方案"
    changes = at.dataframe[-2].value
    removed = changes.loc[changes["改动"] == "移除"]
    assert list(removed["单元"]) == ["吴中区 (320506)"] and list(removed["原值"]) == ["先存的角色"]


ADDRESS_CSV = "企业名称,注册地址\n甲,苏州工业园区星湖街218号\n乙,江苏省苏州市吴江区盛泽镇\n丙,苏州虎丘\n".encode()


def test_an_address_table_is_placed_by_its_words_and_counted_in_the_summary():
    at = _app({"lang": "en"}, page="import")
    at.file_uploader(key="im_file").set_value(("register.csv", ADDRESS_CSV, "text/csv")).run()
    assert not at.exception
    placed_by = next(r for r in at.radio if str(r.key).startswith("im_by_"))
    assert placed_by.value == "address"  # no coordinate columns: the address is the way
    digest = str(placed_by.key).removeprefix("im_by_")
    assert at.selectbox(key=f"im_address_{digest}").value == "注册地址"
    text = _texts(at)
    assert "3 rows: 2 accepted, 0 doubtful, 1 rejected" in text
    rows = at.dataframe[1].value
    assert list(rows["Placed by"]) == ["address (district)", "address (town)", ""]
    assert list(rows["Address words"]) == ["苏州工业园区", "盛泽镇", ""]
    assert "ambiguous" in rows["Reason"].iloc[2] and "Gusu District" in rows["Reason"].iloc[2]
    _go(at, "summary")
    assert "of which placed by address (no point): 1 rows to their town, 1 rows to their district only" in _texts(at)
    counts = [df.value for df in at.dataframe if "Points" in df.value.columns]
    assert counts and sum(counts[-1]["Points"]) == 2


def test_the_summary_marks_the_derived_value_in_a_column_arrow_can_show():
    at = _app({"lang": "en"}, page="summary")
    marked = [
        frame.value
        for frame in at.dataframe
        if any(frame.value[c].astype(str).str.contains("950.07 †").any() for c in frame.value.columns)
    ]
    assert len(marked) == 1 and not at.exception
    column = next(c for c in marked[0].columns if marked[0][c].astype(str).str.contains("†").any())
    assert all(isinstance(v, str) for v in marked[0][column])  # one number among text made Arrow fail
