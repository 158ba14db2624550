"""Suzhou Innovation Atlas: the planners' app (Streamlit). Run with ``make run``.

Pages: map (corridors, units, facilities; click to identify), query (the same answers as the
``atlas`` CLI, from the same functions), summary (tables, charts, CSV). Chinese by default.
No geometry is computed here: it comes from ``layers``, ``spatial`` and ``atlas_web``.
"""

from __future__ import annotations

import io
import math

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import layers
from atlas_web import assets
from atlas_web.basemaps import BASEMAPS, BasemapError, resolve_basemap, tianditu_key
from atlas_web.display import build_display_layers
from atlas_web.escape import markdown as md
from atlas_web.i18n import LANGS, pick, t
from atlas_web.selection import click_signature, interpret_click
from atlas_web.state import PAGES, ViewState, from_query, to_query
from exports.data import csv_bytes, zip_bytes
from atlas_web.webmap import MapView, build_map, selection_group
from spatial.classify import build_unit_grid
from spatial.errors import AtlasError
from spatial.query import corridors_of_unit, locate_point, units_of_corridor
from spatial.summary import corridor_summary, unit_summary

MAP_HEIGHT = 640


@st.cache_resource(show_spinner=False)
def get_atlas():
    return layers.load_atlas()


@st.cache_resource(show_spinner=False)
def get_grid():
    return build_unit_grid(get_atlas().units)


@st.cache_resource(show_spinner=False)
def get_display(datum: str):
    return build_display_layers(get_atlas(), datum=datum)


def current_atlas():
    """The atlas this session uses: the embedded one, or one whose units a bureau's borders replaced."""
    return st.session_state.get("_atlas_override") or get_atlas()


def current_grid():
    if st.session_state.get("_atlas_override") is None:
        return get_grid()
    if "_grid_override" not in st.session_state:
        st.session_state["_grid_override"] = build_unit_grid(current_atlas().units)
    return st.session_state["_grid_override"]


def current_display(datum: str):
    if st.session_state.get("_atlas_override") is None:
        return get_display(datum)
    cache = st.session_state.setdefault("_display_override", {})
    if datum not in cache:
        cache[datum] = build_display_layers(current_atlas(), datum=datum)
    return cache[datum]


@st.cache_data(show_spinner=False)
def _default_corridor_summary() -> pd.DataFrame:
    atlas = get_atlas()
    return corridor_summary(atlas.corridors, atlas.units, atlas.facilities, categories=layers.FACILITY_CATEGORIES)


@st.cache_data(show_spinner=False)
def _default_unit_summary() -> pd.DataFrame:
    atlas = get_atlas()
    return unit_summary(atlas.units, atlas.members, atlas.facilities)


def get_corridor_summary() -> pd.DataFrame:
    atlas = st.session_state.get("_atlas_override")
    if atlas is None:
        return _default_corridor_summary()
    return corridor_summary(atlas.corridors, atlas.units, atlas.facilities, categories=layers.FACILITY_CATEGORIES)


def get_unit_summary() -> pd.DataFrame:
    atlas = st.session_state.get("_atlas_override")
    if atlas is None:
        return _default_unit_summary()
    return unit_summary(atlas.units, atlas.members, atlas.facilities)


# ---------------------------------------------------------------- state


def init_state(atlas) -> None:
    """On a session's first run, take the view from the URL (a shared link)."""
    if "_initialised" in st.session_state:
        return
    state, rejected = from_query(
        st.query_params.to_dict(), corridor_ids=list(atlas.corridors["id"]),
        categories=[c for c in layers.FACILITY_CATEGORIES if c in set(atlas.facilities["category"])],
        adcodes=set(atlas.units["adcode"]), facility_ids=set(atlas.facilities["facility_id"]))
    for key, value in vars(state).items():
        st.session_state[key] = value
    st.session_state["_rejected"] = rejected
    st.session_state["_initialised"] = True


def current_state() -> ViewState:
    return ViewState(**{k: st.session_state.get(k) for k in ViewState.__dataclass_fields__})


def sync_url() -> None:
    wanted = to_query(current_state())
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


# ---------------------------------------------------------------- helpers


def lang() -> str:
    return st.session_state.get("lang", "zh")


def show_error(exc: AtlasError) -> None:
    st.error(f"{t('error', lang())}: {md(exc.message(lang()))}")


def unit_label(atlas, adcode: str) -> str:
    row = atlas.units.loc[atlas.units["adcode"] == adcode].iloc[0]
    return f"{pick(row, lang())} ({adcode})"


def corridor_label(atlas, corridor_id: str, L: str | None = None) -> str:
    row = atlas.corridors.loc[atlas.corridors["id"] == corridor_id].iloc[0]
    return pick(row, L or lang())


def category_label(cat: str, L: str | None = None) -> str:
    return t(f"cat_{cat}", L or lang())


