"""Build the interactive corridor map (folium / Leaflet) from display layers.

Every string that comes from data reaches the page through :mod:`safety.markup`: tooltips,
popups, labels, layer names and the legend show it as literal text. JS and CSS links point at
the app's own copies (:mod:`atlas_web.assets`).
"""

from __future__ import annotations

import folium
import folium.plugins
import numpy as np
import pandas as pd
import shapely
import shapely.geometry

from atlas_web import assets
from atlas_web.basemaps import Basemap
from atlas_web.elements import (
    BADGE_LEGEND,
    AddressCounts,
    Backdrop,
    Badges,
    Labels,
    Legend,
    Lines,
    MetricScale,
    Points,
    Shapes,
    UnitTags,
)
from atlas_web.maptools import ClickCoordinates, MapSearch, Measure
from atlas_web.mapview import MapView
from atlas_web.popups import facility_popup_html, legend_html, place_badges, shown_places, unit_html, unit_roles
from atlas_web.search_index import address_row_entries, build_search_index, row_entries
from layers.facilities import drawn_as_sites
from layers.indicators import theme as indicator_theme
from layers.water import unit_label_points
from presentation.display import DisplayLayers
from presentation.i18n import pick, short_name, t, unit_label_name
from presentation.style import (
    CATEGORY_COLOURS,
    CHANGED_UNIT_COLOUR,
    DERIVED_DASH_WEB,
    DERIVED_EDGE,
    DERIVED_WEIGHT_WEB,
    FOOTPRINT_OPACITY,
    HEX_SIZE_M,
    SELECTION_COLOUR,
    SPINE_DASH_WEB,
    USER_BOUNDARY_COLOUR,
    USER_POINT_COLOUR,
    USER_POINT_EDGE,
    WATER_EDGE,
    WATER_FILL,
    corridor_colour,
)
from presentation.themes import theme_fill
from safety.markup import text
from spatial.aggregate import hexbin
from spatial.datum import convert_geometry, convert_lonlat
from spatial.extent import SUZHOU_BOUNDS_LATLON, SUZHOU_CENTER_LATLON

UNIT_STYLE = {"color": "#444444", "weight": 1.2, "fillColor": "#ffffff", "fillOpacity": 0.05}
CONTEXT_STYLE = {"color": "#bbbbbb", "weight": 1, "fillColor": "#e6e6e6", "fillOpacity": 0.5}
WATER_STYLE = {"color": WATER_EDGE, "weight": 0.8, "fillColor": WATER_FILL, "fillOpacity": 0.85}
# the water around Suzhou (whole Taihu, the Yangtze's full width) over the neighbours' grey: no edge,
# so only Suzhou's own water (WATER_STYLE, drawn above the units) carries a shore line
CONTEXT_WATER_STYLE = {"color": WATER_FILL, "weight": 0, "fillColor": WATER_FILL, "fillOpacity": 0.85}


def _lines(geom):
    if geom.geom_type == "LineString":
        return [geom]
    return list(getattr(geom, "geoms", []))


def _latlngs(line) -> list:
    return [[round(y, 6), round(x, 6)] for x, y in line.coords]


def theme_style(thematic, adcode: str) -> dict:
    """A unit filled with its class's colour (grey when it has no value), outlined as usual, or in
    black dots when its value is derived."""
    style = UNIT_STYLE | {"fillColor": theme_fill(thematic, adcode), "fillOpacity": 0.85}
    if adcode in thematic.derived:
        style |= {
            "color": DERIVED_EDGE,
            "weight": DERIVED_WEIGHT_WEB,
            "dashArray": DERIVED_DASH_WEB,
            "lineCap": "round",
        }
    return style


def footprint_style(colour: str) -> dict:
    """How a corridor's footprint is drawn (the legend swatch uses the same values)."""
    return {"color": colour, "weight": 1, "opacity": 0.8, "fillColor": colour, "fillOpacity": FOOTPRINT_OPACITY}


def _backdrop(geometries, style: dict) -> Backdrop:
    """Non-interactive polygons (water, neighbouring cities) in one FeatureCollection."""
    features = [{"type": "Feature", "geometry": shapely.geometry.mapping(g), "properties": {}} for g in geometries]
    return Backdrop(features={"type": "FeatureCollection", "features": features}, style=style)


