"""The map's everyday tools, as folium elements: measure distance and area (leaflet-measure), the
coordinates of a clicked point (WGS84 and GCJ-02, with its unit and corridors) and a search box
(leaflet-search) over units, towns, zones, places, facilities and a planner's points.

Every string from data reaches the page escaped (:func:`safety.markup.text`) inside JSON encoded by
:func:`safety.markup.js_value`; the search keys are folded in Python (:func:`spatial.names.normalise_key`)
and what is typed is folded the same way in the browser (:data:`spatial.names.KEY_DROP_PATTERN`).
"""

from __future__ import annotations

from branca.element import Element
from folium.elements import JSCSSMixin

from atlas_web.elements import _Script
from presentation.i18n import t


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
