"""The ``atlas`` command line: list units, ask which corridors a unit is in, locate points, summarise.

Every command prints Chinese by default (``--lang en`` for English) and JSON with ``--json``.
Exit status: 0 on success, 2 on bad input (the message says what to fix).
"""

from __future__ import annotations

import argparse
import json
import sys

import layers
from spatial.errors import AtlasError
from spatial.query import corridors_of_unit, locate_point, units_of_corridor
from spatial.summary import corridor_summary, unit_summary

TEXT = {
    "units_header": {"zh": "苏州十个规划单元", "en": "The ten planning units of Suzhou"},
    "in_corridors": {"zh": "所在走廊及角色", "en": "corridors and roles"},
    "none": {"zh": "（不属于任何走廊）", "en": "(in no corridor)"},
    "members": {"zh": "途经单元及角色", "en": "member units and roles"},
    "functions": {"zh": "功能定位", "en": "functions"},
    "outside": {"zh": "该点不在苏州十个规划单元内", "en": "the point is outside Suzhou's ten planning units"},
    "point_in": {"zh": "该点位于", "en": "the point is in"},
    "summary_header": {"zh": "一环两轴三带 走廊汇总", "en": "Corridor summary (one ring, two axes, three belts)"},
    "members_word": {"zh": "成员", "en": "members"},
    "zone_area": {"zh": "范围面积", "en": "zone area"},
    "spine": {"zh": "示意轴线长度", "en": "schematic spine length"},
    "facilities": {"zh": "设施", "en": "facilities"},
    "error": {"zh": "输入有误", "en": "bad input"},
}


def t(key: str, lang: str) -> str:
    return TEXT[key][lang]


def _name(record: dict, lang: str) -> str:
    return record["name_zh"] if lang == "zh" else record["name_en"]


def _emit_json(payload) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=2))


def cmd_units(atlas: layers.Atlas, args) -> None:
    units = atlas.units
    records = [{"adcode": r.adcode, "name_zh": r.name_zh, "name_en": r.name_en, "kind": r.kind,
                "aliases": [a for a in r.aliases.split("|") if a]}
               for r in units.itertuples(index=False)]
    if args.json:
        _emit_json(records)
        return
    print(t("units_header", args.lang))
    for rec in records:
        print(f"  {rec['adcode']}  {_name(rec, args.lang)}  ({rec['kind']})")


def cmd_which(atlas: layers.Atlas, args) -> None:
    result = corridors_of_unit(args.unit, units=atlas.units, corridors=atlas.corridors, members=atlas.members)
    if args.json:
        _emit_json(result)
        return
    print(f"{_name(result['unit'], args.lang)} ({result['unit']['adcode']}) — {t('in_corridors', args.lang)}:")
    if not result["corridors"]:
        print(f"  {t('none', args.lang)}")
    for item in result["corridors"]:
        role = item["role"]["role_zh" if args.lang == "zh" else "role_en"]
        print(f"  {_name(item['corridor'], args.lang)} [{item['corridor']['id']}]: {role}")


def cmd_members(atlas: layers.Atlas, args) -> None:
    result = units_of_corridor(args.corridor, units=atlas.units, corridors=atlas.corridors,
                               members=atlas.members, functions=atlas.functions)
    if args.json:
        _emit_json(result)
        return
    print(f"{_name(result['corridor'], args.lang)} [{result['corridor']['id']}] — {t('members', args.lang)}:")
    for item in result["members"]:
        role = item["role"]["role_zh" if args.lang == "zh" else "role_en"]
        print(f"  {_name(item['unit'], args.lang)} ({item['unit']['adcode']}): {role}")
    if result.get("functions"):
        key = "function_zh" if args.lang == "zh" else "function_en"
        print(f"  {t('functions', args.lang)}: " + "; ".join(f[key] for f in result["functions"]))


def cmd_locate(atlas: layers.Atlas, args) -> None:
    loc = locate_point(args.lon, args.lat, datum=args.datum, units=atlas.units,
                       corridors=atlas.corridors, members=atlas.members)
    payload = loc.to_dict()
    if args.json:
        _emit_json(payload)
        return
    if loc.unit is None:
        print(t("outside", args.lang))
        return
    print(f"{t('point_in', args.lang)} {_name(loc.unit, args.lang)} ({loc.unit['adcode']})")
    for item in loc.corridors:
        role = item["role"]["role_zh" if args.lang == "zh" else "role_en"]
        print(f"  {_name(item['corridor'], args.lang)} [{item['corridor']['id']}]: {role}")


def cmd_summary(atlas: layers.Atlas, args) -> None:
    table = corridor_summary(atlas.corridors, atlas.units, atlas.facilities,
                             categories=layers.FACILITY_CATEGORIES)
    if args.json:
        _emit_json({"corridors": table.to_dict(orient="records"),
                    "units": unit_summary(atlas.units, atlas.members, atlas.facilities)
                    .astype(object).where(lambda d: d.notna(), None).to_dict(orient="records")})
        return
    if args.csv:
        sys.stdout.write(table.to_csv(index=False))
        return
    print(t("summary_header", args.lang))
    for row in table.itertuples(index=False):
        name = row.name_zh if args.lang == "zh" else row.name_en
        members = row.members_zh if args.lang == "zh" else row.members_en
        print(f"  [{row.id}] {name}")
        print(f"      {t('members_word', args.lang)} ({row.member_count}): {members}")
        print(f"      {t('zone_area', args.lang)}: {row.zone_area_km2:,.1f} km²; "
              f"{t('spine', args.lang)}: {row.spine_length_km:,.1f} km; "
              f"{t('facilities', args.lang)}: {row.facilities_total}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="atlas", description="Suzhou Innovation Atlas (苏州创新格局图集)")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="output language (default zh)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("units", help="list the ten planning units")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("which", help="corridors of a unit, with its role in each")
    p.add_argument("unit", help="name, code or alias, e.g. 高新区, SIP, 320583")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("members", help="units of a corridor, with their roles")
    p.add_argument("corridor", help="id or name, e.g. huning, 沪宁, 环太湖")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("locate", help="unit and corridors at a point")
    p.add_argument("lon", help="longitude (degrees)")
    p.add_argument("lat", help="latitude (degrees)")
    p.add_argument("--datum", default="wgs84", help="wgs84 (GPS, OSM), gcj02 (Amap/Tencent), bd09 (Baidu)")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("summary", help="per-corridor summary")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("--csv", action="store_true")
    return parser


COMMANDS = {"units": cmd_units, "which": cmd_which, "members": cmd_members,
            "locate": cmd_locate, "summary": cmd_summary}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        COMMANDS[args.command](layers.load_atlas(), args)
    except AtlasError as exc:
        if getattr(args, "json", False):
            _emit_json({"error": str(exc), "error_zh": exc.message("zh")})
        print(f"atlas: {t('error', args.lang)}: {exc.message(args.lang)}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