def roles_table(entries: list, key: str) -> pd.DataFrame:
    """Rows of (name, role, group) from corridors_of_unit / units_of_corridor results."""
    L = lang()
    return pd.DataFrame([{
        t("col_corridor" if key == "corridor" else "col_unit", L): pick(e[key], L),
        t("role", L): e["role"][f"role_{L}"],
        t("group", L): e["group"][f"group_{L}"],
    } for e in entries])


def facility_table(frame: pd.DataFrame, atlas) -> pd.DataFrame:
    L = lang()
    names = dict(zip(atlas.units["adcode"], atlas.units[f"name_{L}"]))
    return pd.DataFrame({
        t("name", L): frame[f"name_{L}"].values,
        t("category", L): [category_label(c) for c in frame["category"]],
        t("unit", L): [names.get(a, a) for a in frame["adcode"]],
        t("precision", L): [t(f"prec_{p}", L) for p in frame["precision"]],
        t("source", L): frame["source_url"].values,
    })


# ---------------------------------------------------------------- sidebar


def sidebar(atlas) -> None:
    # format_func closures take the language as a default argument: they must not read the
    # session later (a widget's labels belong to the run that drew it).
    L = lang()
    with st.sidebar:
        st.radio(t("language", L), LANGS, key="lang", horizontal=True,
                 format_func=lambda code: {"zh": "中文", "en": "English"}[code])
        st.radio(t("page", L), PAGES, key="page", format_func=lambda p, L=L: t(f"page_{p}", L))
        if st.session_state["page"] == "map":
            st.divider()
            st.multiselect(t("corridors_shown", L), list(atlas.corridors["id"]), key="corridors",
                           format_func=lambda cid, L=L: corridor_label(atlas, cid, L))
            present = [c for c in layers.FACILITY_CATEGORIES if c in set(atlas.facilities["category"])]
            st.multiselect(t("categories_shown", L), present, key="cats",
                           format_func=lambda cat, L=L: category_label(cat, L))
            st.selectbox(t("basemap", L), BASEMAPS, key="basemap",
                         format_func=lambda b, L=L: t(f"basemap_{b}", L))
            if st.session_state["basemap"] == "custom":
                st.text_input(t("custom_url", L), key="custom_url", help=t("custom_url_help", L))
                st.selectbox(t("custom_datum", L), ("wgs84", "gcj02"), key="custom_datum",
                             format_func=lambda d, L=L: t(f"datum_{d}", L))


# ---------------------------------------------------------------- map page


def current_basemap():
    """The chosen basemap, or the plain one with an explanation when it cannot be used."""
    name = st.session_state["basemap"]
    try:
        return resolve_basemap(name, tianditu=tianditu_key(st.secrets),
                               custom_url=st.session_state.get("custom_url", ""),
                               custom_datum=st.session_state.get("custom_datum", "wgs84")), None
    except BasemapError as exc:
        note = t("tianditu_missing", lang()) if name == "tianditu" and "key" in str(exc) else md(exc.message(lang()))
        return resolve_basemap("none"), note


def handle_click(result: dict | None, display, atlas) -> None:
    """Apply a new map click (not one already seen on an earlier run) to the selection."""
    signature = click_signature(result)
    seen = st.session_state.get("_last_click")
    st.session_state["_last_click"] = signature
    if seen is None or seen == signature:
        return                      # first render of this map, or nothing new
    selection = interpret_click(result, display=display, atlas=atlas, grid=current_grid())
    if selection is None:
        return
    st.session_state["unit"] = selection.unit
    st.session_state["fac"] = selection.facility
    st.session_state["_outside"] = selection.outside


def unit_panel(atlas, adcode: str) -> None:
    L = lang()
    row = atlas.units.loc[atlas.units["adcode"] == adcode].iloc[0]
    summary = get_unit_summary().set_index("adcode").loc[adcode]
    st.subheader(md(pick(row, L)))
    st.caption(f"{md(row['name_en'] if L == 'zh' else row['name_zh'])} · {md(adcode)}")
    published = pd.to_numeric(pd.Series([summary["area_published_km2"]]), errors="coerce").iloc[0]
    published = None if pd.isna(published) else f"{published:g}"
    st.markdown(
        f"- **{t('kind', L)}**: {t('kind_' + row['kind'], L)}\n"
        f"- **{t('area_measured', L)}**: {summary['area_measured_km2']:.1f} {t('km2', L)}\n"
        + (f"- **{t('area_published', L)}**: {published} {t('km2', L)}\n" if published else ""))
    found = corridors_of_unit(adcode, units=atlas.units, corridors=atlas.corridors, members=atlas.members)
    st.markdown(f"**{t('in_corridors', L)}**")
    if found["corridors"]:
        st.markdown("\n".join(
            f"- **{md(pick(e['corridor'], L))}**: {md(e['role'][f'role_{L}'])} · {md(e['group'][f'group_{L}'])}"
            for e in found["corridors"]))
    else:
        st.write(t("in_no_corridor", L))
    mine = atlas.facilities.loc[atlas.facilities["adcode"] == adcode]
    if not mine.empty:
        st.markdown(f"**{t('facilities_here', L)}**")
        st.dataframe(facility_table(mine, atlas), hide_index=True, width="stretch")