def _feature(geometry, *, tip: str, style: dict, popup: str | None = None, find: str | None = None) -> dict:
    """A GeoJSON feature for ``Shapes``; ``find`` registers its layer for the map tools ("unit:<adcode>")."""
    properties = {"tip": tip, "style": style} | ({"popup": popup} if popup else {}) | ({"find": find} if find else {})
    return {"type": "Feature", "geometry": shapely.geometry.mapping(geometry), "properties": properties}


POINT_MARKER_LIMIT = 2000  # above this, user points are drawn as a hexagon grid, not markers
USER_POINTS_PANE = "atlasUserPoints"  # above the facility clusters (Leaflet's marker pane is at 600)
USER_POINTS_PANE_Z = 650
USER_POINT_SWATCH = f"background:{USER_POINT_COLOUR};border:1.5px solid {USER_POINT_EDGE}"
USER_POINT_DOUBTFUL_SWATCH = f"background:transparent;border:1.5px dashed {USER_POINT_COLOUR}"
USER_POINT_DOUBTFUL_STYLE = {"fillOpacity": 0.0, "color": USER_POINT_COLOUR, "dashArray": "2 2", "weight": 2}
HEX_COLOURS = ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15")


def _shift_lonlat(lon, lat, datum: str):
    if datum == "wgs84":
        return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    return convert_lonlat(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float), source="wgs84", target=datum)


class SearchableGroup(folium.FeatureGroup):
    """A layer group whose rows the map's search box finds (``search_entries``: SearchEntry rows)."""

    def __init__(self, *, name: str):
        super().__init__(name=name)
        self.search_entries: list = []


def user_points_group(
    points, *, name: str, lang: str, datum: str = "wgs84", hex_size_m: float = HEX_SIZE_M, cells=None
) -> SearchableGroup:
    """A planner's classified points: clustered markers, or above POINT_MARKER_LIMIT a hexagon
    grid of counts (never one DOM element per point). ``points`` has lon, lat (WGS84) and label;
    ``cells`` may pass a ``hexbin`` of them computed earlier (WGS84), to reuse across reruns."""
    group = SearchableGroup(name=text(name))
    if len(points) <= POINT_MARKER_LIMIT:
        lon, lat = _shift_lonlat(points["lon"], points["lat"], datum)
        find = f"row:{name}:"
        shown = pd.DataFrame({"lon": lon, "lat": lat, "label": points["label"].to_numpy()})
        group.search_entries = row_entries(shown, layer=name, lang=lang, find_prefix=find)
        popups = points["popup"] if "popup" in points else [f"<b>{text(label)}</b>" for label in points["label"]]
        doubtful = points["status"].eq("doubtful") if "status" in points else pd.Series(False, index=points.index)
        group.add_child(
            Points(
                points=[
                    {
                        "lat": round(float(y), 6),
                        "lng": round(float(x), 6),
                        "tip": text(label),
                        "popup": popup,
                        "find": f"{find}{i}",
                        **({"style": USER_POINT_DOUBTFUL_STYLE} if odd else {}),
                    }
                    for i, (x, y, label, popup, odd) in enumerate(
                        zip(lon, lat, points["label"], popups, doubtful, strict=True)
                    )
                ],
                style={
                    "radius": 6,
                    "color": USER_POINT_EDGE,
                    "weight": 1.5,
                    "fillColor": USER_POINT_COLOUR,
                    "fillOpacity": 0.95,
                    "pane": USER_POINTS_PANE,
                    "className": "atlas-point",
                },
                cluster={
                    "maxClusterRadius": 40,
                    "showCoverageOnHover": False,
                    "chunkedLoading": True,
                    "colour": USER_POINT_COLOUR,
                },
            )
        )
        return group
    cells = cells if cells is not None else hexbin(points["lon"], points["lat"], size_m=hex_size_m)
    if datum != "wgs84":
        cells = cells.set_geometry(cells.geometry.map(lambda g: convert_geometry(g, source="wgs84", target=datum)))
    breaks = np.quantile(cells["count"], [0.2, 0.4, 0.6, 0.8]) if len(cells) else []
    features = []
    for geom, count in zip(cells.geometry, cells["count"], strict=True):
        colour = HEX_COLOURS[int(np.searchsorted(breaks, count, side="right"))]
        features.append(
            _feature(
                geom,
                tip=text(t("hex_count", lang, n=int(count))),
                style={"color": colour, "weight": 0.5, "fillColor": colour, "fillOpacity": 0.7},
            )
        )
    group.add_child(Shapes(features={"type": "FeatureCollection", "features": features}))
    return group


