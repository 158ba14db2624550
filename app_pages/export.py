"""Export page: report figures, the interactive HTML map and the data, all from the session's workspace.

What a planner loaded reaches every file: the unit borders in force (credited in the figure's
source line) and, when chosen, each imported layer with its legend entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd
import streamlit as st

from app_pages import session
from app_pages.common import corridor_label
from atlas_core import settings
from atlas_core.errors import AtlasError
from atlas_web.html_export import interactive_map_html
from atlas_web.webmap import workspace_groups
from exports.data import CRS_CHOICES, DATA_FORMATS, check_data_request, export_data, zip_bytes
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
from presentation.i18n import LANGS, t
from presentation.media import media_type
from presentation.themes import NO_THEME, THEMES, chosen_theme
from reports.content import city_report, corridor_chapter
from reports.pdf import pdf_bytes
from reports.word import PDF_FONTS, docx_bytes
from safety.markup import markdown as md
from workspace.session import Workspace

LANG_NAMES = {"zh": "中文", "en": "English"}


def _user_layers(ws: Workspace, keys: tuple[str, ...], lang: str):
    return [layer for layer in ws.user_layers(lang) if layer.key in keys]


@st.cache_data(show_spinner=False, max_entries=16)
def _figure(token: str, spec_items: tuple, layer_keys: tuple[str, ...], _ws: Workspace) -> bytes:

    spec = FigureSpec(**dict(spec_items))
    return render_figure(_ws.atlas, spec, user_layers=_user_layers(_ws, layer_keys, spec.lang))


@st.cache_data(show_spinner=False, max_entries=4)
def _sheet(token: str, spec_items: tuple, layer_keys: tuple[str, ...], _ws: Workspace) -> bytes:

    spec = FigureSpec(**dict(spec_items))
    return render_corridor_sheet(_ws.atlas, spec, user_layers=_user_layers(_ws, layer_keys, spec.lang))


@st.cache_data(show_spinner=False, max_entries=4)
def _each_corridor(token: str, spec_items: tuple, layer_keys: tuple[str, ...], _ws: Workspace) -> bytes:

    spec = FigureSpec(**dict(spec_items))
    return zip_bytes(each_corridor(_ws.atlas, spec, user_layers=_user_layers(_ws, layer_keys, spec.lang)))


@st.cache_data(show_spinner=False, max_entries=4)
def _html(
    token: str, lang: str, corridors: tuple[str, ...], layer_keys: tuple[str, ...], approval: str, _ws: Workspace
) -> bytes:

    groups, legend = workspace_groups(_ws, lang=lang, include=layer_keys)
    return interactive_map_html(
        _ws.atlas,
        lang=lang,
        corridors=corridors,
        display=_ws.derived.display("wgs84"),
        extra_groups=groups,
        extra_legend=tuple(legend),
        borders=None if _ws.borders is None else _ws.borders_credit(lang),
        approval=approval,
    ).encode("utf-8")


@st.cache_data(show_spinner=False, max_entries=8)
def _data(token: str, fmt: str, crs: str, layer_keys: tuple[str, ...], _ws: Workspace) -> tuple[str, bytes]:

    return export_data(_ws.atlas, fmt, crs, extra_layers=_ws.user_layers_for_data(layer_keys))


def imported_layers_picker(ws: Workspace) -> tuple[str, ...]:
    """Which imported layers go into the files (all by default); empty when nothing was imported."""
    L = session.lang()
    available = {layer.key: layer.legend for layer in ws.user_layers(L)}
    if not available:
        return ()
    chosen = session.kept(
        st.multiselect,
        "ex_user_layers",
        t("ex_user_layers", L),
        list(available),
        default=list(available),
        format_func=lambda key: available[key],
        help=t("ex_user_layers_help", L),
    )
    return tuple(key for key in chosen if key in available)


def figure_section(ws: Workspace, layer_keys: tuple[str, ...]) -> tuple[str, ...]:
    """The figure's settings, preview and downloads; returns the corridors chosen (the HTML uses them too)."""
    L = session.lang()
    st.subheader(t("ex_figure", L))
    spec = _figure_choices(ws, L)
    try:
        _figure_downloads(ws, spec, layer_keys, L)
    except AtlasError as exc:
        session.show_error(exc)
    return spec["corridors"]


