"""The session's one owner of view state (mirrored in the URL) and of the planner's workspace.

Streamlit forgets the value of a widget that a run does not draw, so a picker on the Map page
would come back empty after a visit to another page. Here the view lives in one
:class:`~workspace.view.ViewState` in session state; widgets are drawn from it and write back
to it through their callbacks, and the URL is written from it at the end of every run. A page
or language switch therefore never loses it, and a copied link always shares it.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st

import layers
from atlas_core import settings
from atlas_core.errors import AtlasError
from atlas_core.settings import Settings
from presentation.i18n import t
from safety.markup import markdown as md
from workspace.clip import clipped
from workspace.saved import checked_view, restore_workspace
from workspace.session import Derived, Workspace, new_workspace
from workspace.store import STORE_NAME, BaseStore
from workspace.stores import open_store
from workspace.view import ViewState, from_query, to_query

VIEW_KEY = "_view"
KEPT_KEY = "_kept"  # page settings the planner changed: widget key -> value
WORKSPACE_KEY = "_workspace"
REJECTED_KEY = "_rejected_url_values"
LINK_NOTES_KEY = "_link_notes"
OPENED_KEY = "_ws_opened"  # (name, revision) of the saved workspace this session opened or saved last
WIDGET_PREFIX = "view_"
LOG = logging.getLogger("atlas.app")


@st.cache_resource(show_spinner=False)
def embedded_atlas():
    """The embedded Suzhou layers, loaded once per server."""
    return layers.load_atlas()


@st.cache_resource(show_spinner=False)
def embedded_derived() -> Derived:
    """Grid, display layers and summaries of the embedded layers, shared by every session."""
    return Derived(embedded_atlas())


def workspace() -> Workspace:
    """This session's workspace (borders in force, imported layers); made on first use."""
    if WORKSPACE_KEY not in st.session_state:
        st.session_state[WORKSPACE_KEY] = new_workspace(embedded_atlas(), embedded_derived())
    return st.session_state[WORKSPACE_KEY]


def _view_from(params: dict, atlas, workspaces=()) -> tuple[ViewState, list]:
    return from_query(
        params,
        corridor_ids=list(atlas.corridors["id"]),
        categories=layers.present_categories(atlas.facilities),
        adcodes=set(atlas.units["adcode"]),
        facility_ids=set(atlas.facilities["facility_id"]),
        workspaces=workspaces,
    )


def start() -> None:
    """On a session's first run, take the view from the URL (a shared link); later runs keep it.
    A link naming a saved workspace (``?workspace=...``) opens it first, as last saved; the
    link's own view (corridors, selection...) is then shown on it."""
    if VIEW_KEY in st.session_state:
        return
    params = st.query_params.to_dict()
    names = saved_workspace_names() if params.get("workspace") else []
    state, rejected = _view_from(params, workspace().atlas, names)
    notes: list = []
    if state.workspace is not None:
        problems = open_saved_workspace(state.workspace, None, view_params={})
        notes = [("ws_opened_from_link", state.workspace), *problems]
        state, rejected = _view_from(params, workspace().atlas, names)  # the link's view, on that workspace
    st.session_state[VIEW_KEY] = state
    st.session_state[REJECTED_KEY] = rejected
    st.session_state[LINK_NOTES_KEY] = notes


def link_notes() -> list:
    """What opening a linked workspace said (its name, then any part that could not be restored)."""
    return st.session_state.get(LINK_NOTES_KEY, [])


@st.cache_resource(show_spinner=False)
def _store_for(_chosen: Settings, key: str) -> BaseStore:
    """The workspace store ``_chosen`` names, opened (checked, upgraded if older) once per server
    and per store (``key``); a failure is not cached."""

    return open_store(_chosen)


def workspace_store() -> BaseStore:
    """The server's workspace store (``workspace.stores``): the PostgreSQL one of ATLAS_STORE_URL,
    else the SQLite file in the data directory; raises StoreError when it cannot be used."""

    chosen = settings.current()
    where = repr((chosen.store_url, str(chosen.data_dir / STORE_NAME), chosen.db_timeout_s))
    return _store_for(chosen, hashlib.sha256(where.encode()).hexdigest())  # the key holds no password


def saved_workspace_names() -> list[str]:
    """The names of the saved workspaces (none when the store cannot be used: the Workspaces page says why)."""
    try:
        return workspace_store().names()
    except AtlasError:
        return []


def open_saved_workspace(name: str, revision: int | None, *, view_params: dict | None = None) -> list:
    """Make the saved workspace ``name`` (its latest revision, or ``revision``) this session's;
    return the problems met (parts that could not be restored). ``view_params``: the view to show
    (None: the one saved with it). Raises StoreError when it cannot be read."""

    manifest, files, revision = workspace_store().load(name, revision)
    ws, problems = restore_workspace(manifest, files, embedded_atlas(), embedded_derived())
    saved, view_problems = checked_view(manifest)  # a file edited by hand: a bad view is said, the rest opens
    rejected = use_workspace(ws, saved if view_params is None else view_params)
    view().workspace = name
    st.session_state[OPENED_KEY] = (name, revision)
    if view_params is not None:
        return problems
    return problems + view_problems + [_ignored_in_view(key, value) for key, value in rejected]


