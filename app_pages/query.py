"""Query page: the same answers as the ``atlas`` CLI, from the same functions."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from app_pages import session
from app_pages.common import category_label, corridor_label, facility_table, plan_section_label, roles_table
from atlas_core.errors import AtlasError
from layers.gazetteer import load_gazetteer
from presentation.i18n import pick, t
from safety.markup import markdown as md
from spatial.query import (
    corridors_of_unit,
    locate_address,
    locate_point,
    parse_lonlat_text,
    parse_number,
    units_of_corridor,
)
from spatial.search import search_facilities


def unit_section(atlas) -> None:
    L = session.lang()
    st.subheader(t("q_unit", L))
    unit_text = session.kept(st.text_input, "q_unit", t("q_unit_input", L), default="")
    if not unit_text.strip():
        return
    try:
        found = corridors_of_unit(unit_text, units=atlas.units, corridors=atlas.corridors, members=atlas.members)
    except AtlasError as exc:
        session.show_error(exc)
        return
    st.markdown(f"**{md(pick(found['unit'], L))} \\({md(found['unit']['adcode'])}\\)**")
    if found["corridors"]:
        st.dataframe(roles_table(found["corridors"], "corridor"), hide_index=True, width="stretch")
    else:
        st.write(t("in_no_corridor", L))


def corridor_section(atlas) -> None:
    L = session.lang()
    st.subheader(t("q_corridor", L))
    ids = list(atlas.corridors["id"])
    corridor_id = session.kept(
        st.selectbox,
        "q_corridor",
        t("q_corridor_input", L),
        ids,
        default=ids[0],
        format_func=lambda cid: corridor_label(atlas, cid, L),
    )
    found = units_of_corridor(
        corridor_id, units=atlas.units, corridors=atlas.corridors, members=atlas.members, functions=atlas.functions
    )
    st.dataframe(roles_table(found["members"], "unit"), hide_index=True, width="stretch")
    if found.get("functions"):
        st.markdown(f"**{t('functions', L)}**: " + "、".join(md(f[f"function_{L}"]) for f in found["functions"]))


def _number(value: str):
    """Text from an input box as a float (full-width digits accepted, as in imports); text that is
    not a number goes on unchanged, so locate_point's error message can quote it."""
    parsed = parse_number(value or "")
    if parsed is not None:
        return parsed
    return value.strip() if value and value.strip() else math.nan


def point_section(ws) -> None:
    L = session.lang()
    atlas = ws.atlas
    st.subheader(t("q_point", L))
    c1, c2, c3 = st.columns(3)
    lon_text = session.kept(
        c1.text_input, "q_lon", t("lon", L), default="", placeholder="120.62", help=t("q_lon_help", L)
    )
    lat_text = session.kept(c2.text_input, "q_lat", t("lat", L), default="", placeholder="31.30")
    datum = session.kept(
        c3.selectbox,
        "q_datum",
        t("q_point_datum", L),
        ("wgs84", "gcj02", "bd09"),
        default="wgs84",
        format_func=lambda d: t(f"datum_{d}", L),
    )
    if not (lon_text.strip() or lat_text.strip()):
        return
    try:
        if lat_text.strip():
            lon, lat = _number(lon_text), _number(lat_text)
        else:  # both in one box, as Amap copies them: "120.7384,31.2729"
            lon, lat = parse_lonlat_text(lon_text)
        where = locate_point(
            lon,
            lat,
            datum=datum,
            units=atlas.units,
            corridors=atlas.corridors,
            members=atlas.members,
            grid=ws.derived.grid(),
        )
    except AtlasError as exc:
        session.show_error(exc)
        return
    if where.unit is None:
        st.info(t("outside", L))
    else:
        st.success(t("point_in", L, name=md(pick(where.unit, L)), code=md(where.unit["adcode"])))
        if where.corridors:
            st.dataframe(roles_table(where.corridors, "corridor"), hide_index=True, width="stretch")
        else:
            st.write(t("in_no_corridor", L))
    st.caption(t("point_wgs84", L, lon=where.lon_wgs84, lat=where.lat_wgs84))


@st.cache_resource(show_spinner=False, max_entries=4)
def _gazetteer(atlas_token: str, _units):
    """The address look-up's names, compiled once per set of borders."""
    return load_gazetteer(_units)


def address_section(ws) -> None:
    """Where an address lies, by the names it contains (offline), or why it cannot be said."""
    L = session.lang()
    atlas = ws.atlas
    st.subheader(t("q_address", L))
    address = session.kept(
        st.text_input,
        "q_address",
        t("q_address_input", L),
        default="",
        placeholder="苏州工业园区星湖街218号",
        help=t("q_address_help", L),
    )
    if not address.strip():
        return
    found = locate_address(
        address,
        gazetteer=_gazetteer(ws.atlas_token, atlas.units),
        units=atlas.units,
        corridors=atlas.corridors,
        members=atlas.members,
    )
    if found["unit"] is None:
        if found["ambiguous"]:
            names = ("、" if L == "zh" else ", ").join(pick(u, L) for u in found["ambiguous"])
            st.warning(t("cli_address_ambiguous", L, names=md(names)))
        elif found["outside"]:
            st.info(t("cli_address_outside", L, place=md(found["outside"])))
        else:
            st.info(t("cli_address_none", L))
        return
    match = found["match"]
    town = f" {match['town_zh']}" if match["town_zh"] else ""
    st.success(t("q_address_in", L, name=md(pick(found["unit"], L) + town), code=md(found["unit"]["adcode"])))
    st.caption(t("cli_address_by", L, text=md(match["text"]), level=t("address_level_" + match["level"], L)))
    if found["corridors"]:
        st.dataframe(roles_table(found["corridors"], "corridor"), hide_index=True, width="stretch")
    else:
        st.write(t("in_no_corridor", L))


def facility_section(atlas) -> None:
    L = session.lang()
    st.subheader(t("q_facility", L))
    needle = session.kept(
        st.text_input, "q_facility", t("q_facility_input", L), default="", help=t("q_facility_help", L)
    )
    if needle.strip():
        hits = search_facilities(atlas.facilities, needle, lang=L)
        if hits.empty:
            st.write(t("q_no_match", L))
        else:
            st.caption(t("q_matches", L, n=len(hits)))
            st.dataframe(facility_table(hits, atlas), hide_index=True, width="stretch")
    with st.expander(t("unplaced_title", L)):
        unplaced = atlas.unplaced
        st.dataframe(
            pd.DataFrame(
                {
                    t("name", L): unplaced[f"name_{L}"],
                    t("category", L): [category_label(c) for c in unplaced["category"]],
                    t("plan_section", L): [plan_section_label(s, L) for s in unplaced["plan_section"]],
                    t("reason", L): unplaced[f"reason_{L}"],
                }
            ),
            hide_index=True,
            width="stretch",
        )


def render() -> None:
    ws = session.workspace()
    unit_section(ws.atlas)
    corridor_section(ws.atlas)
    point_section(ws)
    address_section(ws)
    facility_section(ws.atlas)


render()