def _figure_choices(ws: Workspace, L: str) -> dict:
    """The planner's choices for the figure, as FigureSpec's fields (checked when it is drawn)."""
    atlas = ws.atlas
    ids = list(atlas.corridors["id"])
    c1, c2 = st.columns(2)
    kept = session.kept
    corridors = kept(
        c1.multiselect,
        "ex_corridors",
        t("ex_corridors", L),
        ids,
        default=list(session.view().corridors) or ids,  # what the Map page shows, until changed here
        format_func=lambda cid: corridor_label(atlas, cid, L),
    )
    layer_names = kept(
        c2.multiselect,
        "ex_layers",
        t("ex_layers", L),
        LAYERS,
        default=list(LAYERS),
        format_func=lambda n: t(f"ex_layer_{n}", L),
    )
    figure_lang = kept(
        c1.radio,
        "ex_lang",
        t("ex_figure_lang", L),
        LANGS,
        default=L,  # follows the UI until chosen
        horizontal=True,
        format_func=LANG_NAMES.get,
    )
    title = kept(c1.text_input, "ex_title", t("ex_title", L), default="", placeholder=t("fig_title", figure_lang))
    subtitle = kept(
        c2.text_input, "ex_subtitle", t("ex_subtitle", L), default="", placeholder=t("fig_subtitle", figure_lang)
    )
    c3, c4, c5, c6 = st.columns(4)
    paper = kept(c3.selectbox, "ex_paper", t("ex_paper", L), list(PAPERS_MM), default="A4")
    orientation = kept(
        c4.selectbox,
        "ex_orientation",
        t("ex_orientation", L),
        ORIENTATIONS,
        default=ORIENTATIONS[0],
        format_func=lambda o: t(f"ex_{o}", L),
    )
    dpi = kept(
        c5.number_input,
        "ex_dpi",
        t("ex_dpi", L),
        default=300,
        min_value=DPI_RANGE[0],
        max_value=DPI_RANGE[1],
        step=50,
    )
    fmt = kept(c6.selectbox, "ex_format", t("ex_format", L), FORMATS, default=FORMATS[0], format_func=str.upper)
    approval = kept(st.text_input, "ex_approval", t("ex_approval", L), default="", help=t("ex_approval_help", L))
    theme = kept(
        st.selectbox,
        "ex_theme",
        t("theme", L),
        [NO_THEME, *THEMES],
        default=session.view().theme,  # the map's thematic indicator until the planner picks another
        format_func=lambda key: t("theme_none", L) if key == NO_THEME else t(f"ind_{key}", L),
    )
    spec = {
        "corridors": tuple(corridors),
        "layers": tuple(layer_names),
        "title": title or None,
        "subtitle": subtitle or None,
        "paper": paper,
        "orientation": orientation,
        "dpi": int(dpi),
        "fmt": fmt,
        "lang": figure_lang,
        "borders": None if ws.borders is None else ws.borders_credit(figure_lang),
        "approval": approval.strip(),
        "theme": chosen_theme(theme),
    }
    return spec


def _figure_downloads(ws: Workspace, spec: dict, layer_keys: tuple[str, ...], L: str) -> None:
    """A preview at 150 dpi, then the figure, one per corridor and the sheet, each made when its button is clicked."""
    paper, orientation, dpi, fmt = spec["paper"], spec["orientation"], spec["dpi"], spec["fmt"]
    with st.spinner(t("working", L)):
        preview = _figure(ws.token, tuple(sorted({**spec, "dpi": 150, "fmt": "png"}.items())), layer_keys, ws)
    st.markdown(f"**{t('ex_preview', L)}**")
    st.image(preview, width="stretch")
    name = f"suzhou_atlas_{paper}_{orientation}_{int(dpi)}dpi.{fmt}"
    items = tuple(sorted(spec.items()))
    # the full-resolution files are made only when their button is clicked
    st.download_button(
        t("ex_download", L, name=name),
        lambda: _figure(ws.token, items, layer_keys, ws),
        file_name=name,
        mime=media_type(fmt),
        key="dl_figure",
        on_click="ignore",
    )
    zip_name = f"suzhou_atlas_corridors_{fmt}.zip"
    st.download_button(
        f"{t('ex_each', L)}: {zip_name}",
        lambda: _each_corridor(ws.token, items, layer_keys, ws),
        file_name=zip_name,
        mime=media_type("zip"),
        key="dl_each",
        on_click="ignore",
    )
    sheet_name = f"suzhou_atlas_six_corridors_{paper}_{orientation}.{fmt}"
    st.download_button(
        f"{t('ex_sheet', L)}: {sheet_name}",
        lambda: _sheet(ws.token, items, layer_keys, ws),
        file_name=sheet_name,
        mime=media_type(fmt),
        key="dl_sheet",
        on_click="ignore",
    )


def html_section(ws: Workspace, layer_keys: tuple[str, ...], corridors: tuple[str, ...]) -> None:
    L = session.lang()
    st.subheader(t("ex_html", L))
    html_name = f"suzhou_atlas_map_{L}.html"
    shown = corridors or tuple(ws.atlas.corridors["id"])
    st.caption(t("ex_html_view", L))
    st.download_button(
        t("ex_download", L, name=html_name),
        lambda: _html(ws.token, L, shown, layer_keys, (session.kept_value("ex_approval") or "").strip(), ws),
        file_name=html_name,
        mime=media_type("html"),
        key="dl_html",
        on_click="ignore",
    )


