"""Scenario page: what-if changes to the plan's layout (what if 吴中区 joined the 沿江 belt?), the
layout as a file, and the scenario compared with the plan or with another layout file.

A change here puts the scenario in force for the whole session (``Workspace.set_layout``): the
map, queries, summaries and exports follow it, each labelled as a scenario. Changes are made in
widget callbacks, so the run that follows already draws the new layout.
"""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from app_pages import session
from app_pages.common import MISSING, corridor_label, current_basemap, for_display, unit_label
from atlas_core import settings
from atlas_core.errors import AtlasError, InvalidLayoutError
from atlas_web.mapview import MapView
from atlas_web.webmap import CHANGED_UNIT_SWATCH, build_map, changed_units_group
from layers.layout import (
    as_scenario,
    diff_layouts,
    diff_rows,
    dump_layout,
    parse_layout,
    plan_layout,
    validate_layout,
    with_corridor_fields,
    with_member,
    without_member,
)
from presentation.i18n import t
from presentation.media import media_type
from presentation.style import CHANGED_UNIT_COLOUR
from safety.markup import markdown as md
from spatial.summary import compare_corridors
from workspace.session import COMPARED_FIGURES, Workspace

LOADED_KEY = "_sc_loaded"  # digest of the layout file last taken from the upload box
MESSAGE_KEY = "_sc_message"  # (kind, i18n key, values, problems) from the last change, shown once
COMPARED_KEY = "_sc_compared"  # (file name, layout) of the layout file the scenario is compared with
FIGURE_LABELS = {
    "member_count": "col_member_count",
    "members_land_km2": "col_members_land",
    "footprint_land_km2": "col_footprint",
    "resident_population_10k_sum": "ind_resident_population_10k",
    "gdp_100m_yuan_sum": "ind_gdp_100m_yuan",
    "plan_facilities_per_100km2_land": "ind_facilities_per_100km2",
}
COMPARE_MAP_HEIGHT = 420


@st.cache_resource(show_spinner=False)
def the_plan() -> dict:
    """The plan's layout, built once per server (edits copy it, never change it)."""
    return plan_layout()


def in_force(ws: Workspace) -> dict:
    return ws.layout if ws.layout is not None else the_plan()


def scenario_name(ws: Workspace) -> str:
    """The scenario's name; until the planner gives one, "untitled" in the language of the UI when
    the scenario is made (it keeps that name, as a name a planner gives does)."""
    return ws.scenario or session.kept_value("sc_name") or t("sc_default_name", session.lang())


def tell(kind: str, key: str, problems: list[str] | None = None, **values) -> None:
    """Say how the last change went; shown until the next change (reruns from the maps keep it)."""
    st.session_state[MESSAGE_KEY] = (kind, key, values, problems or [])


def layout_problems(layout, ws: Workspace) -> list[str]:
    """What is wrong with ``layout`` for this workspace's units (empty: nothing)."""
    return validate_layout(layout, ws.base.units["adcode"])


def put_in_force(ws: Workspace, layout: dict, *, name: str | None = None, source: str | None = None) -> bool:
    """Make ``layout`` the session's scenario if it is valid; else say why (naming ``source``, the
    file it came from, if any) and change nothing."""
    st.session_state.pop(MESSAGE_KEY, None)
    before = list(ws.atlas.corridors["id"])
    try:
        ws.set_layout(as_scenario(layout, name or scenario_name(ws)) if isinstance(layout, dict) else layout)
    except InvalidLayoutError as exc:  # the workspace checks; the page says what it found
        if source is None:
            tell("error", "sc_edit_problems", exc.problems, n=len(exc.problems))
        else:
            tell("error", "sc_file_problems", exc.problems, name=source, n=len(exc.problems))
        return False
    session.follow_layout(before, list(ws.atlas.corridors["id"]))
    return True


# ---------------------------------------------------------------- callbacks (run before the page)


def back_to_plan(ws: Workspace) -> None:
    st.session_state.pop(MESSAGE_KEY, None)
    before = list(ws.atlas.corridors["id"])
    ws.set_layout(None)
    session.follow_layout(before, list(ws.atlas.corridors["id"]))


