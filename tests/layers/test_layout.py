"""The corridor layout as a file (issue 14, part 1): export, schema, validation, diff."""

from __future__ import annotations

import json
from typing import Any

import pytest

from atlas_cli import main as cli
from layers._io import read_table
from layers.layout import SCHEMA_PATH, diff_layouts, plan_layout, validate_layout

WUZHONG = "320506"


@pytest.fixture
def plan():
    return plan_layout()


def test_the_schema_is_a_valid_json_schema_and_the_plan_passes_it(plan, atlas):
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    assert validate_layout(plan, atlas.units["adcode"]) == []


def test_the_plans_layout_holds_every_row_of_the_tables(plan):
    members = read_table("corridor_members")
    got = {(c["id"], m["adcode"], m["role_zh"]) for c in plan["corridors"] for m in c["members"]}
    assert got == set(zip(members["corridor_id"], members["adcode"], members["role_zh"], strict=True))
    assert [c["id"] for c in plan["corridors"]] == list(read_table("corridors")["id"])
    waypoints = sum(len((c["spine"] or {}).get("waypoints", [])) for c in plan["corridors"])
    assert waypoints == len(read_table("spine_waypoints"))
    assert {a["anchor_id"] for a in plan["anchors"]} == set(read_table("anchors")["anchor_id"])


def test_every_problem_is_listed_at_once_with_its_field(plan, atlas):
    bad = json.loads(json.dumps(plan))
    bad["corridors"][0]["members"][0]["adcode"] = "999999"
    bad["corridors"][1]["kind"] = "loop"
    bad["corridors"][2]["id"] = bad["corridors"][0]["id"]
    del bad["corridors"][3]["band_km"]
    problems = validate_layout(bad, atlas.units["adcode"])
    assert len(problems) == 4, problems
    fields = [p.split(":")[0] for p in problems]
    assert set(fields) == {
        "corridors[0].members[0].adcode",
        "corridors[1].kind",
        "corridors[2].id",
        "corridors[3]",
    }


def test_diff_names_the_member_added_and_the_width_changed(plan):
    scenario = json.loads(json.dumps(plan))
    scenario["scenario"] = True
    yangtze = next(c for c in scenario["corridors"] if c["id"] == "yangtze")
    yangtze["members"].append({"adcode": WUZHONG, "role_zh": "协同", "role_en": "co-development"})
    ring = next(c for c in scenario["corridors"] if c["id"] == "ring")
    ring["band_km"] = 4.0
    diff = diff_layouts(plan, scenario)
    assert diff["members"]["added"] == [
        {"corridor": "yangtze", "adcode": WUZHONG, "role_zh": "协同", "role_en": "co-development"}
    ]
    assert diff["members"]["removed"] == [] and diff["corridors"]["added"] == []
    assert diff["corridors"]["changed"] == {"ring": {"band_km": [3.0, 4.0]}}
    assert diff_layouts(plan, plan)["members"] == {"added": [], "removed": [], "changed": []}