def data_section(ws: Workspace, layer_keys: tuple[str, ...]) -> None:

    L = session.lang()
    st.subheader(t("ex_data", L))
    d1, d2 = st.columns(2)
    data_fmt = session.kept(
        d1.selectbox,
        "ex_data_format",
        t("ex_data_format", L),
        DATA_FORMATS,
        default=DATA_FORMATS[0],
        format_func=str.upper,
    )
    crs = session.kept(
        d2.selectbox,
        "ex_crs",
        t("ex_crs", L),
        list(CRS_CHOICES),
        default="wgs84",
        format_func=lambda c: t(f"crs_{c}", L),
    )
    try:
        data_name = check_data_request(data_fmt, crs)
    except AtlasError as exc:
        session.show_error(exc)
        return
    st.download_button(
        t("ex_download", L, name=data_name),
        lambda: _data(ws.token, data_fmt, crs, layer_keys, ws)[1],
        file_name=data_name,
        key="dl_data",
        on_click="ignore",
    )


REPORT_FORMATS = ("docx", "pdf")
CITY = "city"  # the report picker's value for the whole-city report


def imported_counts(ws: Workspace, lang: str) -> pd.DataFrame | None:
    """A planner's imported points per unit (rows placed in a unit), for the report's chapters."""
    if ws.points is None:
        return None
    table = ws.points.table
    placed = table.loc[table["atlas_status"] != "rejected", "atlas_adcode"]
    counts = placed[placed != ""].value_counts()
    return counts.to_frame(t("im_layer_points", lang, name=ws.points.name))


def report_name(ws: Workspace, scope: str, lang: str, fmt: str) -> str:
    """What the file holds, so two downloads never overwrite each other: scenario, scope, language, date."""
    prefix = "scenario_" if ws.scenario is not None else ""
    return f"{prefix}suzhou_atlas_report_{scope}_{lang}_{dt.date.today().isoformat()}.{fmt}"


def _report(ws: Workspace, scope: str, lang: str, fmt: str, template: bytes | None, approval: str, progress) -> bytes:
    date = dt.date.today().isoformat()
    imported = imported_counts(ws, lang)
    if scope == CITY:
        document = city_report(ws.atlas, lang=lang, date=date, approval=approval, imported=imported, progress=progress)
    else:
        document = corridor_chapter(ws.atlas, scope, lang=lang, date=date, approval=approval, imported=imported)
    if fmt == "pdf":
        return pdf_bytes(docx_bytes(document, template=template, fonts=PDF_FONTS))
    return docx_bytes(document, template=template)


def report_section(ws: Workspace) -> None:
    """A corridor's chapter or the whole-city report, as Word or PDF, made on request with progress."""
    L = session.lang()
    st.subheader(t("ex_report", L))
    kept = session.kept
    ids = list(ws.atlas.corridors["id"])
    c1, c2, c3 = st.columns(3)
    scope = kept(
        c1.selectbox,
        "ex_report_scope",
        t("ex_report_scope", L),
        [CITY, *ids],
        default=ids[0],
        format_func=lambda v: t("ex_report_city", L) if v == CITY else corridor_label(ws.atlas, v, L),
    )
    lang = kept(c2.radio, "ex_report_lang", t("ex_figure_lang", L), LANGS, default=L, format_func=LANG_NAMES.get)
    fmt = kept(c3.radio, "ex_report_format", t("ex_format", L), REPORT_FORMATS, default="docx", format_func=str.upper)
    template_file = st.file_uploader(
        t("ex_report_template", L),
        type=["docx"],
        key="ex_report_template",
        max_upload_size=settings.current().max_upload_mb,
    )
    template = template_file.getvalue() if template_file is not None else None
    approval = (session.kept_value("ex_approval") or "").strip()
    request = (ws.token, scope, lang, fmt, approval, hashlib.sha256(template or b"").hexdigest())
    made = st.session_state.get("_ex_report")
    if (made is None or made[0] != request) and st.button(t("ex_report_make", L), key="ex_report_make"):
        bar = st.progress(0.0, text=t("working", L))
        content = _report(
            ws, scope, lang, fmt, template, approval, lambda done: bar.progress(done, text=t("working", L))
        )
        bar.empty()
        st.session_state["_ex_report"] = made = (request, report_name(ws, scope, lang, fmt), content)
    if made is not None and made[0] == request:
        st.download_button(
            t("ex_download", L, name=made[1]),
            made[2],
            file_name=made[1],
            mime=media_type(fmt),
            key="dl_report",
            on_click="ignore",
        )


def render() -> None:
    ws = session.workspace()
    L = session.lang()
    if ws.borders is not None:
        st.info(t("borders_in_use", L, name=md(ws.borders)))
    layer_keys = imported_layers_picker(ws)
    corridors = figure_section(ws, layer_keys)
    report_section(ws)
    html_section(ws, layer_keys, corridors)
    data_section(ws, layer_keys)


render()
