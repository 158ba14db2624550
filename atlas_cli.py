"""The ``atlas`` command line: list units, ask which corridors a unit is in, locate points, summarise.

Every command prints Chinese by default (``--lang en`` for English) and JSON with ``--json``.
Exit status: 0 on success, 2 on bad input (the message says what to fix).
"""

from __future__ import annotations

import argparse
import codecs
import datetime as dt
import json
import sys
from pathlib import Path

import layers
from atlas_core import settings
from atlas_core.errors import AtlasError, DatabaseError
from atlas_web.html_export import interactive_map_html
from database.catalog import KINDS_ZH, find_table, list_tables, parse_filter
from database.classify import Counts
from database.connection import connect, describe
from exports.data import CRS_CHOICES, DATA_FORMATS, export_data
from exports.figure import (
    DPI_RANGE,
    FORMATS,
    LAYERS,
    ORIENTATIONS,
    PAPERS_MM,
    FigureSpec,
    each_corridor,
    render_corridor_sheet,
    render_figure,
)
from layers.gazetteer import load_gazetteer
from layers.indicators import CITY_CODE, INDICATORS, indicator_report
from layers.layout import (
    atlas_with_layout,
    diff_layouts,
    diff_rows,
    dump_layout,
    plan_layout,
    read_layout,
    validate_layout,
)
from presentation.i18n import DEFAULT_LANG, LANGS, t
from presentation.themes import THEMES
from reports.content import city_report, corridor_chapters
from reports.pdf import pdf_bytes
from reports.word import PDF_FONTS, docx_bytes
from safety.spreadsheet import csv_bytes, csv_text
from spatial.names import resolve_corridor
from spatial.query import corridors_of_unit, locate_address, locate_point, units_of_corridor
from spatial.summary import corridor_summary, unit_summary
from userdata.from_database import atlas_with_borders, classify_inside, pull_and_classify, source_name
from userdata.reading import read_table
from userdata.tables import classified_workbook, classify_table

# Rejected or doubtful rows printed by ``classify``; --report FILE lists them all.
_ISSUES_SHOWN = 20


def _name(record: dict, lang: str) -> str:
    return record["name_zh"] if lang == "zh" else record["name_en"]


def _emit_json(payload) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=2))


def cmd_units(atlas: layers.Atlas, args) -> None:
    units = atlas.units
    records = [
        {
            "adcode": r.adcode,
            "name_zh": r.name_zh,
            "name_en": r.name_en,
            "kind": r.kind,
            "aliases": [a for a in r.aliases.split("|") if a],
        }
        for r in units.itertuples(index=False)
    ]
    if args.json:
        _emit_json(records)
        return
    print(t("cli_units_header", args.lang))
    for rec in records:
        print(f"  {rec['adcode']}  {_name(rec, args.lang)}  ({rec['kind']})")


def cmd_which(atlas: layers.Atlas, args) -> None:
    result = corridors_of_unit(args.unit, units=atlas.units, corridors=atlas.corridors, members=atlas.members)
    if args.json:
        _emit_json(result)
        return
    print(f"{_name(result['unit'], args.lang)} ({result['unit']['adcode']}) — {t('cli_in_corridors', args.lang)}:")
    if not result["corridors"]:
        print(f"  {t('cli_none', args.lang)}")
    for item in result["corridors"]:
        role = item["role"]["role_zh" if args.lang == "zh" else "role_en"]
        print(f"  {_name(item['corridor'], args.lang)} [{item['corridor']['id']}]: {role}")


def cmd_members(atlas: layers.Atlas, args) -> None:
    result = units_of_corridor(
        args.corridor, units=atlas.units, corridors=atlas.corridors, members=atlas.members, functions=atlas.functions
    )
    if args.json:
        _emit_json(result)
        return
    print(f"{_name(result['corridor'], args.lang)} [{result['corridor']['id']}] — {t('cli_members', args.lang)}:")
    for item in result["members"]:
        role = item["role"]["role_zh" if args.lang == "zh" else "role_en"]
        print(f"  {_name(item['unit'], args.lang)} ({item['unit']['adcode']}): {role}")
    if result.get("functions"):
        key = "function_zh" if args.lang == "zh" else "function_en"
        print(f"  {t('cli_functions', args.lang)}: " + "; ".join(f[key] for f in result["functions"]))