@pytest.mark.slow
def test_cli_exports_validates_and_diffs(tmp_path, capsys, plan):
    exported = tmp_path / "plan.json"
    assert cli(["layout", "export", "-o", str(exported)]) == 0
    assert json.loads(exported.read_text(encoding="utf-8")) == plan
    scenario = json.loads(exported.read_text(encoding="utf-8"))
    next(c for c in scenario["corridors"] if c["id"] == "taihu")["members"].pop()
    changed = tmp_path / "scenario.json"
    changed.write_text(json.dumps(scenario, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    assert cli(["layout", "diff", str(exported), str(changed), "--json"]) == 0
    removed = json.loads(capsys.readouterr().out)["members"]["removed"]
    assert [m["corridor"] for m in removed] == ["taihu"]
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "format": "suzhou-atlas-layout",\n  "version": 1,,\n}', encoding="utf-8")
    assert cli(["--lang", "en", "layout", "validate", str(broken)]) == 2
    assert "line 3" in capsys.readouterr().err


MADE_UP = {
    "format": "suzhou-atlas-layout",
    "version": 2,
    "name": "试验布局：南北两带",
    "scenario": True,
    "corridors": [
        {
            "id": "north",
            "name_zh": "北部创新带",
            "name_en": "Northern Innovation Belt",
            "kind": "belt",
            "order": 1,
            "band_km": 8,
            "members": [
                {"adcode": "320581", "role_zh": "沿江制造", "role_en": "riverside manufacturing"},
                {"adcode": "320582", "role_zh": "港产城融合", "role_en": "port, industry and city"},
            ],
            "spine": {
                "method": "waypoints",
                "precision": "schematic",
                "waypoints": [
                    {
                        "part": 1,
                        "seq": 1,
                        "lon": 120.55,
                        "lat": 31.87,
                        "datum": "wgs84",
                        "coord_detail": "test",
                    },
                    {
                        "part": 1,
                        "seq": 2,
                        "lon": 120.75,
                        "lat": 31.66,
                        "datum": "wgs84",
                        "coord_detail": "test",
                    },
                ],
            },
        },
        {
            "id": "south",
            "name_zh": "南部湖区轴",
            "name_en": "Southern Lakes Axis",
            "kind": "axis",
            "order": 2,
            "band_km": 6,
            "members": [{"adcode": WUZHONG, "role_zh": "湖区科创", "role_en": "lakeside science"}],
            "spine": {
                "method": "waypoints",
                "precision": "schematic",
                "waypoints": [
                    {
                        "part": 1,
                        "seq": 1,
                        "lon": 120.62,
                        "lat": 31.25,
                        "datum": "wgs84",
                        "coord_detail": "test",
                    },
                    {
                        "part": 1,
                        "seq": 2,
                        "lon": 120.65,
                        "lat": 30.95,
                        "datum": "wgs84",
                        "coord_detail": "test",
                    },
                ],
            },
        },
    ],
    "anchors": [],
}


@pytest.fixture
def made_up_file(tmp_path):
    path = tmp_path / "made_up.json"
    path.write_text(json.dumps(MADE_UP, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.slow
def test_a_made_up_layout_drives_the_cli_summary_and_exports(made_up_file, tmp_path, capsys):
    assert cli(["--layout", str(made_up_file), "which", "吴中区", "--json"]) == 0
    corridors = json.loads(capsys.readouterr().out)["corridors"]
    assert [c["corridor"]["id"] for c in corridors] == ["south"]
    assert cli(["--layout", str(made_up_file), "summary", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert [c["id"] for c in summary["corridors"]] == ["north", "south"]
    figure = tmp_path / "f.svg"
    assert cli(["--layout", str(made_up_file), "export", "figure", "--format", "svg", "-o", str(figure)]) == 0
    text = figure.read_text(encoding="utf-8")
    assert "情景：试验布局：南北两带（非规划原文）" in text and "非规划原文" in text and "北部创新带" in text
    assert "一环两轴三带" not in text.split("来源")[0]  # never titled as the plan
    data = tmp_path / "d.xlsx"
    assert cli(["--layout", str(made_up_file), "export", "data", "--format", "xlsx", "-o", str(data)]) == 0
    from openpyxl import load_workbook

    assert load_workbook(data)["scenario"]["A2"].value == MADE_UP["name"]


def test_the_plans_own_layout_file_gives_the_plans_atlas(tmp_path, atlas):
    from layers.layout import atlas_with_layout

    same = atlas_with_layout(atlas, plan_layout())
    columns = ["id", "band_km", "members_land_km2", "footprint_land_km2"]
    assert same.corridors[columns].equals(atlas.corridors[columns])
    assert same.members.reset_index(drop=True).equals(atlas.members.reset_index(drop=True))


# ---------------------------------------------------------------- what-if edits (part 2)


def test_edits_copy_the_layout_and_stay_valid(plan, atlas):
    from layers.layout import as_scenario, with_corridor_fields, with_member, without_member

    added = with_member(plan, "yangtze", {"adcode": "320506", "role_zh": "沿湖联动"})
    member = added["corridors"][4]["members"][-1]
    assert member == {"adcode": "320506", "role_zh": "沿湖联动", "role_en": "沿湖联动", "group_zh": "", "group_en": ""}
    assert [m["adcode"] for m in plan["corridors"][4]["members"]] == ["320582", "320581", "320585"]  # untouched
    changed = with_member(added, "yangtze", {"adcode": "320581", "role_zh": "新角色", "role_en": "new role"})
    assert [m["adcode"] for m in changed["corridors"][4]["members"]] == ["320582", "320581", "320585", "320506"]
    assert changed["corridors"][4]["members"][1]["role_en"] == "new role"
    removed = without_member(changed, "yangtze", "320582")
    renamed = with_corridor_fields(removed, "yangtze", name_zh="沿江试验带", band_km=2.5)
    scenario = as_scenario(renamed, "  吴中入沿江 ", created="2026-11-27")
    assert validate_layout(scenario, atlas.units["adcode"]) == []
    assert scenario["scenario"] is True and scenario["name"] == "吴中入沿江" and scenario["created"] == "2026-11-27"
    assert plan["scenario"] is False and plan["corridors"][4]["name_zh"] != "沿江试验带"
    with pytest.raises(Exception, match="no corridor"):
        without_member(plan, "nowhere", "320506")
    with pytest.raises(Exception, match="cannot edit"):
        with_corridor_fields(plan, "ring", id="other")


def test_diff_rows_name_every_change(plan):
    from layers.layout import diff_rows, with_corridor_fields, with_member, without_member

    scenario = with_corridor_fields(
        without_member(with_member(plan, "yangtze", {"adcode": "320506", "role_zh": "甲"}), "ring", "320505"),
        "taihu",
        band_km=12,
    )
    keys = ("change", "item", "corridor", "adcode", "field")
    rows = {tuple(r[k] for k in keys) for r in diff_rows(diff_layouts(plan, scenario))}
    assert rows == {
        ("added", "member", "yangtze", "320506", ""),
        ("removed", "member", "ring", "320505", ""),
        ("changed", "corridor", "taihu", "", "band_km"),
    }
    assert diff_rows(diff_layouts(plan, plan)) == []


def test_a_scenario_in_force_moves_imported_points_to_its_corridors(atlas, grid, plan):
    from layers.layout import as_scenario, with_member
    from workspace.session import SourceFile, classify_points, new_workspace

    ws = new_workspace(atlas)
    options = {"lon": "经度", "lat": "纬度", "crs": "wgs84"}
    source = SourceFile("s.csv", "名称,经度,纬度\n吴中点,120.5,31.2\n".encode(), options)
    ws.set_points(classify_points(source, ws.atlas, grid))
    assert "yangtze" not in ws.points.table["atlas_corridors"].iloc[0]
    token = ws.atlas_token
    ws.set_layout(as_scenario(with_member(plan, "yangtze", {"adcode": "320506", "role_zh": "甲"}), "x"))
    assert "yangtze" in ws.points.table["atlas_corridors"].iloc[0] and ws.atlas_token != token
    assert ws.scenario == "x" and ws.derived is not ws.base_derived
    assert ws.derived_with(None).atlas is atlas  # the plan, to compare with
    with pytest.raises(Exception, match="not a valid layout"):
        ws.set_layout(with_member(plan, "yangtze", {"adcode": "999999", "role_zh": "甲"}))
    assert ws.scenario == "x"  # an invalid layout changes nothing
    ws.set_layout(None)
    assert ws.atlas is atlas and ws.derived is ws.base_derived
    assert "yangtze" not in ws.points.table["atlas_corridors"].iloc[0]


def test_compare_corridors_pairs_values_by_corridor():
    import pandas as pd

    from spatial.summary import compare_corridors

    before = pd.DataFrame({"id": ["a", "b"], "n": [1, 2], "gdp": [10.0, None]})
    after = pd.DataFrame({"id": ["b", "c"], "n": [3, 1], "gdp": [5.0, 1.0]})
    table = compare_corridors(before, after, ["n", "gdp"]).set_index(["id", "column"])
    assert table.loc[("b", "n"), "change"] == 1 and pd.isna(table.loc[("b", "gdp"), "change"])
    assert pd.isna(table.loc[("c", "n"), "before"]) and table.loc[("c", "n"), "after"] == 1
    assert pd.isna(table.loc[("a", "n"), "after"]) and list(table.index.get_level_values(0).unique()) == ["b", "c", "a"]


def _seven_corridors(plan) -> dict:
    """The plan with a seventh corridor (a copy of the Yangtze belt under a new id)."""
    import copy

    from layers.layout import as_scenario

    extra = copy.deepcopy(plan["corridors"][4])
    extra.update(id="lakes", name_zh="第七走廊", name_en="Seventh corridor", order=7)
    made_up_corridors: Any = MADE_UP["corridors"]
    extra["spine"] = made_up_corridors[1]["spine"]
    return as_scenario({**plan, "corridors": [*plan["corridors"], extra]}, "七条走廊")


def test_the_corridor_sheet_of_a_scenario_is_titled_so_and_shows_every_corridor(plan, atlas):
    from exports.figure import FigureSpec, draw_corridor_sheet
    from layers.layout import atlas_with_layout

    scenario = atlas_with_layout(atlas, _seven_corridors(plan))
    fig = draw_corridor_sheet(scenario, FigureSpec(lang="zh"))
    drawn = {ax.get_gid() for ax in fig.axes}
    assert {f"sheet_{cid}" for cid in scenario.corridors["id"]} <= drawn  # the seventh too
    texts = " ".join(text.get_text() for text in fig.texts)
    assert "情景：七条走廊（非规划原文）" in texts and "非规划原文" in texts and "六条走廊分图" not in texts


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "gpkg", "geojson", "shp"])
def test_every_data_export_of_a_scenario_says_so(plan, atlas, fmt, tmp_path):
    import io
    import zipfile

    import pyogrio

    from exports.data import export_data
    from layers.layout import atlas_with_layout

    scenario = atlas_with_layout(atlas, _seven_corridors(plan))
    name, content = export_data(scenario, fmt)
    assert name.startswith("scenario_")
    if fmt in ("csv", "geojson", "shp"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            assert "七条走廊" in archive.read("scenario.csv").decode("utf-8-sig")
    elif fmt == "gpkg":
        path = tmp_path / name
        path.write_bytes(content)
        table = pyogrio.read_dataframe(path, layer="scenario")
        assert table["scenario"].tolist() == ["七条走廊"] and "非规划原文" in table["note_zh"].iloc[0]
    name, _content = export_data(atlas, fmt)
    assert not name.startswith("scenario_")


def test_layout_text_is_read_in_one_place(tmp_path):
    from layers.layout import parse_layout, read_layout

    assert parse_layout(b'\xef\xbb\xbf{"a": 1}') == {"a": 1} == parse_layout('\ufeff{"a": 1}')
    with pytest.raises(ValueError, match="not UTF-8"):
        parse_layout(b"{\xff}")
    with pytest.raises(ValueError, match="line 2, column 2"):
        parse_layout(b"{\n}}")
    (tmp_path / "l.json").write_bytes(b"\xef\xbb\xbf[]")
    assert read_layout(tmp_path / "l.json") == []


# ---------------------------------------------------------------- hostile files (issue 22)

DEEP_LEVELS = 200_000


@pytest.fixture(params=["arrays", "objects"])
def deep_file(request, tmp_path):
    """A layout file nested 200,000 levels deep, in arrays ([[[...]]]) or objects ({"a": {"a": ...}})."""
    if request.param == "arrays":
        text = "[" * DEEP_LEVELS + "]" * DEEP_LEVELS
    else:
        text = '{"a": ' * DEEP_LEVELS + "1" + "}" * DEEP_LEVELS
    path = tmp_path / f"deep_{request.param}.json"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_nested_too_deeply_is_refused_in_both_languages(deep_file):
    from atlas_core.errors import AtlasError
    from layers.layout import MAX_NESTING, parse_layout

    with pytest.raises(AtlasError, match=f"nested too deeply.*at most {MAX_NESTING}") as caught:
        parse_layout(deep_file.read_bytes())
    assert "嵌套过深" in caught.value.message("zh") and str(MAX_NESTING) in caught.value.message("zh")


def test_a_layout_nested_within_the_limit_still_parses():
    from layers.layout import MAX_NESTING, parse_layout

    inside = "[" * MAX_NESTING + "]" * MAX_NESTING
    assert parse_layout(inside) is not None
    in_a_string = '{"a": "\\"' + "[{" * 100 + '"}'  # brackets in a string (after an escaped quote) are text
    assert parse_layout(in_a_string) == {"a": '"' + "[{" * 100}
    with pytest.raises(ValueError, match="nested too deeply"):
        parse_layout("[" * (MAX_NESTING + 1) + "]" * (MAX_NESTING + 1))


@pytest.mark.parametrize("command", [["layout", "validate"], ["summary"]])
def test_the_cli_refuses_a_deeply_nested_file_without_a_traceback(deep_file, command, capsys):
    argv = (
        ["--lang", "en", *command, str(deep_file)]
        if command[0] == "layout"
        else ["--lang", "en", "--layout", str(deep_file), *command]
    )
    assert cli(argv) == 2
    err = capsys.readouterr().err
    assert "nested too deeply" in err and "Traceback" not in err


def test_a_deeply_nested_python_object_is_a_validation_problem(atlas):
    from layers.layout import MAX_NESTING

    deep: Any = []
    for _ in range(DEEP_LEVELS):
        deep = [deep]
    problems = validate_layout({"name": deep}, atlas.units["adcode"])
    assert len(problems) == 1 and "nested too deeply" in problems[0] and str(MAX_NESTING) in problems[0]


@pytest.mark.parametrize(
    ("field", "name"),
    [
        ("name_zh", "{ring_zh}"),
        ("name_en", "{ring_en}"),
        ("name_en", "  {ring_en_fullwidth} "),  # full-width letters and spaces (NFKC), trimmed
        ("name_zh", "{ring_en}"),  # the other language's name answers a lookup just the same
    ],
)
def test_a_corridor_renamed_to_another_corridors_name_is_a_problem_naming_both(plan, atlas, field, name):
    from layers.layout import with_corridor_fields

    ring = plan["corridors"][0]
    fullwidth = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" for c in ring["name_en"])
    name = name.format(ring_zh=ring["name_zh"], ring_en=ring["name_en"], ring_en_fullwidth=fullwidth)
    renamed = with_corridor_fields(plan, "huning", **{field: name})
    problems = validate_layout(renamed, atlas.units["adcode"])
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"corridors[1].{field}: ") and "corridors[0]" in problems[0] and "ring" in problems[0]


def test_names_that_differ_only_in_unicode_form_are_the_same_name(plan, atlas):
    import unicodedata

    from layers.layout import with_corridor_fields

    composed = with_corridor_fields(plan, "ring", name_en="Café Ring")
    decomposed = with_corridor_fields(composed, "huning", name_en=unicodedata.normalize("NFD", "Café Ring"))
    assert validate_layout(composed, atlas.units["adcode"]) == []
    assert [p.split(":")[0] for p in validate_layout(decomposed, atlas.units["adcode"])] == ["corridors[1].name_en"]


def test_a_duplicated_name_is_refused_by_the_cli_and_the_workspace(plan, atlas, tmp_path, capsys):
    from atlas_core.errors import InvalidLayoutError
    from layers.layout import as_scenario, with_corridor_fields
    from workspace.session import new_workspace

    renamed = as_scenario(with_corridor_fields(plan, "huning", name_zh=plan["corridors"][0]["name_zh"]), "dup")
    path = tmp_path / "dup.json"
    path.write_text(json.dumps(renamed, ensure_ascii=False), encoding="utf-8")
    assert cli(["--lang", "en", "layout", "validate", str(path)]) == 2
    assert "corridors[1].name_zh" in capsys.readouterr().err
    assert cli(["--lang", "en", "--layout", str(path), "members", plan["corridors"][0]["name_zh"]]) == 2
    assert "corridors[1].name_zh" in capsys.readouterr().err
    ws = new_workspace(atlas)
    with pytest.raises(InvalidLayoutError, match=r"corridors\[1\]\.name_zh"):
        ws.set_layout(renamed)
    assert ws.layout is None


def _as_version_1(layout: dict) -> dict:
    """``layout`` as a file of version 1 was written (before sources were cited by id): each point's
    free-text ``source``, and a waypoint's ``source_kind``."""
    import copy

    old = copy.deepcopy(layout)
    old["version"] = 1
    points = [p for c in old["corridors"] if c.get("spine") for p in c["spine"]["waypoints"] if "ref" not in p]
    for point in [*points, *old["anchors"]]:
        point["source"] = f"{point.pop('coord_detail')} (https://en.wikipedia.org/wiki/Suzhou)"
        point.pop("source_id", None)
    for point in points:
        point["source_kind"] = "encyclopedia"
    return old


def test_a_version_1_layout_file_is_read_in_the_current_form(plan, atlas, tmp_path):
    from layers.layout import LAYOUT_VERSION, read_layout

    path = tmp_path / "old.json"
    path.write_text(json.dumps(_as_version_1(plan), ensure_ascii=False), encoding="utf-8")
    layout = read_layout(path)
    assert layout["version"] == LAYOUT_VERSION == 2 and validate_layout(layout, atlas.units["adcode"]) == []
    ring = next(c for c in layout["corridors"] if c["id"] == "ring")["spine"]["waypoints"][0]
    assert "source" not in ring and "source_kind" not in ring and "source_id" not in ring  # no id is guessed
    assert ring["coord_detail"].endswith("(https://en.wikipedia.org/wiki/Suzhou) (encyclopedia)")
    assert "source_id" not in layout["anchors"][0] and layout["anchors"][0]["coord_detail"]
    assert diff_layouts(plan, layout)["corridors"]["changed"] == {}  # the points are where they were


def test_a_version_1_layout_is_refused_unless_read_through_the_upgrade(plan, atlas):
    problems = validate_layout(_as_version_1(plan), atlas.units["adcode"])
    assert "version: 2 was expected" in problems and any("'source' was unexpected" in p for p in problems)


def test_a_point_citing_an_unknown_source_is_refused_and_a_planners_point_needs_no_source(atlas):
    layout = json.loads(json.dumps(MADE_UP))
    points = layout["corridors"][0]["spine"]["waypoints"]
    points[0]["source_id"] = "wp_suzhou|no_such_source"
    assert validate_layout(layout, atlas.units["adcode"]) == [
        "corridors[0].spine.waypoints[0].source_id: unknown source 'no_such_source' (geodata/sources.csv); a point"
        " of your own has no source_id: say what it is in coord_detail"
    ]
    del points[1]["coord_detail"]
    assert any("coord_detail" in p for p in validate_layout(layout, atlas.units["adcode"]))
