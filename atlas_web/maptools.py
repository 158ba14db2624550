"""The map's everyday tools, as folium elements: measure distance and area (leaflet-measure), the
coordinates of a clicked point (WGS84 and GCJ-02, with its unit and corridors) and a search box
(leaflet-search) over units, towns, zones, places, facilities and a planner's points.

Every string from data reaches the page escaped (:func:`safety.markup.text`) inside JSON encoded by
:func:`safety.markup.js_value`; the search keys are folded in Python (:func:`spatial.names.normalise_key`)
and what is typed is folded the same way in the browser (:data:`spatial.names.KEY_DROP_PATTERN`).
"""

from __future__ import annotations

from pathlib import Path

from branca.element import Element
from folium.elements import JSCSSMixin

from atlas_web.elements import _Script
from atlas_web.popups import unit_roles
from presentation.i18n import pick, t
from safety.markup import text
from spatial.names import KEY_DROP_PATTERN


class Measure(JSCSSMixin, _Script):
    """leaflet-measure in the map's language (its cn or en build), lengths in km and m, areas in km²
    and ha, computed on the sphere by the plugin (turf's great-circle length and spherical area:
    within 0.5 % of the ellipsoid, never Web Mercator's stretched metres).

    On a map drawn in GCJ-02 the plugin's own coordinate read-outs would be GCJ-02 numbers with no
    name: they are hidden there, and the coordinates tool gives both datums."""

    default_css = [("leaflet_measure_css", "")]  # noqa: RUF012 (folium's JSCSSMixin reads these lists)
    _code = """
    (function () {
      var map = {{ this._parent.get_name() }};
      // The plugin catches clicks with a marker covering the map. Leaflet >= 1.8 pans to a focused marker,
      // so the map moved at every click (ljagis/leaflet-measure#171): the marker is made with
      // autoPanOnFocus off. It was also made with Leaflet's default image icon before its own is set,
      // whose path cannot be found from an inlined stylesheet (a failed request): it starts blank.
      var start = L.Control.Measure.prototype._startMeasure;
      L.Control.Measure.include({
        _startMeasure: function () {
          var defaults = L.Marker.prototype.options, icon = defaults.icon, pan = defaults.autoPanOnFocus;
          defaults.icon = L.divIcon({className: "", iconSize: [0, 0]});
          defaults.autoPanOnFocus = false;
          try { start.call(this); } finally { defaults.icon = icon; defaults.autoPanOnFocus = pan; }
          this._captureMarker.options.autoPanOnFocus = false;  // its own: the icon is set again on resize
        }
      });
      var sqkm = {{ this.data.sqkm }};
      L.control.measure({
        position: "topleft",
        primaryLengthUnit: "kilometers", secondaryLengthUnit: "meters",
        primaryAreaUnit: "sqkilometers", secondaryAreaUnit: "hectares",
        units: {sqkilometers: {factor: 1e-6, display: sqkm, decimals: 2}},
        activeColor: "#d7301f", completedColor: "#b30000"
      }).addTo(map);
      if ({{ this.data.datum }} !== "wgs84") { map.getContainer().classList.add("atlas-not-wgs84"); }
    })();
    """

    def __init__(self, *, lang: str, datum: str):
        super().__init__(datum=datum, sqkm=t("measure_sqkm", lang))
        self.default_js = [(f"leaflet_measure_{lang}", "")]

    def render(self, **kwargs):
        _add_style(self, "measure", MEASURE_CSS)
        super().render(**kwargs)


MEASURE_CSS = """
  .atlas-not-wgs84 .leaflet-control-measure .results .group:has(.lastpoint),
  .atlas-not-wgs84 .leaflet-measure-resultpopup p:has(.coorddivider) { display: none; }
"""


def _add_style(element, name: str, css: str) -> None:
    """Put ``css`` (our own, no data in it) into the page's head once."""
    element.get_root().header.add_child(Element(f"<style>{css}</style>"), name=f"atlas_{name}_css")


DATUM_JS = Path(__file__).with_name("js") / "datum.js"  # the browser's GCJ-02 conversions: the one copy