def rename_scenario(ws: Workspace, key: str) -> None:
    name = str(st.session_state[key]).strip()
    st.session_state.setdefault(session.KEPT_KEY, {})["sc_name"] = name
    if ws.layout is not None and name:
        ws.set_layout(as_scenario(ws.layout, name))


def load_layout_file(ws: Workspace, filename: str, data: bytes) -> None:
    """Put a layout file in force: a file that is the plan's layout brings the plan back; an
    invalid one is reported, problem by problem, and changes nothing."""
    try:
        layout = parse_layout(data)
    except ValueError as exc:  # LayoutFileError says it in both languages
        said = exc.message(session.lang()) if isinstance(exc, AtlasError) else str(exc)
        tell("error", "sc_file_problems", [said], name=filename, n=1)
        return
    if layout_problems(layout, ws) == [] and not diff_rows(diff_layouts(the_plan(), layout)):
        back_to_plan(ws)
        tell("info", "sc_file_is_plan", name=filename)
        return
    name = layout.get("name") if isinstance(layout, dict) and isinstance(layout.get("name"), str) else filename
    if put_in_force(ws, layout, name=name, source=filename):
        tell("success", "sc_file_loaded", name=filename)


def change_corridor(ws: Workspace, cid: str, suffix: str) -> None:
    state = st.session_state
    zh, en = str(state[f"sc_name_zh_{suffix}"]).strip(), str(state[f"sc_name_en_{suffix}"]).strip()
    if not zh or not en:
        tell("error", "sc_names_required")
        return
    band = state[f"sc_band_{suffix}"]
    put_in_force(ws, with_corridor_fields(in_force(ws), cid, name_zh=zh, name_en=en, band_km=band))


def remove_member(ws: Workspace, cid: str, suffix: str) -> None:
    adcode = st.session_state.get(f"sc_remove_unit_{suffix}")
    if adcode:
        put_in_force(ws, without_member(in_force(ws), cid, adcode))


def add_member(ws: Workspace, cid: str, adcode: str, suffix: str) -> None:
    state = st.session_state
    names = ("role_zh", "role_en", "group_zh", "group_en")
    fields = {f: str(state.get(f"sc_{f}_{suffix}") or "").strip() for f in names}
    if not fields["role_zh"] and not fields["role_en"]:
        tell("error", "sc_role_required")
        return
    put_in_force(ws, with_member(in_force(ws), cid, {"adcode": adcode, **fields}))


# ---------------------------------------------------------------- sections


def show_message() -> None:
    message = st.session_state.get(MESSAGE_KEY)
    if message is None:
        return
    kind, key, values, problems = message
    L = session.lang()
    text = t(key, L, **{k: md(v) if isinstance(v, str) else v for k, v in values.items()})
    if problems:
        text += "\n" + "\n".join(f"- {md(p)}" for p in problems[:30])
    getattr(st, kind)(text)


def status_section(ws: Workspace) -> None:
    L = session.lang()
    st.caption(t("sc_intro", L))
    show_message()
    c1, c2 = st.columns([2, 1])
    key = f"sc_name_{ws.atlas_token}"  # a fresh box whenever the layout changes
    c1.text_input(t("sc_name", L), value=scenario_name(ws), key=key, on_change=rename_scenario, args=(ws, key))
    if ws.layout is None:
        c2.info(t("sc_plan_in_force", L))
    else:
        c2.button(t("sc_back_to_plan", L), on_click=back_to_plan, args=(ws,), key="sc_back")
    st.caption(t("sc_session_note", L))
    st.markdown(f"**{t('sc_start', L)}**")
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    c1.file_uploader(
        t("sc_upload", L), type=["json"], key="sc_file", max_upload_size=settings.current().max_upload_mb
    )  # read by take_uploaded_file
    c2.download_button(
        t("sc_download", L),
        dump_layout(in_force(ws)).encode("utf-8"),
        file_name="layout.json" if ws.layout is None else "scenario-layout.json",
        mime=media_type("json"),
        on_click="ignore",
        key="sc_download",
    )


