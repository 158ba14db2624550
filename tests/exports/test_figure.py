"""Figures a bureau prints: no label hides a point or another label; the legend lists what is drawn."""

import itertools

import numpy as np
import pytest
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.transforms import Affine2D, Bbox

from exports.figure import FigureSpec, draw_figure
from exports.labels import LABEL_PAD_PT, MARKER_CLEARANCE_PT, POINT_GIDS, text_box
from exports.map_layers import in_planning_crs
from presentation.i18n import unit_label_name

pytestmark = pytest.mark.slow  # each test renders whole figures

CASES = [
    ("zh", None),
    ("en", None),
    ("zh", "huning"),
    ("en", "ring"),
    ("en", "tongsujia"),
    ("zh", "yangtze"),
]


def _figure(atlas, lang, focus, orientation="landscape"):
    spec = FigureSpec(lang=lang, dpi=150, corridors=(focus,) if focus else (), focus=focus, orientation=orientation)
    fig = draw_figure(atlas, spec)
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    return fig, renderer


def _symbol_boxes(ax) -> list:
    """The window extent (pixels) of every point symbol drawn in the map's frame: each marker's own
    path, at its size, with its edge (what a reader sees, not its centre)."""
    frame = ax.get_window_extent()
    px_per_pt = ax.figure.dpi / 72
    boxes = []
    for collection in ax.collections:
        if not str(collection.get_gid() or "").startswith(POINT_GIDS):
            continue
        paths, transforms = collection.get_paths(), collection.get_transforms()
        edges = collection.get_linewidths()
        for i, (x, y) in enumerate(ax.transData.transform(collection.get_offsets())):
            if not frame.contains(x, y):
                continue
            marker = paths[i % len(paths)].get_extents(Affine2D(transforms[i % len(transforms)]))
            edge = edges[i % len(edges)] / 2 * px_per_pt if len(edges) else 0.0
            boxes.append(Bbox.from_extents(x + marker.x0, y + marker.y0, x + marker.x1, y + marker.y1).padded(edge))
    return boxes


def _unit_of_label(label, units, lang):
    """The unit a label names: the one holding its anchor, whose name the label must begin with."""
    row = units.loc[units.contains(shapely.Point(label.xy))].iloc[0]
    assert label.get_text().startswith(unit_label_name(row, lang)), (label.get_text(), row["name_zh"])
    return row.geometry


def _detached(labels, units, renderer, lang) -> list[str]:
    """Labels neither mostly on their own unit nor hung on a leader long enough to be seen."""
    ax = labels[0].axes
    to_data = ax.transData.inverted()
    min_leader = 3 * ax.figure.dpi / 72
    detached = []
    for label in labels:
        unit = _unit_of_label(label, units, lang)
        box = text_box(label, renderer)
        (x0, y0), (x1, y1) = to_data.transform([(box.x0, box.y0), (box.x1, box.y1)])
        on_land = unit.intersection(shapely.box(x0, y0, x1, y1)).area >= 0.5 * shapely.box(x0, y0, x1, y1).area
        ax_px, ay_px = ax.transData.transform(label.xy)
        leader = np.hypot(max(box.x0 - ax_px, 0, ax_px - box.x1), max(box.y0 - ay_px, 0, ay_px - box.y1))
        if not (on_land or (label.arrow_patch.get_visible() and leader >= min_leader)):
            detached.append(label.get_text())
    return detached


# the city figure in both languages and on a portrait page; one corridor's figures
OVERLAP_CASES = [(lang, focus, "landscape") for lang, focus in CASES] + [("en", None, "portrait")]