def facility_panel(atlas, facility_id: str) -> None:
    L = lang()
    row = atlas.facilities.loc[atlas.facilities["facility_id"] == facility_id].iloc[0]
    st.subheader(md(pick(row, L)))
    record = {
        t("name_zh", L): row["name_zh"], t("name_en", L): row["name_en"],
        t("category", L): category_label(row["category"]), t("unit", L): unit_label(atlas, row["adcode"]),
        t("precision", L): t(f"prec_{row['precision']}", L), t("datum", L): row["source_datum"],
        t("source", L): row["source_url"], t("coord_source", L): row["coord_source"],
        t("plan_section", L): row["plan_section"], t("note", L): row["note"],
        "WGS84": f"{row.geometry.x:.5f}, {row.geometry.y:.5f}",
    }
    st.markdown("\n".join(f"- **{md(key)}**: {md(value)}" for key, value in record.items()))


def map_page(atlas) -> None:
    L = lang()
    basemap, note = current_basemap()
    if note:
        st.warning(note)
    if basemap.datum == "gcj02":
        st.info(t("amap_note", L))
    if basemap.layers:
        st.caption(t("tiles_offline", L))
    display = current_display(basemap.datum)
    view = MapView(lang=L, corridors=tuple(st.session_state["corridors"]), categories=tuple(st.session_state["cats"]))
    groups, legend = user_groups(basemap.datum)
    fmap = build_map(atlas, display, basemap, view, extra_groups=groups, extra_legend=legend)
    selected = st.session_state.get("unit")
    highlight = None
    if selected:
        geometry = display.units.loc[display.units["adcode"] == selected].geometry.iloc[0]
        highlight = selection_group(geometry)
    left, right = st.columns([3, 1.3])
    with left:
        result = st_folium(fmap, key="atlas_map", height=MAP_HEIGHT, use_container_width=True,
                           returned_objects=["last_clicked", "last_object_clicked", "last_object_clicked_tooltip"],
                           feature_group_to_add=highlight)
    before = (st.session_state.get("unit"), st.session_state.get("fac"))
    handle_click(result, display, atlas)
    if (st.session_state.get("unit"), st.session_state.get("fac")) != before:
        sync_url()
        st.rerun()
    with right:
        st.caption(t("map_help", L))
        if st.session_state.get("fac"):
            facility_panel(atlas, st.session_state["fac"])
        elif st.session_state.get("unit"):
            unit_panel(atlas, st.session_state["unit"])
        elif st.session_state.get("_outside"):
            st.info(t("outside", L))
        else:
            st.write(t("nothing_selected", L))
        if st.session_state.get("unit") or st.session_state.get("fac"):
            st.button(t("clear_selection", L), on_click=clear_selection)


def user_groups(datum: str) -> list:
    """Map layers for the data this session imported (points, boundaries), and their legend entries."""
    from atlas_web.webmap import (POINT_MARKER_LIMIT, USER_BOUNDARY_COLOUR, USER_POINT_COLOUR, user_boundary_group,
                                  user_points_group)
    from spatial.aggregate import hexbin
    L = lang()
    groups, legend = [], []
    points = st.session_state.get("user_points")
    if points is not None:
        if points.get("frame") is None:         # once per import, not on every rerun
            good = points["table"].loc[points["table"]["atlas_status"] != "rejected"]
            label_column = points["name_column"]
            points["frame"] = pd.DataFrame({
                "lon": good["atlas_lon_wgs84"].values, "lat": good["atlas_lat_wgs84"].values,
                "label": (good[label_column] if label_column else good["atlas_row"].astype(str)).values})
        frame = points["frame"]
        name = t("im_layer_points", L, name=points["name"])
        if len(frame) > POINT_MARKER_LIMIT and points.get("cells") is None:
            points["cells"] = hexbin(frame["lon"], frame["lat"], size_m=1500.0)     # once per import
        groups.append(user_points_group(frame, name=name, lang=L, datum=datum, cells=points.get("cells")))
        if len(frame) > POINT_MARKER_LIMIT:
            legend.append(("#de2d26", f"{name} · {t('hex_legend', L)}"))
        else:
            legend.append((USER_POINT_COLOUR, name))
    boundary = st.session_state.get("user_boundary")
    if boundary is not None and boundary["show"]:
        name = t("im_layer_boundary", L, name=boundary["name"])
        groups.append(user_boundary_group(boundary["frame"], name=name, label_column=boundary["label_column"],
                                          datum=datum))
        legend.append((USER_BOUNDARY_COLOUR, name))
    return groups, legend