def edit_section(ws: Workspace) -> None:
    L = session.lang()
    atlas, layout = ws.atlas, in_force(ws)
    st.subheader(t("sc_edit", L))
    ids = [c["id"] for c in layout["corridors"]]
    cid = session.kept(
        st.selectbox,
        "sc_corridor",
        t("sc_corridor", L),
        ids,
        default=ids[0],
        format_func=lambda c: corridor_label(atlas, c, L),
    )
    corridor = next(c for c in layout["corridors"] if c["id"] == cid)
    unit_names = {code: unit_label(atlas, code) for code in atlas.units["adcode"]}
    # The boxes start from the layout in force after every change, and are drawn anew in the other
    # language (a picker keeps the labels it was first drawn with).
    suffix = f"{cid}_{ws.atlas_token}_{L}"
    with st.form(f"sc_corridor_form_{suffix}", border=True):
        c1, c2, c3 = st.columns([2, 2, 1])
        c1.text_input(t("sc_name_zh", L), value=corridor["name_zh"], key=f"sc_name_zh_{suffix}")
        c2.text_input(t("sc_name_en", L), value=corridor["name_en"], key=f"sc_name_en_{suffix}")
        c3.number_input(t("sc_band", L), 0.5, 50.0, float(corridor["band_km"]), step=0.5, key=f"sc_band_{suffix}")
        st.form_submit_button(t("sc_apply", L), on_click=change_corridor, args=(ws, cid, suffix))
    st.markdown(f"**{t('sc_members', L)}**")
    members = corridor["members"]
    if members:
        st.dataframe(
            for_display(
                pd.DataFrame(
                    {
                        t("sc_unit", L): [unit_label(atlas, m["adcode"]) for m in members],
                        t("role", L): [m[f"role_{L}"] for m in members],
                        t("group", L): [m[f"group_{L}"] or None for m in members],
                    }
                )
            ),
            hide_index=True,
            width="stretch",
        )
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        c1.selectbox(
            t("sc_remove_unit", L),
            [m["adcode"] for m in members],
            key=f"sc_remove_unit_{suffix}",
            format_func=lambda code: unit_names[code],
        )
        c2.button(t("sc_remove", L), on_click=remove_member, args=(ws, cid, suffix), key=f"sc_remove_{suffix}")
    else:
        st.info(t("sc_no_members", L))
    st.markdown(f"**{t('sc_add_title', L)}**")
    codes = list(atlas.units["adcode"])
    current = {m["adcode"]: m for m in members}
    outside = [c for c in codes if c not in current]
    adcode = st.selectbox(
        t("sc_unit", L),
        outside + [c for c in codes if c in current],  # units not yet members first
        key=f"sc_unit_{suffix}",
        format_func=lambda code: unit_names[code],
    )
    member = current.get(adcode, {})  # a member's role and group, to change rather than retype
    with st.form(f"sc_add_form_{suffix}_{adcode}", border=True):
        c1, c2 = st.columns(2)
        for column, field in ((c1, "role_zh"), (c2, "role_en"), (c1, "group_zh"), (c2, "group_en")):
            column.text_input(t(f"sc_{field}", L), value=member.get(field, ""), key=f"sc_{field}_{suffix}_{adcode}")
        st.caption(t("sc_one_language", L))
        st.form_submit_button(
            t("sc_change" if member else "sc_add", L),
            on_click=add_member,
            args=(ws, cid, adcode, f"{suffix}_{adcode}"),
        )