class ClickCoordinates(_Script):
    """A box (bottom left) with the clicked point's lon/lat in WGS84 and in GCJ-02, each in a
    read-only field with a copy button, and the unit there with its corridors and roles.

    The click comes in the map's display datum (``datum``: GCJ-02 over Amap's tiles) and is
    converted both ways by ``js/datum.js``. The unit is found by a point-in-polygon test against the
    units as drawn (the ``unit:`` layers ``Shapes`` registers), so it follows the simplified borders."""

    _code = """
    {{ this.datum_js }}
    (function () {
      var map = {{ this._parent.get_name() }}, datum = {{ this.data.datum }}, units = {{ this.data.units }};
      var texts = {{ this.data.texts }}, div = null;
      var box = L.control({position: "bottomleft"});
      box.onAdd = function () {
        div = L.DomUtil.create("div", "atlas-coords");
        div.innerHTML = "<small>" + texts.hint + "</small>";
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
      };
      box.addTo(map);
      var mark = L.circleMarker([0, 0], {radius: 5, color: "#111", weight: 2, fillColor: "#fff", fillOpacity: 1,
                                         interactive: false, className: "atlas-coords-mark"});
      function roles(list) {  // on a small map the roles fold under a summary, so the box stays low
        var items = "<ul><li>" + list.join("</li><li>") + "</li></ul>";
        return map.getSize().y < {{ this.data.fold_below_px }}
          ? "<details><summary>" + texts.corridors_n[0] + list.length + texts.corridors_n[1] + "</summary>"
            + items + "</details>"
          : items;
      }
      function keepInSight(latlng) {  // a point the box (or the scale on it) covers is brought up above them
        var p = map.latLngToContainerPoint(latlng), frame = map.getContainer().getBoundingClientRect();
        var r = map.getContainer().querySelector(".leaflet-bottom.leaflet-left").getBoundingClientRect();  // box, scale
        var top = r.top - frame.top, right = r.right - frame.left;
        if (p.x < right + {{ this.data.margin_px }} && p.y > top - {{ this.data.margin_px }}) {
          map.panBy([0, p.y - top + {{ this.data.margin_px }} * 2]);
        }
      }
      function inRing(x, y, ring) {  // even-odd ray casting on [lng, lat] pairs
        var inside = false;
        for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
          var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
          if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) { inside = !inside; }
        }
        return inside;
      }
      function contains(geometry, x, y) {  // holes and the parts of a MultiPolygon: one even-odd count
        var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates, inside = false;
        polygons.forEach(function (rings) {
          rings.forEach(function (ring) { if (inRing(x, y, ring)) { inside = !inside; } });
        });
        return inside;
      }
      function unitAt(x, y) {
        var found = window.atlasFind || {};
        for (var key in found) {
          if (key.indexOf("unit:") === 0 && contains(found[key].feature.geometry, x, y)) { return key.slice(5); }
        }
        return null;
      }
      function field(label, lonlat) {
        var value = lonlat[0].toFixed(6) + ", " + lonlat[1].toFixed(6);
        return "<div class='atlas-coords-datum'>" + label + "</div><div class='atlas-coords-value'>"
          + "<input readonly size='21' value='" + value + "'><button type='button'>" + texts.copy + "</button></div>";
      }
      function copy(button) {
        var input = button.previousElementSibling, done = function () {
          button.textContent = texts.copied;
          setTimeout(function () { button.textContent = texts.copy; }, 1500);
        };
        input.select();
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); });
        } else { document.execCommand("copy"); done(); }
      }
      var measuring = false;  // a click that adds a measuring point is not a question about the point
      map.on("measurestart", function () { measuring = true; });
      map.on("measurefinish", function () { measuring = false; });
      // "preclick": the map hears it for every click, on a unit, a marker or the bare map alike ("click"
      // goes to the layer clicked only)
      map.on("preclick", function (e) {
        if (measuring) { return; }
        var at = window.atlasDatum.both(e.latlng.lng, e.latlng.lat, datum);
        var adcode = unitAt(e.latlng.lng, e.latlng.lat), unit = adcode ? units[adcode] : null;
        var where = unit ? "<b class='atlas-coords-unit'>" + unit.name + "</b> · " + unit.adcode
                           + (unit.corridors.length ? roles(unit.corridors) : "<br>" + texts.no_corridor)
                         : texts.outside;
        div.innerHTML = "<button type='button' class='atlas-coords-close' title='" + texts.close + "'>×</button>"
          + "<b>" + texts.title + "</b> <small>(" + texts.order + ")</small>"
          + field(texts.wgs84, at.wgs84) + field(texts.gcj02, at.gcj02)
          + "<div class='atlas-coords-where'>" + where + "</div><small>" + texts.drawn + "</small>";
        Array.prototype.forEach.call(div.querySelectorAll("input"), function (input) {
          input.addEventListener("focus", function () { input.select(); });
        });
        Array.prototype.forEach.call(div.querySelectorAll(".atlas-coords-value button"), function (button) {
          button.addEventListener("click", function () { copy(button); });
        });
        div.querySelector(".atlas-coords-close").addEventListener("click", function (event) {  // back to the hint
          event.stopPropagation();  // the button is gone from the box below: Leaflet would take it for a map click
          div.innerHTML = "<small>" + texts.hint + "</small>";
          mark.remove();
        });
        mark.setLatLng(e.latlng).addTo(map);
        keepInSight(e.latlng);
      });
    })();
    """

    def __init__(self, atlas, *, lang: str, datum: str):
        roles = unit_roles(atlas, lang)
        units = {
            row.adcode: {
                "name": text(pick(row, lang)),
                "adcode": text(row.adcode),
                "corridors": [
                    text(f"{name}：{role}" if lang == "zh" else f"{name}: {role}")
                    for name, role in roles.get(row.adcode, [])
                ],
            }
            for row in atlas.units.itertuples(index=False)
        }
        keys = (
            "title",
            "hint",
            "order",
            "wgs84",
            "gcj02",
            "copy",
            "copied",
            "close",
            "outside",
            "no_corridor",
            "drawn",
        )
        texts: dict = {key: text(t(f"coords_{key}", lang)) for key in keys}
        texts["corridors_n"] = [text(part) for part in t("coords_corridors_n", lang, n="\0").split("\0")]  # around n
        super().__init__(
            datum=datum,
            units=units,
            texts=texts,
            fold_below_px=COORDS_FOLD_BELOW_PX,
            margin_px=COORDS_MARGIN_PX,
        )
        self.datum_js = DATUM_JS.read_text(encoding="utf-8")

    def render(self, **kwargs):
        _add_style(self, "coords", COORDS_CSS)
        super().render(**kwargs)