def _locate_address(atlas: layers.Atlas, args) -> None:
    found = locate_address(
        args.address,
        gazetteer=load_gazetteer(atlas.units),
        units=atlas.units,
        corridors=atlas.corridors,
        members=atlas.members,
    )
    if args.json:
        _emit_json(found)
        return
    L = args.lang
    if found["unit"] is None:
        if found["ambiguous"]:
            names = ("、" if L == "zh" else ", ").join(_name(u, L) for u in found["ambiguous"])
            print(t("cli_address_ambiguous", L, names=names))
        else:
            print(t("cli_address_outside", L, place=found["outside"]) if found["outside"] else t("cli_address_none", L))
        return
    match = found["match"]
    town = f" {match['town_zh']}" if match["town_zh"] else ""
    print(f"{t('cli_address_in', L)} {_name(found['unit'], L)}{town} ({found['unit']['adcode']})")
    print(f"  {t('cli_address_by', L, text=match['text'], level=t('address_level_' + match['level'], L))}")
    for item in found["corridors"]:
        role = item["role"]["role_zh" if L == "zh" else "role_en"]
        print(f"  {_name(item['corridor'], L)} [{item['corridor']['id']}]: {role}")


def cmd_locate(atlas: layers.Atlas, args) -> None:
    if args.address is not None:
        _locate_address(atlas, args)
        return
    if args.lon is None or args.lat is None:
        raise AtlasError(
            "give a point (lon lat) or an address (--address TEXT)",
            zh="请给出点（经度 纬度）或地址（--address 文本）",
        )
    loc = locate_point(
        args.lon, args.lat, datum=args.datum, units=atlas.units, corridors=atlas.corridors, members=atlas.members
    )
    payload = loc.to_dict()
    if args.json:
        _emit_json(payload)
        return
    if loc.unit is None:
        print(t("cli_outside", args.lang))
        return
    print(f"{t('cli_point_in', args.lang)} {_name(loc.unit, args.lang)} ({loc.unit['adcode']})")
    for item in loc.corridors:
        role = item["role"]["role_zh" if args.lang == "zh" else "role_en"]
        print(f"  {_name(item['corridor'], args.lang)} [{item['corridor']['id']}]: {role}")


def _cell(value) -> float | None:
    return None if value is None or value != value else round(float(value), 4)


def indicators_json(atlas: layers.Atlas) -> dict:
    """The indicator report as JSON: year(s), city, units and corridors, each indicator an object
    {value, unit, year, source} (corridors: {value, unit, share_of_city, per_km2_land})."""

    report = indicator_report(atlas)
    rows = report.rows.set_index(["adcode", "indicator"])

    def entry(code: str, key: str) -> dict:
        row = rows.loc[(code, key)]
        return {
            "value": _cell(row["value"]),
            "unit": row["unit"],
            "year": int(row["year"]),
            "source": row["source"] or None,  # publisher, title, date, address; where a copy was read
            "source_url": row["source_url"] or None,  # the publisher's own page (none when not found)
            "method": row["method"] or None,  # published, or derived (the city's value less the other units')
            "note": row["note"] or None,
        }

    keys = list(report.units.columns)
    units = [
        {"adcode": code, "name_zh": zh, "name_en": en} | {key: entry(code, key) for key in keys}
        for code, zh, en in zip(atlas.units["adcode"], atlas.units["name_zh"], atlas.units["name_en"], strict=True)
    ]
    corridors = []
    for row, corridor in zip(
        report.corridors.itertuples(index=False), atlas.corridors.itertuples(index=False), strict=True
    ):
        record: dict = {
            "id": corridor.id,
            "name_zh": corridor.name_zh,
            "name_en": corridor.name_en,
            "members_land_km2": _cell(row.members_land_km2),
            "plan_facilities_per_100km2_land": _cell(row.plan_facilities_per_100km2_land),
        }
        for key in keys:
            if INDICATORS[key].additive:
                record[key] = {
                    "value": _cell(getattr(row, f"{key}_sum")),
                    "unit": INDICATORS[key].unit,
                    "share_of_city": _cell(getattr(row, f"{key}_share_of_city")),
                    "per_km2_land": _cell(getattr(row, f"{key}_per_km2_land")),
                    "per_km2_land_unit": f"{INDICATORS[key].unit}/km²",
                }
        corridors.append(record)
    return {
        "year": report.years[-1] if report.years else None,
        "years": report.years,
        "caveat": t("ind_caveat", "en", years=", ".join(map(str, report.years))),
        "city": {key: entry(CITY_CODE, key) for key in keys},
        "units": units,
        "corridors": corridors,
        "sum_check": report.check.astype(object).where(report.check.notna(), None).to_dict(orient="records"),
    }