def user_boundary_group(frame, *, name: str, label_column: str | None, datum: str = "wgs84") -> folium.FeatureGroup:
    """A planner's boundary layer, outlined; each feature's label (escaped) is its tooltip."""
    group = folium.FeatureGroup(name=text(name))
    style = {"color": USER_BOUNDARY_COLOUR, "weight": 2, "fillColor": USER_BOUNDARY_COLOUR, "fillOpacity": 0.05}
    features = []
    for _, row in frame.iterrows():
        geom = row.geometry if datum == "wgs84" else convert_geometry(row.geometry, source="wgs84", target=datum)
        label = row[label_column] if label_column else row.get("feature", "")
        features.append(_feature(geom, tip=text(label), style=style))
    group.add_child(Shapes(features={"type": "FeatureCollection", "features": features}))
    return group


def build_map(
    atlas,
    layers: DisplayLayers,
    basemap: Basemap,
    view: MapView,
    extra_groups=(),
    extra_legend: tuple = (),
    *,
    unit_popups: bool = False,
) -> folium.Map:
    """The corridor map for ``view`` on ``basemap`` (vectors already in the basemap's datum).

    ``unit_popups``: a click on a unit opens its tooltip's text as a popup (the exported page,
    where no side panel answers a click; in the app a click selects the unit instead).
    Drawn bottom to top: basemap, neighbouring cities, the hub, units, water, corridors,
    facilities, labels and badges, the planner's own layers; then the legend and controls."""
    if layers.datum != basemap.datum:
        raise ValueError(f"display layers are in {layers.datum} but the basemap needs {basemap.datum}")
    lang = view.lang
    fmap = _base_map(basemap, lang)
    _add_context(fmap, layers, lang)
    _add_hubs(fmap, layers, lang)
    thematic = indicator_theme(atlas, view.theme) if view.theme else None
    _add_units(fmap, atlas, layers, lang, thematic=thematic, unit_popups=unit_popups)
    if layers.water is not None and len(layers.water):  # above the units: a lake never takes a unit's class colour
        water_group = folium.FeatureGroup(name=text(t("layer_water", lang))).add_to(fmap)
        water_group.add_child(_backdrop(layers.water.geometry, WATER_STYLE))
    _add_corridors(fmap, atlas, layers, view)
    unit_names = dict(zip(atlas.units["adcode"], atlas.units[f"name_{lang}"], strict=True))
    drawn = _add_facilities(fmap, layers, view, unit_names)
    places = _add_labels_and_badges(fmap, atlas, layers, view)
    if extra_groups:
        folium.map.CustomPane(USER_POINTS_PANE, z_index=USER_POINTS_PANE_Z, pointer_events=True).add_to(fmap)
    for extra in extra_groups:
        extra.add_to(fmap)
    fmap.add_child(UnitTags())  # once every symbol a unit's name must leave visible is on the map
    kinds = [kind for kind in BADGE_LEGEND if (places["kind"] == kind).any()]
    legend = legend_html(atlas.corridors, view, extra_legend, thematic, site_categories=drawn, badge_kinds=kinds)
    fmap.add_child(Legend(legend))
    folium.plugins.Fullscreen(position="topleft").add_to(fmap)
    fmap.add_child(Measure(lang=lang, datum=layers.datum))
    fmap.add_child(ClickCoordinates(atlas, lang=lang, datum=layers.datum))
    extra_entries = tuple(entry for extra in extra_groups for entry in getattr(extra, "search_entries", ()))
    fmap.add_child(MapSearch(build_search_index(atlas, layers, lang=lang, extra=extra_entries), lang=lang))
    fmap.add_child(MetricScale())
    folium.LayerControl(collapsed=True).add_to(fmap)
    fmap.fit_bounds(SUZHOU_BOUNDS_LATLON)
    assets.localise(fmap)
    return fmap