def clear_selection() -> None:
    st.session_state["unit"] = None
    st.session_state["fac"] = None
    st.session_state["_outside"] = False


# ---------------------------------------------------------------- query page


def query_page(atlas) -> None:
    L = lang()
    st.subheader(t("q_unit", L))
    unit_text = st.text_input(t("q_unit_input", L), key="q_unit")
    if unit_text.strip():
        try:
            found = corridors_of_unit(unit_text, units=atlas.units, corridors=atlas.corridors, members=atlas.members)
            st.markdown(f"**{md(pick(found['unit'], L))} \\({md(found['unit']['adcode'])}\\)**")
            if found["corridors"]:
                st.dataframe(roles_table(found["corridors"], "corridor"), hide_index=True, width="stretch")
            else:
                st.write(t("in_no_corridor", L))
        except AtlasError as exc:
            show_error(exc)

    st.subheader(t("q_corridor", L))
    corridor_id = st.selectbox(t("q_corridor_input", L), list(atlas.corridors["id"]), key="q_corridor",
                               format_func=lambda cid, L=L: corridor_label(atlas, cid, L))
    found = units_of_corridor(corridor_id, units=atlas.units, corridors=atlas.corridors, members=atlas.members,
                              functions=atlas.functions)
    st.dataframe(roles_table(found["members"], "unit"), hide_index=True, width="stretch")
    if found.get("functions"):
        st.markdown(f"**{t('functions', L)}**: " + "、".join(md(f[f"function_{L}"]) for f in found["functions"]))

    st.subheader(t("q_point", L))
    c1, c2, c3 = st.columns(3)
    lon_text = c1.text_input(t("lon", L), key="q_lon", placeholder="120.62")
    lat_text = c2.text_input(t("lat", L), key="q_lat", placeholder="31.30")
    datum = c3.selectbox(t("q_point_datum", L), ("wgs84", "gcj02", "bd09"), key="q_datum",
                         format_func=lambda d, L=L: t(f"datum_{d}", L))
    if lon_text.strip() or lat_text.strip():
        try:
            where = locate_point(_number(lon_text), _number(lat_text), datum=datum, units=atlas.units,
                                 corridors=atlas.corridors, members=atlas.members, grid=current_grid())
            if where.unit is None:
                st.info(t("outside", L))
            else:
                st.success(t("point_in", L, name=md(pick(where.unit, L)), code=md(where.unit["adcode"])))
                if where.corridors:
                    st.dataframe(roles_table(where.corridors, "corridor"), hide_index=True, width="stretch")
                else:
                    st.write(t("in_no_corridor", L))
            st.caption(t("point_wgs84", L, lon=where.lon_wgs84, lat=where.lat_wgs84))
        except AtlasError as exc:
            show_error(exc)

    st.subheader(t("q_facility", L))
    needle = st.text_input(t("q_facility_input", L), key="q_facility").strip().casefold()
    if needle:
        fac = atlas.facilities
        hits = fac.loc[fac["name_zh"].str.casefold().str.contains(needle, regex=False)
                       | fac["name_en"].str.casefold().str.contains(needle, regex=False)]
        if hits.empty:
            st.write(t("q_no_match", L))
        else:
            st.caption(t("q_matches", L, n=len(hits)))
            st.dataframe(facility_table(hits, atlas), hide_index=True, width="stretch")
    with st.expander(t("unplaced_title", L)):
        unplaced = atlas.unplaced
        st.dataframe(pd.DataFrame({
            t("name", L): unplaced[f"name_{L}"], t("category", L): [category_label(c) for c in unplaced["category"]],
            t("plan_section", L): unplaced["plan_section"], t("reason", L): unplaced[f"reason_{L}"],
        }), hide_index=True, width="stretch")


def _number(value: str):
    """Text from an input box as a float (full-width digits accepted, as in imports); text that is
    not a number goes on unchanged, so locate_point's error message can quote it."""
    from userdata.tables import parse_number
    parsed = parse_number(value or "")
    if parsed is not None:
        return parsed
    return value.strip() if value and value.strip() else math.nan


# ---------------------------------------------------------------- summary page


def corridor_table(summary: pd.DataFrame) -> pd.DataFrame:
    L = lang()
    out = pd.DataFrame({
        t("col_id", L): summary["id"],
        t("col_corridor", L): summary[f"name_{L}"],
        t("col_kind", L): [t(f"corridor_kind_{k}", L) for k in summary["kind"]],
        t("col_member_count", L): summary["member_count"],
        t("col_members", L): summary[f"members_{L}"],
        t("col_zone_area", L): summary["zone_area_km2"],
        t("col_spine", L): summary["spine_length_km"],
        t("col_facilities", L): summary["facilities_total"],
    })
    for cat in layers.FACILITY_CATEGORIES:
        out[category_label(cat)] = summary[f"n_{cat.replace(' ', '_')}"]
    return out


