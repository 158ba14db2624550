"""Labels and tables that several pages show, in the session's language."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import session
from app_pages.session import lang
from atlas_core.errors import BasemapError
from atlas_web.basemaps import resolve_basemap, tianditu_key
from layers.facilities import CONTEXT_SECTION
from presentation.i18n import pick, t
from safety.markup import markdown as md


def unit_label(atlas, adcode: str) -> str:
    row = atlas.units.loc[atlas.units["adcode"] == adcode].iloc[0]
    return f"{pick(row, lang())} ({adcode})"


def corridor_label(atlas, corridor_id: str, language: str | None = None) -> str:
    ids, names = atlas.corridors["id"].tolist(), atlas.corridors[f"name_{language or lang()}"].tolist()
    return names[ids.index(corridor_id)] if corridor_id in ids else corridor_id


def category_label(category: str, language: str | None = None) -> str:
    return t(f"cat_{category}", language or lang())


def roles_table(entries: list, key: str) -> pd.DataFrame:
    """Rows of (name, role, group) from ``corridors_of_unit`` / ``units_of_corridor`` results."""
    L = lang()
    return pd.DataFrame(
        [
            {
                t("col_corridor" if key == "corridor" else "col_unit", L): pick(e[key], L),
                t("role", L): e["role"][f"role_{L}"],
                t("group", L): e["group"][f"group_{L}"],
            }
            for e in entries
        ]
    )


def facility_table(frame: pd.DataFrame, atlas) -> pd.DataFrame:
    L = lang()
    names = dict(zip(atlas.units["adcode"], atlas.units[f"name_{L}"], strict=True))
    return pd.DataFrame(
        {
            t("name", L): frame[f"name_{L}"].values,
            t("category", L): [category_label(c) for c in frame["category"]],
            t("unit", L): [names.get(a, a) for a in frame["adcode"]],
            t("precision", L): [t(f"prec_{p}", L) for p in frame["precision"]],
            t("source", L): frame["source"].values,
        }
    )


MISSING = "—"  # how an empty cell reads on screen (Streamlit's table would print "None")


def for_display(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy for on-screen tables: missing values read as a dash; columns with one become text."""
    out = frame.copy()
    for column in out.columns:
        missing = out[column].isna()
        if missing.any():
            out[column] = out[column].astype(object).where(~missing, MISSING).astype(str)
    return out


def with_marked_cell(frame: pd.DataFrame, column: str, row: int, text: str) -> pd.DataFrame:
    """A copy of ``frame`` with one cell of ``column`` (by position) replaced by ``text`` (e.g. a
    value with its † mark); the column's other numbers become text too, written in full
    (``1234567.8``, not ``1.23e+06``), so the column is all text, as Arrow needs to show it."""
    out = frame.copy()
    out[column] = [value if isinstance(value, str) else f"{value:.10g}" for value in out[column]]
    out.iloc[row, out.columns.get_loc(column)] = text
    return out


def plan_section_label(section: str, lang: str) -> str:
    """A facility's plan section as a planner reads it ("context" items are not named by the plan)."""
    return t("plan_context", lang) if section == CONTEXT_SECTION else section


def current_basemap():
    """The chosen basemap, or the plain one with an explanation when it cannot be used."""
    view = session.view()
    try:
        return resolve_basemap(
            view.basemap, tianditu=tianditu_key(st.secrets), custom_url=view.custom_url, custom_datum=view.custom_datum
        ), None
    except BasemapError as exc:
        L = session.lang()
        missing_key = view.basemap == "tianditu" and "key" in str(exc)
        return resolve_basemap("none"), t("tianditu_missing", L) if missing_key else md(exc.message(L))
