import csv
import io
import json
import subprocess
import sys

import pytest

from atlas_cli import main
from layers.layout import dump_layout, plan_layout

pytestmark = pytest.mark.slow  # most tests render whole figures or run the CLI end to end


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_units_json(capsys):
    code, out, _ = run(capsys, "units", "--json")
    data = json.loads(out)
    assert code == 0 and len(data) == 10
    assert {"adcode": "320571", "name_zh": "苏州工业园区", "name_en": "Suzhou Industrial Park"}.items() <= data[
        5
    ].items()


def test_which_json_has_documented_names(capsys):
    code, out, _ = run(capsys, "which", "高新区", "--json")
    data = json.loads(out)
    assert code == 0 and data["unit"]["adcode"] == "320505"
    item = data["corridors"][0]
    assert set(item["corridor"]) == {"id", "name_zh", "name_en", "kind"}
    assert set(item["role"]) == {"role_zh", "role_en"}
    assert [c["corridor"]["id"] for c in data["corridors"]] == ["ring", "huning", "taihu"]


def test_members_text_in_english(capsys):
    code, out, _ = run(capsys, "--lang", "en", "members", "环太湖")
    assert code == 0 and "Taihu Lakeside" in out and "Wujiang District (320509)" in out


def test_members_text_defaults_to_chinese(capsys):
    code, out, _ = run(capsys, "members", "yangtze")
    assert code == 0 and "张家港市 (320582)" in out


def test_locate_outside_says_unit_null(capsys):
    code, out, _ = run(capsys, "locate", "121.4747", "31.2286", "--json")
    data = json.loads(out)
    assert code == 0 and data["unit"] is None and "outside" in data["message"]


def test_locate_with_gcj02_datum(capsys):
    code, out, _ = run(capsys, "locate", "120.6959", "31.3114", "--datum", "gcj02", "--json")
    assert code == 0 and json.loads(out)["unit"]["adcode"] == "320571"


def test_summary_csv_has_every_corridor(capsys):
    code, out, _ = run(capsys, "summary", "--csv")
    lines = out.strip().splitlines()
    assert code == 0 and lines[0].startswith("id,name_zh,name_en,kind,member_count")
    assert [line.split(",")[0] for line in lines[1:]] == ["ring", "huning", "tongsujia", "taihu", "yangtze", "hongqiao"]


def test_summary_json_has_areas_and_lengths(capsys):
    code, out, _ = run(capsys, "summary", "--json")
    data = json.loads(out)
    ring = data["corridors"][0]
    assert code == 0 and ring["spine_length_km"] > 60
    for corridor in data["corridors"]:
        assert "zone_area_km2" not in corridor
        assert 0 < corridor["footprint_land_km2"] < corridor["members_land_km2"], corridor["id"]
        assert corridor["spine_precision"] in ("traced", "schematic")
    assert len(data["units"]) == 10


