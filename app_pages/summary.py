"""Summary page: per-corridor and per-unit tables and charts, imported points counted, the layout matrix."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

import layers
from app_pages import session
from app_pages.common import category_label, corridor_label, for_display, unit_label, with_marked_cell
from presentation.i18n import DERIVED_MARK, t
from presentation.media import media_type
from presentation.style import CATEGORY_COLOURS
from safety.markup import markdown as md
from safety.spreadsheet import csv_bytes
from spatial.summary import layout_matrix, point_counts


def scenario_csv(table: pd.DataFrame, ws) -> bytes:
    """A summary table as CSV; while a scenario is in force its first column says so on every row,
    so a table pasted into a report is never taken for the plan's."""
    if ws.scenario is None:
        return csv_bytes(table)
    L = session.lang()
    label = t("scenario_title", L, name=ws.scenario)
    column = pd.DataFrame({t("sc_col_scenario", L): [label] * len(table)}, index=table.index)
    return csv_bytes(pd.concat([column, table], axis=1))


def csv_name(stem: str, ws) -> str:
    return f"{'scenario_' if ws.scenario is not None else ''}{stem}_{session.lang()}.csv"


def corridor_table(summary: pd.DataFrame, categories: list[str]) -> pd.DataFrame:
    L = session.lang()
    out = pd.DataFrame(
        {
            t("col_id", L): summary["id"],
            t("col_corridor", L): summary[f"name_{L}"],
            t("col_kind", L): [t(f"corridor_kind_{k}", L) for k in summary["kind"]],
            t("col_member_count", L): summary["member_count"],
            t("col_members", L): summary[f"members_{L}"],
            t("col_band", L): summary["band_km"],
            t("col_footprint", L): summary["footprint_land_km2"],
            t("col_members_land", L): summary["members_land_km2"],
            t("col_spine", L): summary["spine_length_km"],
            t("col_spine_precision", L): [t(f"precision_{p}", L) for p in summary["spine_precision"]],
            t("col_facilities", L): summary["facilities_total"],
        }
    )
    for cat in categories:
        out[category_label(cat)] = summary[f"n_{cat.replace(' ', '_')}"]
    return out


def unit_table(summary: pd.DataFrame, atlas) -> pd.DataFrame:
    L = session.lang()
    joiner = "、" if L == "zh" else ", "
    return pd.DataFrame(
        {
            t("col_adcode", L): summary["adcode"],
            t("col_unit", L): summary[f"name_{L}"],
            t("col_kind", L): [t(f"kind_{k}", L) for k in summary["kind"]],
            t("col_area_measured", L): summary["area_measured_km2"],
            t("col_land", L): summary["land_area_km2"],
            t("col_water", L): summary["water_area_km2"],
            t("col_area_published", L): pd.to_numeric(summary["area_published_km2"], errors="coerce"),
            t("col_land_published", L): atlas.units.set_index("adcode")
            .loc[summary["adcode"], "land_published_km2"]
            .to_numpy(),
            t("col_corridors", L): [
                joiner.join(corridor_label(atlas, c) for c in ids.split("|") if c) for ids in summary["corridors"]
            ],
            t("col_facilities", L): summary["facilities"],
        }
    )


def matrix_table(atlas) -> pd.DataFrame:
    """The units x corridors matrix with the session's labels (rows: units, columns: corridors)."""
    L = session.lang()
    matrix = layout_matrix(atlas.units, atlas.corridors, atlas.members, lang=L)
    ids = list(atlas.corridors["id"])
    shown = matrix[ids].rename(columns={cid: corridor_label(atlas, cid) for cid in ids})
    shown.index = [unit_label(atlas, code) for code in matrix["adcode"]]
    return shown


def imported_points_section(ws) -> None:
    L = session.lang()
    atlas = ws.atlas
    st.subheader(t("im_summary_title", L))
    report = ws.points.report
    st.caption(md(ws.points.name))
    st.caption(
        t(
            "im_counted",
            L,
            counted=report.accepted,
            rows=report.rows,
            doubtful=report.doubtful,
            rejected=report.rejected,
        )
    )
    placed_by = ws.points.table.get("atlas_precision", pd.Series(dtype=object)).value_counts()
    by_town, by_unit = int(placed_by.get("address-town", 0)), int(placed_by.get("address-unit", 0))
    if by_town or by_unit:
        st.caption(t("im_counted_by_address", L, town=by_town, unit=by_unit))
    per_corridor, per_unit = point_counts(
        ws.points.table["atlas_adcode"], units=atlas.units, corridors=atlas.corridors, members=atlas.members
    )
    c1, c2 = st.columns(2)
    c1.dataframe(
        pd.DataFrame({t("col_corridor", L): per_corridor[f"name_{L}"], t("col_points", L): per_corridor["points"]}),
        hide_index=True,
        width="stretch",
    )
    c2.dataframe(
        pd.DataFrame({t("col_unit", L): per_unit[f"name_{L}"], t("col_points", L): per_unit["points"]}),
        hide_index=True,
        width="stretch",
    )