def compared_layout(ws: Workspace) -> tuple[str, dict | None]:
    """What the scenario is compared with: (its name, its layout; None for the plan's)."""
    L = session.lang()
    choice = session.kept(
        st.radio,
        "sc_compare_with",
        t("sc_compare_with", L),
        ("plan", "saved", "file"),
        default="plan",
        horizontal=True,
        format_func=lambda c: t(f"sc_against_{c}", L),
    )
    if choice == "plan":
        return t("sc_against_plan", L), None
    if choice == "saved":
        return saved_scenario(ws)
    file = st.file_uploader(
        t("sc_upload", L), type=["json"], key="sc_compare_file", max_upload_size=settings.current().max_upload_mb
    )
    if file is not None:
        try:
            layout = parse_layout(file.getvalue())
        except ValueError as exc:
            said = exc.message(L) if isinstance(exc, AtlasError) else str(exc)
            st.error(t("sc_file_problems", L, name=md(file.name), n=1) + f"\n- {md(said)}")
            return t("sc_against_plan", L), None
        problems = layout_problems(layout, ws)
        if problems:
            listed = "\n".join(f"- {md(p)}" for p in problems[:30])
            st.error(t("sc_file_problems", L, name=md(file.name), n=len(problems)) + "\n" + listed)
            return t("sc_against_plan", L), None
        st.session_state[COMPARED_KEY] = (file.name, layout)
    name, layout = st.session_state.get(COMPARED_KEY, (None, None))
    return (name, layout) if layout is not None else (t("sc_against_plan", L), None)


def saved_scenario(ws: Workspace) -> tuple[str, dict | None]:
    """A scenario saved in a workspace (the Workspaces page), to compare the current one with."""
    L = session.lang()
    try:
        store = session.workspace_store()
        names = [i.name for i in store.workspaces() if "scenario" in i.contents]
    except AtlasError as exc:
        st.error(md(exc.message(L)))
        return t("sc_against_plan", L), None
    if not names:
        st.info(t("sc_no_saved_scenarios", L))
        return t("sc_against_plan", L), None
    name = session.kept(st.selectbox, "sc_compare_saved", t("ws_selected", L), names, default=names[0])
    try:
        manifest, revision = store.manifest(name)  # the layout only: its files are not needed here
    except AtlasError as exc:
        st.error(md(exc.message(L)))
        return t("sc_against_plan", L), None
    layout = manifest.get("layout")
    if not isinstance(layout, dict) or layout_problems(layout, ws):
        st.error(t("sc_saved_unusable", L, name=md(name)))
        return t("sc_against_plan", L), None
    return f"{name} · {t('ws_revision', L)} {revision}", layout


FIELD_LABELS = (  # layout fields a change may name, each with its label (sc_field_<name>)
    "name_zh", "name_en", "band_km", "kind", "order", "summary_zh", "summary_en", "plan_section",
    "functions", "spine", "role_zh", "role_en", "group_zh", "group_en", "anchor_id",
)  # fmt: skip


def field_label(field: str, L: str) -> str:
    return t(f"sc_field_{field}", L) if field in FIELD_LABELS else field


def number_text(value, *, signed: bool = False) -> str:
    """A figure as a report prints it: whole numbers without decimals, others to two places; "—" when missing."""
    if value is None or pd.isna(value):
        return MISSING
    number = float(value)
    text = f"{int(number):,}" if number.is_integer() else f"{number:,.2f}"
    return f"+{text}" if signed and number > 0 else text


def changes_table(diff: dict, atlas, other_atlas) -> pd.DataFrame:
    L = session.lang()
    rows = diff_rows(diff)

    def corridor_name(cid: str) -> str:
        return corridor_label(atlas if cid in set(atlas.corridors["id"]) else other_atlas, cid, L) if cid else ""

    def shown(row: dict, side: str):
        if row["item"] == "member" and row["change"] != "changed":
            return row[f"role_{L}"] if (side == "after") == (row["change"] == "added") else None
        value = row[side]
        return None if value is None else (value if isinstance(value, str | int | float) else json.dumps(value))

    return for_display(
        pd.DataFrame(
            {
                t("sc_col_change", L): [t(f"sc_change_{r['change']}", L) for r in rows],
                t("sc_col_item", L): [t(f"sc_item_{r['item']}", L) for r in rows],
                t("col_corridor", L): [corridor_name(r["corridor"]) for r in rows],
                t("col_unit", L): [unit_label(atlas, r["adcode"]) if r["adcode"] else "" for r in rows],
                t("sc_col_field", L): [field_label(r["field"], L) if r["field"] else None for r in rows],
                t("sc_col_before", L): [shown(r, "before") for r in rows],
                t("sc_col_after", L): [shown(r, "after") for r in rows],
            }
        )
    )