def unit_table(summary: pd.DataFrame, atlas) -> pd.DataFrame:
    L = lang()
    return pd.DataFrame({
        t("col_adcode", L): summary["adcode"],
        t("col_unit", L): summary[f"name_{L}"],
        t("col_kind", L): [t(f"kind_{k}", L) for k in summary["kind"]],
        t("col_area_measured", L): summary["area_measured_km2"],
        t("col_area_published", L): pd.to_numeric(summary["area_published_km2"], errors="coerce"),
        t("col_corridors", L): [("、" if L == "zh" else ", ").join(corridor_label(atlas, c) for c in ids.split("|") if c)
                                for ids in summary["corridors"]],
        t("col_facilities", L): summary["facilities"],
    })


def layout_matrix(atlas) -> pd.DataFrame:
    """Units x corridors, each cell the unit's role in that corridor (blank when not a member)."""
    L = lang()
    roles = {(r.adcode, r.corridor_id): getattr(r, f"role_{L}") for r in atlas.members.itertuples(index=False)}
    return pd.DataFrame(
        {corridor_label(atlas, cid): [roles.get((code, cid), "") for code in atlas.units["adcode"]]
         for cid in atlas.corridors["id"]},
        index=[unit_label(atlas, code) for code in atlas.units["adcode"]])


def summary_page(atlas) -> None:
    L = lang()
    st.subheader(t("s_corridors", L))
    table = corridor_table(get_corridor_summary())
    st.dataframe(table, hide_index=True, width="stretch")
    st.download_button(t("download_csv", L), csv_bytes(table), file_name=f"corridor_summary_{L}.csv",
                       mime="text/csv", key="dl_corridors")
    st.caption(t("summary_note", L))
    c1, c2 = st.columns(2)
    with c1:
        st.markdown(f"**{t('s_chart_area', L)}**")
        st.bar_chart(table.set_index(t("col_corridor", L))[t("col_zone_area", L)], horizontal=True)
    with c2:
        st.markdown(f"**{t('s_chart_facilities', L)}**")
        cats = [category_label(c) for c in layers.FACILITY_CATEGORIES]
        from atlas_web.style import CATEGORY_COLOURS     # the same colours as the map's markers
        st.bar_chart(table.set_index(t("col_corridor", L))[cats], horizontal=True, stack=True,
                     color=[CATEGORY_COLOURS[c] for c in layers.FACILITY_CATEGORIES])

    st.subheader(t("s_units", L))
    units = unit_table(get_unit_summary(), atlas)
    st.dataframe(units, hide_index=True, width="stretch")
    st.download_button(t("download_csv", L), csv_bytes(units), file_name=f"unit_summary_{L}.csv",
                       mime="text/csv", key="dl_units")

    points = st.session_state.get("user_points")
    if points is not None:
        from spatial.summary import point_counts
        st.subheader(t("im_summary_title", L))
        st.caption(md(points["name"]))
        per_corridor, per_unit = point_counts(points["table"]["atlas_adcode"], units=atlas.units,
                                              corridors=atlas.corridors, members=atlas.members)
        c1, c2 = st.columns(2)
        c1.dataframe(pd.DataFrame({t("col_corridor", L): per_corridor[f"name_{L}"],
                                   t("col_points", L): per_corridor["points"]}), hide_index=True, width="stretch")
        c2.dataframe(pd.DataFrame({t("col_unit", L): per_unit[f"name_{L}"], t("col_points", L): per_unit["points"]}),
                     hide_index=True, width="stretch")

    st.subheader(t("s_matrix", L))
    matrix = layout_matrix(atlas)
    st.dataframe(matrix, width="stretch")
    st.download_button(t("download_csv", L), csv_bytes(matrix.rename_axis(t("col_unit", L)).reset_index()), file_name=f"layout_matrix_{L}.csv",
                       mime="text/csv", key="dl_matrix")


# ---------------------------------------------------------------- import page


@st.cache_data(show_spinner=False, max_entries=4)
def cached_read_table(data: bytes, filename: str, encoding: str | None, sheet: str | None):
    from userdata.tables import read_table
    return read_table(data, filename, encoding=encoding, sheet=sheet)


@st.cache_resource(show_spinner=False, max_entries=4)      # shared and never mutated: no copy per rerun
def cached_classify(data: bytes, filename: str, encoding: str | None, sheet: str | None, lon: str, lat: str,
                    name: str | None, crs: str):
    """Classification against the embedded units, cached so reruns do not redo a large import."""
    from userdata.tables import classify_table
    frame, info = cached_read_table(data, filename, encoding, sheet)
    return classify_table(frame, info, atlas=get_atlas(), lon_column=lon, lat_column=lat, name_column=name,
                          crs=crs, grid=get_grid())