def indicator_tables(report, atlas) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The unit table (units and the city), the corridor table and the sources table, labelled in the UI language."""
    L = session.lang()
    keys = list(report.units.columns)
    names = dict(zip(atlas.units["adcode"], atlas.units[f"name_{L}"], strict=True))
    units = pd.DataFrame({t("col_unit", L): [names[c] for c in report.units.index]})
    for key in keys:
        units[t(f"ind_{key}", L)] = report.units[key].to_numpy()
    city = {t("col_unit", L): t("ind_city", L)} | {t(f"ind_{k}", L): report.city.get(k) for k in keys}
    units = pd.concat([units, pd.DataFrame([city])], ignore_index=True)
    corridor_names = dict(zip(atlas.corridors["id"], atlas.corridors[f"name_{L}"], strict=True))
    corridors = pd.DataFrame({t("col_corridor", L): [corridor_names[c] for c in report.corridors["id"]]})
    for key in keys:
        if f"{key}_sum" not in report.corridors or report.corridors[f"{key}_sum"].isna().all():
            continue  # no corridor has a complete sum: no always-empty columns
        label = t(f"ind_{key}", L)
        corridors[label] = report.corridors[f"{key}_sum"].round(2).to_numpy()
        corridors[f"{label} · {t('ind_share', L)}"] = (
            (report.corridors[f"{key}_share_of_city"] * 100)
            .round(1)
            .map(lambda v: f"{v:.1f}%" if v == v else None)
            .to_numpy()
        )
        corridors[f"{label} · {t('ind_per_km2', L)}"] = report.corridors[f"{key}_per_km2_land"].round(3).to_numpy()
    density = report.corridors["plan_facilities_per_100km2_land"]
    corridors[t("ind_facilities_per_100km2", L)] = density.round(2).to_numpy()
    names_with_city = names | {"320500": t("ind_city", L)}
    sources = pd.DataFrame(
        {
            t("col_unit", L): [names_with_city.get(c, c) for c in report.rows["adcode"]],
            t("ind_indicator", L): [t(f"ind_{k}", L) for k in report.rows["indicator"]],
            t("ind_value", L): report.rows["value"].to_numpy(),
            t("ind_year", L): report.rows["year"].to_numpy(),
            t("ind_method", L): [t(f"ind_method_{m}", L) for m in report.rows["method"].replace("", "published")],
            t("source", L): report.rows["source"].to_numpy(),
            t("ind_source_kind", L): report.rows["source_kind"].to_numpy(),
            t("note", L): report.rows["note"].to_numpy(),
        }
    )
    return units, corridors, sources


def derived_marked(units: pd.DataFrame, report, atlas) -> tuple[pd.DataFrame, list[str]]:
    """The unit table for the screen with each derived value marked (†), and what each mark means;
    the downloaded CSV keeps plain numbers and says the method in the sources table."""
    L = session.lang()
    shown = for_display(units)
    names = dict(zip(atlas.units["adcode"], atlas.units[f"name_{L}"], strict=True))
    order = list(report.units.index)
    notes = []
    for row in report.rows.loc[report.rows["method"] == "derived"].itertuples(index=False):
        if row.adcode not in order:
            continue
        column = t(f"ind_{row.indicator}", L)
        shown = with_marked_cell(shown, column, order.index(row.adcode), f"{row.value:g} {DERIVED_MARK}")
        notes.append(t("ind_derived_note", L, unit=names[row.adcode], indicator=column, year=row.year))
    return shown, notes


def indicators_section(ws) -> None:
    L = session.lang()
    report = ws.derived.indicator_report()
    units, corridors, sources = indicator_tables(report, ws.atlas)
    st.subheader(t("s_indicators", L))
    st.caption(
        t("ind_caveat", L, years="、".join(map(str, report.years)) if L == "zh" else ", ".join(map(str, report.years)))
    )
    shown, derived = derived_marked(units, report, ws.atlas)
    st.dataframe(shown, hide_index=True, width="stretch")
    for note in derived:
        st.caption(md(f"{DERIVED_MARK} {note}"))
    st.dataframe(for_display(corridors), hide_index=True, width="stretch")
    with st.expander(t("ind_sources", L)):
        st.dataframe(for_display(sources), hide_index=True, width="stretch")
    c1, c2, c3 = st.columns(3)
    for column, (name, table) in zip(
        (c1, c2, c3),
        (("unit_indicators", units), ("corridor_indicators", corridors), ("indicator_sources", sources)),
        strict=True,
    ):
        column.download_button(
            f"{t('download_csv', L)}: {name}_{L}.csv",
            scenario_csv(table, ws),
            file_name=csv_name(name, ws),
            mime=media_type("csv"),
            key=f"dl_{name}",
            on_click="ignore",
        )


def areas_chart(table: pd.DataFrame):
    """Each corridor's footprint next to its members' land, corridors in the plan's order."""

    L = session.lang()
    corridor, measure, km2 = t("col_corridor", L), t("s_chart_measure", L), t("s_chart_km2", L)
    areas = [t("col_footprint", L), t("col_members_land", L)]
    long = table[[corridor, *areas]].melt(id_vars=[corridor], var_name=measure, value_name=km2)
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y(f"{corridor}:N", sort=list(table[corridor]), title=None),
            yOffset=alt.YOffset(f"{measure}:N", sort=areas),
            x=alt.X(f"{km2}:Q", title=km2),
            color=alt.Color(f"{measure}:N", sort=areas, legend=alt.Legend(orient="bottom", title=None, labelLimit=300)),
        )
    )