@pytest.mark.parametrize(
    "lang, focus, orientation",
    OVERLAP_CASES,
    ids=[f"{lang}-{focus or 'city'}-{orientation}" for lang, focus, orientation in OVERLAP_CASES],
)
def test_no_unit_label_hides_a_point_or_touches_another_label(atlas, lang, focus, orientation):
    fig, renderer = _figure(atlas, lang, focus, orientation)
    ax = fig.axes[0]
    symbols = _symbol_boxes(ax)
    # campuses, a sub-area's point, the hub: there to be hidden (沿江 has no site nor hub in its frame:
    # its labels are checked against each other only)
    assert len(symbols) >= {None: 5, "yangtze": 0}.get(focus, 1)
    labels = [t for t in ax.texts if t.get_gid() == "unit_label"]
    assert len(labels) >= 3
    others = [t for t in ax.texts if t.get_gid() in ("hub_label", "context_label", "place_count")]
    boxes = [text_box(t, renderer) for t in labels]
    hidden = [
        label.get_text() for label, box in zip(labels, boxes, strict=True) if any(box.overlaps(s) for s in symbols)
    ]
    touching = [
        label.get_text()
        for label, box in zip(labels, boxes, strict=True)
        for other in [*boxes, *(text_box(t, renderer) for t in others)]
        if other is not box and box.overlaps(other)
    ]
    assert hidden == [] and touching == []
    assert _detached(labels, in_planning_crs(atlas).units, renderer, lang) == []
    frame = ax.get_window_extent(renderer)
    pad = LABEL_PAD_PT * fig.dpi / 72
    assert all(frame.x0 <= b.x0 + pad and b.x1 - pad <= frame.x1 and frame.y0 <= b.y0 + pad for b in boxes)


@pytest.mark.parametrize("lang, focus", CASES[:3], ids=["zh-city", "en-city", "zh-huning"])
def test_legend_lists_exactly_what_is_drawn(atlas, lang, focus):
    fig, _renderer = _figure(atlas, lang, focus)
    ax, legend_ax = fig.axes[0], fig.axes[1]
    legend = {t.get_text().replace("\n", " ") for t in legend_ax.get_legend().get_texts()}
    corridors = atlas.corridors.set_index("id")
    drawn = {str(a.get_gid()) for a in [*ax.collections, *ax.patches, *ax.lines]}
    for cid in corridors.index:
        name = corridors.loc[cid, f"name_{lang}"]
        assert (name in legend) == (f"footprint_{cid}" in drawn), cid
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    shown = {
        gid.removeprefix("facilities_")
        for gid in drawn
        if gid.startswith("facilities_")
        for c in ax.collections
        if c.get_gid() == gid
        and np.any(
            (c.get_offsets()[:, 0] >= x0)
            & (c.get_offsets()[:, 0] <= x1)
            & (c.get_offsets()[:, 1] >= y0)
            & (c.get_offsets()[:, 1] <= y1)
        )
    }
    from presentation.i18n import capitalised, t

    listed = {cat for cat in atlas.facilities["category"].unique() if capitalised(t(f"cat_{cat}", lang)) in legend}
    assert listed == shown


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_sub_area_count_hides_no_site_and_its_list_is_under_the_map(atlas, lang):
    fig, renderer = _figure(atlas, lang, None)
    ax = fig.axes[0]
    counts = [t for t in ax.texts if t.get_gid() == "place_count"]
    areas = atlas.places.loc[atlas.places["kind"] == "sub-area"]
    assert sorted(int(t.get_text()) for t in counts) == sorted(areas["n"])
    sites = np.vstack(
        [ax.transData.transform(c.get_offsets()) for c in ax.collections if str(c.get_gid()).startswith("facilities_")]
    )
    clearance = MARKER_CLEARANCE_PT * fig.dpi / 72
    for count in counts:
        box = text_box(count, renderer)
        assert not np.any(
            (sites[:, 0] > box.x0 - clearance)
            & (sites[:, 0] < box.x1 + clearance)
            & (sites[:, 1] > box.y0 - clearance)
            & (sites[:, 1] < box.y1 + clearance)
        )
    listed = "\n".join(t.get_text() for t in fig.texts if t.get_gid() == "place_list").replace("\n    ", "")
    below = all(
        t.get_window_extent(renderer).y1 < ax.get_window_extent(renderer).y0
        for t in fig.texts
        if t.get_gid() in ("place_list", "place_list_title")
    )
    assert below
    unit_only = atlas.facilities.loc[atlas.facilities["precision"] != "campus", f"name_{lang}"]
    sep = "" if lang == "zh" else " "
    flat = listed.replace("\n", sep)
    assert all(name.replace(" ", "") in flat.replace(" ", "") for name in unit_only)
    labels = {t.get_text() for t in ax.texts if t.get_gid() == "unit_label"}
    for place in atlas.places.loc[atlas.places["kind"] == "unit"].itertuples():
        assert any(
            label.startswith(unit_label_name(place, lang)) and label.endswith(chr(0x2460 + place.n - 1))
            for label in labels
        ), place.adcode


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.texts]