COORDS_FOLD_BELOW_PX = 700  # a map lower than this folds the roles in the box (the app's map is 640 px)
COORDS_MARGIN_PX = 12  # how far above the box a covered point is brought

COORDS_CSS = """
  .atlas-coords { background: rgba(255,255,255,.94); padding: 5px 8px; font: 11px/1.4 sans-serif; border-radius: 4px;
                  box-shadow: 0 1px 4px rgba(0,0,0,.3); max-width: 330px; }
  .atlas-coords-where { margin-top: 4px; }
  .atlas-coords-datum { color: #555; margin-top: 3px; }
  .atlas-coords-value { white-space: nowrap; }
  .atlas-coords input { font: 11px monospace; padding: 1px 3px; border: 1px solid #bbb; border-radius: 2px; }
  .atlas-coords button { font: 11px sans-serif; margin-left: 3px; padding: 1px 5px; cursor: pointer; }
  .atlas-coords ul { margin: 2px 0; padding-left: 16px; }
  .atlas-coords small { color: #666; }
  .atlas-coords summary { cursor: pointer; color: #333; }
  .atlas-coords button.atlas-coords-close { float: right; margin: -3px -4px 0 6px; border: 0; background: none;
                                            font: 16px/1 sans-serif; color: #666; padding: 0 2px; }
"""


SEARCH_LIMIT = 12  # results listed at once


