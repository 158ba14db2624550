"""Suzhou Innovation Atlas: the planners' app (Streamlit). Run with ``make run``.

The entry point only: page config, the shared sidebar and one ``st.Page`` per page
(``app_pages/``). The page is the URL's path; the view (language, corridors, categories,
basemap, selection) and the workspace (borders, imported layers) belong to
``app_pages.session``, so a page or language switch keeps both.
"""

from __future__ import annotations

import streamlit as st

from app_pages import session
from atlas_core import settings
from atlas_core.errors import SettingsError
from atlas_web import assets
from presentation.i18n import LANGS, t
from presentation.pages import DEFAULT_PAGE, PAGES
from safety.markup import markdown as md
from workspace.clip import clipped
from workspace.view import legacy_page

LANG_NAMES = {"zh": "中文", "en": "English"}


def main() -> None:
    # An emoji for the browser tab: a Material icon there would be fetched from outside (offline: nothing)
    st.set_page_config(page_title="苏州数字经济创新集群地图 · Suzhou Innovation Atlas", page_icon="🧭", layout="wide")
    assets.require_installed()
    try:
        settings.current()  # checked before anything reads them: a bad value is named, never replaced
    except SettingsError as error:
        st.error(md(f"{error.message('zh')}\n\n{error}"))  # both languages: none is chosen yet
        st.stop()
    first_run = session.VIEW_KEY not in st.session_state
    session.start()
    L = session.lang()
    pages = {
        page.name: st.Page(
            page.file,
            title=t(f"page_{page.name}", L),
            icon=page.icon,
            url_path=page.name,
            default=page.name == DEFAULT_PAGE,
        )
        for page in PAGES
    }
    current = st.navigation(list(pages.values()))
    with st.sidebar:
        session.bound(st.radio, "lang", "语言 / Language", LANGS, horizontal=True, format_func=LANG_NAMES.get)
    requested = legacy_page(st.query_params.to_dict()) if first_run else None
    if requested and requested != DEFAULT_PAGE:
        st.switch_page(pages[requested])  # a link from before pages had paths: ?page=query
    st.title(t("app_title", L))
    st.caption(t("app_caption", L))
    banner = st.empty()  # filled after the page: a change the page itself makes is already in it
    notes = session.link_notes()  # a link that opened a saved workspace, and what it met
    for note in notes if notes and session.view().workspace == notes[0][1] else []:
        if isinstance(note, tuple):
            st.info(t(note[0], L, name=md(clipped(note[1], L))))
        else:
            st.warning(md(note.message(L)))
    for name, value in session.rejected_url_values():
        st.warning(t("bad_url_value", L, name=md(clipped(name, L)), value=md(clipped(value, L))))
    with session.errors_reported():
        current.run()
    if session.workspace().scenario is not None:  # never mistaken for the plan, on any page
        banner.warning(t("scenario_banner", L, name=md(clipped(session.workspace().scenario, L))))
    session.write_url()


main()
