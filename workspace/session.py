"""One planner's workspace: the unit borders in force and the layers they imported.

Every page, summary and export of the app reads the same :class:`Workspace`, so a bureau's
borders or a table of sites loaded on the Import page reach the map, the summaries, the
figures, the HTML map and the data downloads alike. No Streamlit here: the app keeps one
workspace per session, tests build them directly.
"""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from layers import FACILITY_CATEGORIES
from layers.indicators import indicator_report
from layers.layout import atlas_with_layout, checked_layout
from layers.water import unit_label_points
from presentation.display import build_display_layers
from presentation.i18n import t
from presentation.style import HEX_SIZE_M
from spatial.aggregate import hexbin
from spatial.classify import build_unit_grid
from spatial.summary import corridor_summary, unit_summary
from userdata.boundaries import match_units, read_boundaries
from userdata.reading import read_table
from userdata.tables import classify_table

POINT_STATUSES = ("accepted", "doubtful", "rejected")
COMPARED_FIGURES = (  # what a comparison of two layouts shows per corridor
    "member_count",
    "members_land_km2",
    "footprint_land_km2",
    "resident_population_10k_sum",
    "gdp_100m_yuan_sum",
    "plan_facilities_per_100km2_land",
)


class Derived:
    """Results computed from one atlas (unit grid, display layers, summaries), each built once.

    Thread-safe: the default atlas's ``Derived`` is shared by every session of the app.
    """

    def __init__(self, atlas) -> None:
        self.atlas = atlas
        self._values: dict[Any, Any] = {}
        self._lock = threading.RLock()  # a result may be built from others

    def _once(self, key, build: Callable[[], Any]):
        with self._lock:
            if key not in self._values:
                self._values[key] = build()
            return self._values[key]

    def grid(self):

        return self._once("grid", lambda: build_unit_grid(self.atlas.units))

    def display(self, datum: str):

        return self._once(("display", datum), lambda: build_display_layers(self.atlas, datum=datum))

    def corridor_summary(self) -> pd.DataFrame:

        atlas = self.atlas
        return self._once(
            "corridor_summary",
            lambda: corridor_summary(atlas.corridors, atlas.units, atlas.facilities, categories=FACILITY_CATEGORIES),
        )

    def indicator_report(self):

        atlas = self.atlas
        return self._once("indicator_report", lambda: indicator_report(atlas))

    def corridor_figures(self) -> pd.DataFrame:
        """Per corridor, the figures two layouts are compared by (see ``COMPARED_FIGURES``)."""

        def build() -> pd.DataFrame:
            summary = self.corridor_summary()[["id", "member_count", "members_land_km2", "footprint_land_km2"]]
            report = self.indicator_report().corridors
            return summary.merge(report[["id", *COMPARED_FIGURES[3:]]], on="id", how="left")

        return self._once("corridor_figures", build)

    def unit_summary(self) -> pd.DataFrame:

        atlas = self.atlas
        return self._once("unit_summary", lambda: unit_summary(atlas.units, atlas.members, atlas.facilities))


@dataclass(frozen=True)
class SourceFile:
    """A file as the planner imported it, with the choices they made reading it (columns, CRS,
    sheet, rows swapped...). A reopened workspace reads its files again with these choices, so
    what comes back is checked row by row by the same code as on the day of the import."""

    name: str
    data: bytes = field(repr=False)
    options: dict = field(default_factory=dict)

    @property
    def digest(self) -> str:

        return hashlib.sha256(self.data).hexdigest()


