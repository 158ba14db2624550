"""What a report says: a corridor chapter, and the whole-city report, as a :class:`Document`.

Every number comes from the same functions as ``atlas summary --indicators --json`` and the
Summary page (``layers.indicators.indicator_report``, ``spatial.summary``), for the layout in
force; every value names its source by number. The plan is summarised in the project's own
words with its section cited, never quoted. A scenario is labelled on the cover and in every
caption, never as the plan.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

import pandas as pd

from atlas_core.errors import ReportError
from exports.figure import FigureSpec, render_corridor_sheet, render_figure
from layers.facilities import FACILITY_CATEGORIES
from layers.indicators import INDICATORS, indicator_report
from layers.sources import UNDATED, load_sources, read_at_urls, split_ids
from presentation.i18n import DERIVED_MARK, LANGS, approval_note, capitalised, pick, t, with_article
from reports.document import Block, Document, Figure, Heading, Paragraph, Source, Table, numbered
from spatial.summary import corridor_summary, layout_matrix

FIGURE_DPI = 300  # as a report prints it
Render = Callable[..., bytes]


class _Citations:
    """Sources numbered in the order they are first cited: [1], [2], …"""

    def __init__(self) -> None:
        self.sources: list[Source] = []

    def cite(self, source: Source) -> str:
        if source not in self.sources:
            self.sources.append(source)
        return f"[{self.sources.index(source) + 1}]"


def _number(value: float, digits: int = 2) -> str:
    """A value as a report prints it: thousands separated, ``digits`` decimals, '—' when missing.

    >>> _number(24653.4), _number(float("nan")), _number(0.35, 1)
    ('24,653.40', '—', '0.3')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:,.{digits}f}"


def _percent(share: float) -> str:
    return "—" if share is None or math.isnan(share) else f"{share * 100:.1f}%"


def _scenario_label(atlas, lang: str) -> str:
    return t("scenario_title", lang, name=atlas.scenario) if atlas.scenario is not None else ""


def _captioned(caption: str, atlas, lang: str) -> str:
    """A caption; a scenario's says so in every one."""
    label = _scenario_label(atlas, lang)
    return f"{caption}（{label}）" if label and lang == "zh" else f"{caption} ({label})" if label else caption


def _plan_source(atlas, lang: str) -> Source:
    return Source(title=t("rp_plan_title", lang), date="2025")


# ---------------------------------------------------------------- a corridor's sections


def _requirements(corridor, functions: pd.DataFrame, lang: str, cite: _Citations, atlas) -> list[Block]:
    """What the plan asks of the corridor, in the project's words, its section cited."""
    ref = cite.cite(_plan_source(atlas, lang))
    summary = capitalised(pick(corridor, lang, "summary"))  # now the sentence's start
    text = t("rp_plan_asks", lang, summary=summary, section=corridor.plan_section, ref=ref)
    roles = [pick(row, lang, "function") for row in functions.itertuples(index=False)]
    blocks: list[Block] = [Heading(t("rp_requirements", lang), 2), Paragraph(text)]
    if roles:
        blocks.append(Paragraph(t("rp_functions", lang, functions=("、" if lang == "zh" else "; ").join(roles))))
    return blocks


def _members_table(atlas, corridor_id: str, lang: str) -> Table:
    members = atlas.members.loc[atlas.members["corridor_id"] == corridor_id]
    names = dict(zip(atlas.units["adcode"], atlas.units[f"name_{lang}"], strict=True))
    rows = tuple(
        (names.get(m.adcode, m.adcode), pick(m, lang, "role"), pick(m, lang, "group"))
        for m in members.itertuples(index=False)
    )
    header = (t("rp_unit", lang), t("rp_role", lang), t("rp_group", lang))
    return Table(_captioned(t("rp_members_caption", lang), atlas, lang), header, rows)


def _land(summary_row, corridor, lang: str) -> Paragraph:
    return Paragraph(
        t(
            "rp_land",
            lang,
            band=_number(float(summary_row.band_km), 1),
            footprint=_number(float(summary_row.footprint_land_km2), 1),
            members=_number(float(summary_row.members_land_km2), 1),
            spine=pick(corridor, lang, "spine_feature") if lang == "zh" else with_article(corridor["spine_feature_en"]),
            precision=t(f"precision_{corridor.spine_precision}", lang),
        )
    )


def _source(row) -> Source:
    """A report's source from a row of geodata/sources.csv: the publisher's document, and the copy read."""
    return Source(
        title=f"{row['publisher']}《{row['title']}》",
        url=row["url"],
        date="" if row["date"] == UNDATED else row["date"],
        read_at="; ".join(read_at_urls(row["read_at"])),
    )