def _base_map(basemap: Basemap, lang: str) -> folium.Map:
    """An empty map over Suzhou with the basemap's tile layers (none for a plain map)."""
    fmap = folium.Map(
        location=SUZHOU_CENTER_LATLON, zoom_start=9, tiles=None, control_scale=False, minZoom=7, maxZoom=18
    )
    for spec in basemap.layers:
        folium.TileLayer(
            tiles=spec.url,
            attr=spec.attribution,
            subdomains=spec.subdomains,
            max_zoom=spec.max_zoom,
            name=text(t(f"basemap_{basemap.name}", lang)),
            overlay=False,
            control=False,
        ).add_to(fmap)

    return fmap


def _add_context(fmap: folium.Map, layers: DisplayLayers, lang: str) -> None:
    """Neighbouring cities, grey and named in italics, with the water around over them."""
    if layers.context is None or not len(layers.context):
        return
    context = folium.FeatureGroup(name=text(t("layer_context", lang))).add_to(fmap)
    context.add_child(_backdrop(layers.context.geometry, CONTEXT_STYLE))
    if layers.context_water is not None and len(layers.context_water):
        context.add_child(_backdrop(layers.context_water.geometry, CONTEXT_WATER_STYLE))
    names = zip(shapely.point_on_surface(layers.context.geometry.values), layers.context[f"name_{lang}"], strict=True)
    context.add_child(
        Labels(
            labels=[
                {"lat": round(p.y, 6), "lng": round(p.x, 6), "html": f"<i class='ctx'>{text(name)}</i>"}
                for p, name in names
            ]
        )
    )


def _add_hubs(fmap: folium.Map, layers: DisplayLayers, lang: str) -> None:
    """The star at the hub, its name to the east, off Suzhou."""
    hubs = layers.anchors.loc[layers.anchors["kind"] == "hub"]
    if not len(hubs):
        return
    hub_group = folium.FeatureGroup(name=text(t("legend_hub", lang))).add_to(fmap)
    hub_group.add_child(
        Labels(
            labels=[
                {
                    "lat": round(p.y, 6),
                    "lng": round(p.x, 6),
                    "html": f"<b class='hub'>★ {text(short_name(name))}</b>",
                }
                for p, name in zip(hubs.geometry, hubs[f"name_{lang}"], strict=True)
            ]
        )
    )


def _derived_last(units, thematic):
    """The units in drawing order: those with a derived value last, so no neighbour's edge covers their dots."""
    if thematic is None or not thematic.derived:
        return units
    return units.iloc[np.argsort(units["adcode"].isin(thematic.derived).to_numpy(), kind="stable")]


def _add_units(fmap: folium.Map, atlas, layers: DisplayLayers, lang: str, *, thematic, unit_popups: bool) -> None:
    """The units, each with its tooltip (name, corridors and roles, the thematic value)."""
    roles = unit_roles(atlas, lang)
    units_group = folium.FeatureGroup(name=text(t("layer_units", lang))).add_to(fmap)
    units_group.add_child(
        Shapes(
            features={
                "type": "FeatureCollection",
                "features": [
                    _feature(
                        row.geometry,
                        tip=tip,
                        style=theme_style(thematic, row["adcode"]) if thematic else UNIT_STYLE,
                        popup=tip if unit_popups else None,
                        find=f"unit:{row['adcode']}",
                    )
                    for _, row in _derived_last(layers.units, thematic).iterrows()
                    for tip in [unit_html(row, lang, roles.get(row["adcode"], []), thematic)]
                ],
            }
        )
    )