def _sheets(data: bytes) -> list[str]:
    from openpyxl import load_workbook
    try:
        return load_workbook(io.BytesIO(data), read_only=True).sheetnames
    except Exception:         # not a workbook: read_table will say so
        return []


def import_points_section(atlas) -> None:
    from exports.data import xlsx_bytes
    from userdata.tables import ENCODINGS, classify_table, guess_columns
    L = lang()
    st.subheader(t("im_points", L))
    upload = st.file_uploader(t("im_upload", L), type=["csv", "txt", "xlsx", "xlsm"], key="im_file")
    if upload is None:
        return
    data = upload.getvalue()
    c1, c2 = st.columns(2)
    encoding = c1.selectbox(t("im_encoding", L), ("auto", *ENCODINGS, "gbk"), key="im_encoding",
                            format_func=lambda e, L=L: t("im_encoding_auto", L) if e == "auto" else e)
    sheets = _sheets(data) if upload.name.lower().endswith((".xlsx", ".xlsm")) else []
    sheet = c2.selectbox(t("im_sheet", L), sheets, key="im_sheet") if len(sheets) > 1 else None
    try:
        frame, info = cached_read_table(data, upload.name, None if encoding == "auto" else encoding, sheet)
    except AtlasError as exc:
        show_error(exc)
        return
    columns = list(frame.columns)
    guessed = guess_columns(columns)
    c1, c2, c3 = st.columns(3)
    lon = c1.selectbox(t("im_lon", L), columns, key="im_lon",
                       index=columns.index(guessed["lon"]) if guessed["lon"] else 0)
    lat = c2.selectbox(t("im_lat", L), columns, key="im_lat",
                       index=columns.index(guessed["lat"]) if guessed["lat"] else min(1, len(columns) - 1))
    name_options = ["", *columns]
    name = c3.selectbox(t("im_name", L), name_options, key="im_name",
                        index=name_options.index(guessed["name"]) if guessed["name"] else 0,
                        format_func=lambda c, L=L: c if c else t("im_none", L))
    c1, c2 = st.columns(2)
    crs_choice = c1.selectbox(t("im_crs", L), ("wgs84", "gcj02", "bd09", "cgcs2000", "projected"), key="im_crs",
                              format_func=lambda c, L=L: t("im_crs_projected", L) if c == "projected"
                              else (t(f"datum_{c}", L) if c != "cgcs2000" else t("crs_cgcs2000", L)))
    crs = crs_choice
    if crs_choice == "projected":
        crs = c2.text_input(t("im_epsg", L), value="EPSG:4549", key="im_epsg")
    try:
        if st.session_state.get("_atlas_override") is None:
            table, report = cached_classify(data, upload.name, None if encoding == "auto" else encoding, sheet,
                                            lon, lat, name or None, crs)
        else:
            table, report = classify_table(frame, info, atlas=atlas, lon_column=lon, lat_column=lat,
                                           name_column=name or None, crs=crs, grid=current_grid())
    except AtlasError as exc:
        show_error(exc)
        return
    st.caption(t("im_read_as", L, kind=info["file_kind"].upper(), encoding=info["encoding"] or "-",
                 delimiter=repr(info["delimiter"]) if info["delimiter"] else "-"))
    st.info(t("im_counts", L, rows=report.rows, accepted=report.accepted, doubtful=report.doubtful,
              rejected=report.rejected))
    for en, zh in report.warnings:
        st.warning(md(zh if L == "zh" else en))
    if report.issues:
        st.markdown(f"**{t('im_issues', L)}**")
        issues = report.issues_frame()
        st.dataframe(pd.DataFrame({t("im_row", L): issues["row"],
                                   t("im_status", L): [t(f"im_status_{v}", L) for v in issues["status"]],
                                   t("reason", L): issues[f"reason_{L}"]}), hide_index=True, width="stretch")
    stem = upload.name.rsplit(".", 1)[0]
    d1, d2 = st.columns(2)
    d1.download_button(f"{t('im_download', L)} (CSV)", lambda: csv_bytes(table), file_name=f"{stem}_classified.csv",
                       mime="text/csv", key="im_dl_csv")
    d2.download_button(f"{t('im_download', L)} (XLSX)",
                       lambda: xlsx_bytes({"classified": table, "report": report.issues_frame()}),
                       file_name=f"{stem}_classified.xlsx", key="im_dl_xlsx")
    previous = st.session_state.get("user_points")
    if previous is None or previous["table"] is not table:
        st.session_state["user_points"] = {"name": upload.name, "table": table, "name_column": name or None}
    st.success(t("im_on_map", L, name=md(upload.name)))