def _indicator_table(atlas, corridor_id: str, lang: str, cite: _Citations, report) -> list[Block]:
    """Members' sums, share of the city, density per km² of land, year and source of each."""
    sources = load_sources().set_index("source_id")
    row = report.corridors.set_index("id").loc[corridor_id]
    members = list(atlas.members.loc[atlas.members["corridor_id"] == corridor_id, "adcode"])
    chosen = report.rows
    rows = []
    for key, spec in INDICATORS.items():
        if not spec.additive or f"{key}_sum" not in row:
            continue
        used = chosen.loc[(chosen["indicator"] == key) & chosen["adcode"].isin(members)]
        refs = " ".join(
            dict.fromkeys(
                cite.cite(_source(sources.loc[sid]))
                for r in used.itertuples(index=False)
                for sid in split_ids(r.source_id)
            )
        )
        years = sorted({str(y) for y in used["year"]})
        marked = (used["method"] == "derived").any() and not math.isnan(row[f"{key}_sum"])
        rows.append(
            (
                t(f"ind_{key}", lang),
                f"{_number(row[f'{key}_sum'])} {DERIVED_MARK}" if marked else _number(row[f"{key}_sum"]),
                _percent(row[f"{key}_share_of_city"]),
                _number(row[f"{key}_per_km2_land"], 3),
                "、".join(years) if lang == "zh" else ", ".join(years),
                refs,
            )
        )
    header = (
        t("ind_indicator", lang),
        t("rp_members_sum", lang),
        t("ind_share", lang),
        t("ind_per_km2", lang),
        t("ind_year", lang),
        t("rp_source", lang),
    )
    table = Table(
        _captioned(t("rp_indicators_caption", lang), atlas, lang),
        header,
        tuple(rows),
        numeric=(False, True, True, True, False, False),
    )
    caveat = Paragraph(t("rp_caveat", lang), note=True)
    return [table, caveat, *_derived_notes(atlas, report, members, lang)]


def _derived_notes(atlas, report, adcodes, lang: str) -> list[Paragraph]:
    """A note under a table for each derived value among ``adcodes``' chosen values: which, and how."""
    names = dict(zip(atlas.units["adcode"], atlas.units[f"name_{lang}"], strict=True))
    derived = report.rows.loc[(report.rows["method"] == "derived") & report.rows["adcode"].isin(adcodes)]
    return [
        Paragraph(
            f"{DERIVED_MARK} "
            + t("ind_derived_note", lang, unit=names[r.adcode], indicator=t(f"ind_{r.indicator}", lang), year=r.year),
            note=True,
        )
        for r in derived.itertuples(index=False)
    ]


def _facilities_table(atlas, corridor_id: str, lang: str) -> Table:
    members = set(atlas.members.loc[atlas.members["corridor_id"] == corridor_id, "adcode"])
    facilities = atlas.facilities.loc[atlas.facilities["adcode"].isin(members)]
    names = dict(zip(atlas.units["adcode"], atlas.units[f"name_{lang}"], strict=True))
    order = {c: i for i, c in enumerate(FACILITY_CATEGORIES)}
    facilities = facilities.sort_values(by="category", key=lambda s: s.map(order), kind="stable")
    rows = tuple(
        (pick(f, lang), t(f"cat_{f.category}", lang), names.get(f.adcode, f.adcode), t(f"prec_{f.precision}", lang))
        for f in facilities.itertuples(index=False)
    )
    header = (t("rp_name", lang), t("rp_category", lang), t("rp_unit", lang), t("rp_precision", lang))
    return Table(_captioned(t("rp_facilities_caption", lang), atlas, lang), header, rows)


def _imported_table(atlas, corridor_id: str, lang: str, imported: pd.DataFrame) -> Table:
    """A planner's imported layer summarised per member unit (``imported``: adcode -> one column per layer)."""
    members = list(atlas.members.loc[atlas.members["corridor_id"] == corridor_id, "adcode"])
    names = dict(zip(atlas.units["adcode"], atlas.units[f"name_{lang}"], strict=True))
    counts = imported.reindex(members).fillna(0)
    rows = tuple((names.get(code, code), *(f"{int(v):,}" for v in counts.loc[code])) for code in members)
    header = (t("rp_unit", lang), *map(str, imported.columns))
    numeric = (False, *(True for _ in imported.columns))
    return Table(_captioned(t("rp_imported_caption", lang), atlas, lang), header, rows, numeric=numeric)