def _add_corridors(fmap: folium.Map, atlas, layers: DisplayLayers, view: MapView) -> None:
    """One group per corridor (shown if in the view): footprint, axis arrows and spine."""
    lang = view.lang
    for row in atlas.corridors.itertuples(index=False):
        colour = corridor_colour(row.id, atlas.corridors["id"])
        name = text(pick(row, lang))
        group = folium.FeatureGroup(name=name, show=row.id in view.corridors).add_to(fmap)
        # the footprint lets clicks and hovers through to the unit, whose tooltip names every corridor
        group.add_child(_backdrop([layers.footprints[row.id]], footprint_style(colour)))
        if layers.arrows.get(row.id):
            arrow_style = {"color": colour, "weight": 1, "fillColor": colour, "fillOpacity": 1.0}
            group.add_child(_backdrop(layers.arrows[row.id], arrow_style))
        hatch = layers.beyond_band.get(row.id)
        if hatch is not None and not hatch.is_empty:
            group.add_child(
                Lines(
                    lines=[_latlngs(line) for line in _lines(hatch)],
                    style={"color": colour, "weight": 1.5, "opacity": 0.9},
                    tip=f"{name} · {text(t('legend_beyond_band', lang))}",
                )
            )
        precision = row.spine_precision
        group.add_child(
            Lines(
                lines=[_latlngs(line) for line in _lines(layers.spines[row.id])],
                style={"color": colour, "weight": 4, "dashArray": SPINE_DASH_WEB[precision], "opacity": 0.9},
                tip=f"{name} · {text(pick(row, lang, 'spine_feature'))} ({text(t('precision_' + precision, lang))})",
            )
        )


def _add_facilities(fmap: folium.Map, layers: DisplayLayers, view: MapView, unit_names: dict) -> list[str]:
    """One clustered group per facility category in the view; returns the categories drawn."""
    lang = view.lang
    sites = drawn_as_sites(layers.facilities)  # a row without a site of its own is counted in a badge instead
    by_category = dict(list(sites.groupby("category", sort=False)))  # one pass, not a mask per category
    for cat in view.categories:
        rows = by_category.get(cat)
        if rows is None or rows.empty:
            continue
        group = folium.FeatureGroup(name=text(t(f"cat_{cat}", lang))).add_to(fmap)
        group.add_child(
            Points(
                points=[
                    {
                        "lat": round(fac.geometry.y, 6),
                        "lng": round(fac.geometry.x, 6),
                        "tip": text(pick(fac, lang)),
                        "popup": facility_popup_html(fac, unit_names, lang),
                        "find": f"fac:{fac['facility_id']}",
                    }
                    for _, fac in rows.iterrows()
                ],
                style={
                    "radius": 7,
                    "color": "#ffffff",
                    "weight": 1.5,
                    "fillColor": CATEGORY_COLOURS[cat],
                    "fillOpacity": 0.95,
                    "className": "atlas-point",  # a unit's name keeps off it (elements.UnitTags)
                },
                cluster={
                    "maxClusterRadius": 30,
                    "spiderfyOnMaxZoom": True,
                    "showCoverageOnHover": False,
                    "colour": CATEGORY_COLOURS[cat],
                },
            )
        )
    return [cat for cat in view.categories if cat in by_category]


def _smallest_first(units) -> dict[str, int]:
    """{adcode: rank} by land area, smallest first: a small unit has least room for its name, so it
    is placed first."""
    order = units.sort_values("land_area_km2")["adcode"]
    return {code: pos for pos, code in enumerate(order)}


def _add_labels_and_badges(fmap: folium.Map, atlas, layers: DisplayLayers, view: MapView):
    """Unit names (``unit_label_name``: short in English), and a badge where a unit or sub-area's
    facilities are counted; returns the places shown. ``UnitTags`` then places the names."""
    lang = view.lang
    places = shown_places(layers.places, atlas.facilities, view.categories)
    counted = set(places.loc[places["kind"] == "unit", "adcode"])  # these names come with their count below
    rank = _smallest_first(atlas.units)
    names = {row["adcode"]: text(unit_label_name(row, lang)) for _, row in atlas.units.iterrows()}
    labels = folium.FeatureGroup(name=text(t("layer_labels", lang))).add_to(fmap)
    labels.add_child(
        Labels(
            labels=[
                {"lat": round(point.y, 6), "lng": round(point.x, 6), "html": names[adcode], "rank": rank[adcode]}
                for adcode, point in layers.labels.items()
                if adcode not in counted
            ]
        )
    )

    if len(places):
        badges = folium.FeatureGroup(name=text(t("layer_places", lang))).add_to(fmap)
        records = place_badges(places, atlas.facilities, lang)
        for record, adcode in zip(records, places["adcode"], strict=True):
            if record["kind"] == "unit":  # the unit's name as its label would write it, placed like one
                record |= {"name": names[adcode], "rank": rank[adcode]}
        badges.add_child(Badges(badges=records))
    return places


