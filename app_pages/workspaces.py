"""Workspaces page: save the session's work under a name, reopen it after a restart, rename or
delete it, carry it to another machine as one file (``workspace.store``, ``workspace.saved``)."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pandas as pd
import streamlit as st

from app_pages import session
from atlas_core import settings
from atlas_core.errors import AtlasError, StoreError
from presentation.i18n import t
from presentation.media import media_type
from safety.markup import markdown as md
from workspace.clip import clipped
from workspace.names import name_key
from workspace.saved import workspace_record
from workspace.store import BaseStore
from workspace.store_pg import SCHEMA, PostgresWorkspaceStore

OPENED_KEY = session.OPENED_KEY
SESSION_ID_KEY = "_ws_session_id"
MESSAGES_KEY = "_ws_messages"  # (kind, text) shown on the next run
LAST_SAVE_KEY = "_ws_last_save"  # (name key, what was saved, revision) of this session's last save


def store() -> BaseStore:
    return session.workspace_store()


def session_id() -> str:
    return st.session_state.setdefault(SESSION_ID_KEY, uuid.uuid4().hex)


def tell(kind: str, text: str) -> None:
    st.session_state.setdefault(MESSAGES_KEY, []).append((kind, text))


def show_messages() -> None:
    for kind, text in st.session_state.pop(MESSAGES_KEY, []):
        getattr(st, kind)(text)


def problem_text(error: AtlasError, L: str) -> str:
    return md(error.message(L))


# ---------------------------------------------------------------- callbacks


def save_now() -> None:
    L = session.lang()
    ws = session.workspace()
    name = str(st.session_state.get("ws_save_name", "")).strip()
    opened = st.session_state.get(OPENED_KEY)
    based_on = opened[1] if opened and name_key(opened[0]) == name_key(name) else None
    manifest, files = workspace_record(ws, view=session.saved_view())
    saved = json.dumps({k: v for k, v in manifest.items() if k != "saved"}, ensure_ascii=False, sort_keys=True)
    try:
        last = st.session_state.get(LAST_SAVE_KEY)
        if last and last[:2] == (name_key(name), saved) and store().latest_revision(name) == last[2]:
            # Enter in the name box submits the form: the button pressed after it is the same intent
            tell("info", t("ws_unchanged", L, name=md(clipped(name, L)), revision=last[2]))
            return
        result = store().save(name, manifest, files, based_on=based_on, session=session_id())
    except AtlasError as exc:
        tell("error", problem_text(exc, L))
        return
    st.session_state[LAST_SAVE_KEY] = (name_key(result.name), saved, result.revision)
    st.session_state[OPENED_KEY] = (result.name, result.revision)
    session.view().workspace = result.name  # a copied link now opens it
    tell("success", t("ws_saved", L, name=md(result.name), revision=result.revision))
    if result.others:
        others = "、".join(map(str, result.others)) if L == "zh" else ", ".join(map(str, result.others))
        tell("warning", t("ws_saved_others", L, name=md(result.name), others=others, latest=result.revision))


def open_saved(name: str, revision_key: str) -> None:
    L = session.lang()
    revision = st.session_state.get(revision_key)
    try:
        problems = session.open_saved_workspace(name, None if revision in (None, "latest") else int(revision))
    except AtlasError as exc:
        tell("error", problem_text(exc, L))
        return
    revision = st.session_state[OPENED_KEY][1]
    if problems:
        listed = "\n".join(f"- {problem_text(p, L)}" for p in problems)
        tell("warning", t("ws_open_problems", L, name=md(name)) + "\n" + listed)
    else:
        tell("success", t("ws_opened", L, name=md(name), revision=revision))


def rename_saved(name: str, key: str) -> None:
    L = session.lang()
    try:
        new = store().rename(name, str(st.session_state.get(key, "")))
    except AtlasError as exc:
        tell("error", problem_text(exc, L))
        return
    opened = st.session_state.get(OPENED_KEY)
    if opened and opened[0] == name:
        st.session_state[OPENED_KEY] = (new, opened[1])
    if session.view().workspace == name:
        session.view().workspace = new
    st.session_state.setdefault(session.KEPT_KEY, {})["ws_selected"] = new
    tell("success", t("ws_renamed", L, name=md(new)))


def delete_saved(name: str) -> None:
    L = session.lang()
    try:
        store().delete(name)
    except AtlasError as exc:
        tell("error", problem_text(exc, L))
        return
    opened = st.session_state.get(OPENED_KEY)
    if opened and opened[0] == name:
        st.session_state.pop(OPENED_KEY)
    if session.view().workspace == name:
        session.view().workspace = None
    tell("success", t("ws_deleted", L, name=md(name)))


def import_upload() -> None:
    L = session.lang()
    file = st.session_state.get("ws_file")
    if file is None:
        return
    try:
        result = store().import_file(file.getvalue(), name=None)
    except AtlasError as exc:
        tell("error", f"{md(file.name)}: {problem_text(exc, L)}")
        return
    st.session_state.setdefault(session.KEPT_KEY, {})["ws_selected"] = result.name
    tell("success", t("ws_imported", L, name=md(result.name)))


# ---------------------------------------------------------------- sections


def contents_label(contents: tuple[str, ...], L: str) -> str:
    joiner = "、" if L == "zh" else ", "
    return joiner.join(t(f"ws_content_{c}", L) for c in contents) or t("ws_contents_none", L)


def where_caption(the_store: BaseStore, L: str) -> str:
    """Where the saved workspaces are kept: the SQLite file, or the PostgreSQL database (never its password)."""
    if isinstance(the_store, PostgresWorkspaceStore):
        return t("ws_where_pg", L, where=md(the_store.where), schema=SCHEMA)
    return t("ws_where", L, path=md(the_store.where))


def save_section(the_store: BaseStore) -> None:
    L = session.lang()
    ws = session.workspace()
    st.subheader(t("ws_save_title", L))
    opened = st.session_state.get(OPENED_KEY)
    if opened:
        st.caption(t("ws_current", L, name=md(opened[0]), revision=opened[1]))
        st.caption(t("ws_link_note", L))
    default = opened[0] if opened else (ws.scenario or t("ws_default_name", L, date=dt.date.today().isoformat()))
    with st.form("ws_save_form"):
        st.text_input(t("ws_name", L), value=default, key="ws_save_name", max_chars=80)
        st.form_submit_button(t("ws_save", L), on_click=save_now)


def saved_section(the_store: BaseStore) -> None:
    L = session.lang()
    st.subheader(t("ws_saved_list", L))
    infos = the_store.workspaces()
    if not infos:
        st.info(t("ws_none", L))
        return
    st.dataframe(
        pd.DataFrame(
            {
                t("ws_col_name", L): [i.name for i in infos],
                t("ws_col_saved", L): [i.saved.replace("T", " ").removesuffix("+00:00") for i in infos],
                t("ws_col_revisions", L): [i.revisions for i in infos],
                t("ws_col_contents", L): [contents_label(i.contents, L) for i in infos],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    for group in the_store.name_clashes():  # saved apart by an older app: both kept, one to rename
        st.warning(t("ws_name_clash", L, names=("、" if L == "zh" else ", ").join(f"“{md(n)}”" for n in group)))
    names = [i.name for i in infos]
    name = session.kept(st.selectbox, "ws_selected", t("ws_selected", L), names, default=names[0])
    info = next(i for i in infos if i.name == name)
    c1, c2, c3 = st.columns([1, 1, 1], vertical_alignment="bottom")
    c1.selectbox(
        t("ws_revision", L),
        ["latest", *range(info.latest - 1, 0, -1)],
        key=f"ws_revision_{name}_{L}",  # drawn anew in the other language (its labels are in it)
        format_func=lambda r: f"{info.latest} ({t('ws_latest', L)})" if r == "latest" else str(r),
    )
    revision_key = f"ws_revision_{name}_{L}"
    c2.button(t("ws_open", L), on_click=open_saved, args=(name, revision_key), key="ws_open", type="primary")
    c3.download_button(
        t("ws_download", L),
        lambda: the_store.export_file(name),  # made when clicked, not on every run
        file_name=f"{name}.atlas-workspace.zip",
        mime=media_type("zip"),
        on_click="ignore",
        key="ws_download",
    )
    c1, c2 = st.columns([2, 1], vertical_alignment="bottom")
    c1.text_input(t("ws_new_name", L), value=name, key=f"ws_new_name_{name}", max_chars=80)
    c2.button(t("ws_rename", L), on_click=rename_saved, args=(name, f"ws_new_name_{name}"), key="ws_rename")
    c1, c2 = st.columns([2, 1], vertical_alignment="bottom")
    confirmed = c1.checkbox(t("ws_delete_confirm", L), key=f"ws_delete_confirm_{name}")
    c2.button(t("ws_delete", L), on_click=delete_saved, args=(name,), key="ws_delete", disabled=not confirmed)


def render() -> None:
    L = session.lang()
    st.caption(t("ws_intro", L))
    show_messages()
    try:
        the_store = store()
    except StoreError as exc:
        session.show_error(exc)
        return
    st.caption(where_caption(the_store, L))
    save_section(the_store)
    st.divider()
    saved_section(the_store)
    st.divider()
    st.file_uploader(
        t("ws_import", L),
        type=["zip"],
        key="ws_file",
        on_change=import_upload,
        max_upload_size=settings.current().max_upload_mb,
    )


render()