def classify_points(source: SourceFile, atlas, grid=None, *, read=None) -> ImportedPoints:
    """The point table ``source`` classified against ``atlas`` (every row kept). ``read`` is the
    (frame, info) already read from it with the same options, if the caller has it."""

    options = source.options
    frame, info = read or read_table(
        source.data,
        source.name,
        encoding=options.get("encoding"),
        sheet=options.get("sheet"),
        kind=options.get("kind"),
    )
    swapped = tuple(sorted(options.get("swapped", ())))
    table, report = classify_table(
        frame,
        info,
        atlas=atlas,
        lon_column=options.get("lon"),
        lat_column=options.get("lat"),
        name_column=options.get("name"),
        address_column=options.get("address"),
        by_address=bool(options.get("address")) and not options.get("lon"),
        crs=options.get("crs", "wgs84"),
        grid=grid,
        swapped_rows=swapped,
    )
    return ImportedPoints(
        source.name,
        table,
        options.get("name"),
        options.get("crs", "wgs84"),
        report=report,
        swapped_rows=swapped,
        source=source,
    )


def read_boundary(source: SourceFile, units):
    """The boundary file ``source`` read, repaired and matched against ``units``: (frame, report)."""

    options = source.options
    frame, report = read_boundaries(
        source.data,
        source.name,
        layer=options.get("layer"),
        crs=options.get("crs"),
        datum=options.get("datum", "wgs84"),
    )
    return frame, match_units(frame, units, report)


@dataclass(frozen=True)
class ImportedPoints:
    """A classified point table (every row kept, see ``userdata.tables.classify_table``)."""

    name: str  # the uploaded file's name
    table: pd.DataFrame  # original columns + atlas_* columns
    name_column: str | None  # the column that labels a point, if any
    crs: str  # the coordinate system the planner declared
    report: Any = None  # userdata.tables.TableReport: counts, warnings, row issues
    swapped_rows: tuple[int, ...] = ()  # 0-based rows whose lon/lat the planner chose to swap
    source: SourceFile | None = None  # the file and choices it was read with (to read it again)
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    def points(self) -> pd.DataFrame:
        """lon, lat (WGS84) and label of the rows that have a position (accepted and doubtful; a row
        placed by its address has a unit but no position, and is no point)."""
        if "points" not in self._cache:
            table = self.table
            positioned = table["atlas_lon_wgs84"].notna() & table["atlas_lat_wgs84"].notna()
            good = table.loc[(table["atlas_status"] != "rejected") & positioned]
            labels = good[self.name_column] if self.name_column else good["atlas_row"]
            self._cache["points"] = pd.DataFrame(
                {
                    "lon": good["atlas_lon_wgs84"].to_numpy(dtype=float),
                    "lat": good["atlas_lat_wgs84"].to_numpy(dtype=float),
                    "label": labels.astype(str).to_numpy(),
                    "status": good["atlas_status"].to_numpy(),  # accepted, or doubtful (outside the units)
                    "adcode": good["atlas_adcode"].astype(str).to_numpy(),
                    "corridors": good["atlas_corridors"].astype(str).to_numpy(),  # ids joined by "|"
                }
            )
        return self._cache["points"]

    def address_counts(self, units) -> gpd.GeoDataFrame:
        """The rows placed by their address (no point of their own), counted per unit: adcode, n,
        at the unit's label point (WGS84); empty when there are none."""
        table = self.table
        if "atlas_precision" not in table:
            return gpd.GeoDataFrame({"adcode": [], "n": []}, geometry=[], crs=4326)
        placed = table.loc[
            table["atlas_precision"].astype(str).str.startswith("address") & (table["atlas_adcode"] != "")
        ]
        n = placed.groupby("atlas_adcode").size()
        points = dict(zip(units["adcode"], unit_label_points(units), strict=True))
        return gpd.GeoDataFrame(
            {"adcode": list(n.index), "n": n.to_numpy(dtype=int)}, geometry=[points[c] for c in n.index], crs=4326
        )

    def hexagons(self, size_m: float = HEX_SIZE_M) -> gpd.GeoDataFrame:
        """The points counted on a hexagon grid (for imports too large to draw one marker each)."""
        key = ("hex", size_m)
        if key not in self._cache:
            frame = self.points()
            self._cache[key] = hexbin(frame["lon"], frame["lat"], size_m=size_m)
        return self._cache[key]

    def as_layer(self) -> gpd.GeoDataFrame:
        """Every row of the classified table as a WGS84 point layer (rejected rows and rows placed by
        their address only: no geometry)."""
        table = self.table
        lon = table["atlas_lon_wgs84"].to_numpy(dtype=float)
        lat = table["atlas_lat_wgs84"].to_numpy(dtype=float)
        has_point = table["atlas_status"].ne("rejected").to_numpy() & np.isfinite(lon) & np.isfinite(lat)
        geometry = gpd.points_from_xy(np.where(has_point, lon, 0.0), np.where(has_point, lat, 0.0))
        geometry[~has_point] = None
        return gpd.GeoDataFrame(table.reset_index(drop=True), geometry=geometry, crs=4326)