def facilities_chart(table: pd.DataFrame, present: list[str]):
    """Facilities per corridor stacked by category, with the whole legend in columns under the chart
    (Streamlit's own bar chart cut the legend off after six categories)."""

    L = session.lang()
    corridor, count, category = t("col_corridor", L), t("s_chart_count", L), t("category", L)
    labels = [category_label(c) for c in present]
    long = table[[corridor, *labels]].melt(id_vars=[corridor], var_name=category, value_name=count)
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y(f"{corridor}:N", sort=list(table[corridor]), title=None),
            x=alt.X(f"{count}:Q", title=count),
            color=alt.Color(
                f"{category}:N",
                scale=alt.Scale(domain=labels, range=[CATEGORY_COLOURS[c] for c in present]),
                legend=alt.Legend(orient="bottom", columns=3, title=None, labelLimit=200),
            ),
            order=alt.Order(f"{category}:N"),
        )
    )


def render() -> None:
    ws = session.workspace()
    atlas = ws.atlas
    L = session.lang()
    if ws.borders is not None:
        st.info(t("borders_in_use", L, name=md(ws.borders)))
    st.subheader(t("s_corridors", L))
    present = layers.present_categories(atlas.facilities)  # a category with no facility is no column
    table = corridor_table(ws.derived.corridor_summary(), present)
    st.dataframe(table, hide_index=True, width="stretch")
    st.download_button(
        t("download_csv", L),
        scenario_csv(table, ws),
        file_name=csv_name("corridor_summary", ws),
        mime=media_type("csv"),
        key="dl_corridors",
        on_click="ignore",
    )
    st.caption(t("summary_note", L))
    if ws.scenario is not None:  # the note's widths are the plan's defaults
        st.caption(t("sc_summary_band_note", L))
    c1, c2 = st.columns(2)
    with c1:
        st.markdown(f"**{t('s_chart_area', L)}**")
        st.altair_chart(areas_chart(table), width="stretch")
    with c2:
        st.markdown(f"**{t('s_chart_facilities', L)}**")
        st.altair_chart(facilities_chart(table, present), width="stretch")

    st.subheader(t("s_units", L))
    units = unit_table(ws.derived.unit_summary(), atlas)
    st.dataframe(for_display(units), hide_index=True, width="stretch")
    st.download_button(
        t("download_csv", L),
        scenario_csv(units, ws),
        file_name=csv_name("unit_summary", ws),
        mime=media_type("csv"),
        key="dl_units",
        on_click="ignore",
    )

    indicators_section(ws)

    if ws.points is not None:
        imported_points_section(ws)

    st.subheader(t("s_matrix", L))
    matrix = matrix_table(atlas)
    st.dataframe(matrix, width="stretch")
    st.download_button(
        t("download_csv", L),
        scenario_csv(matrix.rename_axis(t("col_unit", L)).reset_index(), ws),
        file_name=csv_name("layout_matrix", ws),
        mime=media_type("csv"),
        key="dl_matrix",
        on_click="ignore",
    )


render()