def test_title_follows_the_selection(atlas):
    taihu = atlas.corridors.set_index("id").loc["taihu", "name_zh"]
    assert taihu in _texts(draw_figure(atlas, FigureSpec(lang="zh", dpi=150, corridors=("taihu",))))
    two = _texts(draw_figure(atlas, FigureSpec(lang="en", dpi=150, corridors=("taihu", "yangtze"))))
    assert any(text.startswith("Suzhou's innovation layout: Taihu") and "Yangtze" in text for text in two)
    from presentation.i18n import t

    assert t("fig_title", "zh") in _texts(draw_figure(atlas, FigureSpec(lang="zh", dpi=150)))


def test_approval_number_is_blank_by_default_with_an_internal_use_note(atlas):
    from presentation.i18n import t

    footer = [t for t in draw_figure(atlas, FigureSpec(lang="zh", dpi=150)).texts if t.get_gid() == "footer"]
    assert len(footer) == 1 and footer[0].get_text().startswith(t("fig_internal", "zh"))
    approved = " ".join(_texts(draw_figure(atlas, FigureSpec(lang="zh", dpi=150, approval="苏S（2026）001号"))))
    assert "审图号：苏S（2026）001号" in approved and t("fig_internal", "zh") not in approved


def test_scale_bar_is_a_round_length_with_ticks(atlas):
    from exports.furniture import scale_length_m

    assert scale_length_m(100_000) == 25_000 and scale_length_m(39_000) == 5_000 and scale_length_m(250_000) == 50_000
    fig, _renderer = _figure(atlas, "en", None)
    labels = [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "scale_label"]
    assert labels[0] == "0" and labels[-1].endswith(" km") and len(labels) == 3


def test_locator_inset_frames_the_map_and_clears_the_legend(atlas):
    for lang, focus in (("zh", None), ("en", "tongsujia")):
        fig, renderer = _figure(atlas, lang, focus)
        locator = next(a for a in fig.axes if a.get_gid() == "locator")
        frame = [p for p in locator.patches if p.get_edgecolor()[3] > 0 and p.get_facecolor()[3] == 0]
        assert len(frame) == 1
        legend = fig.axes[1].get_legend().get_window_extent(renderer)
        assert not legend.overlaps(locator.get_tightbbox(renderer))


def test_six_corridor_sheet_has_a_map_per_corridor_at_one_scale(atlas):
    from exports.figure import draw_corridor_sheet

    fig = draw_corridor_sheet(atlas, FigureSpec(lang="en", dpi=150))
    maps = {str(a.get_gid()): a for a in fig.axes if str(a.get_gid()).startswith("sheet_")}
    assert sorted(maps) == sorted(f"sheet_{cid}" for cid in atlas.corridors["id"])
    assert len({(a.get_xlim(), a.get_ylim()) for a in maps.values()}) == 1  # same frame, so sizes compare
    for cid, ax in ((k.removeprefix("sheet_"), a) for k, a in maps.items()):
        gids = {str(c.get_gid()) for c in ax.collections}
        assert {f"footprint_{cid}", f"members_{cid}"} <= gids, cid
        name = atlas.corridors.set_index("id").loc[cid, "name_en"]
        assert ax.get_title(loc="left").replace("\n", " ") == name
    legend = {t.get_text() for t in fig.legends[0].get_texts()}
    assert any(text.startswith("Footprint") for text in legend)


def test_a_long_title_stays_on_the_page(atlas):
    fig = draw_figure(atlas, FigureSpec(lang="en", dpi=150, corridors=("huning", "tongsujia")))
    renderer = FigureCanvasAgg(fig).get_renderer()
    title = next(t for t in fig.texts if t.get_gid() == "title")
    assert "Shanghai" in title.get_text() and "Jiaxing" in title.get_text()
    assert title.get_window_extent(renderer).x1 <= fig.bbox.width


def test_axes_carry_arrowheads_toward_the_places_they_link_in_figures_and_the_sheet(atlas):
    from exports.figure import draw_corridor_sheet

    fig = draw_figure(atlas, FigureSpec(lang="zh", dpi=150))
    drawn = {str(c.get_gid()): len(c.get_paths()) for c in fig.axes[0].collections}
    assert drawn.get("arrows_huning") == 1 and drawn.get("arrows_tongsujia") == 2
    assert not any(gid.startswith("arrows_") and gid not in ("arrows_huning", "arrows_tongsujia") for gid in drawn)
    sheet = draw_corridor_sheet(atlas, FigureSpec(lang="zh", dpi=150))
    cell = next(a for a in sheet.axes if a.get_gid() == "sheet_tongsujia")
    assert any(c.get_gid() == "arrows_tongsujia" for c in cell.collections)