def corridor_blocks(
    atlas,
    corridor_id: str,
    *,
    lang: str,
    cite: _Citations,
    render: Render = render_figure,
    dpi: int = FIGURE_DPI,
    imported: pd.DataFrame | None = None,
    report=None,
    summary: pd.DataFrame | None = None,
    date: str,
    approval: str = "",
) -> list[Block]:
    """The blocks of one corridor's chapter (its heading first). ``report`` and ``summary``: the
    indicator report and corridor summary when the caller has them (a report of several chapters)."""
    corridors = atlas.corridors.set_index("id")
    if corridor_id not in corridors.index:
        raise ReportError(
            f"unknown corridor {corridor_id!r}; known: {', '.join(corridors.index)}",
            zh=f"未知走廊 {corridor_id!r}；可选：{'、'.join(corridors.index)}",
        )
    corridor = corridors.loc[corridor_id]
    report = report if report is not None else indicator_report(atlas)
    summary = summary if summary is not None else _summary(atlas)
    summary_row = next(r for r in summary.itertuples(index=False) if r.id == corridor_id)
    functions = atlas.functions.loc[atlas.functions["corridor_id"] == corridor_id]
    spec = FigureSpec(
        corridors=(corridor_id,), focus=corridor_id, lang=lang, dpi=dpi, date=date, approval=approval, fmt="png"
    )
    blocks: list[Block] = [Heading(pick(corridor, lang), 1)]
    blocks += _requirements(corridor, functions, lang, cite, atlas)
    blocks += [
        Figure(render(atlas, spec), _captioned(t("rp_figure_caption", lang, name=pick(corridor, lang)), atlas, lang)),
        Heading(t("rp_members", lang), 2),
        _members_table(atlas, corridor_id, lang),
        _land(summary_row, corridor, lang),
        Heading(t("rp_indicators", lang), 2),
        *_indicator_table(atlas, corridor_id, lang, cite, report),
        Heading(t("rp_facilities", lang), 2),
        _facilities_table(atlas, corridor_id, lang),
    ]
    if imported is not None and len(imported.columns):
        blocks += [Heading(t("rp_imported", lang), 2), _imported_table(atlas, corridor_id, lang, imported)]
    return blocks


# ---------------------------------------------------------------- the documents


def _summary(atlas) -> pd.DataFrame:
    return corridor_summary(atlas.corridors, atlas.units, atlas.facilities, categories=FACILITY_CATEGORIES)


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ReportError(f"language must be zh or en; got {lang!r}", zh=f"语言须为 zh 或 en；收到 {lang!r}")


def corridor_chapter(
    atlas,
    corridor_id: str,
    *,
    lang: str = "zh",
    date: str,
    approval: str = "",
    imported: pd.DataFrame | None = None,
    render: Render = render_figure,
    dpi: int = FIGURE_DPI,
) -> Document:
    """One corridor's chapter: the plan's ask, its figure, members and roles, land, indicators,
    plan-named facilities, a planner's imported layers (when given), and its numbered sources."""
    _check_lang(lang)
    cite = _Citations()
    blocks = corridor_blocks(
        atlas,
        corridor_id,
        lang=lang,
        cite=cite,
        render=render,
        dpi=dpi,
        imported=imported,
        date=date,
        approval=approval,
    )
    title = pick(atlas.corridors.set_index("id").loc[corridor_id], lang)
    return numbered(
        Document(
            title=title,
            lang=lang,
            date=date,
            note=approval_note(approval, lang),
            subtitle=_scenario_label(atlas, lang),
            blocks=tuple(blocks[1:]),  # the title is the chapter's heading
            sources=tuple(cite.sources),
        )
    )


def _overview(atlas, lang: str, *, date: str, approval: str, dpi: int, render, render_sheet, report) -> list[Block]:
    spec = FigureSpec(lang=lang, dpi=dpi, date=date, approval=approval, fmt="png")
    matrix = layout_matrix(atlas.units, atlas.corridors, atlas.members, lang=lang)
    names = {c.id: pick(c, lang) for c in atlas.corridors.itertuples(index=False)}
    joiner, colon = ("；", "：") if lang == "zh" else ("; ", ": ")
    header = (t("rp_unit", lang), t("rp_corridors_roles", lang))
    rows = tuple(
        (
            getattr(r, f"name_{lang}"),
            joiner.join(f"{names[cid]}{colon}{getattr(r, cid)}" for cid in names if getattr(r, cid)),
        )
        for r in matrix.itertuples()
    )
    city = report.city
    totals = tuple(
        (t(f"ind_{key}", lang), _number(float(city.get(key, math.nan))))
        for key, spec_ in INDICATORS.items()
        if spec_.additive and key in city
    )
    return [
        Heading(t("rp_overview", lang), 1),
        Figure(render(atlas, spec), _captioned(t("rp_layout_caption", lang), atlas, lang)),
        Figure(
            render_sheet(atlas, dataclasses.replace(spec, dpi=min(dpi, 200))),
            _captioned(t("rp_sheet_caption", lang), atlas, lang),
        ),
        Table(_captioned(t("rp_matrix_caption", lang), atlas, lang), header, rows),
        Table(
            _captioned(t("rp_city_caption", lang), atlas, lang),
            (t("ind_indicator", lang), t("ind_value", lang)),
            totals,
            numeric=(False, True),
        ),
    ]