def selection_group(geometry) -> folium.FeatureGroup:
    """A highlight outline for the selected unit (added without reloading the map)."""
    group = folium.FeatureGroup(name="selection")
    folium.GeoJson(
        shapely.to_geojson(geometry),
        style_function=lambda _f: {"color": SELECTION_COLOUR, "weight": 5, "fillOpacity": 0, "interactive": False},
    ).add_to(group)
    return group


CHANGED_UNIT_SWATCH = f"border:2.5px dashed {CHANGED_UNIT_COLOUR};background:transparent"


def changed_units_group(geometries, *, name: str) -> folium.FeatureGroup:
    """Dashed outlines of the units whose corridor membership differs between two layouts (a unit
    far from a corridor's spine joins it without changing its footprint: the outline shows it)."""
    group = folium.FeatureGroup(name=text(name))
    for geometry in geometries:
        folium.GeoJson(
            shapely.to_geojson(geometry),
            style_function=lambda _f: {
                "color": CHANGED_UNIT_COLOUR,
                "weight": 3,
                "dashArray": "8 6",
                "fillOpacity": 0,
                "interactive": False,
            },
        ).add_to(group)
    return group


ADDRESS_COUNT_MIN_PX, ADDRESS_COUNT_PX_PER_ROOT = 22, 6  # a circle's size grows with the count's square root
ADDRESS_COUNT_MAX_PX = 64
ADDRESS_COUNT_SWATCH = f"border:2px solid {USER_POINT_COLOUR};border-radius:50%;background:#fff"
ADDRESS_LIST_MOST = 50  # rows listed in a count's popup