def test_thematic_figure_fills_units_by_class_and_says_what_and_when(atlas):
    from matplotlib.colors import to_hex

    from presentation.style import THEME_COLOURS, THEME_MISSING

    fig = draw_figure(atlas, FigureSpec(lang="zh", dpi=150, theme="resident_population_10k"))
    units = next(c for c in fig.axes[0].collections if c.get_gid() == "units")
    fills = {to_hex(c) for c in units.get_facecolor()}
    assert fills <= set(THEME_COLOURS) and len(fills) >= 3 and THEME_MISSING not in fills  # all ten have a value
    legend = ["".join(t.get_text().split()) for t in fig.axes[1].get_legend().get_texts()]  # wrapped lines joined
    assert legend[0] == "常住人口（万人），2023年（自然断点分级）"
    title = next(t for t in fig.texts if t.get_gid() == "title").get_text()
    assert title.endswith("常住人口（万人）")
    gdp = draw_figure(atlas, FigureSpec(lang="en", dpi=150, theme="gdp_100m_yuan"))
    gdp_legend = [" ".join(t.get_text().split()) for t in gdp.axes[1].get_legend().get_texts()]
    assert "no data" not in gdp_legend  # 姑苏区's is derived, and marked (issue 26)
    assert "† derived: the city less the other units, not published" in gdp_legend
    dotted = next(c for c in gdp.axes[0].collections if c.get_gid() == "derived")
    gusu = _planning_units(atlas).loc["320508"]
    assert len(dotted.get_paths()) == 1 and dotted.get_paths()[0].get_extents().width == pytest.approx(
        gusu.bounds[2] - gusu.bounds[0], rel=1e-6
    )
    assert "derived" not in " ".join(t.get_text() for t in fig.axes[1].get_legend().get_texts())  # population


def _planning_units(atlas):
    from spatial.crs import PLANNING_CRS

    return atlas.units.set_index("adcode").geometry.to_crs(PLANNING_CRS)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_thematic_figure_draws_corridors_as_outlines_so_every_class_can_be_read(atlas, lang):
    fig = draw_figure(atlas, FigureSpec(lang=lang, dpi=150, theme="gdp_100m_yuan"))
    footprints = [c for c in fig.axes[0].collections if str(c.get_gid()).startswith("footprint_")]
    assert len(footprints) == len(atlas.corridors)
    for collection in footprints:  # an outline in the corridor's colour, nothing over the class fills
        assert all(face[3] == 0 for face in collection.get_facecolor()), collection.get_gid()
        assert collection.get_linewidth()[0] >= 1.0
    names = set(atlas.corridors[f"name_{lang}"])
    legend = fig.axes[1].get_legend()
    swatches = [
        h
        for h, text in zip(legend.legend_handles, legend.get_texts(), strict=True)
        if " ".join(text.get_text().split()) in names or text.get_text().replace("\n", "") in names
    ]
    assert len(swatches) == len(names)
    assert swatches and all(h.get_facecolor()[3] == 0 for h in swatches)  # the legend shows what is drawn
    plain = draw_figure(atlas, FigureSpec(lang=lang, dpi=150))
    filled = [c for c in plain.axes[0].collections if str(c.get_gid()).startswith("footprint_")]
    assert all(c.get_facecolor()[0][3] > 0 for c in filled)  # without a theme the footprints stay filled


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_legend_label_breaks_inside_a_number(atlas, lang):
    import re

    fig = draw_figure(atlas, FigureSpec(lang=lang, dpi=150, theme="gdp_100m_yuan"))
    for text in fig.axes[1].get_legend().get_texts():
        lines = text.get_text().split("\n")
        for above, below in itertools.pairwise(lines):
            assert not (re.search(r"[0-9.,]$", above) and re.match(r"[0-9.,]", below)), text.get_text()


@pytest.mark.parametrize(
    "label", ["1,147.8 – 1,826.8", "常住人口123,456.7万人以上", "GDP 24,653.40 (100 million yuan)"]
)
@pytest.mark.parametrize("width", [3, 5, 8, 12])
def test_wrapping_never_breaks_a_number_and_loses_nothing(label, width):
    import re

    from exports.furniture import wrap_label

    number = re.compile(r"[0-9][0-9.,]*")
    lines = wrap_label(label, width).split("\n")
    assert [n for line in lines for n in number.findall(line)] == number.findall(label)
    assert "".join(lines).replace(" ", "") == label.replace(" ", "")


