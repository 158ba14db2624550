"""The corridor layout as one file: corridors with their members, functions and spine, and the
outside anchors. The plan's layout is built from the ``geodata`` tables; a planner's what-if
scenario is the same file with changes. The format is versioned and has a JSON Schema
(``layers/layout.schema.json``); :func:`validate_layout` lists every problem at once, each with
the path of its field; :func:`diff_layouts` says what changed between two layouts.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from jsonschema import Draft202012Validator

from atlas_core.errors import AtlasError, InvalidLayoutError, LayoutEditError, LayoutFileError
from layers._io import read_table
from layers.corridors import ANCHOR_COLUMNS, build_corridors, load_spines
from layers.sources import load_sources, split_ids
from spatial.datum import convert_lonlat
from spatial.names import normalise_key

LAYOUT_FORMAT = "suzhou-atlas-layout"
LAYOUT_VERSION = 2  # 2: waypoints and anchors cite source_id + coord_detail (1: free-text source, source_kind)
SCHEMA_PATH = Path(__file__).with_name("layout.schema.json")

CORRIDOR_FIELDS = ("id", "name_zh", "name_en", "kind", "order", "band_km", "summary_zh", "summary_en", "plan_section")
MEMBER_FIELDS = ("adcode", "role_zh", "role_en", "group_zh", "group_en")
SPINE_FIELDS = ("method", "water_id", "precision", "feature_zh", "feature_en")
WAYPOINT_FIELDS = ("part", "seq", "ref", "name_zh", "name_en", "lon", "lat", "datum", "source_id", "coord_detail")
ANCHOR_FIELDS = tuple(ANCHOR_COLUMNS)  # a layout's anchors are geodata/anchors.csv's rows
# How a point is known: ``source_id`` names documents of geodata/sources.csv ("a|b"), ``coord_detail`` says
# what they give. A point a planner placed has no source_id: its coord_detail says what it is.
CITATION_FIELDS = ("source_id", "coord_detail")
# A layout is six levels deep (layout > corridors > corridor > spine > waypoints > waypoint); a file
# nested deeper is not a layout, and past a thousand levels the JSON reader itself overflows.
MAX_NESTING = 32


@dataclass(frozen=True)
class NumberRule:
    """What a numeric field may hold: a whole number or any number, from ``low`` (excluded when
    ``low_open``) to ``high``. The schema states the same ranges (a test keeps them equal)."""

    whole: bool
    low: int
    high: int
    low_open: bool = False

    def expected(self) -> str:
        kind = "a whole number" if self.whole else "a number"
        low = f"above {self.low} and at most" if self.low_open else f"from {self.low} to"
        return f"expected {kind} {low} {self.high}"


# Every number a layout carries, by field name, wherever the field occurs: the one place their type,
# finiteness and range are checked (see _number_problem). Sizes matter downstream: order becomes a
# 64-bit integer, band_km a buffer distance, lon/lat coordinates to convert between datums.
NUMBER_FIELDS: dict[str, NumberRule] = {
    "order": NumberRule(whole=True, low=1, high=999),
    "band_km": NumberRule(whole=False, low=0, high=50, low_open=True),
    "part": NumberRule(whole=True, low=1, high=99),
    "seq": NumberRule(whole=True, low=1, high=9999),
    "lon": NumberRule(whole=False, low=-180, high=180),
    "lat": NumberRule(whole=False, low=-90, high=90),
}
_NUMBERS = {field: int if rule.whole else float for field, rule in NUMBER_FIELDS.items()}


def _typed(row: dict, fields: Iterable[str]) -> dict:
    return {f: (_NUMBERS[f](row[f]) if f in _NUMBERS and row[f] != "" else row[f]) for f in fields}


def plan_layout() -> dict:
    """The plan's layout, built from the ``geodata`` tables (the default layout file)."""
    corridors = read_table("corridors")
    members = read_table("corridor_members")
    functions = read_table("corridor_functions")
    spines = read_table("corridor_spine_methods").set_index("corridor_id")
    waypoints = read_table("spine_waypoints")
    out = []
    for row in corridors.to_dict("records"):
        cid = row["id"]
        corridor = _typed(row, CORRIDOR_FIELDS)
        corridor["members"] = [
            _typed(m, MEMBER_FIELDS) for m in members.loc[members["corridor_id"] == cid].to_dict("records")
        ]
        corridor["functions"] = [
            {"zh": f["function_zh"], "en": f["function_en"]}
            for f in functions.loc[functions["corridor_id"] == cid].to_dict("records")
        ]
        spine = {f: spines.loc[cid, f] for f in SPINE_FIELDS} if cid in spines.index else None
        if spine is not None:
            spine = {k: v for k, v in spine.items() if v != ""}
            spine["waypoints"] = [  # an empty field is left out: a waypoint is a point or a ref to an anchor
                {k: v for k, v in _typed(w, WAYPOINT_FIELDS).items() if v != ""}
                for w in waypoints.loc[waypoints["corridor_id"] == cid].to_dict("records")
            ]
        corridor["spine"] = spine
        out.append(corridor)
    anchors = [_typed(a, ANCHOR_FIELDS) for a in read_table("anchors").to_dict("records")]
    return {
        "format": LAYOUT_FORMAT,
        "version": LAYOUT_VERSION,
        "name": "苏州市数字经济时代产业创新集群发展规划：一环两轴三带",
        "name_en": "Suzhou's action plan: one ring, two axes, three belts",
        "scenario": False,
        "corridors": out,
        "anchors": anchors,
    }


