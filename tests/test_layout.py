"""The corridor layout as a file (issue 14, part 1): export, schema, validation, diff."""

from __future__ import annotations

import json

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
