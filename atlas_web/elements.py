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
    """Polygons from a FeatureCollection; each feature's ``tip`` (escaped HTML) is its tooltip; a
    feature with ``find`` is registered under it in ``window.atlasFind`` for the map tools."""

    _code = """
    (function () {
      var layer = L.geoJSON({{ this.data.features }}, {
        style: function (f) { return f.properties.style; },
        onEachFeature: function (f, l) {
          if (f.properties.find) { (window.atlasFind = window.atlasFind || {})[f.properties.find] = l; }  // maptools
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
    """Non-interactive text labels (clicks go through to the unit beneath). A label with ``rank`` is
    a unit's name: ``UnitTags`` moves it off the map's symbols and the other names."""

    _code = """
    {{ this.data.labels }}.forEach(function (item) {
      var unit = item.rank !== undefined;
      var marker = L.marker([item.lat, item.lng], {interactive: false, keyboard: false, rank: item.rank,
        icon: L.divIcon({className: unit ? "atlas-label unit" : "atlas-label", html: "<span>" + item.html + "</span>",
                         iconSize: null})})
       .addTo({{ this._parent.get_name() }});
      if (unit) { (window.atlasUnitTags = window.atlasUnitTags || []).push(marker); }
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
      var icon = L.divIcon({className: "atlas-badge " + b.kind, html: html, iconSize: null});
      var marker = L.marker([b.lat, b.lng], {rank: b.rank, icon: icon})
       .bindTooltip(b.tip).bindPopup(b.popup, {maxWidth: 380})
       .addTo({{ this._parent.get_name() }});
      (window.atlasFind = window.atlasFind || {})["place:" + b.id] = marker;  // for the search box (maptools)
      if (b.kind === "unit") { (window.atlasUnitTags = window.atlasUnitTags || []).push(marker); }
    });
    """


class AddressCounts(_Script):
    """Rows placed by their address (no site of their own): a circle per unit sized by the count,
    the count inside, set below the unit's name; a click lists the rows (escaped). A count with
    ``find`` is registered under it in ``window.atlasFind`` for the search box."""

    _code = """
    {{ this.data.counts }}.forEach(function (c) {
      // font before line-height: the font shorthand resets it; see-through, so no site is hidden
      var html = '<div class="atlas-address-count" style="width:' + c.size + 'px;height:' + c.size
        + 'px;font:700 11px sans-serif;line-height:' + (c.size - 4) + 'px;border-radius:50%;'
        + 'border:2px solid {{ this.colour }};background:rgba(255,255,255,.55);color:#222;text-align:center;'
        + 'box-sizing:border-box;text-shadow:0 0 2px #fff">' + c.n + '</div>';
      var marker = L.marker([c.lat, c.lng], {icon: L.divIcon({className: "", html: html, iconSize: [c.size, c.size],
                                                              iconAnchor: [c.size / 2, -10]})});
      marker.bindTooltip(c.tip).bindPopup(c.popup, {maxWidth: 380})
       .addTo({{ this._parent.get_name() }});
      if (c.find) { (window.atlasFind = window.atlasFind || {})[c.find] = marker; }  // for the search box
    });
    """

    def __init__(self, *, counts: list[dict], colour: str):
        super().__init__(counts=counts)
        self.colour = colour


UNIT_TAG_OBSTACLES = (  # what a unit's name must leave visible (CSS selectors)
    ".atlas-cluster, path.atlas-point, .atlas-badge.sub-area span, .atlas-badge.sub-area i, .atlas-label b.hub, "
    ".atlas-address-count"
)
UNIT_TAG_STEP_PX = (22, 14)  # a name that would cover something moves by rings this far apart (x, y)
UNIT_TAG_RINGS = 6
UNIT_TAG_LEADER_MIN_PX = 6  # a moved name stays clear of its point by this much, so its leader shows


class UnitTags(_Script):
    """Moves each unit's name (label, or name and count) off the facilities' clusters and circles, the
    sub-areas' counts, the hub's name and the names already placed, whenever the view or the
    clusters change: its own place first, then rings around it (smallest unit first, as it has
    least room). A name moved off its label point hangs on a thin leader to it."""

    _code = """
    (function () {
      var map = {{ this._parent.get_name() }};
      var step = {{ this.data.step }}, rings = {{ this.data.rings }}, obstacles = {{ this.data.obstacles }};
      var minLeader = {{ this.data.min_leader }};
      var offsets = [[0, 0]];
      var dirs = [[0, -1], [0, 1], [1, 0], [-1, 0], [1, -1], [-1, -1], [1, 1], [-1, 1]];
      for (var r = 1; r <= rings; r++) {
        dirs.forEach(function (d) { offsets.push([d[0] * r * step[0], d[1] * r * step[1]]); });
      }
      function rect(e) { var b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; }
      function meet(a, b) { return a[0] < b[2] + 2 && b[0] < a[2] + 2 && a[1] < b[3] + 2 && b[1] < a[3] + 2; }
      function gap(a, p) {
        return Math.hypot(Math.max(a[0] - p[0], 0, p[0] - a[2]), Math.max(a[1] - p[1], 0, p[1] - a[3]));
      }
      function shift(a, o) { return [a[0] + o[0], a[1] + o[1], a[2] + o[0], a[3] + o[1]]; }
      function tag(m) { return m._icon.classList.contains("atlas-label") ? m._icon.firstElementChild : m._icon; }
      function move(m, o) {
        m._icon.style.setProperty("--dx", o[0] + "px");
        m._icon.style.setProperty("--dy", o[1] + "px");
        var old = m._icon.querySelector("svg.atlas-leader");
        if (old) { old.remove(); }
      }
      function leader(m, anchor) {  // from the label point to the nearest edge of the moved name
        var b = rect(tag(m)), at = rect(m._icon);
        var x = Math.max(b[0], Math.min(anchor[0], b[2])), y = Math.max(b[1], Math.min(anchor[1], b[3]));
        if (x === anchor[0] && y === anchor[1]) { return; }
        var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
        svg.setAttribute("class", "atlas-leader");
        svg.style.left = (anchor[0] - at[0]) + "px";
        svg.style.top = (anchor[1] - at[1]) + "px";
        svg.innerHTML = '<line x1="0" y1="0" x2="' + (x - anchor[0]) + '" y2="' + (y - anchor[1]) + '"></line>';
        m._icon.appendChild(svg);
      }
      function layout() {
        var tags = (window.atlasUnitTags || []).filter(function (m) { return m._map === map && m._icon; });
        tags.sort(function (a, b) { return a.options.rank - b.options.rank; });
        tags.forEach(function (m) { move(m, [0, 0]); });
        var taken = Array.prototype.map.call(map.getContainer().querySelectorAll(obstacles), rect)
          .filter(function (b) { return b[2] > b[0]; });
        tags.forEach(function (m) {
          var home = rect(tag(m)), best = null;
          var anchor = [(home[0] + home[2]) / 2, (home[1] + home[3]) / 2];
          for (var i = 0; i < offsets.length; i++) {
            var box = shift(home, offsets[i]), g = gap(box, anchor);
            if (g > 0 && g < minLeader) { continue; }  // a leader too short to be seen
            var n = taken.filter(function (t) { return meet(box, t); }).length;
            if (best === null || n < best.n) { best = {n: n, o: offsets[i], box: box}; }
            if (n === 0) { break; }
          }
          move(m, best.o);
          taken.push(best.box);
          if (best.o[0] || best.o[1]) { leader(m, anchor); }
        });
      }
      var pending = null;
      function later() { if (pending) { cancelAnimationFrame(pending); } pending = requestAnimationFrame(layout); }
      map.on("zoomend moveend resize overlayadd overlayremove layeradd", later);
      map.eachLayer(function (l) {  // clusters split and merge after a zoom's animation
        if (L.MarkerClusterGroup && l instanceof L.MarkerClusterGroup) { l.on("animationend", later); }
      });
      map.whenReady(later);
    })();
    """

    def __init__(self):
        super().__init__(
            step=list(UNIT_TAG_STEP_PX),
            rings=UNIT_TAG_RINGS,
            obstacles=UNIT_TAG_OBSTACLES,
            min_leader=UNIT_TAG_LEADER_MIN_PX,
        )


class MetricScale(_Script):
    """A scale bar in metres and kilometres only."""

    _code = """
    L.control.scale({imperial: false, maxWidth: 160}).addTo({{ this._parent.get_name() }});
    """


class Points(JSCSSMixin, _Script):
    """Circle markers in a marker cluster, each with an escaped tooltip and popup; a point with
    ``find`` is registered under it in ``window.atlasFind`` for the search box."""

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
        var marker = L.circleMarker([p.lat, p.lng], p.style ? Object.assign({}, style, p.style) : style)
          .bindTooltip(p.tip).bindPopup(p.popup, {maxWidth: 360});
        if (p.find) {  // for the search box (maptools), which opens it inside its cluster
          marker.atlasCluster = cluster;
          (window.atlasFind = window.atlasFind || {})[p.find] = marker;
        }
        cluster.addLayer(marker);
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
          .atlas-label.unit span { transform: translate(calc(-50% + var(--dx, 0px)), calc(-50% + var(--dy, 0px))); }
          svg.atlas-leader { position: absolute; width: 1px; height: 1px; overflow: visible; pointer-events: none; }
          svg.atlas-leader line { stroke: #444; stroke-width: 1; }
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
          .atlas-badge.unit { display: flex; align-items: center; gap: 3px;
                              translate: calc(-50% + var(--dx, 0px)) calc(-50% + var(--dy, 0px)); }
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