def cmd_summary(atlas: layers.Atlas, args) -> None:
    if args.indicators:
        data = indicators_json(atlas)
        if args.json:
            _emit_json(data)
        elif args.csv:
            sys.stdout.write(csv_text(indicator_report(atlas).rows))
        else:
            lang = args.lang
            print(t("s_indicators", lang) + f" ({', '.join(map(str, data['years']))})")
            for unit in data["units"]:
                cells = [
                    f"{t('ind_' + k, lang)} {v['value'] if v['value'] is not None else '—'}"
                    for k, v in unit.items()
                    if isinstance(v, dict)
                ]
                print(f"  {unit['name_' + lang]}: " + "; ".join(cells))
            print(t("ind_caveat", lang, years=", ".join(map(str, data["years"]))))
        return
    table = corridor_summary(atlas.corridors, atlas.units, atlas.facilities, categories=layers.FACILITY_CATEGORIES)
    if args.json:
        _emit_json(
            {
                "corridors": table.to_dict(orient="records"),
                "units": unit_summary(atlas.units, atlas.members, atlas.facilities)
                .astype(object)
                .where(lambda d: d.notna(), None)
                .to_dict(orient="records"),
            }
        )
        return
    if args.csv:
        sys.stdout.write(csv_text(table))
        return
    print(t("cli_summary_header", args.lang))
    for row in table.itertuples(index=False):
        name = row.name_zh if args.lang == "zh" else row.name_en
        members = row.members_zh if args.lang == "zh" else row.members_en
        print(f"  [{row.id}] {name}")
        print(f"      {t('cli_members_word', args.lang)} ({row.member_count}): {members}")
        print(
            f"      {t('cli_footprint', args.lang).format(band=row.band_km)}: {row.footprint_land_km2:,.1f} km²; "
            f"{t('cli_members_land', args.lang)}: {row.members_land_km2:,.1f} km²; "
            f"{t('cli_spine', args.lang)} ({t('precision_' + row.spine_precision, args.lang)}): "
            f"{row.spine_length_km:,.1f} km; "
            f"{t('ex_layer_facilities', args.lang)}: {row.facilities_total}"
        )


REPORT_FORMATS = ("docx", "pdf")


def cmd_report(atlas: layers.Atlas, args) -> None:
    """A corridor chapter (--corridor, repeatable) or the whole-city report, as DOCX or PDF."""
    date = dt.date.today().isoformat()
    template = Path(args.template).read_bytes() if args.template else None
    if args.corridor:
        document = corridor_chapters(atlas, args.corridor, lang=args.lang, date=date, approval=args.approval or "")
    else:
        document = city_report(atlas, lang=args.lang, date=date, approval=args.approval or "")
    if args.format == "pdf":
        data = pdf_bytes(docx_bytes(document, template=template, fonts=PDF_FONTS))
    else:
        data = docx_bytes(document, template=template)
    target = Path(args.output)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    print(f"{t('cli_written', args.lang)}: {target}")


