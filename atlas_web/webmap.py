"""Build the interactive corridor map (folium / Leaflet) from display layers.

Every string that comes from data reaches the page through :mod:`safety.markup`: tooltips,
popups, labels, layer names and the legend show it as literal text. JS and CSS links point at
the app's own copies (:mod:`atlas_web.assets`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import folium
import folium.plugins
import numpy as np
import pandas as pd
import shapely
import shapely.geometry
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from atlas_web import assets
from atlas_web.basemaps import Basemap
from layers.facilities import drawn_as_sites
from layers.indicators import theme as indicator_theme
from presentation.display import DisplayLayers
from presentation.i18n import capitalised, pick, short_name, t
from presentation.style import (
    CATEGORY_COLOURS,
    CHANGED_UNIT_COLOUR,
    FOOTPRINT_OPACITY,
    HEX_SIZE_M,
    SELECTION_COLOUR,
    SPINE_DASH_WEB,
    SPINE_LEGEND,
    SUB_AREA_BADGE_COLOUR,
    USER_BOUNDARY_COLOUR,
    USER_POINT_COLOUR,
    USER_POINT_EDGE,
    WATER_EDGE,
    WATER_FILL,
    corridor_colour,
    rgba,
)
from presentation.themes import theme_fill, theme_legend_entries
from safety.markup import js_value, text
from spatial.aggregate import hexbin
from spatial.datum import convert_geometry, convert_lonlat
from spatial.extent import SUZHOU_BOUNDS_LATLON, SUZHOU_CENTER_LATLON

UNIT_STYLE = {"color": "#444444", "weight": 1.2, "fillColor": "#ffffff", "fillOpacity": 0.05}
CONTEXT_STYLE = {"color": "#bbbbbb", "weight": 1, "fillColor": "#e6e6e6", "fillOpacity": 0.5}
WATER_STYLE = {"color": WATER_EDGE, "weight": 0.8, "fillColor": WATER_FILL, "fillOpacity": 0.85}


@dataclass(frozen=True)
class MapView:
    """What the map shows: which corridors and facility categories, in which language."""

    lang: str = "zh"
    corridors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    height: int = 620
    theme: str | None = None  # a unit indicator key: units filled by its classes


class _Script(MacroElement):
    """A script fragment with JSON data; the data is encoded by ``js_value`` (safe in <script>)."""

    _code = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._template = Template("{% macro script(this, kwargs) %}" + cls._code + "{% endmacro %}")

    def __init__(self, **data):
        super().__init__()
        self._name = type(self).__name__.lstrip("_")
        self.data = {key: js_value(value) for key, value in data.items()}

    def render(self, **kwargs):
        """As MacroElement.render, but the fragment joins the page as rendered text: branca would
        compile it as a Jinja template once more (most of a map's render time, for the data)."""
        script = self._template.module.__dict__["script"]
        self.get_root().script.add_child(_Rendered(script(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class _Rendered(Element):
    """Text already rendered, put into the page as it is."""

    def __init__(self, rendered: str):
        super().__init__()
        self.rendered = rendered

    def render(self, **kwargs) -> str:
        return self.rendered


class _Shapes(_Script):
    """Polygons from a FeatureCollection; each feature's ``tip`` (escaped HTML) is its tooltip."""

    _code = """
    (function () {
      var layer = L.geoJSON({{ this.data.features }}, {
        style: function (f) { return f.properties.style; },
        onEachFeature: function (f, l) {
          if (f.properties.tip) { l.bindTooltip(f.properties.tip, {sticky: true}); }
          if (f.properties.popup) {
            l.bindPopup(f.properties.popup);
            l.on("popupopen", function () { l.closeTooltip(); });  // one box, not the same text twice
          }
          l.on("mouseover", function () { l.setStyle({weight: f.properties.style.weight + 2}); });
          l.on("mouseout", function () { layer.resetStyle(l); });
        }
      }).addTo({{ this._parent.get_name() }});
    })();
    """


class _Lines(_Script):
    """Polylines ([[lat, lng], ...] each) sharing one style and tooltip."""

    _code = """
    {{ this.data.lines }}.forEach(function (latlngs) {
      L.polyline(latlngs, {{ this.data.style }}).bindTooltip({{ this.data.tip }}, {sticky: true})
       .addTo({{ this._parent.get_name() }});
    });
    """


class _Backdrop(_Script):
    """Polygons drawn for what they show (water, neighbouring cities), never in the way of a click."""

    _code = """
    L.geoJSON({{ this.data.features }}, {interactive: false, style: function () { return {{ this.data.style }}; }})
     .addTo({{ this._parent.get_name() }});
    """


class _Labels(_Script):
    """Non-interactive text labels (clicks go through to the unit beneath)."""

    _code = """
    {{ this.data.labels }}.forEach(function (item) {
      L.marker([item.lat, item.lng], {interactive: false, keyboard: false,
        icon: L.divIcon({className: "atlas-label", html: "<span>" + item.html + "</span>", iconSize: null})})
       .addTo({{ this._parent.get_name() }});
    });
    """


BADGE_LEGEND = {"sub-area": "legend_place_sub_area", "unit": "legend_place_unit"}
BADGE_SWATCH = {  # the legend swatches, drawn like the badges' CSS below
    "sub-area": f"background:{SUB_AREA_BADGE_COLOUR};border:1.5px solid #fff;border-radius:2px;outline:1px solid #999",
    "unit": "background:#fff;border:1.5px solid #555;border-radius:6px",
}


class _Badges(_Script):
    """Count markers for facilities listed by sub-area or unit; each opens the escaped list (popup)."""

    _code = """
    {{ this.data.badges }}.forEach(function (b) {
      // a unit's count follows its name in one label (the name lets clicks through to the unit);
      // a sub-area's count sits on a leader beside its point
      var html = b.name ? '<em class="atlas-unit-name">' + b.name + '</em><span data-place="' + b.id + '">' + b.n
                          + "</span>"
                        : '<i></i><span data-place="' + b.id + '">' + b.n + "</span>";
      L.marker([b.lat, b.lng], {icon: L.divIcon({className: "atlas-badge " + b.kind, html: html, iconSize: null})})
       .bindTooltip(b.tip).bindPopup(b.popup, {maxWidth: 380})
       .addTo({{ this._parent.get_name() }});
    });
    """


class _MetricScale(_Script):
    """A scale bar in metres and kilometres only."""

    _code = """
    L.control.scale({imperial: false, maxWidth: 160}).addTo({{ this._parent.get_name() }});
    """


class _Points(JSCSSMixin, _Script):
    """Circle markers in a marker cluster, each with an escaped tooltip and popup."""

    # folium's JSCSSMixin reads these list attributes (its API); they are never mutated
    default_js = [("markerclusterjs", "markercluster")]  # noqa: RUF012
    default_css = [("markerclustercss", "markercluster"), ("markerclusterdefaultcss", "markercluster")]  # noqa: RUF012
    _code = """
    (function () {
      var options = {{ this.data.cluster }};
      var style = {{ this.data.style }};
      if (options.colour) {  // a cluster shows the colour of what it holds, and how many
        var colour = options.colour;
        delete options.colour;
        options.iconCreateFunction = function (c) {
          return L.divIcon({html: '<div style="background:' + colour + '">' + c.getChildCount() + '</div>',
                            className: 'atlas-cluster', iconSize: L.point(26, 26)});
        };
      }
      var cluster = L.markerClusterGroup(options);
      {{ this.data.points }}.forEach(function (p) {
        cluster.addLayer(L.circleMarker([p.lat, p.lng], p.style ? Object.assign({}, style, p.style) : style)
          .bindTooltip(p.tip).bindPopup(p.popup, {maxWidth: 360}));
      });
      cluster.addTo({{ this._parent.get_name() }});
    })();
    """


class _Legend(MacroElement):
    _template = Template("""
        {% macro header(this, kwargs) %}
        <style>
          .atlas-label i.ctx { color: #8a8a8a; font-weight: 400; }
          .atlas-label b.hub { color: #222; font-weight: 600; }
          .atlas-label span:has(> b.hub) { transform: translate(-0.45em, -50%); }
          .atlas-label span { font: 600 12px/1.2 sans-serif; color: #222; white-space: nowrap;
                              text-shadow: 0 0 3px #fff, 0 0 3px #fff; transform: translate(-50%, -50%);
                              display: inline-block; }
          .atlas-legend summary { cursor: pointer; }
          .atlas-legend { background: rgba(255,255,255,.92); padding: 6px 8px; font: 11px/1.35 sans-serif;
                          border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.3); max-height: 50vh; overflow: auto; }
          .atlas-legend i { display: inline-block; width: 14px; height: 10px; margin-right: 6px;
                            vertical-align: middle; }
          .atlas-legend i.pt { width: 10px; height: 10px; border-radius: 50%; }
          .atlas-legend i.ln { height: 0; border-top: 3px dashed; }
          .atlas-popup th { text-align: left; padding-right: 6px; vertical-align: top; color: #555;
                            white-space: nowrap; }
          .atlas-popup td { overflow-wrap: anywhere; min-width: 12em; }
          path.leaflet-interactive:focus { outline: none; }
          .atlas-badge span { display: inline-block; min-width: 18px; height: 18px; padding: 0 3px;
                              box-sizing: border-box; font: 700 11px/15px sans-serif; text-align: center;
                              cursor: pointer; box-shadow: 0 0 2px rgba(0,0,0,.4); pointer-events: auto; }
          .leaflet-marker-icon.atlas-badge { pointer-events: none !important; }  /* only the count is clickable */
          .atlas-badge.unit { white-space: nowrap; }
          .atlas-badge.unit { display: flex; align-items: center; gap: 3px; translate: -50% -50%; }
          .atlas-badge.unit em { font: normal 600 12px/1.2 sans-serif; color: #222;
                                 text-shadow: 0 0 3px #fff, 0 0 3px #fff; }
          .atlas-badge.unit span { background: #fff; color: #333; border: 1.5px solid #555; border-radius: 9px; }
          .atlas-badge.sub-area span { background: {{ this.badge_colour }}; color: #fff; border: 1.5px solid #fff;
                                       border-radius: 2px; transform: translate(5px, calc(-100% - 5px)); }
          .atlas-badge.sub-area i { pointer-events: none; position: absolute; left: -4px; top: -4px; width: 8px;
                                    height: 8px; box-sizing: border-box; border-radius: 50%;
                                    border: 1.5px solid #fff; background: {{ this.badge_colour }}; }
          .atlas-legend i.badge { width: 14px; height: 12px; box-sizing: border-box; }
          .atlas-cluster div { width: 26px; height: 26px; border-radius: 50%; border: 2px solid #fff;
                               box-sizing: border-box; color: #fff; font: 600 12px/22px sans-serif;
                               text-align: center; box-shadow: 0 0 3px rgba(0,0,0,.5); }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
          var legend = L.control({position: "bottomright"});
          legend.onAdd = function () {
            var div = L.DomUtil.create("div", "atlas-legend");
            div.innerHTML = {{ this.html }};
            L.DomEvent.disableClickPropagation(div);
            return div;
          };
          legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
    """)

    def __init__(self, html: str):
        super().__init__()
        self._name = "Legend"
        self.html = js_value(html)
        self.badge_colour = SUB_AREA_BADGE_COLOUR


def _lines(geom):
    if geom.geom_type == "LineString":
        return [geom]
    return list(getattr(geom, "geoms", []))


def _latlngs(line) -> list:
    return [[round(y, 6), round(x, 6)] for x, y in line.coords]


def unit_html(unit_row, lang: str, roles: Sequence[tuple[str, str]] = (), thematic=None) -> str:
    """A unit's tooltip: its name and code, the thematic indicator's value when one is shown, then
    every corridor it is in with its role there."""
    lines = [f"<b>{text(pick(unit_row, lang))}</b> {text(unit_row['adcode'])}"]
    if thematic is not None:
        value = thematic.values.get(unit_row["adcode"])
        shown = t("theme_missing", lang) if value is None or value != value else f"{value:,.2f}"
        lines.append(f"{text(t('ind_' + thematic.key, lang))}: {text(shown)}")
    lines += [f"{text(corridor)}: {text(role)}" for corridor, role in roles] or [text(t("cli_none", lang))]
    return "<br>".join(lines)


def unit_roles(atlas, lang: str) -> dict[str, list[tuple[str, str]]]:
    """adcode -> [(corridor name, role)] in the corridors' order."""
    names = dict(zip(atlas.corridors["id"], atlas.corridors[f"name_{lang}"], strict=True))
    order = {cid: pos for pos, cid in enumerate(atlas.corridors["id"])}
    roles: dict[str, list[tuple[str, str]]] = {}
    for row in sorted(atlas.members.itertuples(index=False), key=lambda r: order.get(r.corridor_id, 99)):
        roles.setdefault(row.adcode, []).append((names[row.corridor_id], pick(row, lang, "role")))
    return roles


def facility_popup_html(row, unit_names: dict, lang: str) -> str:
    """The facility record as an escaped HTML table (zh and en names, category, unit, source, precision)."""
    rows = [
        (t("name_zh", lang), row["name_zh"]),
        (t("name_en", lang), row["name_en"]),
        (t("category", lang), t(f"cat_{row['category']}", lang)),
        (t("unit", lang), unit_names.get(row["adcode"], row["adcode"])),
        (t("precision", lang), t(f"prec_{row['precision']}", lang)),
        (t("source", lang), f"{row['source_url']} ({t('kind_' + row['source_kind'], lang)})"),
        (t("coord_source", lang), row["coord_source"]),
        (t("note", lang), row[f"note_{lang}"]),
    ]
    cells = "".join(f"<tr><th>{text(k)}</th><td>{text(v)}</td></tr>" for k, v in rows)
    return f'<table class="atlas-popup">{cells}</table>'


def place_popup_html(place, facilities, lang: str) -> str:
    """A grouped marker's list: its heading, then each facility's name and category.

    ``facilities`` is the facility table, or :func:`facility_lookup` of it (faster for many places).
    """
    lookup = facilities if isinstance(facilities, dict) else facility_lookup(facilities, lang)
    key = "place_unit_tip" if place["kind"] == "unit" else "place_sub_area_tip"
    heading = t(key, lang, name=pick(place, lang), n=place["n"])
    items = "".join(lookup[facility_id] for facility_id in place["facility_ids"])
    return f'<b>{text(heading)}</b><table class="atlas-popup">{items}</table>'


def facility_lookup(facilities, lang: str) -> dict[str, str]:
    """facility_id -> its escaped list row (name, category) in ``lang``."""
    names = facilities[f"name_{lang}"].to_numpy()
    categories = facilities["category"].to_numpy()
    return {
        str(facility_id): f"<tr><td>{text(name)}</td><td>{text(t(f'cat_{category}', lang))}</td></tr>"
        for facility_id, name, category in zip(facilities["facility_id"].to_numpy(), names, categories, strict=True)
    }


def shown_places(places, facilities, categories) -> pd.DataFrame:
    """The grouped markers restricted to the shown categories (counts follow the filter; empty ones go)."""
    shown = set(facilities.loc[facilities["category"].isin(categories), "facility_id"])
    ids = places["facility_ids"].map(lambda group: tuple(f for f in group if f in shown))
    out = places.assign(facility_ids=ids, n=ids.map(len))
    return out.loc[out["n"] > 0]


def place_badges(places, facilities, lang: str) -> list[dict]:
    """The badge records (position, kind, count, escaped tooltip and popup) for ``_Badges``."""
    badges = []
    lookup = facility_lookup(facilities, lang)
    for _, place in places.iterrows():
        key = "place_unit_tip" if place["kind"] == "unit" else "place_sub_area_tip"
        badges.append(
            {
                "lat": round(place.geometry.y, 6),
                "lng": round(place.geometry.x, 6),
                "kind": "unit" if place["kind"] == "unit" else "sub-area",
                "id": text(place["place_id"]),
                "name": text(pick(place, lang)) if place["kind"] == "unit" else "",
                "n": int(place["n"]),
                "tip": text(t(key, lang, name=pick(place, lang), n=place["n"])),
                "popup": place_popup_html(place, lookup, lang),
            }
        )
    return badges


def legend_html(
    corridors,
    view: MapView,
    extra: tuple = (),
    thematic=None,
    *,
    site_categories: Sequence[str] | None = None,
    badge_kinds: Sequence[str] = (),
) -> str:
    """The map's legend: only what is drawn. ``site_categories`` are the categories drawn as points
    (default: the view's); ``badge_kinds`` the grouped markers drawn ("sub-area", "unit")."""
    lang = view.lang
    parts = [f"<details><summary><b>{text(t('legend_title', lang))}</b></summary>"]
    if thematic is not None:
        title = t("theme_legend", lang, name=t(f"ind_{thematic.key}", lang), year=thematic.year or "—")
        parts.append(f'<div style="font-style:italic">{text(title)}</div>')
        parts += [
            f'<i style="background:{c};border:1px solid #444"></i>{text(label)}<br>'
            for c, label in theme_legend_entries(thematic, lang)
        ]
    parts += [
        f'<i style="border:1.5px solid #444;background:#fff"></i>{text(t("legend_units", lang))}<br>',
        f'<i style="background:{WATER_FILL};border:1px solid {WATER_EDGE}"></i>{text(t("legend_water", lang))}<br>',
    ]
    for row in corridors.itertuples(index=False):
        if row.id in view.corridors:
            colour = corridor_colour(row.id, corridors["id"])
            swatch = f"background:{rgba(colour, FOOTPRINT_OPACITY)};border:1px solid {colour}"
            parts.append(f'<i style="{swatch}"></i>{text(pick(row, lang))}<br>')
    shown_precisions = {row.spine_precision for row in corridors.itertuples(index=False) if row.id in view.corridors}
    for precision, key in SPINE_LEGEND.items():
        if precision in shown_precisions:
            dash = "dashed" if SPINE_DASH_WEB[precision] else "solid"
            swatch = f'<i class="ln" style="border-color:#333;border-top-style:{dash}"></i>'
            parts.append(f"{swatch}{text(t(key, lang))}<br>")
    for cat in view.categories if site_categories is None else site_categories:
        label = capitalised(t("cat_" + cat, lang))
        parts.append(f'<i class="pt" style="background:{CATEGORY_COLOURS[cat]}"></i>{text(label)}<br>')
    for kind in badge_kinds:
        swatch = BADGE_SWATCH[kind]
        parts.append(f'<i class="badge" style="{swatch}"></i>{text(t(BADGE_LEGEND[kind], lang))}<br>')
    for entry in extra:
        colour, label = entry[0], entry[1]
        swatch = entry[2] if len(entry) > 2 else f"background:{colour}"  # a legend entry may give its own CSS
        parts.append(f'<i class="pt" style="{swatch}"></i>{text(label)}<br>')
    parts.append("</details>")
    return "".join(parts)


def theme_style(thematic, adcode: str) -> dict:
    """A unit filled with its class's colour (grey when it has no value), outlined as usual."""
    return UNIT_STYLE | {"fillColor": theme_fill(thematic, adcode), "fillOpacity": 0.85}


def footprint_style(colour: str) -> dict:
    """How a corridor's footprint is drawn (the legend swatch uses the same values)."""
    return {"color": colour, "weight": 1, "opacity": 0.8, "fillColor": colour, "fillOpacity": FOOTPRINT_OPACITY}


def _backdrop(geometries, style: dict) -> _Backdrop:
    """Non-interactive polygons (water, neighbouring cities) in one FeatureCollection."""
    features = [{"type": "Feature", "geometry": shapely.geometry.mapping(g), "properties": {}} for g in geometries]
    return _Backdrop(features={"type": "FeatureCollection", "features": features}, style=style)


def _feature(geometry, *, tip: str, style: dict, popup: str | None = None) -> dict:
    properties = {"tip": tip, "style": style} | ({"popup": popup} if popup else {})
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


def user_points_group(
    points, *, name: str, lang: str, datum: str = "wgs84", hex_size_m: float = HEX_SIZE_M, cells=None
) -> folium.FeatureGroup:
    """A planner's classified points: clustered markers, or above POINT_MARKER_LIMIT a hexagon
    grid of counts (never one DOM element per point). ``points`` has lon, lat (WGS84) and label;
    ``cells`` may pass a ``hexbin`` of them computed earlier (WGS84), to reuse across reruns."""
    group = folium.FeatureGroup(name=text(name))
    if len(points) <= POINT_MARKER_LIMIT:
        lon, lat = _shift_lonlat(points["lon"], points["lat"], datum)
        popups = points["popup"] if "popup" in points else [f"<b>{text(label)}</b>" for label in points["label"]]
        doubtful = points["status"].eq("doubtful") if "status" in points else pd.Series(False, index=points.index)
        group.add_child(
            _Points(
                points=[
                    {
                        "lat": round(float(y), 6),
                        "lng": round(float(x), 6),
                        "tip": text(label),
                        "popup": popup,
                        **({"style": USER_POINT_DOUBTFUL_STYLE} if odd else {}),
                    }
                    for x, y, label, popup, odd in zip(lon, lat, points["label"], popups, doubtful, strict=True)
                ],
                style={
                    "radius": 6,
                    "color": USER_POINT_EDGE,
                    "weight": 1.5,
                    "fillColor": USER_POINT_COLOUR,
                    "fillOpacity": 0.95,
                    "pane": USER_POINTS_PANE,
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
    group.add_child(_Shapes(features={"type": "FeatureCollection", "features": features}))
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
    group.add_child(_Shapes(features={"type": "FeatureCollection", "features": features}))
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
    places = _add_labels_and_badges(fmap, atlas, layers, view, unit_names)
    if extra_groups:
        folium.map.CustomPane(USER_POINTS_PANE, z_index=USER_POINTS_PANE_Z, pointer_events=True).add_to(fmap)
    for extra in extra_groups:
        extra.add_to(fmap)
    kinds = [kind for kind in BADGE_LEGEND if (places["kind"] == kind).any()]
    legend = legend_html(atlas.corridors, view, extra_legend, thematic, site_categories=drawn, badge_kinds=kinds)
    fmap.add_child(_Legend(legend))
    folium.plugins.Fullscreen(position="topleft").add_to(fmap)
    fmap.add_child(_MetricScale())
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
    """Neighbouring cities, grey and named in italics."""
    if layers.context is None or not len(layers.context):
        return
    context = folium.FeatureGroup(name=text(t("layer_context", lang))).add_to(fmap)
    context.add_child(_backdrop(layers.context.geometry, CONTEXT_STYLE))
    names = zip(shapely.point_on_surface(layers.context.geometry.values), layers.context[f"name_{lang}"], strict=True)
    context.add_child(
        _Labels(
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
        _Labels(
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


def _add_units(fmap: folium.Map, atlas, layers: DisplayLayers, lang: str, *, thematic, unit_popups: bool) -> None:
    """The units, each with its tooltip (name, corridors and roles, the thematic value)."""
    roles = unit_roles(atlas, lang)
    units_group = folium.FeatureGroup(name=text(t("layer_units", lang))).add_to(fmap)
    units_group.add_child(
        _Shapes(
            features={
                "type": "FeatureCollection",
                "features": [
                    _feature(
                        row.geometry,
                        tip=tip,
                        style=theme_style(thematic, row["adcode"]) if thematic else UNIT_STYLE,
                        popup=tip if unit_popups else None,
                    )
                    for _, row in layers.units.iterrows()
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
        precision = row.spine_precision
        group.add_child(
            _Lines(
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
            _Points(
                points=[
                    {
                        "lat": round(fac.geometry.y, 6),
                        "lng": round(fac.geometry.x, 6),
                        "tip": text(pick(fac, lang)),
                        "popup": facility_popup_html(fac, unit_names, lang),
                    }
                    for _, fac in rows.iterrows()
                ],
                style={
                    "radius": 7,
                    "color": "#ffffff",
                    "weight": 1.5,
                    "fillColor": CATEGORY_COLOURS[cat],
                    "fillOpacity": 0.95,
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


def _add_labels_and_badges(fmap: folium.Map, atlas, layers: DisplayLayers, view: MapView, unit_names: dict):
    """Unit names, and a badge where a unit or sub-area's facilities are counted; returns the places shown."""
    lang = view.lang
    places = shown_places(layers.places, atlas.facilities, view.categories)
    counted = set(places.loc[places["kind"] == "unit", "adcode"])  # these names come with their count below
    labels = folium.FeatureGroup(name=text(t("layer_labels", lang))).add_to(fmap)
    labels.add_child(
        _Labels(
            labels=[
                {"lat": round(point.y, 6), "lng": round(point.x, 6), "html": text(unit_names[adcode])}
                for adcode, point in layers.labels.items()
                if adcode not in counted
            ]
        )
    )

    if len(places):
        badges = folium.FeatureGroup(name=text(t("layer_places", lang))).add_to(fmap)
        badges.add_child(_Badges(badges=place_badges(places, atlas.facilities, lang)))
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
        points = ws.points.points()
        name = t("im_layer_points", lang, name=ws.points.name)
        large = len(points) > POINT_MARKER_LIMIT
        if not large:
            points = _with_popups(points, ws.atlas, lang)
        groups.append(
            user_points_group(points, name=name, lang=lang, datum=datum, cells=ws.points.hexagons() if large else None)
        )
        if large:
            legend.append((HEX_COLOURS[3], f"{name} · {t('hex_legend', lang)}"))
        else:
            legend.append((USER_POINT_COLOUR, name, USER_POINT_SWATCH))
            if points["status"].eq("doubtful").any():
                legend.append((USER_POINT_COLOUR, t("legend_doubtful", lang), USER_POINT_DOUBTFUL_SWATCH))
    boundary = ws.boundary
    if ws.boundary_is_borders:  # drawn already, as the units themselves
        boundary = None
    if boundary is not None and (boundary.show if include is None else "boundary" in include):
        name = t("im_layer_boundary", lang, name=boundary.name)
        groups.append(user_boundary_group(boundary.frame, name=name, label_column=boundary.label_column, datum=datum))
        legend.append((USER_BOUNDARY_COLOUR, name))
    return groups, legend