def import_boundaries_section(atlas) -> None:
    from userdata.boundaries import NeedsCRS, match_units, read_boundaries, replace_units
    L = lang()
    st.subheader(t("im_boundaries", L))
    if st.session_state.get("_atlas_override") is not None:
        st.info(t("im_replaced", L))
        st.button(t("im_restore", L), on_click=restore_units, key="im_restore")
    upload = st.file_uploader(t("im_upload", L), type=["geojson", "json", "gpkg", "zip"], key="im_boundary_file")
    if upload is None:
        return
    data = upload.getvalue()
    from userdata.boundaries import list_layers
    try:
        layer_names = list_layers(data, upload.name)
    except AtlasError as exc:
        show_error(exc)
        return
    c1, c2, c3 = st.columns(3)
    layer = c1.selectbox(t("im_layer", L), layer_names, key="im_boundary_layer") if len(layer_names) > 1 else None
    datum = c2.selectbox(t("im_boundary_datum", L), ("wgs84", "gcj02"), key="im_boundary_datum",
                         format_func=lambda d, L=L: t(f"datum_{d}", L))
    crs = st.session_state.get("im_boundary_crs")
    try:
        frame, report = read_boundaries(data, upload.name, layer=layer, crs=crs, datum=datum)
    except NeedsCRS as exc:
        st.warning(md(exc.message(L)))
        choices = ["EPSG:4326", "EPSG:4490", "EPSG:4549", "EPSG:4528", "EPSG:32651"]
        guess = exc.guess if exc.guess in choices else choices[0]
        c3.selectbox(t("im_needs_crs", L), choices, index=choices.index(guess), key="im_boundary_crs")
        return
    except AtlasError as exc:
        show_error(exc)
        return
    report = match_units(frame, atlas.units if st.session_state.get("_atlas_override") is None else get_atlas().units,
                         report)
    st.info(t("im_boundary_summary", L, features=report.features, repaired=report.repaired,
              dropped=len(report.dropped)))
    for en, zh in report.notes:
        st.caption(md(zh if L == "zh" else en))
    if report.dropped:
        st.dataframe(pd.DataFrame({t("im_feature", L): [d[0] for d in report.dropped],
                                   t("reason", L): [d[2] if L == "zh" else d[1] for d in report.dropped]}),
                     hide_index=True, width="stretch")
    if report.match_column:
        st.write(t("im_matched", L, column=report.match_column, n=len(set(report.matched.values())),
                   unmatched=", ".join(map(str, report.unmatched)) or "-",
                   missing=", ".join(report.missing_units) or "-"))
    text_columns = [c for c in frame.columns if c not in ("feature", frame.geometry.name)]
    show = st.checkbox(t("im_show_extra", L), value=True, key="im_boundary_show")
    st.session_state["user_boundary"] = {"name": upload.name, "frame": frame, "show": show,
                                         "label_column": report.match_column or (text_columns[0] if text_columns else None)}
    if report.can_replace_units and st.button(t("im_replace", L), key="im_replace"):
        st.session_state["_atlas_override"] = replace_units(get_atlas(), frame, report)
        for key in ("_grid_override", "_display_override"):
            st.session_state.pop(key, None)
        st.rerun()


def restore_units() -> None:
    for key in ("_atlas_override", "_grid_override", "_display_override"):
        st.session_state.pop(key, None)


def clear_imports() -> None:
    for key in ("user_points", "user_boundary"):
        st.session_state.pop(key, None)


def import_page(atlas) -> None:
    import_points_section(atlas)
    st.divider()
    import_boundaries_section(atlas)
    if st.session_state.get("user_points") is not None or st.session_state.get("user_boundary") is not None:
        st.divider()
        st.button(t("im_clear", lang()), on_click=clear_imports, key="im_clear")


# ---------------------------------------------------------------- export page


@st.cache_data(show_spinner=False, max_entries=16)
def cached_figure(spec_items: tuple) -> bytes:
    from exports.figure import FigureSpec, render_figure
    return render_figure(get_atlas(), FigureSpec(**dict(spec_items)))


@st.cache_data(show_spinner=False, max_entries=4)
def cached_each_corridor(spec_items: tuple) -> bytes:
    from exports.figure import FigureSpec, each_corridor
    return zip_bytes(each_corridor(get_atlas(), FigureSpec(**dict(spec_items))))


@st.cache_data(show_spinner=False, max_entries=4)
def cached_html(lang_code: str, corridors: tuple) -> bytes:
    from exports.html import interactive_map_html
    return interactive_map_html(get_atlas(), lang=lang_code, corridors=corridors,
                                display=get_display("wgs84")).encode("utf-8")


@st.cache_data(show_spinner=False, max_entries=8)
def cached_data(fmt: str, crs: str) -> tuple[str, bytes]:
    from exports.data import export_data
    return export_data(get_atlas(), fmt, crs)