def cmd_export(atlas: layers.Atlas, args) -> None:
    """Figures (one, or one per corridor), the interactive HTML map, or the data, into files."""

    written = []
    corridors = tuple(resolve_corridor(c, atlas.corridors) for c in (args.corridor or []))
    if args.what == "figure":
        spec = FigureSpec(
            corridors=corridors,
            layers=tuple(n for n in ("labels", "facilities", "spines") if not getattr(args, f"no_{n}")),
            title=args.title,
            subtitle=args.subtitle,
            paper=args.paper,
            orientation=args.orientation,
            dpi=args.dpi,
            fmt=args.format,
            lang=args.lang,
            approval=args.approval or "",
            theme=args.theme,
        )
        if args.sheet:
            target = Path(args.output or f"out/suzhou_atlas_six_corridors_{args.lang}.{args.format}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(render_corridor_sheet(atlas, spec))
            written.append(str(target))
        elif args.each_corridor:
            folder = Path(args.output or "out/figures")
            folder.mkdir(parents=True, exist_ok=True)
            for name, content in each_corridor(atlas, spec).items():
                (folder / name).write_bytes(content)
                written.append(str(folder / name))
        else:
            target = Path(args.output or f"out/suzhou_atlas_{args.lang}.{args.format}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(render_figure(atlas, spec))
            written.append(str(target))
    elif args.what == "html":
        target = Path(args.output or f"out/suzhou_atlas_map_{args.lang}.html")
        target.parent.mkdir(parents=True, exist_ok=True)
        html_page = interactive_map_html(atlas, lang=args.lang, corridors=corridors, approval=args.approval or "")
        target.write_text(html_page, encoding="utf-8")
        written.append(str(target))
    else:
        name, content = export_data(atlas, args.format, args.crs)
        target = Path(args.output or f"out/{name}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        written.append(str(target))
    if args.json:
        _emit_json({"written": written})
        return
    for path in written:
        print(f"{t('cli_written', args.lang)}: {path}")


def _database() -> str:
    """The configured database's connection string (ATLAS_DB), or an error saying how to set it."""
    conninfo = settings.current().db_conninfo
    if conninfo is None:
        raise AtlasError(t("db_not_set", "en"), zh=t("db_not_set", "zh"))
    return conninfo


def cmd_db(atlas: layers.Atlas, args) -> None:
    """``atlas db tables``: the tables and views the role may read, with geometry column, SRID,
    geometry type and row estimate."""
    conninfo = _database()
    with connect(conninfo) as connection:
        tables = list_tables(connection, spatial_only=not args.all)
    if args.json:
        _emit_json({"database": describe(conninfo), "tables": [table.record() for table in tables]})
        return
    lang = args.lang
    print(t("db_tables_all_header" if args.all else "db_tables_header", lang, where=describe(conninfo)))
    for table in tables:
        kind = KINDS_ZH[table.kind] if lang == "zh" else table.kind
        rows = (
            t("db_rows_about", lang, n=table.rows_estimate)
            if table.rows_estimate is not None
            else t("db_rows_unknown", lang)
        )
        geometry = (
            f"{table.geometry_column} · {table.geometry_type} · SRID {table.srid}"
            if table.geometry_column
            else t("db_no_geometry", lang)
        )
        print(f"  {table.qualified}  ({kind})  {geometry}  · {rows}")
    if not tables:
        print(f"  {t('db_none_readable', lang)}")


def _print_counts(atlas: layers.Atlas, counts: Counts, lang: str) -> None:
    names = {
        **{
            str(c): (zh, en)
            for c, zh, en in zip(atlas.units["adcode"], atlas.units["name_zh"], atlas.units["name_en"], strict=True)
        },
        **{
            str(c): (zh, en)
            for c, zh, en in zip(
                atlas.corridors["id"], atlas.corridors["name_zh"], atlas.corridors["name_en"], strict=True
            )
        },
    }
    for heading, found in (
        ("db_by_unit", counts.by_unit),
        ("db_by_corridor", counts.by_corridor),
        ("db_by_footprint", counts.by_footprint),
    ):
        print(f"{t(heading, lang)}{'：' if lang == 'zh' else ':'}")
        for key, n in sorted(found.items(), key=lambda item: -item[1]):
            zh, en = names.get(key, (key, key))
            print(f"  {zh if lang == 'zh' else en} ({key}): {n:,}")


def cmd_classify_db(atlas: layers.Atlas, args) -> None:
    """Classify a table or view of the configured database: inside the database (counts, and the
    classified rows streamed to -o), or with --pull row by row in Python like a file."""
    conninfo = _database()
    filters = [parse_filter(text) for text in args.filter or ()]
    with connect(conninfo) as connection:
        table = find_table(connection, args.db, geometry_column=args.geometry, spatial=False)
        if args.pull:
            chosen = {"lon": args.lon, "lat": args.lat, "name": args.name, "address": args.address}
            classified, report, _info, counts = pull_and_classify(
                connection, table, filters, atlas=atlas, crs=args.crs, columns=chosen
            )
            target = Path(args.output) if args.output else None
            if target is not None:
                target.parent.mkdir(parents=True, exist_ok=True)
                if target.suffix.lower() == ".xlsx":
                    name = source_name(table, filters)
                    content = classified_workbook(
                        classified, report, lang=args.lang, corridors=atlas.corridors, source_name=name
                    )
                    target.write_bytes(content)
                else:
                    target.write_bytes(csv_bytes(classified))
        else:
            target = Path(args.output) if args.output else None
            if target is not None:
                target.parent.mkdir(parents=True, exist_ok=True)
                with target.open("wb") as out:
                    out.write(codecs.BOM_UTF8)  # as every CSV the atlas writes: Excel then reads it as UTF-8
                    counts = classify_inside(connection, table, filters, atlas=atlas, crs=args.crs, rows_to=out)
            else:
                counts = classify_inside(connection, table, filters, atlas=atlas, crs=args.crs)
    summary = {
        "database": describe(conninfo),
        "table": table.qualified,
        "filters": [{"column": column, "value": value} for column, value in filters],
        "where": "python" if args.pull else "database",
        "output": str(target) if target is not None else None,
        **counts.record(),
    }
    if args.json:
        _emit_json(summary)
        return
    lang = args.lang
    placed = sum(counts.by_unit.values())
    key = "db_counted_pulled" if args.pull else "db_counted_inside"
    print(
        t(
            key,
            lang,
            table=table.qualified,
            rows=counts.rows,
            placed=placed,
            outside=counts.outside,
            no_point=counts.no_point,
        )
    )
    _print_counts(atlas, counts, lang)
    if target is not None:
        print(f"{t('cli_written', lang)}: {target}")


def cmd_classify(atlas: layers.Atlas, args) -> None:
    """Classify a planner's point table (CSV/XLSX) into units and corridors, reporting every bad row;
    with --db, a table or view of the configured database."""
    if args.db:
        if args.input:
            raise AtlasError("give a file or --db TABLE, not both", zh="请给出文件或 --db 表名，二者择一")
        cmd_classify_db(atlas, args)
        return
    if not args.input:
        raise AtlasError("give a file to classify, or --db TABLE", zh="请给出要分类的文件，或 --db 表名")
    source = Path(args.input)
    if not source.is_file():
        raise AtlasError(f"no such file: {source}", zh=f"找不到文件：{source}")
    frame, info = read_table(source.read_bytes(), source.name, encoding=args.encoding, sheet=args.sheet)
    table, report = classify_table(
        frame,
        info,
        atlas=atlas,
        lon_column=args.lon,
        lat_column=args.lat,
        name_column=args.name,
        address_column=args.address,
        crs=args.crs or "wgs84",
    )
    target = Path(args.output or f"out/{source.stem}_classified.csv")
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.suffix.lower() == ".xlsx":
        workbook = classified_workbook(
            table, report, lang=args.lang, corridors=atlas.corridors, source_name=source.name
        )
        target.write_bytes(workbook)
    else:
        target.write_bytes(csv_bytes(table))
    if args.report:
        Path(args.report).write_bytes(csv_bytes(report.issues_frame()))
    summary = {
        "input": str(source),
        "output": str(target),
        "encoding": report.encoding,
        "sheet": report.sheet,
        "lon_column": report.lon_column,
        "lat_column": report.lat_column,
        "name_column": report.name_column,
        "address_column": report.address_column,
        "placed_by": {k: int(v) for k, v in table["atlas_precision"].value_counts().items() if k},
        "crs": report.crs,
        "rows": report.rows,
        "accepted": report.accepted,
        "doubtful": report.doubtful,
        "rejected": report.rejected,
        "warnings": [{"en": en, "zh": zh} for en, zh in report.warnings],
        "notes": [{"en": en, "zh": zh} for en, zh in report.notes],
        "issues": report.issues_frame().to_dict(orient="records"),
    }
    if args.json:
        _emit_json(summary)
        return
    lang = args.lang
    print(f"{t('cli_written', lang)}: {target}")
    print(
        t(
            "im_counts",
            lang,
            rows=report.rows,
            accepted=report.accepted,
            doubtful=report.doubtful,
            rejected=report.rejected,
        )
        + (t("cli_encoding", lang, encoding=report.encoding) if report.encoding else "")
    )
    for en, zh in report.notes:
        print(f"  · {zh if lang == 'zh' else en}")
    for en, zh in report.warnings:
        print(f"  ! {zh if lang == 'zh' else en}")
    for issue in report.issues[:_ISSUES_SHOWN]:
        print(
            t(
                "cli_issue",
                lang,
                row=issue.row,
                status=t(f"im_status_{issue.status}", lang),
                reason=issue.reason_zh if lang == "zh" else issue.reason_en,
            )
        )
    if len(report.issues) > _ISSUES_SHOWN:
        print(t("cli_more", lang, n=len(report.issues) - _ISSUES_SHOWN))


def load_layout_file(path: str, atlas: layers.Atlas) -> dict:
    """A layout file, validated against ``atlas``'s units; every problem listed in the error."""

    try:
        layout = read_layout(path)
    except AtlasError as exc:  # not UTF-8, not JSON, nested too deeply: said in both languages
        raise AtlasError(f"{path}: {exc}", zh=f"{path}：{exc.message('zh')}") from None
    except (OSError, ValueError) as exc:
        raise AtlasError(f"{path}: {exc}", zh=f"{path}：{exc}") from None
    problems = validate_layout(layout, atlas.units["adcode"])
    if problems:
        listed = "\n  ".join(problems)
        raise AtlasError(
            f"{path} is not a valid layout ({len(problems)} problems):\n  {listed}",
            zh=f"{path} 不是有效的布局文件（{len(problems)} 处问题）：\n  {listed}",
        )
    return layout


def cmd_layout(atlas: layers.Atlas, args) -> None:
    """The layout as a file: export the plan's, validate one, or diff two."""

    if args.action == "export":
        text = dump_layout(plan_layout())
        if args.output:
            Path(args.output).write_text(text, encoding="utf-8")
            print(f"{t('cli_written', args.lang)}: {args.output}")
        else:
            print(text, end="")
    elif args.action == "validate":
        layout = load_layout_file(args.file, atlas)
        print(t("cli_layout_valid", args.lang, path=args.file, n=len(layout["corridors"])))
    else:
        diff = diff_layouts(load_layout_file(args.old, atlas), load_layout_file(args.new, atlas))
        if args.json:
            _emit_json(diff)
            return
        for line in diff_lines(diff, args.lang):
            print(line)


def diff_lines(diff: dict, lang: str) -> list[str]:
    """A layout diff as lines a planner reads: + added, - removed, ~ changed."""

    sign = {"added": "+", "removed": "-", "changed": "~"}
    lines = []
    for row in diff_rows(diff):
        mark = sign[row["change"]]
        if row["item"] == "anchor":
            lines.append(f"{mark} anchor {row['after']}")
        elif row["item"] == "corridor" and row["change"] != "changed":
            lines.append(f"{mark} {t('cli_corridor', lang)} {row['corridor']}")
        elif row["item"] == "corridor":
            lines.append(f"~ {row['corridor']}.{row['field']}: {row['before']!r} -> {row['after']!r}")
        elif row["change"] != "changed":
            member = "∋" if row["change"] == "added" else "∌"
            lines.append(f"{mark} {row['corridor']} {member} {row['adcode']} ({row[f'role_{lang}']})")
        else:
            lines.append(f"~ {row['corridor']} / {row['adcode']}.{row['field']}: {row['before']!r} -> {row['after']!r}")
    return lines or [t("cli_layout_same", lang)]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="atlas", description="Suzhou Innovation Atlas (苏州创新格局图集)")
    parser.add_argument("--lang", choices=LANGS, default=DEFAULT_LANG, help=f"output language (default {DEFAULT_LANG})")
    parser.add_argument("--layout", metavar="FILE", help="use this layout file (a scenario) instead of the plan's")
    parser.add_argument(
        "--borders-db",
        metavar="TABLE_OR_VIEW",
        help="replace the ten units' borders with the polygons of this table of ATLAS_DB (matched by code or name)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("units", help="list the ten planning units")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("which", help="corridors of a unit, with its role in each")
    p.add_argument("unit", help="name, code or alias, e.g. 高新区, SIP, 320583")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("members", help="units of a corridor, with their roles")
    p.add_argument("corridor", help="id or name, e.g. huning, 沪宁, 环太湖")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("locate", help="unit and corridors at a point, or of an address")
    p.add_argument("lon", nargs="?", help="longitude (degrees)")
    p.add_argument("lat", nargs="?", help="latitude (degrees)")
    p.add_argument("--address", help="a Chinese or English address instead of a point, e.g. 苏州工业园区星湖街218号")
    p.add_argument("--datum", default="wgs84", help="wgs84 (GPS, OSM), gcj02 (Amap/Tencent), bd09 (Baidu)")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("summary", help="per-corridor summary")
    p.add_argument("--indicators", action="store_true", help="unit statistics and their per-corridor roll-up")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("--csv", action="store_true")
    p = sub.add_parser("db", help="the configured PostGIS database (ATLAS_DB)")
    p.add_argument("action", choices=("tables",), help="tables: the spatial tables and views the role may read")
    p.add_argument("--all", action="store_true", help="also tables without a geometry column (e.g. with addresses)")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("classify", help="classify your point table (CSV/XLSX, or a database table) into units")
    p.add_argument("input", nargs="?", help="a CSV (UTF-8, GBK/GB18030, UTF-16) or XLSX file")
    p.add_argument("--db", metavar="TABLE_OR_VIEW", help="a table or view of ATLAS_DB instead of a file")
    p.add_argument(
        "--filter", action="append", metavar="COLUMN=VALUE", help="with --db: only rows where COLUMN is VALUE"
    )
    p.add_argument("--geometry", metavar="COLUMN", help="with --db: the geometry column (default: the first)")
    p.add_argument(
        "--pull", action="store_true", help="with --db: read the rows and classify them in Python, row by row"
    )
    p.add_argument("-o", "--output", help="classified table, .csv (UTF-8 with BOM) or .xlsx; default under out/")
    p.add_argument("--lon", help="longitude/X column (default: found by name, e.g. lon, lng, 经度)")
    p.add_argument("--lat", help="latitude/Y column (default: found by name, e.g. lat, 纬度)")
    p.add_argument("--name", help="name column (default: found by name, e.g. name, 名称)")
    p.add_argument(
        "--address",
        help="address column, for a table without coordinates (default: found by name, e.g. 地址, 注册地址, 住所)",
    )
    p.add_argument(
        "--crs", help="wgs84 (default for files), gcj02, bd09, cgcs2000, or an EPSG code; --db: the column's SRID"
    )
    p.add_argument("--encoding", help="override the detected text encoding (e.g. gbk, utf-8)")
    p.add_argument("--sheet", help="XLSX sheet (default: the first)")
    p.add_argument("--report", help="also write every rejected or doubtful row to this CSV")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("report", help="a corridor chapter or the whole-city report, as Word (DOCX) or PDF")
    p.add_argument("--corridor", action="append", help="a corridor's chapter (repeatable); default: the whole city")
    p.add_argument("--format", default="docx", choices=REPORT_FORMATS)
    p.add_argument("--template", help="a bureau's own .docx: its styles, page set-up, header and footer are kept")
    p.add_argument("--approval", help="map approval number (审图号) once granted; without it: 'internal use'")
    p.add_argument("-o", "--output", required=True, help="the file to write")
    p = sub.add_parser("export", help="map figures, the interactive map, or the data, into files")
    kinds = p.add_subparsers(dest="what", required=True)
    fig = kinds.add_parser("figure", help="print-quality map figure (PNG, SVG or PDF), EPSG:4549")
    fig.add_argument("--corridor", action="append", help="corridor to show (repeatable; default all six)")
    fig.add_argument("--each-corridor", action="store_true", help="one figure per corridor into a folder")
    fig.add_argument("--sheet", action="store_true", help="one page with a small map per corridor (2 x 3)")
    fig.add_argument("--theme", choices=THEMES, help="fill the units by this indicator (a thematic map)")
    fig.add_argument("--title")
    fig.add_argument("--subtitle")
    fig.add_argument("--paper", default="A4", choices=tuple(PAPERS_MM))
    fig.add_argument("--orientation", default="landscape", choices=ORIENTATIONS)
    fig.add_argument("--dpi", type=int, default=300, help=f"{DPI_RANGE[0]}-{DPI_RANGE[1]} (default 300)")
    fig.add_argument("--format", default="png", choices=FORMATS)
    fig.add_argument(
        "--approval", help="map approval number (审图号) once granted; without it the figure says 'internal use'"
    )
    for layer in LAYERS:
        fig.add_argument(f"--no-{layer}", action="store_true", help=f"leave out {layer}")
    html = kinds.add_parser("html", help="interactive map as one HTML file that opens offline")
    html.add_argument("--corridor", action="append", help="corridor to show (repeatable; default all six)")
    html.add_argument("--approval", help="map approval number (审图号) once granted")
    data = kinds.add_parser("data", help="units, corridors, facilities and tables")
    data.add_argument("--format", required=True, choices=DATA_FORMATS)
    data.add_argument(
        "--crs",
        default="wgs84",
        choices=tuple(CRS_CHOICES),
        help="EPSG:4326, EPSG:4490, EPSG:4549, or GCJ-02 for Amap overlays",
    )
    data.set_defaults(corridor=None)
    lay = sub.add_parser("layout", help="the corridor layout as a file: export, validate, diff")
    actions = lay.add_subparsers(dest="action", required=True)
    q = actions.add_parser("export", help="write the plan's layout (JSON; schema in layers/layout.schema.json)")
    q.add_argument("-o", "--output", help="file (default: print)")
    q = actions.add_parser("validate", help="check a layout file; every problem is listed with its field")
    q.add_argument("file")
    q = actions.add_parser("diff", help="corridors, members and roles added, removed or changed from OLD to NEW")
    q.add_argument("old")
    q.add_argument("new")
    q.add_argument("--json", action="store_true")
    for q in (fig, html, data):
        q.add_argument("-o", "--output", help="file (or folder with --each-corridor); default under out/")
        q.add_argument("--json", action="store_true")
    _lang_anywhere(parser)
    return parser


def _lang_anywhere(parser: argparse.ArgumentParser) -> None:
    """``--lang`` after a command too (``atlas db tables --lang en``), as planners type it; given
    before the command it is the default of every command below."""
    for action in parser._subparsers._group_actions if parser._subparsers else ():
        for command in getattr(action, "choices", {}).values():
            command.add_argument("--lang", choices=LANGS, default=argparse.SUPPRESS, help="output language")
            _lang_anywhere(command)


COMMANDS = {
    "units": cmd_units,
    "which": cmd_which,
    "members": cmd_members,
    "locate": cmd_locate,
    "summary": cmd_summary,
    "export": cmd_export,
    "report": cmd_report,
    "classify": cmd_classify,
    "db": cmd_db,
    "layout": cmd_layout,
}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings.current()  # a bad setting is named before anything reads it
        atlas = layers.load_atlas()
        if args.borders_db:
            with connect(_database()) as connection:
                atlas = atlas_with_borders(connection, find_table(connection, args.borders_db), [], atlas)
        if args.layout:
            atlas = atlas_with_layout(atlas, load_layout_file(args.layout, atlas))
        COMMANDS[args.command](atlas, args)
    except AtlasError as exc:
        if getattr(args, "json", False):
            _emit_json({"error": str(exc), "error_zh": exc.message("zh")})
        label = t("cli_db_error" if isinstance(exc, DatabaseError) else "cli_error", args.lang)
        print(f"atlas: {label}: {exc.message(args.lang)}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