@dataclass(frozen=True)
class ImportedBoundary:
    """A planner's boundary file, repaired and in WGS84, drawn as an extra layer."""

    name: str
    frame: gpd.GeoDataFrame
    label_column: str | None
    show: bool = True
    source: SourceFile | None = None  # the file and choices it was read with (to read it again)


@dataclass(frozen=True)
class UserLayer:
    """An imported layer as the exports see it: its legend name and its features (WGS84)."""

    key: str  # "points", "counts" or "boundary"
    kind: str  # "points", "counts" (rows placed by address: n per unit, at its label point) or "polygons"
    legend: str  # legend / layer name in the chosen language
    frame: gpd.GeoDataFrame  # points: lon, lat, label columns too
    label_column: str | None = None


@dataclass
class Workspace:
    """The borders in force, the layout (the plan's or a scenario) and the imported layers of one
    planner's session.

    ``atlas`` is what every page reads: the embedded atlas, with a bureau's ten unit borders in
    place of the embedded ones (``borders`` then names that file) and a scenario's layout in place
    of the plan's (``layout``). ``token`` changes on every change, ``atlas_token`` on a change of
    borders or layout, so caches keyed on them never serve a result made from other data.
    """

    base: Any  # the embedded atlas (layers.Atlas)
    base_derived: Derived
    atlas: Any = None
    borders: str | None = None  # None: the embedded borders; else the uploaded file's name
    borders_source: SourceFile | None = None  # the file the borders came from (None: embedded)
    layout: dict | None = None  # None: the plan's layout; else a scenario (layers.layout)
    points: ImportedPoints | None = None
    boundary: ImportedBoundary | None = None
    token: str = "default"
    atlas_token: str = "default"  # changes when the borders or the layout change
    _bordered: Any = None  # the base atlas with the borders in force and the plan's layout
    _derived: Derived | None = None
    _compared: dict = field(default_factory=dict, repr=False)  # layout text -> Derived (one kept)

    def __post_init__(self) -> None:
        if self.atlas is None:
            self.atlas = self.base
        if self._bordered is None:
            self._bordered = self.atlas

    # ------------------------------------------------------------ derived results

    @property
    def derived(self) -> Derived:
        if self.atlas is self.base:
            return self.base_derived
        if self._derived is None:
            self._derived = Derived(self.atlas)
        return self._derived

    def derived_with(self, layout: dict | None) -> Derived:
        """Results for the borders in force with another layout (None: the plan's), to compare the
        scenario with."""

        if layout is None and self._bordered is self.base:
            return self.base_derived
        key = json.dumps(layout, sort_keys=True)  # emptied when the borders change
        if key not in self._compared:
            self._compared.clear()
            other = self._bordered if layout is None else atlas_with_layout(self._bordered, layout)
            self._compared[key] = Derived(other)
        return self._compared[key]

    def _changed(self) -> None:
        self.token = uuid.uuid4().hex

    @property
    def boundary_is_borders(self) -> bool:
        """True when the imported boundary file is the one whose borders are in force."""
        return self.boundary is not None and self.borders == self.boundary.name

    @property
    def scenario(self) -> str | None:
        """The scenario's name while one is in force (None: the plan's layout)."""
        return self.atlas.scenario

    # ------------------------------------------------------------ changes

    def _rebuild(self) -> None:
        """Put the borders and the layout together again; imported points are classified anew
        (their unit follows the borders, their corridors the layout)."""

        self.atlas = self._bordered if self.layout is None else atlas_with_layout(self._bordered, self.layout)
        self._derived = None
        self.atlas_token = "default" if self.atlas is self.base else uuid.uuid4().hex
        if self.points is not None and self.points.source is not None:
            self.points = classify_points(self.points.source, self.atlas, self.derived.grid())
        self._changed()

    def replace_borders(self, atlas, *, name: str, source: SourceFile | None = None) -> None:
        """Use the borders of file ``name``: ``atlas`` is the embedded one with them in place (from
        ``userdata.boundaries.replace_units``); a scenario in force stays in force."""
        self._bordered, self.borders, self.borders_source = atlas, name, source
        self._compared.clear()
        self._rebuild()

    def restore_borders(self) -> None:
        self._bordered, self.borders, self.borders_source = self.base, None, None
        self._compared.clear()
        self._rebuild()

    def set_layout(self, layout: dict | None) -> None:
        """Use ``layout`` (a scenario), or the plan's (None). An invalid layout raises
        ``layers.layout.InvalidLayoutError`` naming every problem, and changes nothing."""

        if layout is not None:
            checked_layout(layout, self.base.units["adcode"])
        self.layout = layout
        self._rebuild()

    def set_points(self, points: ImportedPoints | None) -> None:
        """Use ``points`` as the imported point layer (no change when it is the same import)."""
        current = self.points
        same = (
            current is not None
            and points is not None
            and current.table is points.table
            and (current.name, current.name_column, current.crs) == (points.name, points.name_column, points.crs)
        )
        if not same and points is not current:
            self.points = points
            self._changed()

    def set_boundary(self, boundary: ImportedBoundary | None) -> None:
        if boundary != self.boundary:
            self.boundary = boundary
            self._changed()

    def clear_imports(self) -> None:
        self.points, self.boundary = None, None
        self._changed()

    # ------------------------------------------------------------ what the exports read

    def borders_credit(self, lang: str) -> str:
        """The borders a figure or file actually uses, for its source line."""
        if self.borders is None:
            return t("borders_default", lang)
        return t("borders_uploaded", lang, name=self.borders)

    def user_layers(self, lang: str) -> list[UserLayer]:
        """The imported layers, named as in the map's legend (a boundary file in force as the borders
        is drawn as the units, not a second time)."""
        out = []
        if self.points is not None:
            frame = self.points.points()
            if len(frame):
                layer = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=4326)
                name = t("im_layer_points", lang, name=self.points.name)
                out.append(UserLayer("points", "points", name, layer, "label"))
            counts = self.points.address_counts(self.atlas.units)
            if len(counts):
                name = t("address_count_layer", lang, name=self.points.name)
                out.append(UserLayer("counts", "counts", name, counts, "n"))
        if self.boundary is not None and not self.boundary_is_borders:  # those are drawn as the units
            out.append(
                UserLayer(
                    "boundary",
                    "polygons",
                    t("im_layer_boundary", lang, name=self.boundary.name),
                    self.boundary.frame,
                    self.boundary.label_column,
                )
            )
        return out

    def user_layers_for_data(self, include: tuple[str, ...] = ("points", "boundary")) -> dict[str, gpd.GeoDataFrame]:
        """The imported layers named in ``include`` as data-export layers (the whole classified
        table, every row kept: rejected rows have no geometry)."""
        out = {}
        if self.points is not None and "points" in include:
            out["user_points"] = self.points.as_layer()
        if self.boundary is not None and "boundary" in include:
            out["user_boundaries"] = self.boundary.frame.copy()
        return out


def new_workspace(atlas, derived: Derived | None = None) -> Workspace:
    """A workspace on the embedded ``atlas`` (its derived results may be shared between sessions)."""
    return Workspace(base=atlas, base_derived=derived or Derived(atlas))