def export_page(atlas) -> None:
    from exports.data import CRS_CHOICES, DATA_FORMATS, check_data_request
    from exports.figure import DPI_RANGE, FORMATS, LAYERS, ORIENTATIONS, PAPERS_MM
    L = lang()
    st.subheader(t("ex_figure", L))
    c1, c2 = st.columns(2)
    corridors = c1.multiselect(t("ex_corridors", L), list(atlas.corridors["id"]), default=list(atlas.corridors["id"]),
                               key="ex_corridors", format_func=lambda cid, L=L: corridor_label(atlas, cid, L))
    layer_names = c2.multiselect(t("ex_layers", L), LAYERS, default=list(LAYERS), key="ex_layers",
                                 format_func=lambda n, L=L: t(f"ex_layer_{n}", L))
    figure_lang = st.session_state.get("ex_lang", L)
    title = c1.text_input(t("ex_title", L), key="ex_title", placeholder=t("fig_title", figure_lang))
    subtitle = c2.text_input(t("ex_subtitle", L), key="ex_subtitle", placeholder=t("fig_subtitle", figure_lang))
    figure_lang = c1.radio(t("ex_figure_lang", L), LANGS, key="ex_lang", horizontal=True, index=LANGS.index(L),
                           format_func=lambda code: {"zh": "中文", "en": "English"}[code])
    c3, c4, c5, c6 = st.columns(4)
    paper = c3.selectbox(t("ex_paper", L), list(PAPERS_MM), key="ex_paper")
    orientation = c4.selectbox(t("ex_orientation", L), ORIENTATIONS, key="ex_orientation",
                               format_func=lambda o, L=L: t(f"ex_{o}", L))
    dpi = c5.number_input(t("ex_dpi", L), min_value=DPI_RANGE[0], max_value=DPI_RANGE[1], value=300, step=50,
                          key="ex_dpi")
    fmt = c6.selectbox(t("ex_format", L), FORMATS, key="ex_format", format_func=str.upper)
    spec = {"corridors": tuple(corridors), "layers": tuple(layer_names), "title": title or None,
            "subtitle": subtitle or None, "paper": paper, "orientation": orientation, "dpi": int(dpi),
            "fmt": fmt, "lang": figure_lang}
    try:
        preview = cached_figure(tuple(sorted({**spec, "dpi": 150, "fmt": "png"}.items())))
        st.markdown(f"**{t('ex_preview', L)}**")
        st.image(preview, width="stretch")
        name = f"suzhou_atlas_{paper}_{orientation}_{int(dpi)}dpi.{fmt}"
        items = tuple(sorted(spec.items()))
        # the full-resolution files are made only when their button is clicked
        st.download_button(t("ex_download", L, name=name), lambda: cached_figure(items),
                           file_name=name, mime={"png": "image/png", "svg": "image/svg+xml",
                                                 "pdf": "application/pdf"}[fmt], key="dl_figure")
        zip_name = f"suzhou_atlas_corridors_{fmt}.zip"
        st.download_button(f"{t('ex_each', L)}: {zip_name}", lambda: cached_each_corridor(items),
                           file_name=zip_name, mime="application/zip", key="dl_each")
    except AtlasError as exc:
        show_error(exc)

    st.subheader(t("ex_html", L))
    html_name = f"suzhou_atlas_map_{L}.html"
    shown = tuple(corridors)
    st.download_button(t("ex_download", L, name=html_name), lambda: cached_html(L, shown),
                       file_name=html_name, mime="text/html", key="dl_html")

    st.subheader(t("ex_data", L))
    d1, d2 = st.columns(2)
    data_fmt = d1.selectbox(t("ex_data_format", L), DATA_FORMATS, key="ex_data_format", format_func=str.upper)
    crs = d2.selectbox(t("ex_crs", L), list(CRS_CHOICES), key="ex_crs", format_func=lambda c, L=L: t(f"crs_{c}", L))
    try:
        data_name = check_data_request(data_fmt, crs)
        st.download_button(t("ex_download", L, name=data_name), lambda: cached_data(data_fmt, crs)[1],
                           file_name=data_name, key="dl_data")
    except AtlasError as exc:
        show_error(exc)


# ---------------------------------------------------------------- main


def main() -> None:
    st.set_page_config(page_title="苏州数字经济创新集群地图 · Suzhou Innovation Atlas", layout="wide")
    assets.require_installed()
    atlas = current_atlas()
    init_state(atlas)
    sidebar(atlas)
    L = lang()
    st.title(t("app_title", L))
    st.caption(t("app_caption", L))
    for name, value in st.session_state.get("_rejected", []):
        st.warning(t("bad_url_value", L, name=md(name), value=md(value)))
    page = st.session_state["page"]
    {"map": map_page, "query": query_page, "summary": summary_page, "export": export_page,
     "import": import_page}[page](atlas)
    sync_url()


main()
