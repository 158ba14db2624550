"""Map page: corridors, units, facilities and imported layers; click a unit or a facility to identify it."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import layers
from app_pages import session
from app_pages.common import (
    category_label,
    corridor_label,
    current_basemap,
    facility_table,
    plan_section_label,
    unit_label,
)
from atlas_web.basemaps import BASEMAPS
from atlas_web.mapview import MapView
from atlas_web.selection import click_signature, interpret_click
from atlas_web.webmap import build_map, selection_group, workspace_groups
from presentation.i18n import pick, t
from presentation.themes import NO_THEME, THEMES, chosen_theme
from safety.markup import markdown as md
from spatial.query import corridors_of_unit

MAP_HEIGHT = 640
LAST_CLICK_KEY = "_map_last_click"


def controls(atlas) -> None:
    """The map's pickers, in the sidebar; their values live in the session's view."""
    L = session.lang()
    with st.sidebar:
        st.divider()
        session.bound(
            st.multiselect,
            "corridors",
            t("corridors_shown", L),
            list(atlas.corridors["id"]),
            format_func=lambda cid: corridor_label(atlas, cid, L),
        )
        session.bound(
            st.multiselect,
            "cats",
            t("categories_shown", L),
            layers.present_categories(atlas.facilities),
            format_func=lambda cat: category_label(cat, L),
        )
        session.bound(
            st.selectbox,
            "theme",
            t("theme", L),
            [NO_THEME, *THEMES],
            format_func=lambda key: t("theme_none", L) if key == NO_THEME else t(f"ind_{key}", L),
        )
        session.bound(st.selectbox, "basemap", t("basemap", L), BASEMAPS, format_func=lambda b: t(f"basemap_{b}", L))
        if session.view().basemap == "custom":
            session.bound(st.text_input, "custom_url", t("custom_url", L), help=t("custom_url_help", L))
            session.bound(
                st.selectbox,
                "custom_datum",
                t("custom_datum", L),
                ("wgs84", "gcj02"),
                format_func=lambda d: t(f"datum_{d}", L),
            )


def apply_click(result: dict | None, display, ws) -> bool:
    """Apply a new map click (not one already seen) to the selection; True when it changed."""
    signature = click_signature(result)
    seen = st.session_state.get(LAST_CLICK_KEY)
    st.session_state[LAST_CLICK_KEY] = signature
    if seen is None or seen == signature:
        return False  # first render of this map, or nothing new
    selection = interpret_click(result, display=display, atlas=ws.atlas, grid=ws.derived.grid())
    if selection is None:
        return False
    before = (session.view().unit, session.view().fac)
    session.select(selection.unit, selection.facility, outside=selection.outside)
    return (selection.unit, selection.facility) != before


def unit_panel(ws, adcode: str) -> None:
    L = session.lang()
    atlas = ws.atlas
    row = atlas.units.loc[atlas.units["adcode"] == adcode].iloc[0]
    summary = ws.derived.unit_summary().set_index("adcode").loc[adcode]
    st.subheader(md(pick(row, L)))
    st.caption(f"{md(row['name_en'] if L == 'zh' else row['name_zh'])} · {md(adcode)}")
    published = pd.to_numeric(pd.Series([summary["area_published_km2"]]), errors="coerce").iloc[0]
    lines = [
        f"- **{t('kind', L)}**: {t('kind_' + row['kind'], L)}",
        f"- **{t('area_measured', L)}**: {summary['area_measured_km2']:.1f} {t('km2', L)}"
        f" ({t('land_water', L, land=summary['land_area_km2'], water=summary['water_area_km2'])})",
    ]
    if not pd.isna(published):
        lines.append(f"- **{t('area_published', L)}**: {published:g} {t('km2', L)}")
        lines.append(f"  - {t('source', L)}: {md(row['area_source'])}")  # the publisher's document, the copy apart
    land = row["land_published_km2"]
    if not pd.isna(land):
        lines.append(f"- **{t('land_published', L)}**: {land:g} {t('km2', L)}")
        lines.append(f"  - {t('source', L)}: {md(row['land_source'])}")
    st.markdown("\n".join(lines))
    found = corridors_of_unit(adcode, units=atlas.units, corridors=atlas.corridors, members=atlas.members)
    st.markdown(f"**{t('in_corridors', L)}**")
    if found["corridors"]:
        st.markdown(
            "\n".join(
                f"- **{md(pick(e['corridor'], L))}**: {md(e['role'][f'role_{L}'])} · {md(e['group'][f'group_{L}'])}"
                for e in found["corridors"]
            )
        )
    else:
        st.write(t("in_no_corridor", L))
    mine = atlas.facilities.loc[atlas.facilities["adcode"] == adcode]
    if not mine.empty:
        st.markdown(f"**{t('facilities_here', L)}**")
        st.dataframe(facility_table(mine, atlas), hide_index=True, width="stretch")


def facility_panel(ws, facility_id: str) -> None:
    L = session.lang()
    atlas = ws.atlas
    row = atlas.facilities.loc[atlas.facilities["facility_id"] == facility_id].iloc[0]
    st.subheader(md(pick(row, L)))
    record = {
        t("name_zh", L): row["name_zh"],
        t("name_en", L): row["name_en"],
        t("category", L): category_label(row["category"]),
        t("unit", L): unit_label(atlas, row["adcode"]),
        t("precision", L): t(f"prec_{row['precision']}", L),
        t("datum", L): row["source_datum"] or "—",
        t("source", L): f"{row['source']} ({t('kind_' + row['source_kind'], L)})",
        t("coord_source", L): row["coord_source"] or "—",
        t("plan_section", L): plan_section_label(row["plan_section"], L),
        t("note", L): row[f"note_{L}"],
        "WGS84": "—" if row.geometry is None else f"{row.geometry.x:.5f}, {row.geometry.y:.5f}",
    }
    st.markdown("\n".join(f"- **{md(key)}**: {md(value)}" for key, value in record.items()))


def selection_panel(ws) -> None:
    L = session.lang()
    view = session.view()
    st.caption(t("map_help", L))
    if view.fac:
        facility_panel(ws, view.fac)
    elif view.unit:
        unit_panel(ws, view.unit)
    elif view.outside:
        st.info(t("outside", L))
    else:
        st.write(t("nothing_selected", L))
    if view.unit or view.fac:
        st.button(t("clear_selection", L), on_click=session.clear_selection)


def render() -> None:
    ws = session.workspace()
    atlas = ws.atlas
    L = session.lang()
    controls(atlas)
    if ws.borders is not None:
        st.info(t("borders_in_use", L, name=md(ws.borders)))
    basemap, note = current_basemap()
    if note:
        st.warning(note)
    if basemap.datum == "gcj02":
        st.info(t("amap_note", L))
    if basemap.layers:
        st.caption(t("tiles_offline", L))
    display = ws.derived.display(basemap.datum)
    view = session.view()
    groups, legend = workspace_groups(ws, lang=L, datum=basemap.datum)
    fmap = build_map(
        atlas,
        display,
        basemap,
        MapView(lang=L, corridors=tuple(view.corridors), categories=tuple(view.cats), theme=chosen_theme(view.theme)),
        extra_groups=groups,
        extra_legend=legend,
    )
    highlight = None
    if view.unit:
        highlight = selection_group(display.units.loc[display.units["adcode"] == view.unit].geometry.iloc[0])
    left, right = st.columns([3, 1.3])
    with left:
        result = st_folium(
            fmap,
            key="atlas_map",
            height=MAP_HEIGHT,
            use_container_width=True,
            returned_objects=["last_clicked", "last_object_clicked", "last_object_clicked_tooltip"],
            feature_group_to_add=highlight,
        )
    if apply_click(result, display, ws):
        session.write_url()
        st.rerun()
    with right:
        selection_panel(ws)


render()