def test_an_unknown_theme_is_refused(atlas):
    from atlas_core.errors import FigureSpecError

    with pytest.raises(FigureSpecError, match="thematic indicator"):
        draw_figure(atlas, FigureSpec(theme="happiness"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_hub_label_stays_off_suzhou_land(atlas, lang):
    # Seen by the walkthrough: "虹桥国际开放枢纽" was written over 昆山, so the hub read as a place in Kunshan.
    import shapely

    from spatial.crs import PLANNING_CRS

    fig, renderer = _figure(atlas, lang, None)
    ax = fig.axes[0]
    label = next(t for t in ax.texts if t.get_gid() == "hub_label")
    box = label.get_window_extent(renderer)
    (x0, y0), (x1, y1) = ax.transData.inverted().transform([(box.x0, box.y0), (box.x1, box.y1)])
    city = shapely.union_all(atlas.units.to_crs(PLANNING_CRS).geometry.values)
    assert not city.intersects(shapely.box(x0, y0, x1, y1))


def _listed_units(atlas, spec) -> set[str]:
    from exports.figure import listed_in_figure

    return set(listed_in_figure(atlas, spec)["adcode"])


@pytest.mark.parametrize("focus", [False, True])
def test_a_one_corridor_figure_lists_only_its_members_facilities(atlas, focus):
    members = set(atlas.corridors.set_index("id").loc["ring", "member_adcodes"])
    spec = FigureSpec(lang="zh", dpi=150, corridors=("ring",), focus="ring" if focus else None)
    listed = _listed_units(atlas, spec)
    assert listed and listed <= members
    assert _listed_units(atlas, FigureSpec(lang="zh", dpi=150)) - members  # the city figure lists the others


@pytest.mark.parametrize(
    "corridors, drawn",
    [((), True), (("hongqiao",), True), (("ring",), False), (("taihu", "yangtze"), False)],
)
def test_the_hub_is_drawn_only_where_a_shown_corridor_links_to_it(atlas, corridors, drawn):
    fig = draw_figure(atlas, FigureSpec(lang="en", dpi=150, corridors=corridors))
    ax = fig.axes[0]
    hubs = [c for c in ax.collections if c.get_gid() == "hubs"]
    labels = [t for t in ax.texts if t.get_gid() == "hub_label"]
    legend = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
    assert bool(hubs) is drawn and bool(labels) is drawn
    assert any("hub" in text for text in legend) is drawn  # the legend lists only what is drawn


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_sheet_map_names_its_member_units_and_the_sheet_has_one_north_arrow(atlas, lang):
    from exports.figure import draw_corridor_sheet
    from presentation.i18n import unit_short_name

    fig = draw_corridor_sheet(atlas, FigureSpec(lang=lang, dpi=150))
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    units = atlas.units.set_index("adcode")
    for _, corridor in atlas.corridors.iterrows():
        ax = next(a for a in fig.axes if a.get_gid() == f"sheet_{corridor['id']}")
        labels = [t for t in ax.texts if t.get_gid() == "unit_label"]
        expected = {unit_short_name(units.loc[code], lang) for code in corridor["member_adcodes"]}
        assert {t.get_text() for t in labels} == expected, corridor["id"]
        boxes = [text_box(t, renderer) for t in labels]
        assert not [a for a, b in itertools.combinations(boxes, 2) if a.overlaps(b)], corridor["id"]
        frame = ax.get_window_extent(renderer)
        assert all(frame.x0 <= b.x0 and b.x1 <= frame.x1 and frame.y0 <= b.y0 and b.y1 <= frame.y1 for b in boxes)
    arrows = [t for a in fig.axes for t in a.texts if t.get_gid() == "north"]
    assert len(arrows) == 1


def test_a_member_beyond_its_corridors_band_is_hatched_in_figures_the_sheet_and_its_legend(atlas):
    """A unit added to 沿江 far from the river (吴中) shows on the scenario's maps, not only in a table."""
    import shapely

    from exports.figure import draw_corridor_sheet
    from layers.layout import as_scenario, atlas_with_layout, plan_layout, with_member
    from spatial.crs import PLANNING_CRS

    layout = as_scenario(with_member(plan_layout(), "yangtze", {"adcode": "320506", "role_zh": "试验"}), "吴中入沿江")
    scenario = atlas_with_layout(atlas, layout)
    wuzhong = atlas.units.set_index("adcode").to_crs(PLANNING_CRS).geometry["320506"]

    def hatched(ax, cid):
        [collection] = [c for c in ax.collections if c.get_gid() == f"beyond_{cid}"]
        assert collection.get_hatch()
        rings = [ring for path in collection.get_paths() for ring in path.to_polygons()]
        return shapely.union_all([shapely.Polygon(ring).buffer(0) for ring in rings])

    for spec in (
        FigureSpec(lang="zh", dpi=150),
        FigureSpec(lang="en", dpi=150, corridors=("yangtze",), focus="yangtze"),
    ):
        fig = draw_figure(scenario, spec)
        drawn = hatched(fig.axes[0], "yangtze")
        assert drawn.intersection(wuzhong).area > 0.9 * drawn.area
        legend = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
        assert any("beyond" in text or "轴带外" in text for text in legend)
    plan_fig = draw_figure(atlas, FigureSpec(lang="zh", dpi=150, corridors=("yangtze",)))
    assert not [c for c in plan_fig.axes[0].collections if c.get_gid() == "beyond_yangtze"]
    assert not any("轴带外" in t.get_text() for t in plan_fig.axes[1].get_legend().get_texts())
    sheet = draw_corridor_sheet(scenario, FigureSpec(lang="zh", dpi=150))
    cell = next(a for a in sheet.axes if a.get_gid() == "sheet_yangtze")
    assert hatched(cell, "yangtze").intersection(wuzhong).area > 0
    assert any("轴带外" in t.get_text() for t in sheet.legends[0].get_texts())


# -- water beyond the border, the locator (issue 24, defects 4 and 5) ---------------------------

# checked against the data (tests/layers/test_context.py): GSHHG's Taihu inside Wuxi's polygon,
# mid-Yangtze north of Suzhou's border inside Nantong's, and Taihu's islands 西山 and 马迹山
TAIHU_IN_WUXI = (120.01, 31.40)
YANGTZE_NORTH_HALF = (120.90, 31.88)
XISHAN = (120.28, 31.12)
MAJISHAN = (120.09, 31.41)


def _colour_at(fig, ax, lon_lat) -> np.ndarray:
    """The RGB (0-255) drawn at a WGS84 point of the map ``ax``."""
    import shapely
    from pyproj import Transformer

    from spatial.crs import PLANNING_CRS

    x, y = Transformer.from_crs(4326, PLANNING_CRS, always_xy=True).transform(*lon_lat)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())
    px, py = ax.transData.transform((x, y))
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert shapely.box(x0, y0, x1, y1).contains(shapely.Point(x, y))  # the place is in the map's frame
    return pixels[round(pixels.shape[0] - py), round(px), :3].astype(int)


def _hex_rgb(colour: str) -> np.ndarray:
    from matplotlib.colors import to_rgb

    return np.round(np.array(to_rgb(colour)) * 255).astype(int)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_whole_lake_and_the_rivers_full_width_are_drawn_as_water(atlas, lang):
    # Seen by the walkthrough: Taihu stopped at Suzhou's border and the Yangtze's north half was
    # Nantong's grey land.
    from presentation.style import WATER_FILL

    fig, _renderer = _figure(atlas, lang, None)
    ax = fig.axes[0]
    order = {str(c.get_gid()): c.get_zorder() for c in ax.collections}
    assert order["context"] < order["context_water"] < order["units"]  # over the neighbours, under Suzhou
    water = _hex_rgb(WATER_FILL)
    for place in (TAIHU_IN_WUXI, YANGTZE_NORTH_HALF):
        assert np.abs(_colour_at(fig, ax, place) - water).max() <= 3, place
    for island in (XISHAN, MAJISHAN):  # Taihu's islands stay land
        assert np.abs(_colour_at(fig, ax, island) - water).max() > 10, island


def test_the_sheets_small_maps_draw_the_neighbours_and_their_water_under_suzhou(atlas):
    from exports.figure import draw_corridor_sheet
    from presentation.style import WATER_FILL

    fig = draw_corridor_sheet(atlas, FigureSpec(lang="zh", dpi=150))
    cells = [a for a in fig.axes if str(a.get_gid()).startswith("sheet_")]
    for ax in cells:
        order = {str(c.get_gid()): c.get_zorder() for c in ax.collections}
        assert order["context"] < order["context_water"] < order["units"], ax.get_gid()
    assert np.abs(_colour_at(fig, cells[0], TAIHU_IN_WUXI) - _hex_rgb(WATER_FILL)).max() <= 3


LOCATOR_PAGES = [
    (lang, paper, orientation)
    for lang in ("zh", "en")
    for paper in ("A4", "A3")
    for orientation in ("landscape", "portrait")
]


@pytest.mark.parametrize("lang, paper, orientation", LOCATOR_PAGES, ids=["-".join(c) for c in LOCATOR_PAGES])
def test_the_locator_shows_the_delta_with_the_maps_frame_inside(atlas, lang, paper, orientation):
    # Seen by the walkthrough: the locator barely zoomed out and, in English, the frame ran outside it.
    from spatial.crs import PLANNING_CRS

    fig = draw_figure(atlas, FigureSpec(lang=lang, dpi=150, paper=paper, orientation=orientation))
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    locator = next(a for a in fig.axes if a.get_gid() == "locator")
    x0, x1 = locator.get_xlim()
    y0, y1 = locator.get_ylim()
    [frame] = [p for p in locator.patches if p.get_gid() == "locator_frame"]
    fx0, fy0 = frame.get_xy()
    assert x0 <= fx0 and fx0 + frame.get_width() <= x1 and y0 <= fy0 and fy0 + frame.get_height() <= y1
    inset = locator.get_window_extent(renderer)
    drawn = frame.get_window_extent(renderer)
    assert inset.x0 <= drawn.x0 and drawn.x1 <= inset.x1 and inset.y0 <= drawn.y0 and drawn.y1 <= inset.y1
    px0, py0, px1, py1 = atlas.provinces.to_crs(PLANNING_CRS).total_bounds
    assert x0 <= px0 and px1 <= x1 and y0 <= py0 and py1 <= y1  # all of Shanghai, Jiangsu and Zhejiang
    assert {str(c.get_gid()) for c in locator.collections} >= {"locator_provinces", "locator_city"}
    labels = [t for t in locator.texts if t.get_gid() == "province_label"]
    for label in labels:  # small, inside the inset, clear of the frame
        box = label.get_window_extent(renderer)
        assert inset.x0 <= box.x0 and box.x1 <= inset.x1 and inset.y0 <= box.y0 and box.y1 <= inset.y1
        assert not box.overlaps(drawn), label.get_text()
    names = {t.get_text() for t in labels}
    assert names == ({"上海", "江苏", "浙江"} if lang == "zh" else {"Shanghai", "Jiangsu", "Zhejiang"})
    legend = fig.axes[1].get_legend().get_window_extent(renderer)
    assert not legend.overlaps(locator.get_tightbbox(renderer))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_sheet_legend_stays_on_the_page_and_off_the_maps(atlas, lang):
    """The English legend line once ran off both sides of the page: it wraps to two rows instead."""
    from exports.figure import draw_corridor_sheet
    from layers.layout import atlas_with_layout, plan_layout, with_member

    scenario = atlas_with_layout(atlas, with_member(plan_layout(), "yangtze", {"adcode": "320506", "role_zh": "试验"}))
    fig = draw_corridor_sheet(scenario, FigureSpec(lang=lang, dpi=150))
    renderer = FigureCanvasAgg(fig).get_renderer()
    legend = fig.legends[0].get_window_extent(renderer)
    assert legend.x0 >= 0 and legend.x1 <= fig.bbox.width
    maps = [a.get_window_extent(renderer) for a in fig.axes if str(a.get_gid()).startswith("sheet_")]
    assert legend.y1 <= min(m.y0 for m in maps)


# -- the legend column, the locator under it, the neighbours' names -----------------------------

# one of each language, paper, orientation and theme; the English A4 portrait legend ran off the page,
# the English thematic legend over the locator's title
PAGES = [
    ("en", "A4", "portrait", None),
    ("en", "A4", "landscape", "gdp_100m_yuan"),
    ("en", "A4", "landscape", "resident_population_10k"),
    ("zh", "A4", "landscape", "gdp_100m_yuan"),
    ("zh", "A3", "portrait", None),
    ("en", "A3", "landscape", "gdp_100m_yuan"),
]
_PAGE_IDS = ["-".join(str(part or "plain") for part in page) for page in PAGES]
_RENDERED: dict[tuple, tuple] = {}


def _page(atlas, lang, paper, orientation, theme):
    """The figure drawn once per page for the tests below, with its renderer."""
    key = (lang, paper, orientation, theme)
    if key not in _RENDERED:
        spec = FigureSpec(lang=lang, dpi=150, paper=paper, orientation=orientation, theme=theme)
        fig = draw_figure(atlas, spec)
        renderer = FigureCanvasAgg(fig).get_renderer()
        fig.draw(renderer)
        _RENDERED[key] = fig, renderer
    return _RENDERED[key]


@pytest.mark.parametrize("lang, paper, orientation, theme", PAGES, ids=_PAGE_IDS)
def test_every_legend_label_stays_in_its_column_on_the_page(atlas, lang, paper, orientation, theme):
    # Seen: "Hongqiao International Open…" ran off the right edge of an English A4 portrait page.
    fig, renderer = _page(atlas, lang, paper, orientation, theme)
    ax, legend_ax = fig.axes[0], fig.axes[1]
    legend = legend_ax.get_legend()
    page = fig.bbox
    map_right = ax.get_window_extent(renderer).x1
    for text in [legend.get_title(), *legend.get_texts()]:
        box = text.get_window_extent(renderer)
        assert page.x0 <= box.x0 and box.x1 <= page.x1 and page.y0 <= box.y0 and box.y1 <= page.y1, text.get_text()
        assert box.x0 > map_right, text.get_text()  # beside the map, not over it
    # nothing of what is drawn is lost to the wrapping
    assert any("Hongqiao" in " ".join(t.get_text().split()) or "虹桥" in t.get_text() for t in legend.get_texts())


@pytest.mark.parametrize("lang, paper, orientation, theme", PAGES, ids=_PAGE_IDS)
def test_the_legend_and_the_locator_with_its_title_never_overlap(atlas, lang, paper, orientation, theme):
    # Seen: the English thematic legend's last entry was written over the locator's "Location".
    fig, renderer = _page(atlas, lang, paper, orientation, theme)
    locator = next(a for a in fig.axes if a.get_gid() == "locator")
    legend = fig.axes[1].get_legend().get_window_extent(renderer)
    inset = locator.get_tightbbox(renderer)  # the inset with its title
    assert locator.get_title() and not legend.overlaps(inset)
    assert inset.y0 >= 0 and legend.y0 > inset.y1  # the legend above, the locator under it
    assert locator.get_window_extent(renderer).height >= 1.0 * fig.dpi  # still big enough to read (1 inch)


@pytest.mark.parametrize("lang, paper, orientation, theme", PAGES, ids=_PAGE_IDS)
def test_each_neighbours_name_is_on_its_own_land_in_the_frame(atlas, lang, paper, orientation, theme):
    # Seen: "Jiaxing" read "iaxing": its first letter was under the dashed spine of 通苏嘉 running on
    # south from 吴江区 (the spines are drawn over the neighbours' names).
    import geopandas as gpd
    import shapely

    from spatial.crs import PLANNING_CRS

    fig, renderer = _page(atlas, lang, paper, orientation, theme)
    ax = fig.axes[0]
    frame = ax.get_window_extent(renderer)
    to_data = ax.transData.inverted()
    city = shapely.union_all(atlas.units.to_crs(PLANNING_CRS).geometry.values)
    spines = gpd.GeoSeries(atlas.corridors["spine"].values, crs=4326).to_crs(PLANNING_CRS).union_all()
    lands = dict(zip(atlas.context[f"name_{lang}"], atlas.context.to_crs(PLANNING_CRS).geometry, strict=True))
    labels = [t for t in ax.texts if t.get_gid() == "context_label" and t.get_visible()]
    assert ("Jiaxing" if lang == "en" else "嘉兴市") in {t.get_text() for t in labels}
    assert len(labels) >= 4
    for label in labels:
        box = text_box(label, renderer)
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1, label.get_text()
        (x0, y0), (x1, y1) = to_data.transform([(box.x0, box.y0), (box.x1, box.y1)])
        drawn = shapely.box(x0, y0, x1, y1)
        assert not city.intersects(drawn), label.get_text()
        assert not spines.intersects(drawn), label.get_text()  # no corridor's line through the name
        assert lands[label.get_text()].contains(drawn), label.get_text()  # on its own land, not a neighbour's