def dump_layout(layout: dict) -> str:
    """The layout as the file's text (JSON, UTF-8, Chinese unescaped, one field per line)."""
    return json.dumps(layout, ensure_ascii=False, indent=2) + "\n"


def _too_deep(where: str = "") -> LayoutFileError:
    return LayoutFileError(
        f"{where}nested too deeply: a layout has at most {MAX_NESTING} levels of [ ] and {{ }}"
        f" (its own are 6); this is not a layout file",
        zh=f"{where}嵌套过深：布局文件最多 {MAX_NESTING} 层 [ ] 与 {{ }}（布局本身只有 6 层），这不是布局文件",
    )


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def _text_nesting_exceeds(text: str, limit: int) -> bool:
    """Whether the JSON ``text`` opens more than ``limit`` brackets at once (brackets inside strings
    do not count). A scan, not a parse: it runs before json.loads, whose recursion it protects."""
    depth = 0
    for bracket in _JSON_BRACKET.finditer(_JSON_STRING.sub("", text)):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > limit:
            return True
    return False


def parse_layout(data: str | bytes) -> Any:
    """A layout file's content as read from JSON (not yet validated), in the current version's
    form (:func:`upgrade_layout`).

    Raises
    ------
    LayoutFileError
        (a ValueError) for bytes that are not UTF-8, text that is not JSON (with its line and
        column), or JSON nested more than :data:`MAX_NESTING` levels deep.
    """
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise LayoutFileError(f"byte {exc.start}: not UTF-8 text", zh=f"第 {exc.start} 字节：不是 UTF-8 文本") from None
    if _text_nesting_exceeds(text, MAX_NESTING):
        raise _too_deep()
    try:
        return upgrade_layout(json.loads(text))
    except json.JSONDecodeError as exc:
        raise LayoutFileError(
            f"line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})",
            zh=f"第 {exc.lineno} 行第 {exc.colno} 列：不是有效的 JSON（{exc.msg}）",
        ) from None
    except RecursionError:  # the scan above should have caught it; never a traceback
        raise _too_deep() from None
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        raise LayoutFileError(f"not a readable layout: {exc}", zh=f"无法读取的布局：{exc}") from None


def upgrade_layout(layout: Any) -> Any:
    """``layout`` in the current version's form (a new object; anything else is returned as it is,
    for :func:`validate_layout` to say what is wrong).

    Version 1 (before sources were cited by id) gave each waypoint and anchor a free-text ``source``
    and each waypoint a ``source_kind``. The text is kept, as ``coord_detail`` (the kind appended in
    brackets), with no ``source_id``: an id of geodata/sources.csv is never guessed from a text, so an
    old scenario's points read as a planner's own points do.

    Example
    -------
    >>> old = {"format": LAYOUT_FORMAT, "version": 1, "corridors": [], "anchors": [
    ...     {"anchor_id": "x", "source": "my survey"}]}
    >>> upgrade_layout(old)["anchors"]
    [{'anchor_id': 'x', 'coord_detail': 'my survey'}]
    """
    if not (isinstance(layout, dict) and layout.get("format") == LAYOUT_FORMAT and layout.get("version") == 1):
        return layout
    out = copy.deepcopy(layout)
    out["version"] = LAYOUT_VERSION
    for corridor in _dicts(out.get("corridors")):
        spine = corridor.get("spine")
        for point in _dicts(spine.get("waypoints") if isinstance(spine, dict) else None):
            _upgrade_citation(point)
    for anchor in _dicts(out.get("anchors")):
        _upgrade_citation(anchor)
    return out


