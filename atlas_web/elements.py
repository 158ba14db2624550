"""The map's own Leaflet layers, as folium elements: each draws one kind of thing (shapes with
tooltips, lines, backdrops, labels, badges, points in clusters, the legend, a metric scale) from
data passed as JSON, with the app's own copies of Leaflet's plugins.
"""

from __future__ import annotations

from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from presentation.style import (
    SUB_AREA_BADGE_COLOUR,
)
from safety.markup import js_value


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


class Shapes(_Script):
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


class Lines(_Script):
    """Polylines ([[lat, lng], ...] each) sharing one style and tooltip."""

    _code = """
    {{ this.data.lines }}.forEach(function (latlngs) {
      L.polyline(latlngs, {{ this.data.style }}).bindTooltip({{ this.data.tip }}, {sticky: true})
       .addTo({{ this._parent.get_name() }});
    });
    """


class Backdrop(_Script):
    """Polygons drawn for what they show (water, neighbouring cities), never in the way of a click."""

    _code = """
    L.geoJSON({{ this.data.features }}, {interactive: false, style: function () { return {{ this.data.style }}; }})
     .addTo({{ this._parent.get_name() }});
    """


class Labels(_Script):
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


class Badges(_Script):
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


class AddressCounts(_Script):
    """Rows placed by their address (no site of their own): a circle per unit sized by the count,
    the count inside, set below the unit's name; a click lists the rows (escaped)."""

    _code = """
    {{ this.data.counts }}.forEach(function (c) {
      // font before line-height: the font shorthand resets it; see-through, so no site is hidden
      var html = '<div class="atlas-address-count" style="width:' + c.size + 'px;height:' + c.size
        + 'px;font:700 11px sans-serif;line-height:' + (c.size - 4) + 'px;border-radius:50%;'
        + 'border:2px solid {{ this.colour }};background:rgba(255,255,255,.55);color:#222;text-align:center;'
        + 'box-sizing:border-box;text-shadow:0 0 2px #fff">' + c.n + '</div>';
      L.marker([c.lat, c.lng], {icon: L.divIcon({className: "", html: html, iconSize: [c.size, c.size],
                                                 iconAnchor: [c.size / 2, -10]})})
       .bindTooltip(c.tip).bindPopup(c.popup, {maxWidth: 380})
       .addTo({{ this._parent.get_name() }});
    });
    """

    def __init__(self, *, counts: list[dict], colour: str):
        super().__init__(counts=counts)
        self.colour = colour


class MetricScale(_Script):
    """A scale bar in metres and kilometres only."""

    _code = """
    L.control.scale({imperial: false, maxWidth: 160}).addTo({{ this._parent.get_name() }});
    """


class Points(JSCSSMixin, _Script):
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


class Legend(MacroElement):
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
