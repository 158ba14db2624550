"""Every number a layout carries is checked in one place (issue 22): its type, that it is finite
(Python's json reads the non-JSON tokens NaN, Infinity and -Infinity, and 1e400 as infinity) and
its range, with the field's path in the problem. Nothing else may see such a number."""

from __future__ import annotations

import copy
import json
import math
from typing import Any

import pytest

from atlas_cli import main as cli
from atlas_core.errors import InvalidLayoutError
from layers.layout import NUMBER_FIELDS, SCHEMA_PATH, plan_layout, validate_layout

NAN, INF = float("nan"), float("inf")

# (path into the plan's layout, value) -> the one problem expected, at that path
BAD_NUMBERS: list[tuple[tuple, Any]] = [
    (("corridors", 0, "order"), 10**30),
    (("corridors", 0, "order"), 1e30),
    (("corridors", 0, "order"), NAN),
    (("corridors", 0, "order"), 1.5),
    (("corridors", 0, "order"), True),
    (("corridors", 0, "order"), "3"),
    (("corridors", 0, "order"), 0),
    (("corridors", 0, "band_km"), NAN),
    (("corridors", 0, "band_km"), INF),
    (("corridors", 0, "band_km"), -INF),
    (("corridors", 0, "band_km"), 0),
    (("corridors", 0, "band_km"), 10**30),
    (("corridors", 1, "spine", "waypoints", 0, "lon"), NAN),
    (("corridors", 1, "spine", "waypoints", 0, "lat"), INF),
    (("corridors", 1, "spine", "waypoints", 0, "lon"), 500.0),
    (("corridors", 1, "spine", "waypoints", 0, "part"), 10**30),
    (("corridors", 1, "spine", "waypoints", 0, "seq"), NAN),
    (("corridors", 5, "spine", "waypoints", 0, "seq"), -INF),  # a waypoint that refers to an anchor
    (("anchors", 0, "lon"), NAN),
    (("anchors", 0, "lat"), -91),
]


def _with(layout: dict, path: tuple, value: Any) -> dict:
    out = copy.deepcopy(layout)
    target: Any = out
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return out


def _dotted(path: tuple) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else p) for i, p in enumerate(path))


@pytest.fixture(scope="module")
def plan():
    return plan_layout()


@pytest.mark.parametrize(("path", "value"), BAD_NUMBERS, ids=lambda v: repr(v)[:20])
def test_a_bad_number_is_one_problem_at_its_field(plan, atlas, path, value):
    problems = validate_layout(_with(plan, path, value), atlas.units["adcode"])
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{_dotted(path)}: "), problems


@pytest.mark.parametrize("value", [NAN, INF, -INF])
def test_a_number_that_is_not_finite_is_refused_anywhere(plan, atlas, value):
    problems = validate_layout({**plan, "version": value}, atlas.units["adcode"])
    assert any(p.startswith("version: ") and "finite" in p for p in problems), problems


def test_good_numbers_pass_whole_floats_included(plan, atlas):
    layout = _with(_with(plan, ("corridors", 0, "order"), 1.0), ("corridors", 0, "band_km"), 50)
    assert validate_layout(layout, atlas.units["adcode"]) == []


def test_the_schema_states_the_same_ranges_as_the_check():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))["$defs"]
    places = {
        "order": [schema["corridor"]],
        "band_km": [schema["corridor"]],
        "part": schema["waypoint"]["oneOf"],
        "seq": schema["waypoint"]["oneOf"],
        "lon": [schema["waypoint"]["oneOf"][1], schema["anchor"]],
        "lat": [schema["waypoint"]["oneOf"][1], schema["anchor"]],
    }
    assert set(places) == set(NUMBER_FIELDS)
    for field, rule in NUMBER_FIELDS.items():
        for place in places[field]:
            stated = place["properties"][field]
            assert stated["type"] == ("integer" if rule.whole else "number"), field
            low = stated.get("exclusiveMinimum", stated.get("minimum"))
            assert (low, "exclusiveMinimum" in stated, stated["maximum"]) == (rule.low, rule.low_open, rule.high)