def _upgrade_citation(item: dict) -> None:
    """A version-1 point's free-text source (and kind) as its coord_detail, in place; a value that is
    not text is left where it is, for the validation to report."""
    source, kind = item.get("source", ""), item.get("source_kind", "")
    if not (isinstance(source, str) and isinstance(kind, str)) or not ("source" in item or "source_kind" in item):
        return
    item.pop("source", None)
    item.pop("source_kind", None)
    text = f"{source.strip()} ({kind.strip()})" if kind.strip() else source.strip()
    item.setdefault("coord_detail", text or "(no source given)")


def read_layout(path: str | Path) -> Any:
    """A layout file's content (see :func:`parse_layout`, which raises LayoutFileError)."""
    return parse_layout(Path(path).read_bytes())


def _path(parts: Iterable[Any]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _nodes(layout: Any) -> Iterator[tuple[tuple, Any]]:
    """Every value in ``layout`` with its path (a tuple of keys and indexes), parents first; a
    value more than :data:`MAX_NESTING` levels down raises LayoutFileError. Iterative, so that a
    deeply nested (or self-containing) Python object cannot overflow the stack."""
    stack: list[tuple[tuple, Any]] = [((), layout)]
    while stack:
        path, value = stack.pop()
        if len(path) > MAX_NESTING:
            raise _too_deep(f"{_path(path[:1])}: ")
        yield path, value
        children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        stack.extend(reversed([((*path, key), child) for key, child in children]))


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 24 else f"{text[:12]}… ({len(text)} characters)"


def _number_problem(value: Any, rule: NumberRule | None) -> str | None:
    """What is wrong with ``value`` as a number under ``rule`` (None: any finite number), or None."""
    expected = f"; {rule.expected()}" if rule else ""
    if rule and (isinstance(value, bool) or not isinstance(value, int | float)):
        return f"{_shown(value)} is not a number{expected}"
    if isinstance(value, float) and not math.isfinite(value):
        return f"{_shown(value)} is not a finite number (JSON has no NaN or Infinity){expected}"
    if rule is None:
        return None
    if rule.whole and isinstance(value, float) and not value.is_integer():
        return f"{_shown(value)} is not a whole number{expected}"
    if value < rule.low or (rule.low_open and value == rule.low) or value > rule.high:
        return f"{_shown(value)} is out of range{expected}"
    return None


def _number_problems(nodes: Iterable[tuple[tuple, Any]]) -> dict[tuple, str]:
    """Every numeric field (:data:`NUMBER_FIELDS`) and every float anywhere that is wrong, by path."""
    problems = {}
    for path, value in nodes:
        named = bool(path) and isinstance(path[-1], str) and path[-1] in NUMBER_FIELDS
        if named or isinstance(value, float):
            problem = _number_problem(value, NUMBER_FIELDS[path[-1]] if named else None)
            if problem:
                problems[path] = f"{_path(path)}: {problem}"
    return problems


def _said_already(error: Any, numbers: dict[tuple, str]) -> bool:
    """Whether a schema error only repeats what the number check says (the same field; or a
    oneOf of which one choice fails only there, as a waypoint with a bad coordinate does)."""
    if tuple(error.absolute_path) in numbers:
        return True
    if error.validator != "oneOf" or not error.context:
        return False
    choices: dict[Any, list] = {}
    for sub in error.context:
        choices.setdefault(sub.relative_schema_path[0], []).append(sub)
    return any(all(_said_already(sub, numbers) for sub in subs) for subs in choices.values())


def _name_problems(corridors: list[dict]) -> list[str]:
    """A corridor named as another one is (zh, en or id, in either language): a planner's lookup by
    that name finds the first corridor only. Names are compared as the lookup compares them
    (``spatial.names.normalise_key``: NFKC, trimmed, case, spaces and dashes ignored)."""
    problems = []
    owners: dict[str, tuple[int, str]] = {}
    for i, corridor in enumerate(corridors):
        for field in ("id", "name_zh", "name_en"):
            value = corridor.get(field)
            key = normalise_key(value) if isinstance(value, str) else ""
            if not key:
                continue
            j, first = owners.setdefault(key, (i, field))
            if j != i and not (field == first == "id"):  # a duplicate id is reported as such
                other = corridors[j]
                problems.append(
                    f"corridors[{i}].{field}: {value!r} is also the {first} of corridors[{j}]"
                    f" ({other.get('id')!r}, {other.get(first)!r}); corridor names must differ"
                    " (ignoring case, width, spaces and dashes), or a name answers for one corridor only"
                )
    return problems


def validate_layout(layout: Any, unit_codes: Iterable[str]) -> list[str]:
    """Every problem in ``layout``, each as "path: what is wrong" (empty when it is valid).

    Every number is checked for its type, that it is finite (Python's json reads NaN, Infinity
    and 1e400, which are no JSON numbers) and its range (:data:`NUMBER_FIELDS`). The JSON Schema
    checks the shape (required fields, types, kinds); then the meaning: unique corridor and
    anchor ids, corridor names unique in either language (as a lookup by name compares them),
    members that are known units and appear once per corridor, a spine drawn through waypoints
    has at least two of them in each part.
    """

    try:
        numbers = _number_problems(_nodes(layout))
    except LayoutFileError as exc:  # the schema's checks recurse: nothing more can be checked safely
        return [str(exc)]
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    errors = [e for e in Draft202012Validator(schema).iter_errors(layout) if not _said_already(e, numbers)]
    problems = sorted(
        [*(f"{_path(error.absolute_path)}: {error.message}" for error in errors), *numbers.values()],
    )
    if not isinstance(layout, dict):
        return problems
    # the meaning, checked even where the shape is wrong, so that every problem is listed at once
    corridors = _dicts(layout.get("corridors"))
    anchor_ids: list = [a.get("anchor_id") for a in _dicts(layout.get("anchors"))]
    known = set(unit_codes)
    seen_ids: set = set()
    for i, corridor in enumerate(corridors):
        if corridor.get("id") in seen_ids:
            problems.append(f"corridors[{i}].id: {corridor['id']!r} is used by another corridor")
        seen_ids.add(corridor.get("id"))
        problems += _member_problems(corridor, f"corridors[{i}]", known)
        problems += _waypoint_problems(corridor, f"corridors[{i}]", anchor_ids)
    problems += _name_problems(corridors)
    problems += _source_id_problems(layout)
    problems += [
        f"anchors: {a!r} is used twice" for a in sorted({a for a in anchor_ids if anchor_ids.count(a) > 1}, key=str)
    ]
    return problems


def _source_id_problems(layout: dict) -> list[str]:
    """Waypoints and anchors citing a source id that geodata/sources.csv does not hold."""
    known = set(load_sources()["source_id"])
    cited = [(f"anchors[{i}]", a) for i, a in enumerate(layout.get("anchors") or []) if isinstance(a, dict)]
    for i, corridor in enumerate(_dicts(layout.get("corridors"))):
        spine = corridor.get("spine")
        points = spine.get("waypoints") if isinstance(spine, dict) else None
        cited += [(f"corridors[{i}].spine.waypoints[{j}]", p) for j, p in enumerate(_dicts(points))]
    return [
        f"{where}.source_id: unknown source {sid!r} (geodata/sources.csv); a point of your own has no "
        "source_id: say what it is in coord_detail"
        for where, item in cited
        if isinstance(item.get("source_id"), str)
        for sid in split_ids(item["source_id"])
        if sid not in known
    ]


def _drawn(spine: Any) -> Any:
    """A spine as drawn: without its points' citations (a citation reworded moves no line)."""
    if not isinstance(spine, dict):
        return spine
    points = [
        {k: v for k, v in p.items() if k not in CITATION_FIELDS} if isinstance(p, dict) else p
        for p in spine.get("waypoints") or []
    ]
    return {**spine, "waypoints": points}


def _dicts(items: Any) -> list[dict]:
    """The objects of a list (nothing when it is not a list): the rest is the schema's to report."""
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _member_problems(corridor: dict, where: str, known: set) -> list[str]:
    """Members that are no planning unit, or listed twice in the corridor."""
    problems, seen = [], set()
    for j, member in enumerate(_dicts(corridor.get("members"))):
        code = member.get("adcode")
        if code not in known:
            problems.append(f"{where}.members[{j}].adcode: {code!r} is not one of the planning units")
        elif code in seen:
            problems.append(f"{where}.members[{j}].adcode: {code!r} is listed twice in this corridor")
        seen.add(code)
    return problems


def _waypoint_problems(corridor: dict, where: str, anchor_ids: list) -> list[str]:
    """A spine through waypoints needs two in each part; a waypoint's anchor must exist."""
    given = corridor.get("spine")
    spine: dict = given if isinstance(given, dict) else {}
    listed = spine.get("waypoints")
    points: list = listed if isinstance(listed, list) else []
    problems = []
    if spine.get("method") == "waypoints":
        parts: dict = {}
        for point in _dicts(points):  # a bad part number is reported on its own
            if _number_problem(point.get("part"), NUMBER_FIELDS["part"]) is None:
                parts[point.get("part")] = parts.get(point.get("part"), 0) + 1
        problems += [
            f"{where}.spine.waypoints: part {part} has {count} waypoint; a line needs two"
            for part, count in parts.items()
            if count < 2
        ]
        if not parts:
            problems.append(f"{where}.spine.waypoints: a spine drawn through waypoints needs them")
    for j, point in enumerate(points):
        ref = point.get("ref", "") if isinstance(point, dict) else ""
        if isinstance(ref, str) and ref.startswith("anchor:") and ref.removeprefix("anchor:") not in anchor_ids:
            problems.append(f"{where}.spine.waypoints[{j}].ref: no anchor {ref.removeprefix('anchor:')!r}")
    return problems


def checked_layout(layout: Any, unit_codes: Iterable[str]) -> dict:
    """``layout`` if it is valid; else InvalidLayoutError naming every problem."""
    problems = validate_layout(layout, unit_codes)
    if problems:
        raise InvalidLayoutError(problems)
    return layout


def diff_layouts(old: dict, new: dict) -> dict:
    """What changed from ``old`` to ``new``: corridors added, removed or changed (field by field);
    members added, removed or changed (role, group); anchors added or removed."""

    def by_id(layout: dict) -> dict:
        return {c["id"]: c for c in layout["corridors"]}

    before, after = by_id(old), by_id(new)
    corridors: dict[str, Any] = {
        "added": [c for c in after if c not in before],
        "removed": [c for c in before if c not in after],
        "changed": {},
    }
    members: dict[str, list] = {"added": [], "removed": [], "changed": []}
    for cid in [c for c in after if c in before]:
        a, b = before[cid], after[cid]
        fields = {f: [a.get(f), b.get(f)] for f in (*CORRIDOR_FIELDS, "functions") if a.get(f) != b.get(f)}
        if _drawn(a.get("spine")) != _drawn(b.get("spine")):
            fields["spine"] = [a.get("spine"), b.get("spine")]
        if fields:
            corridors["changed"][cid] = fields
        was = {m["adcode"]: m for m in a["members"]}
        now = {m["adcode"]: m for m in b["members"]}
        members["added"] += [{"corridor": cid, **now[u]} for u in now if u not in was]
        members["removed"] += [{"corridor": cid, **was[u]} for u in was if u not in now]
        for unit in [u for u in now if u in was]:
            changes = {f: [was[unit][f], now[unit][f]] for f in MEMBER_FIELDS if was[unit][f] != now[unit][f]}
            if changes:
                members["changed"].append({"corridor": cid, "adcode": unit, "fields": changes})
    for cid in corridors["added"]:
        members["added"] += [{"corridor": cid, **m} for m in after[cid]["members"]]
    for cid in corridors["removed"]:
        members["removed"] += [{"corridor": cid, **m} for m in before[cid]["members"]]
    old_anchors = {a["anchor_id"] for a in old["anchors"]}
    new_anchors = {a["anchor_id"] for a in new["anchors"]}
    return {
        "corridors": corridors,
        "members": members,
        "anchors": {"added": sorted(new_anchors - old_anchors), "removed": sorted(old_anchors - new_anchors)},
    }


def atlas_with_layout(atlas, layout: dict):
    """``atlas`` with its corridors, members, functions and anchors taken from ``layout`` (a valid
    layout: see :func:`validate_layout`). A spine the plan also has, unchanged, is reused as
    built; any other spine is drawn through its waypoints (anchor refs resolved, datums converted
    to WGS84). Units, facilities, water and statistics stay as they are."""

    anchors = pd.DataFrame([{f: a.get(f, "") for f in ANCHOR_FIELDS} for a in layout["anchors"]], columns=ANCHOR_FIELDS)
    anchor_points = {a["anchor_id"]: (float(a["lon"]), float(a["lat"]), a["datum"]) for a in layout["anchors"]}
    plan = {c["id"]: c.get("spine") for c in plan_layout()["corridors"]}
    built = load_spines()
    rows, members, functions, problems = [], [], [], []
    for corridor in layout["corridors"]:
        cid, spine = corridor["id"], corridor.get("spine")
        rows.append({f: corridor.get(f, "") for f in CORRIDOR_FIELDS})
        members += [{"corridor_id": cid, **{f: m.get(f, "") for f in MEMBER_FIELDS}} for m in corridor["members"]]
        functions += [
            {"corridor_id": cid, "function_zh": f["zh"], "function_en": f["en"]} for f in corridor.get("functions", [])
        ]
        if spine is None or (cid in built.index and _drawn(plan.get(cid)) == _drawn(spine)):
            continue
        if spine["method"] != "waypoints":
            problems.append(f"corridor {cid!r}: a {spine['method']!r} spine can only be the plan's own; give waypoints")
            continue
        parts: dict[int, list] = {}
        for point in sorted(spine["waypoints"], key=lambda p: (p["part"], p["seq"])):
            if "ref" in point:
                lon, lat, datum = anchor_points[point["ref"].removeprefix("anchor:")]
            else:
                lon, lat, datum = point["lon"], point["lat"], point["datum"]
            x, y = convert_lonlat([lon], [lat], source=datum, target="wgs84")
            parts.setdefault(point["part"], []).append((float(x[0]), float(y[0])))
        lines = [shapely.LineString(coords) for _part, coords in sorted(parts.items())]
        geometry = lines[0] if len(lines) == 1 else shapely.MultiLineString(lines)
        new = {
            "spine_method": "waypoints",
            "spine_precision": spine["precision"],
            "spine_feature_zh": spine.get("feature_zh", ""),
            "spine_feature_en": spine.get("feature_en", ""),
            "geometry": geometry,
        }
        built = pd.concat([built.drop(index=cid, errors="ignore"), gpd.GeoDataFrame([new], index=[cid], crs=4326)])
    if problems:
        raise AtlasError(
            "the layout cannot be drawn: " + "; ".join(problems), zh="无法按该布局绘制：" + "；".join(problems)
        )
    table = pd.DataFrame(rows, columns=list(CORRIDOR_FIELDS)).astype({"order": int})
    member_table = pd.DataFrame(members, columns=["corridor_id", *MEMBER_FIELDS])
    corridors = build_corridors(table, gpd.GeoDataFrame(built, crs=4326), atlas.units, member_table, atlas.water)
    anchor_frame = gpd.GeoDataFrame(
        anchors, geometry=gpd.points_from_xy(anchors["lon"].astype(float), anchors["lat"].astype(float)), crs=4326
    )
    return dataclasses.replace(
        atlas,
        corridors=corridors,
        members=member_table,
        functions=pd.DataFrame(functions, columns=["corridor_id", "function_zh", "function_en"]),
        anchors=anchor_frame,
        scenario=(layout.get("name") or "scenario") if layout.get("scenario", True) else None,
    )


# ---------------------------------------------------------------- what-if edits (each returns a new layout)

EDITABLE_CORRIDOR_FIELDS = ("name_zh", "name_en", "band_km")


def _corridor(layout: dict, corridor_id: str) -> dict:
    for corridor in layout["corridors"]:
        if corridor["id"] == corridor_id:
            return corridor
    raise LayoutEditError(f"the layout has no corridor {corridor_id!r}")


def as_scenario(layout: dict, name: str, *, created: str | None = None) -> dict:
    """A copy of ``layout`` marked as a scenario called ``name`` (never the plan, whatever it holds)."""

    out = copy.deepcopy(layout)
    out["scenario"] = True
    out["name"] = name.strip() or "scenario"
    out["name_en"] = out["name"]
    earlier = layout.get("created") if layout.get("scenario") else None  # the plan's date is not the scenario's
    out["created"] = created or earlier or dt.date.today().isoformat()
    return out


def with_member(layout: dict, corridor_id: str, member: dict) -> dict:
    """A copy of ``layout`` in which ``member`` (adcode, roles, groups) belongs to the corridor;
    a unit already there has its role and group replaced, keeping its place in the list. A role or
    group given in one language only is used for both."""

    out = copy.deepcopy(layout)
    row = {f: str(member.get(f) or "").strip() for f in MEMBER_FIELDS}
    for field in ("role", "group"):  # given in one language only, it serves both
        row[f"{field}_zh"] = row[f"{field}_zh"] or row[f"{field}_en"]
        row[f"{field}_en"] = row[f"{field}_en"] or row[f"{field}_zh"]
    members = _corridor(out, corridor_id)["members"]
    for i, existing in enumerate(members):
        if existing["adcode"] == row["adcode"]:
            members[i] = row
            return out
    members.append(row)
    return out


def without_member(layout: dict, corridor_id: str, adcode: str) -> dict:
    """A copy of ``layout`` in which unit ``adcode`` is no longer a member of the corridor."""

    out = copy.deepcopy(layout)
    corridor = _corridor(out, corridor_id)
    corridor["members"] = [m for m in corridor["members"] if m["adcode"] != adcode]
    return out


def with_corridor_fields(layout: dict, corridor_id: str, **fields: Any) -> dict:
    """A copy of ``layout`` with the corridor renamed or its footprint width changed."""

    unknown = set(fields) - set(EDITABLE_CORRIDOR_FIELDS)
    if unknown:
        raise LayoutEditError(
            f"cannot edit {', '.join(sorted(unknown))}; editable: {', '.join(EDITABLE_CORRIDOR_FIELDS)}"
        )
    out = copy.deepcopy(layout)
    corridor = _corridor(out, corridor_id)
    for name, value in fields.items():
        corridor[name] = float(value) if name == "band_km" else str(value).strip()
    return out


def diff_rows(diff: dict) -> list[dict]:
    """A :func:`diff_layouts` result as rows, one per change: ``change`` (added, removed, changed),
    ``item`` (corridor, member, anchor), the corridor and unit concerned, and for a changed field
    its name, old and new value. The CLI prints them; the app shows them as a table."""
    empty = {"corridor": "", "adcode": "", "field": "", "before": None, "after": None, "role_zh": "", "role_en": ""}

    def row(change: str, item: str, **values: Any) -> dict:
        return {"change": change, "item": item, **empty, **values}

    rows = [row("added", "corridor", corridor=c) for c in diff["corridors"]["added"]]
    rows += [row("removed", "corridor", corridor=c) for c in diff["corridors"]["removed"]]
    for cid, fields in diff["corridors"]["changed"].items():
        rows += [row("changed", "corridor", corridor=cid, field=f, before=a, after=b) for f, (a, b) in fields.items()]
    for change in ("added", "removed"):
        rows += [
            row(change, "member", **{k: m[k] for k in ("corridor", "adcode", "role_zh", "role_en")})
            for m in diff["members"][change]
        ]
    for m in diff["members"]["changed"]:
        rows += [
            row("changed", "member", corridor=m["corridor"], adcode=m["adcode"], field=f, before=a, after=b)
            for f, (a, b) in m["fields"].items()
        ]
    for change in ("added", "removed"):
        rows += [row(change, "anchor", field="anchor_id", after=a) for a in diff["anchors"][change]]
    return rows