def address_placed_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of a classified table placed by their address (atlas_precision address-*) in a unit."""
    if "atlas_precision" not in table:
        return table.iloc[0:0]
    return table.loc[table["atlas_precision"].astype(str).str.startswith("address") & (table["atlas_adcode"] != "")]


def address_count_records(
    table: pd.DataFrame, units, *, lang: str, label: str | None, datum: str = "wgs84", find_prefix: str = "addr:"
) -> list:
    """One record per unit holding rows placed by their address (accepted, atlas_precision
    address-*): its label point (in ``datum``), count, symbol size (px), escaped tooltip and popup
    listing the rows (``label`` column, else the row number) with their town where known, and the
    key (``find``: ``<find_prefix><adcode>``) the search box opens it by."""
    placed = address_placed_rows(table)
    if placed.empty:
        return []
    points = dict(zip(units["adcode"], unit_label_points(units), strict=True))
    names = dict(zip(units["adcode"], units[f"name_{lang}"], strict=True))
    records = []
    for adcode, rows in placed.groupby("atlas_adcode", sort=True):
        point = points[adcode]
        lon, lat = _shift_lonlat([point.x], [point.y], datum)
        n = len(rows)
        town = rows["atlas_precision"].eq("address-town").sum()
        labels = rows[label] if label else rows["atlas_row"]
        items = "".join(
            f"<li>{text(name)}{' · ' + text(words) if words else ''}</li>"
            for name, words in zip(
                labels.astype(str)[:ADDRESS_LIST_MOST], rows["atlas_match"][:ADDRESS_LIST_MOST], strict=True
            )
        )
        more = (
            f"<li>… {text(t('address_count_more', lang, n=n - ADDRESS_LIST_MOST))}</li>"
            if n > ADDRESS_LIST_MOST
            else ""
        )
        tip = t("address_count_tip", lang, n=n, unit=names[adcode], town=int(town))
        records.append(
            {
                "adcode": adcode,
                "lat": round(float(lat[0]), 6),
                "lng": round(float(lon[0]), 6),
                "n": n,
                "size": int(min(ADDRESS_COUNT_MAX_PX, ADDRESS_COUNT_MIN_PX + ADDRESS_COUNT_PX_PER_ROOT * (n**0.5 - 1))),
                "tip": text(tip),
                "popup": f"<b>{text(tip)}</b><ul class='atlas-popup'>{items}{more}</ul>",
                "find": f"{find_prefix}{adcode}",
            }
        )
    return records


def _with_popups(points: pd.DataFrame, atlas, lang: str) -> pd.DataFrame:
    """Points with an escaped popup each: name, status, unit and corridors in ``lang``."""
    units = dict(zip(atlas.units["adcode"], atlas.units[f"name_{lang}"], strict=True))
    corridors = dict(zip(atlas.corridors["id"], atlas.corridors[f"name_{lang}"], strict=True))
    joiner = "、" if lang == "zh" else "; "
    popups = []
    for row in points.itertuples(index=False):
        names = joiner.join(corridors.get(c, c) for c in row.corridors.split("|") if c)
        rows = [
            (t("name", lang), row.label),
            (t("im_status", lang), t(f"im_status_{row.status}", lang)),
            (t("unit", lang), units.get(row.adcode, "—")),
            (t("col_corridors", lang), names or "—"),
        ]
        cells = "".join(f"<tr><th>{text(k)}</th><td>{text(v)}</td></tr>" for k, v in rows)
        popups.append(f'<table class="atlas-popup">{cells}</table>')
    return points.assign(popup=popups)


def _add_point_layers(imported, atlas, groups: list, legend: list, *, lang: str, datum: str) -> None:
    """An import's sites (markers, or hexagons when many) and its rows placed by address (counts
    per unit), each with its legend entries; a layer with nothing in it is left out."""
    points = imported.points()
    name = t("im_layer_points", lang, name=imported.name)
    large = len(points) > POINT_MARKER_LIMIT
    if len(points):
        if not large:
            points = _with_popups(points, atlas, lang)
        groups.append(
            user_points_group(points, name=name, lang=lang, datum=datum, cells=imported.hexagons() if large else None)
        )
        if large:
            legend.append((HEX_COLOURS[3], f"{name} · {t('hex_legend', lang)}"))
        else:
            legend.append((USER_POINT_COLOUR, name, USER_POINT_SWATCH))
            if points["status"].eq("doubtful").any():
                legend.append((USER_POINT_COLOUR, t("legend_doubtful", lang), USER_POINT_DOUBTFUL_SWATCH))
    name = t("address_count_layer", lang, name=imported.name)
    find = f"addr:{name}:"
    counts = address_count_records(
        imported.table, atlas.units, lang=lang, label=imported.name_column, datum=datum, find_prefix=find
    )
    if counts:
        group = SearchableGroup(name=text(name))
        group.add_child(AddressCounts(counts=counts, colour=USER_POINT_COLOUR))
        placed = address_placed_rows(imported.table).iloc[:POINT_MARKER_LIMIT]  # as many as markers are drawn
        labels = placed[imported.name_column] if imported.name_column else placed["atlas_row"]
        rows = pd.DataFrame({"label": labels.astype(str).to_numpy(), "adcode": placed["atlas_adcode"].to_numpy()})
        unit_names = dict(zip(atlas.units["adcode"], atlas.units[f"name_{lang}"], strict=True))
        group.search_entries = address_row_entries(rows, counts, unit_names, layer=imported.name, lang=lang)
        groups.append(group)
        legend.append((USER_POINT_COLOUR, name, ADDRESS_COUNT_SWATCH))


def workspace_groups(ws, *, lang: str, datum: str = "wgs84", include: tuple[str, ...] | None = None):
    """Map layers and legend entries for a workspace's imported layers (points, boundaries).

    ``include`` names the layers to draw ("points", "boundary"); None draws every imported
    layer (a boundary only when the planner chose to show it). The same layers and legend go
    into the app's map and the HTML export. A legend entry is (colour, label) or
    (colour, label, swatch CSS).
    """
    groups: list[folium.FeatureGroup] = []
    legend: list[tuple[str, ...]] = []
    if ws.points is not None and (include is None or "points" in include):
        _add_point_layers(ws.points, ws.atlas, groups, legend, lang=lang, datum=datum)
    boundary = ws.boundary
    if ws.boundary_is_borders:  # drawn already, as the units themselves
        boundary = None
    if boundary is not None and (boundary.show if include is None else "boundary" in include):
        name = t("im_layer_boundary", lang, name=boundary.name)
        groups.append(user_boundary_group(boundary.frame, name=name, label_column=boundary.label_column, datum=datum))
        legend.append((USER_BOUNDARY_COLOUR, name))
    return groups, legend