def _appendix(lang: str, report) -> list[Block]:
    derived = (report.rows["method"] == "derived").any()
    return [
        Heading(t("rp_appendix", lang), 1),
        Paragraph(t("rp_method_measured", lang)),
        Paragraph(t("rp_method_published", lang)),
        *([Paragraph(t("rp_method_derived", lang, mark=DERIVED_MARK))] if derived else []),
        Paragraph(t("rp_method_approximate", lang)),
    ]


def city_report(
    atlas,
    *,
    lang: str = "zh",
    date: str,
    approval: str = "",
    imported: pd.DataFrame | None = None,
    render: Render = render_figure,
    render_sheet: Render = render_corridor_sheet,
    dpi: int = FIGURE_DPI,
    progress: Callable[[float], None] | None = None,
) -> Document:
    """The whole city: an overview (layout figure, six-corridor sheet, units × corridors, city
    totals), one chapter per corridor in the layout's order, and an appendix on sources and methods."""
    _check_lang(lang)
    cite = _Citations()
    report = indicator_report(atlas)
    summary = _summary(atlas)
    blocks = _overview(
        atlas, lang, date=date, approval=approval, dpi=dpi, render=render, render_sheet=render_sheet, report=report
    )
    ids = list(atlas.corridors["id"])
    chapters = {
        "lang": lang,
        "cite": cite,
        "render": render,
        "dpi": dpi,
        "imported": imported,
        "date": date,
        "approval": approval,
    }
    blocks += _chapters(atlas, ids, report=report, summary=summary, progress=progress, **chapters)
    blocks += _appendix(lang, report)
    return numbered(
        Document(
            title=t("rp_city_title", lang),
            lang=lang,
            date=date,
            note=approval_note(approval, lang),
            subtitle=_scenario_label(atlas, lang),
            blocks=tuple(blocks),
            sources=tuple(cite.sources),
            contents=True,
        )
    )


def _chapters(atlas, ids: list[str], *, report, summary, progress=None, **options) -> list[Block]:
    """The chapters of ``ids`` in that order, sharing one indicator report, corridor summary and
    source list (``options``: as :func:`corridor_blocks` takes them); ``progress`` after each."""
    blocks: list[Block] = []
    for done, cid in enumerate(ids, start=1):
        blocks += corridor_blocks(atlas, cid, report=report, summary=summary, **options)
        if progress is not None:
            progress(done / (len(ids) + 1))
    return blocks


def corridor_chapters(
    atlas,
    corridor_ids: list[str],
    *,
    lang: str = "zh",
    date: str,
    approval: str = "",
    imported: pd.DataFrame | None = None,
    render: Render = render_figure,
    dpi: int = FIGURE_DPI,
) -> Document:
    """One chapter (one corridor), or several chapters in one document with one source list."""
    if len(corridor_ids) == 1:
        return corridor_chapter(
            atlas, corridor_ids[0], lang=lang, date=date, approval=approval, imported=imported, render=render, dpi=dpi
        )
    _check_lang(lang)
    cite = _Citations()
    ids = list(dict.fromkeys(corridor_ids))
    chapters = {
        "lang": lang,
        "cite": cite,
        "render": render,
        "dpi": dpi,
        "imported": imported,
        "date": date,
        "approval": approval,
    }
    blocks = _chapters(atlas, ids, report=indicator_report(atlas), summary=_summary(atlas), **chapters)
    names = [pick(atlas.corridors.set_index("id").loc[cid], lang) for cid in dict.fromkeys(corridor_ids)]
    return numbered(
        Document(
            title=("、" if lang == "zh" else "; ").join(names),
            lang=lang,
            date=date,
            note=approval_note(approval, lang),
            subtitle=_scenario_label(atlas, lang),
            blocks=tuple(blocks),
            sources=tuple(cite.sources),
            contents=True,
        )
    )
