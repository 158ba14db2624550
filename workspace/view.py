"""The app's view state and its round trip through the page URL (so a view can be shared).

The page itself is the URL's path (``/query``, ``/export``...), not a parameter; links made
before that (``?page=query``) still open their page: see :func:`legacy_page`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from atlas_web.basemaps import BASEMAPS, DEFAULT_BASEMAP
from presentation.i18n import DEFAULT_LANG, LANGS
from presentation.pages import PAGE_NAMES
from presentation.themes import NO_THEME, THEMES
from workspace.names import find_name

NONE = "none"


URL_FIELDS = ("lang", "basemap", "corridors", "cats", "unit", "fac", "theme", "workspace")


@dataclass
class ViewState:
    """What the planner is looking at; every page reads it, the URL mirrors its ``URL_FIELDS``."""

    lang: str = DEFAULT_LANG
    basemap: str = DEFAULT_BASEMAP
    corridors: list = field(default_factory=list)
    cats: list = field(default_factory=list)
    unit: str | None = None
    fac: str | None = None
    theme: str = NO_THEME  # a unit indicator drawn as a thematic (choropleth) map, or NO_THEME
    outside: bool = False  # the last map click fell outside every unit
    custom_url: str = ""  # an intranet tile server: kept in the session, never in a link
    custom_datum: str = "wgs84"
    workspace: str | None = None  # the saved workspace this session opened or saved: a link opens it


def _last(params: dict, name: str) -> str | None:
    value = params.get(name)
    if isinstance(value, list):
        value = value[-1] if value else None
    return None if value is None else str(value)


def legacy_page(params: dict) -> str | None:
    """The page an old-style link (``?page=query``) asks for, if it names one."""
    value = _last(params, "page")
    return value if value in PAGE_NAMES else None


def _split(value: str) -> list[str]:
    return [] if value in ("", NONE) else [v for v in value.split(",") if v]


def from_query(
    params: dict, *, corridor_ids, categories, adcodes, facility_ids, workspaces=()
) -> tuple[ViewState, list]:
    """Read a ViewState from URL parameters; return it and the (name, value) pairs rejected.

    Anything unknown is dropped (and reported), never trusted: a shared link cannot inject
    values the app does not know. A list (corridors, categories) none of whose values is known
    leaves the default, everything shown; only ``none`` shows none.
    """
    state = ViewState(corridors=list(corridor_ids), cats=list(categories))
    rejected = []

    def get(name):
        return _last(params, name)

    single = (
        ("lang", LANGS),
        ("basemap", BASEMAPS),
        ("unit", adcodes),
        ("fac", facility_ids),
        ("theme", (NO_THEME, *THEMES)),
    )
    for name, allowed in single:
        value = get(name)
        if value is None:
            continue
        if value in allowed:
            setattr(state, name, value)
        else:
            rejected.append((name, value))
    wanted = get("workspace")
    if wanted is not None:  # a saved workspace's name, in either Unicode form
        state.workspace = find_name(wanted, workspaces)
        if state.workspace is None:
            rejected.append(("workspace", wanted))
    for name, allowed in (("corridors", corridor_ids), ("cats", categories)):
        value = get(name)
        if value is None:
            continue
        items = _split(value)
        bad = [v for v in items if v not in allowed]
        if bad or (not items and value != NONE):
            rejected.append((name, ",".join(bad) or value))
        kept = [v for v in allowed if v in items]
        if kept or value == NONE:  # a value naming nothing known leaves the default: all shown
            setattr(state, name, kept)
    return state, rejected


def to_query(state: ViewState) -> dict:
    """URL parameters for ``state`` (lists comma-joined, empty as 'none', unset omitted)."""
    out = {}
    for key, value in asdict(state).items():
        if key not in URL_FIELDS or value is None:
            continue
        out[key] = (",".join(value) or NONE) if isinstance(value, list) else str(value)
    return out