class MapSearch(JSCSSMixin, _Script):
    """leaflet-search over the map's own index (:func:`atlas_web.search_index.build_search_index`).

    The plugin gives the box, the list, the keyboard and the "not found"; the index and its matching
    are ours, passed to it as its ``sourceData``: what is typed is folded as the keys were, and a
    result is listed when one of its keys holds it (exact first, then those starting with it, then
    the rest; units before towns before places ...). A result moves the map (a unit, town or zone:
    its unit's bounds; a point: zoom to it) and opens the popup of the layer it names."""

    default_js = [("leaflet_search", "")]  # noqa: RUF012 (folium's JSCSSMixin reads these lists)
    default_css = [("leaflet_search_css", "")]  # noqa: RUF012
    _code = """
    (function () {
      var map = {{ this._parent.get_name() }}, records = {{ this.data.records }}, texts = {{ this.data.texts }};
      var drop = new RegExp({{ this.data.drop }}, "g"), limit = {{ this.data.limit }}, byLabel = {};
      records.forEach(function (r) { byLabel[r.label] = r; });
      function fold(s) { return s.normalize("NFKC").trim().toLowerCase().replace(drop, ""); }
      function closeness(r, q) {
        var best = 9;
        r.keys.forEach(function (k) {
          var at = k.indexOf(q), c = k === q ? 0 : at === 0 ? 1 : at > 0 ? 2 : 9;
          if (c < best) { best = c; }
        });
        return best;
      }
      function matches(typed) {
        var q = fold(typed);
        if (!q) { return []; }
        return records.map(function (r, i) { return [closeness(r, q), r.rank, i, r]; })
          .filter(function (m) { return m[0] < 9; })
          .sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]; })
          .slice(0, limit).map(function (m) { return m[3]; });
      }
      function where(r) {
        var p = r.target;
        return p.bounds ? L.latLngBounds(p.bounds).getCenter() : L.latLng(p.lat, p.lng);
      }
      function go(r) {
        var p = r.target, found = (window.atlasFind || {})[p.find];
        if (p.bounds) { map.fitBounds(p.bounds, {maxZoom: 13}); }
        else { map.setView([p.lat, p.lng], Math.max(map.getZoom(), p.zoom)); }
        if (p.note) { L.popup({maxWidth: 320}).setLatLng(where(r)).setContent(p.note).openOn(map); }
        else if (found && found.getPopup && found.getPopup()) {
          var cluster = found.atlasCluster;
          if (cluster && cluster._map && cluster.hasLayer(found)) {
            cluster.zoomToShowLayer(found, function () { found.openPopup(); });
          } else if (found._map) { found.openPopup(); }
        }
        map.fire("atlassearch", {label: r.label});
      }
      var control = new L.Control.Search({
        position: "topleft", marker: false, autoType: false, firstTipSubmit: true, delayType: 150,
        tooltipLimit: limit, textPlaceholder: texts.placeholder, textCancel: texts.cancel, textErr: texts.not_found,
        sourceData: function (typed, answer) { answer(records); return {abort: function () {}}; },
        formatData: function (all) {
          var out = {};
          all.forEach(function (r) { out[r.label] = where(r); });
          return out;
        },
        filterData: function (typed, all) {
          var out = {};
          matches(typed).forEach(function (r) { out[r.label] = all[r.label]; });
          return out;
        },
        buildTip: function (label) {  // the escaped line of the index, not the label as HTML
          var li = L.DomUtil.create("li", "");
          li.innerHTML = byLabel[label].html;
          return li;
        },
        moveToLocation: function (latlng, label) { go(byLabel[label]); }
      }).addTo(map);
      // the plugin lists results on keyup only: text from an input method, a paste or a deletion
      // (which it leaves out) would show a stale list or none
      control._input.addEventListener("input", function (e) {
        if (!e.isComposing) { control._handleKeypress({keyCode: 0}); }
      });
    })();
    """

    def __init__(self, records: list[dict], *, lang: str):
        texts = {key: text(t(f"search_{key}", lang)) for key in ("placeholder", "cancel", "not_found")}
        super().__init__(records=records, texts=texts, drop=KEY_DROP_PATTERN, limit=SEARCH_LIMIT)

    def render(self, **kwargs):
        _add_style(self, "search", SEARCH_CSS)
        super().render(**kwargs)


SEARCH_CSS = """
  .leaflet-container .leaflet-control-search .search-tooltip { max-height: 320px; min-width: 260px; max-width: 420px; }
  .leaflet-container .leaflet-control-search .search-tip { white-space: normal; font: 12px/1.35 sans-serif; }
  .leaflet-container .leaflet-control-search .search-tip small { color: #555; }
  .leaflet-container .leaflet-control-search input.search-input { font-size: 13px; width: 210px; }
"""