def figure_changes(before, after, atlas, other_atlas) -> pd.DataFrame:
    L = session.lang()
    table = compare_corridors(before, after, list(COMPARED_FIGURES))
    same = (table["before"] == table["after"]) | (table["before"].isna() & table["after"].isna())
    table = table.loc[~same]

    def name(cid: str) -> str:
        return corridor_label(atlas if cid in set(atlas.corridors["id"]) else other_atlas, cid, L)

    return pd.DataFrame(
        {
            t("col_corridor", L): [name(c) for c in table["id"]],
            t("sc_col_metric", L): [t(FIGURE_LABELS[c], L) for c in table["column"]],
            t("sc_col_before", L): [number_text(v) for v in table["before"]],
            t("sc_col_after", L): [number_text(v) for v in table["after"]],
            t("sc_col_delta", L): [number_text(v, signed=True) for v in table["change"]],
        }
    )


def side_by_side(ws: Workspace, other, other_name: str, changed_units: list[str]) -> None:
    L = session.lang()
    basemap, _note = current_basemap()
    view = session.view()
    columns = st.columns(2)
    label = t("sc_changed_units", L)
    sides = ((other, other_name, "sc_map_before"), (ws.derived, scenario_name(ws), "sc_map_after"))
    for column, (derived, title, key) in zip(columns, sides, strict=True):
        atlas, display = derived.atlas, derived.display(basemap.datum)
        changed = display.units.loc[display.units["adcode"].isin(changed_units)].geometry
        fmap = build_map(
            atlas,
            display,
            basemap,
            MapView(lang=L, corridors=tuple(atlas.corridors["id"]), categories=tuple(view.cats)),
            extra_groups=[changed_units_group(changed, name=label)] if len(changed) else [],
            extra_legend=((CHANGED_UNIT_COLOUR, label, CHANGED_UNIT_SWATCH),) if len(changed) else (),
        )
        with column:
            st.markdown(f"**{md(title)}**")
            st_folium(fmap, key=key, height=COMPARE_MAP_HEIGHT, use_container_width=True, returned_objects=[])


def compare_section(ws: Workspace) -> None:
    L = session.lang()
    st.subheader(t("sc_compare", L))
    other_name, other_layout = compared_layout(ws)
    other = ws.derived_with(other_layout)
    diff = diff_layouts(other_layout or the_plan(), in_force(ws))
    if not diff_rows(diff):
        st.info(t("sc_no_changes", L))
    else:
        st.markdown(f"**{t('sc_changes', L)}**")
        st.dataframe(changes_table(diff, ws.atlas, other.atlas), hide_index=True, width="stretch")
        st.markdown(f"**{t('sc_indicator_changes', L)}**")
        st.dataframe(
            figure_changes(other.corridor_figures(), ws.derived.corridor_figures(), ws.atlas, other.atlas),
            hide_index=True,
            width="stretch",
        )
        st.caption(t("sc_indicator_note", L))
    st.markdown(f"**{t('sc_maps', L)}**")
    changed = sorted({r["adcode"] for r in diff_rows(diff) if r["item"] == "member"})
    side_by_side(ws, other, other_name, changed)


def take_uploaded_file(ws: Workspace) -> None:
    """The layout file in the upload box, put in force once (the same file left in the box does
    nothing on later runs). Read before anything is drawn, so this run already shows the result
    (no second run, which could race with the box's own upload)."""
    file = st.session_state.get("sc_file")
    if file is None:
        return
    data = file.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    if st.session_state.get(LOADED_KEY) != digest:
        st.session_state[LOADED_KEY] = digest
        load_layout_file(ws, file.name, data)


def render() -> None:
    ws = session.workspace()
    take_uploaded_file(ws)
    status_section(ws)
    edit_section(ws)
    st.divider()
    compare_section(ws)


render()