@pytest.mark.parametrize(
    "argv, message",
    [
        (["which", "相成区"], "did you mean Xiangcheng District (320507)"),
        (["which", "Wujaing"], "did you mean Wujiang District (320509)"),
        (["members", "nowhere"], "unknown corridor 'nowhere'"),
        (["locate", "31.31", "120.7"], "look swapped"),
        (["locate", "nan", "31"], "finite"),
        (["locate", "120.7", "31.3", "--datum", "utm"], "unknown datum 'utm'"),
    ],
)
def test_bad_input_exits_2_with_a_message(capsys, argv, message):
    code, _, err = run(capsys, "--lang", "en", *argv)
    assert code == 2 and message in err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["which", "相成区"], "您是否要找：相城区"),
        (["which", "Wujaing"], "您是否要找：吴江区 (320509)"),
        (["locate", "31.31", "120.7"], "似乎填反了"),
        (["locate", "120.7", "31.3", "--datum", "utm"], "未知坐标系"),
    ],
)
def test_bad_input_message_is_chinese_by_default(capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2 and message in err and "输入有误" in err


def test_console_script_is_installed():
    out = subprocess.run(
        [sys.executable, "-m", "atlas_cli", "which", "SIP"], capture_output=True, text=True, check=True
    )
    assert "苏州工业园区 (320571)" in out.stdout


def test_export_figure_each_corridor_and_data(capsys, tmp_path):
    from PIL import Image

    code, out, _ = run(
        capsys, "export", "figure", "--dpi", "150", "--no-facilities", "-o", str(tmp_path / "layout.png"), "--json"
    )
    assert code == 0 and json.loads(out)["written"] == [str(tmp_path / "layout.png")]
    with Image.open(tmp_path / "layout.png") as image:
        assert image.size == (1754, 1240)
    code, out, _ = run(
        capsys,
        "export",
        "figure",
        "--each-corridor",
        "--dpi",
        "150",
        "--format",
        "svg",
        "-o",
        str(tmp_path / "chapters"),
    )
    assert code == 0 and sorted(p.name for p in (tmp_path / "chapters").iterdir()) == [
        "01_ring.svg",
        "02_huning.svg",
        "03_tongsujia.svg",
        "04_taihu.svg",
        "05_yangtze.svg",
        "06_hongqiao.svg",
    ]
    code, out, _ = run(
        capsys, "export", "data", "--format", "gpkg", "--crs", "cgcs2000_gk120", "-o", str(tmp_path / "atlas.gpkg")
    )
    assert code == 0 and (tmp_path / "atlas.gpkg").stat().st_size > 0
    code, out, _ = run(capsys, "export", "html", "--corridor", "沪宁", "-o", str(tmp_path / "map.html"))
    assert code == 0 and "L.map(" in (tmp_path / "map.html").read_text(encoding="utf-8")


def test_export_bad_requests_exit_2(capsys, tmp_path):
    code, _, err = run(capsys, "--lang", "en", "export", "figure", "--dpi", "90", "-o", str(tmp_path / "x.png"))
    assert code == 2 and "DPI" in err and not (tmp_path / "x.png").exists()
    code, _, err = run(
        capsys, "export", "data", "--format", "geojson", "--crs", "cgcs2000_gk120", "-o", str(tmp_path / "x.zip")
    )
    assert code == 2 and "GeoJSON" in err
    code, _, err = run(capsys, "export", "figure", "--corridor", "nowhere", "-o", str(tmp_path / "y.png"))
    assert code == 2 and "nowhere" in err


def test_classify_writes_every_row_and_reports_bad_ones(capsys, tmp_path):
    source = tmp_path / "企业.csv"
    source.write_bytes("名称,经度,纬度,代码\n苏州站,120.606389,31.330556,00123\n反了,31.3,120.6,2\n".encode("gbk"))
    code, out, _ = run(capsys, "classify", str(source), "-o", str(tmp_path / "out.csv"), "--json")
    summary = json.loads(out)
    assert code == 0 and (summary["encoding"], summary["accepted"], summary["rejected"]) == ("gb18030", 1, 1)
    assert summary["issues"][0]["row"] == 3 and "swapped" in summary["issues"][0]["reason_en"]
    written = (tmp_path / "out.csv").read_bytes().decode("utf-8-sig").splitlines()
    assert len(written) == 3 and written[1].startswith("苏州站,120.606389,31.330556,00123,2,accepted")
    code, out, _ = run(capsys, "classify", str(source), "-o", str(tmp_path / "out.xlsx"))
    assert code == 0 and "接受 1" in out and (tmp_path / "out.xlsx").stat().st_size > 0


def test_classify_bad_input_exits_2(capsys, tmp_path):
    code, _, err = run(capsys, "classify", str(tmp_path / "missing.csv"))
    assert code == 2 and "找不到文件" in err
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    code, _, err = run(capsys, "--lang", "en", "classify", str(empty))
    assert code == 2 and "is empty" in err


def test_cli_texts_live_in_the_app_text_table():
    import ast
    from pathlib import Path

    import atlas_cli
    from presentation.i18n import TEXT

    assert not hasattr(atlas_cli, "TEXT")
    tree = ast.parse(Path(atlas_cli.__file__).read_text(encoding="utf-8"))
    keys = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", None) == "t"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }
    assert keys and keys <= set(TEXT), keys - set(TEXT)
    for key in keys:
        zh, en = TEXT[key]
        assert any("\u4e00" <= c <= "\u9fff" for c in zh) and en.isascii(), key


def test_classify_report_is_all_chinese_or_all_english(capsys, tmp_path):
    source = tmp_path / "points.csv"
    rows = "".join(f"反了{i},31.3,120.6\n" for i in range(22))
    source.write_text("名称,经度,纬度\n苏州站,120.606389,31.330556\n" + rows, encoding="utf-8")
    code, out, _ = run(capsys, "classify", str(source), "-o", str(tmp_path / "out.csv"))
    assert code == 0 and "共 23 行：接受 1，存疑 0，拒绝 22（编码 utf-8）" in out
    assert "行 3：拒绝：经纬度似乎填反了" in out and "另有 2 行" in out
    assert "rejected" not in out and "more" not in out
    code, out, _ = run(capsys, "--lang", "en", "classify", str(source), "-o", str(tmp_path / "out.csv"))
    assert code == 0 and "23 rows: 1 accepted, 0 doubtful, 22 rejected (encoding utf-8)" in out
    assert "row 3: rejected: longitude and latitude look swapped" in out and "... 2 more" in out
    words = out.replace(str(tmp_path), "").replace("'经度'", "").replace("'纬度'", "")  # the user's headers
    assert not any("\u4e00" <= c <= "\u9fff" for c in words)


def test_export_six_corridor_sheet_with_an_approval_number(capsys, tmp_path):
    target = tmp_path / "sheet.svg"
    code, _out, _ = run(
        capsys, "export", "figure", "--sheet", "--format", "svg", "--approval", "苏S（2026）001号", "-o", str(target)
    )
    svg = target.read_text(encoding="utf-8")
    assert code == 0 and "审图号：苏S（2026）001号" in svg
    for gid in ("sheet_ring", "sheet_huning", "sheet_tongsujia", "sheet_taihu", "sheet_yangtze", "sheet_hongqiao"):
        assert f'id="{gid}"' in svg, gid


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_summary_csv_on_stdout_neutralises_formula_like_names(tmp_path, capsys, start):
    layout = plan_layout()
    layout["corridors"][0]["name_zh"] = layout["corridors"][0]["name_en"] = f'{start}HYPERLINK("http://x/","y")'
    path = tmp_path / "layout.json"
    path.write_text(dump_layout(layout), encoding="utf-8")
    assert main(["--layout", str(path), "summary", "--csv"]) == 0
    cells = [cell for row in csv.reader(io.StringIO(capsys.readouterr().out)) for cell in row]
    assert f'\'{start}HYPERLINK("http://x/","y")' in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    assert main(["summary", "--indicators", "--csv"]) == 0  # the other CSV on stdout goes the same way
    assert not any(
        cell.startswith(("=", "+", "@")) for row in csv.reader(io.StringIO(capsys.readouterr().out)) for cell in row
    )


def test_a_layout_file_that_cannot_be_read_is_explained_in_the_chosen_language(tmp_path, capsys):
    path = tmp_path / "deep.json"
    path.write_text("[" * 5000 + "]" * 5000, encoding="utf-8")
    assert main(["--lang", "zh", "--layout", str(path), "summary"]) == 2
    assert "嵌套过深" in capsys.readouterr().err
    assert main(["--lang", "en", "--layout", str(path), "summary"]) == 2
    assert "nested too deeply" in capsys.readouterr().err


def test_classify_reads_a_file_with_classic_mac_line_endings(capsys, tmp_path):
    source = tmp_path / "mac.csv"
    source.write_bytes("名称,经度,纬度\r苏州站,120.606389,31.330556\r反了,31.3,120.6\r".encode())
    code, out, _ = run(capsys, "classify", str(source), "--crs", "wgs84", "-o", str(tmp_path / "out.csv"), "--json")
    summary = json.loads(out)
    assert code == 0 and (summary["rows"], summary["accepted"], summary["rejected"]) == (2, 1, 1)
    assert summary["issues"][0]["row"] == 3


def test_classify_keeps_a_geojson_feature_without_geometry_and_says_why(capsys, tmp_path):
    features = [
        {
            "type": "Feature",
            "properties": {"名称": "苏州站"},
            "geometry": {"type": "Point", "coordinates": [120.6064, 31.3306]},
        },
        {"type": "Feature", "properties": {"名称": "待补"}, "geometry": None},
    ]
    source = tmp_path / "points.geojson"
    source.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    code, out, _ = run(capsys, "classify", str(source), "--crs", "wgs84", "-o", str(tmp_path / "out.csv"), "--json")
    summary = json.loads(out)
    assert code == 0 and (summary["rows"], summary["accepted"], summary["rejected"]) == (2, 1, 1)
    assert summary["issues"][0]["row"] == 2 and "no geometry" in summary["issues"][0]["reason_en"]
    assert "无几何" in summary["issues"][0]["reason_zh"]
    written = (tmp_path / "out.csv").read_bytes().decode("utf-8-sig").splitlines()
    assert len(written) == 3 and written[2].startswith("待补,")


def test_locate_an_address_answers_like_a_point_plus_what_matched(capsys):
    code, out, _ = run(capsys, "locate", "--address", "苏州工业园区星湖街218号", "--json")
    data = json.loads(out)
    assert code == 0 and data["unit"]["adcode"] == "320571" and data["ambiguous"] == []
    assert data["match"] == {"text": "苏州工业园区", "level": "unit", "town_zh": None}
    assert data["precision"] == "address-unit"
    assert {c["corridor"]["id"] for c in data["corridors"]} == {"ring", "huning", "tongsujia", "hongqiao"}
    code, out, _ = run(capsys, "locate", "--address", "江苏省苏州市吴江区盛泽镇", "--json")
    town = json.loads(out)
    assert town["match"]["town_zh"] == "盛泽镇" and town["precision"] == "address-town"


@pytest.mark.parametrize(
    "address, ambiguous, outside",
    [("苏州虎丘", ["320505", "320508"], None), ("北京市海淀区苏州街", [], "北京")],
)
def test_locate_an_address_that_settles_nothing_says_why(capsys, address, ambiguous, outside):
    code, out, _ = run(capsys, "locate", "--address", address, "--json")
    data = json.loads(out)
    assert code == 0 and data["unit"] is None and data["corridors"] == [] and data["match"] is None
    assert [u["adcode"] for u in data["ambiguous"]] == ambiguous and data["outside"] == outside
    code, text, _ = run(capsys, "--lang", "en", "locate", "--address", address)
    assert ("ambiguous" in text) if ambiguous else ("outside Suzhou" in text)


def test_locate_needs_a_point_or_an_address(capsys):
    code, _, err = run(capsys, "locate")
    assert code != 0 and "--address" in err


def test_classify_an_address_table_counts_rows_by_how_they_were_placed(capsys, tmp_path):
    source = tmp_path / "register.csv"
    source.write_text("名称,所在地\n甲,苏州工业园区星湖街218号\n乙,吴江区盛泽镇\n丙,苏州虎丘\n", encoding="utf-8")
    target = tmp_path / "out.csv"
    code, out, _ = run(capsys, "classify", str(source), "--address", "所在地", "-o", str(target), "--json")
    data = json.loads(out)
    assert code == 0 and data["address_column"] == "所在地" and data["lon_column"] == ""
    assert (data["accepted"], data["rejected"]) == (2, 1)
    assert data["placed_by"] == {"address-unit": 1, "address-town": 1}
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert [r["atlas_precision"] for r in rows] == ["address-unit", "address-town", ""]


def test_lang_may_follow_the_command_as_planners_type_it(capsys):
    _, after, _ = run(capsys, "units", "--lang", "en")
    _, before, _ = run(capsys, "--lang", "en", "units")
    _, default, _ = run(capsys, "units")
    assert after == before and "The ten planning units of Suzhou" in after and "苏州十个规划单元" in default
    _, nested, _ = run(capsys, "layout", "export", "--lang", "en")
    assert nested.startswith("{")  # a nested command takes it too