def _ignored_in_view(name: str, value: str) -> AtlasError:
    """A value of a saved view this app does not know (a corridor since removed, an edited file)."""
    return AtlasError(
        t("ws_view_value_ignored", "en", name=clipped(name, "en"), value=clipped(value, "en")),
        zh=t("ws_view_value_ignored", "zh", name=clipped(name, "zh"), value=clipped(value, "zh")),
    )


def view() -> ViewState:
    return st.session_state[VIEW_KEY]


def lang() -> str:
    return view().lang


def rejected_url_values() -> list[tuple[str, str]]:
    return st.session_state.get(REJECTED_KEY, [])


def _copy(value):
    return list(value) if isinstance(value, list) else value


def _write_back(field: str) -> None:
    setattr(view(), field, _copy(st.session_state[WIDGET_PREFIX + field]))


def drawn(widget: Callable[..., Any], key: str, value, label: str, *args, on_change, **kwargs):
    # The widget's state is set from our own store before it is drawn, on every run: so it
    # does not matter whether it was drawn on the previous run (another page) or what its
    # labels were (another language); the browser is sent the value and relabels it.
    st.session_state[key] = _copy(value)
    return widget(label, *args, key=key, on_change=on_change, **kwargs)


def bound(widget: Callable[..., Any], field: str, label: str, *args, **kwargs):
    """Draw ``widget`` showing the view's ``field``; a change by the planner goes back to the view."""
    key = WIDGET_PREFIX + field
    return drawn(widget, key, getattr(view(), field), label, *args, on_change=_write_back, args=(field,), **kwargs)


def kept_value(key: str, default=None):
    """What the planner chose in the kept setting ``key`` (``default`` while they have not)."""
    return st.session_state.get(KEPT_KEY, {}).get(key, default)


def kept(widget: Callable[..., Any], key: str, label: str, *args, default, **kwargs):
    """Draw a page's own setting; what the planner chooses is kept for the session.

    Until the planner changes it, the widget shows ``default`` (which may follow the view or
    the language, e.g. the figure's language); afterwards their choice, across page and
    language switches.
    """
    store = st.session_state.setdefault(KEPT_KEY, {})

    def remember() -> None:
        store[key] = _copy(st.session_state[key])

    value = store.get(key, default)
    if args and isinstance(args[0], (list, tuple)):  # options: a kept choice may since have gone
        options = list(args[0])
        if isinstance(value, list):
            value = [v for v in value if v in options]
        elif value is not None and value not in options:
            value = default if default in options else (options[0] if options else None)
    return drawn(widget, key, value, label, *args, on_change=remember, **kwargs)


def follow_layout(before: list[str], after: list[str]) -> None:
    """The corridors shown after a change of layout: those shown before that are still there, and
    any the new layout adds (a planner who loads a scenario sees its new corridors)."""
    state = view()
    state.corridors = [c for c in after if c in state.corridors or c not in before]


UPLOAD_KEYS = ("im_file", "im_boundary_file")  # the Import page's upload boxes


def forget_uploads() -> None:
    """Drop the files kept from the Import page's upload boxes (the workspace keeps its own)."""
    for key in UPLOAD_KEYS:
        st.session_state.pop(f"_stored_{key}", None)


def use_workspace(ws: Workspace, view_params: dict) -> list[tuple[str, str]]:
    """Make ``ws`` (a reopened workspace) this session's, with the view saved with it (the
    planner's language stays); return the (name, value) pairs of that view it does not know."""
    language = lang() if VIEW_KEY in st.session_state else None
    st.session_state[WORKSPACE_KEY] = ws
    forget_uploads()
    state, rejected = _view_from(view_params, ws.atlas)
    if language is not None:
        state.lang = language
    st.session_state[VIEW_KEY] = state
    return rejected


def saved_view() -> dict:
    """The view as saved with a workspace: its URL parameters but the language and the workspace."""
    return {k: v for k, v in to_query(view()).items() if k not in ("lang", "workspace")}


def select(unit: str | None = None, facility: str | None = None, *, outside: bool = False) -> None:
    state = view()
    state.unit, state.fac, state.outside = unit, facility, outside


def clear_selection() -> None:
    select()


def write_url() -> None:
    """Mirror the view in the URL (called at the end of every run, whatever the page)."""
    wanted = to_query(view())
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def show_error(exc: AtlasError) -> None:
    st.error(f"{t('error', lang())}: {md(exc.message(lang()))}")


@contextmanager
def errors_reported() -> Iterator[None]:
    """Run a page so that no error reaches the planner as a traceback: a project error shows its
    own bilingual message; anything else a short message with a reference, while the traceback
    goes to the server log under that reference. Streamlit's reruns and stops (BaseException)
    pass through."""
    try:
        yield
    except AtlasError as exc:
        show_error(exc)
    except Exception:
        reference = uuid.uuid4().hex[:8]
        LOG.exception("unexpected error on a page, reference %s", reference)
        st.error(t("unexpected_error", lang(), ref=reference))