# ---------------------------------------------------------------- the file, the CLI and the workspace

NOT_JSON_NUMBERS = ["NaN", "Infinity", "-Infinity", "1e400"]


def _file_with_band(tmp_path, plan, token: str):
    """The plan's layout as a file whose first corridor's band_km is ``token``, written as is."""
    text = json.dumps(_with(plan, ("corridors", 0, "band_km"), 123.25), ensure_ascii=False)
    assert text.count("123.25") == 1
    path = tmp_path / "layout.json"
    path.write_text(text.replace("123.25", token), encoding="utf-8")
    return path


@pytest.mark.parametrize("token", NOT_JSON_NUMBERS)
def test_validate_refuses_nan_and_infinity_in_a_file(tmp_path, plan, capsys, token):
    path = _file_with_band(tmp_path, plan, token)
    assert cli(["--lang", "en", "layout", "validate", str(path)]) == 2
    assert "corridors[0].band_km" in capsys.readouterr().err


def _strict(text: str) -> Any:
    def refuse(token: str) -> Any:
        raise AssertionError(f"{token} printed")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("token", ["NaN", "1e400"])
def test_a_scenario_with_nan_never_reaches_the_summary(tmp_path, plan, capsys, token):
    path = _file_with_band(tmp_path, plan, token)
    assert cli(["--lang", "en", "--layout", str(path), "summary", "--json"]) == 2
    captured = capsys.readouterr()
    assert "corridors[0].band_km" in captured.err
    assert "corridors[0].band_km" in _strict(captured.out)["error"]  # strict JSON: no NaN token


def test_a_huge_order_is_refused_by_validate_and_never_overflows_the_summary(tmp_path, plan, capsys):
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(_with(plan, ("corridors", 0, "order"), 10**30)), encoding="utf-8")
    assert cli(["--lang", "en", "layout", "validate", str(path)]) == 2
    assert "corridors[0].order" in capsys.readouterr().err
    assert cli(["--lang", "en", "--layout", str(path), "summary"]) == 2
    assert "corridors[0].order" in capsys.readouterr().err


def test_diff_json_never_prints_nan(tmp_path, plan, capsys):
    good = tmp_path / "plan.json"
    good.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    bad = _file_with_band(tmp_path, plan, "NaN")
    assert cli(["layout", "diff", str(good), str(bad), "--json"]) == 2
    assert "corridors[0].band_km" in _strict(capsys.readouterr().out)["error"]  # strict JSON: no NaN token
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(_with(plan, ("corridors", 0, "band_km"), 4.5)), encoding="utf-8")
    assert cli(["layout", "diff", str(good), str(changed), "--json"]) == 0
    assert _strict(capsys.readouterr().out)["corridors"]["changed"] == {"ring": {"band_km": [3.0, 4.5]}}


@pytest.mark.parametrize(
    ("path", "value"),
    [(("corridors", 0, "band_km"), NAN), (("corridors", 1, "spine", "waypoints", 0, "lon"), NAN)],
)
def test_the_workspace_never_puts_nan_in_force(atlas, plan, path, value):
    from layers.layout import as_scenario, with_corridor_fields
    from workspace.session import new_workspace

    ws = new_workspace(atlas)
    with pytest.raises(InvalidLayoutError, match=_dotted(path).replace("[", r"\[").replace("]", r"\]")):
        ws.set_layout(as_scenario(_with(plan, path, value), "nan"))
    with pytest.raises(InvalidLayoutError, match=r"corridors\[0\]\.band_km"):
        ws.set_layout(with_corridor_fields(plan, "ring", band_km=NAN))  # the page's own edit
    assert ws.layout is None and ws.atlas is atlas
    assert math.isnan(value)
