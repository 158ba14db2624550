"""Where a figure's labels go: a unit's name or a hub's off the point symbols, the other labels and
the land it would misname; measured in display units (points, pixels) once the map's frame is final."""

from __future__ import annotations

import numpy as np
import shapely
from matplotlib.text import Text
from matplotlib.transforms import ScaledTranslation

from exports.furniture import page_renderer

LABEL_STEP_PT = 6.0  # a unit label that would hide a point or another label moves by rings of this size
LABEL_RINGS = 6
MARKER_CLEARANCE_PT = 4.0  # half a point marker's size, plus its white edge
LABEL_PAD_PT = 1.5
INSIDE_SHARE = 0.6  # a name without a leader lies mostly (this share of its box) on its own unit
LEADER_MIN_PT = 5.0  # a name moved off its unit hangs on a leader at least this long, so the leader shows
POINT_GIDS = ("facilities_", "places_", "user_", "hubs")  # scatter layers whose points a label must leave visible
# texts a unit label must keep off
FIXED_LABEL_GIDS = ("hub_label", "context_label", "north", "place_count", "sheet_areas", "user_count")
_DIRECTIONS = ((0, -1), (0, 1), (1, 0), (-1, 0), (1, -1), (-1, -1), (1, 1), (-1, 1))


def _label_offsets(rings: int = LABEL_RINGS):
    """Offsets (points) to try for a label: its own place first, then rings around it, wider than tall."""
    yield 0.0, 0.0
    for ring in range(1, rings + 1):
        for dx, dy in _DIRECTIONS:
            yield dx * ring * LABEL_STEP_PT * 2.5, dy * ring * LABEL_STEP_PT


def drawn_points_px(fig, ax, gids: tuple[str, ...] = POINT_GIDS) -> np.ndarray:
    """Display coordinates (pixels) of every point symbol a label must not hide (layers whose gid
    starts with one of ``gids``)."""
    ax.apply_aspect()
    chunks = [
        ax.transData.transform(collection.get_offsets())
        for collection in ax.collections
        if str(collection.get_gid() or "").startswith(gids) and len(collection.get_offsets())
    ]
    return np.vstack(chunks) if chunks else np.empty((0, 2))


def clashes(box, points_px: np.ndarray, clearance_px: float, boxes: list) -> int:
    """How many points (pixels) lie within ``clearance_px`` of ``box``, plus the ``boxes`` it overlaps."""
    near = (
        (points_px[:, 0] >= box.x0 - clearance_px)
        & (points_px[:, 0] <= box.x1 + clearance_px)
        & (points_px[:, 1] >= box.y0 - clearance_px)
        & (points_px[:, 1] <= box.y1 + clearance_px)
    )
    return int(near.sum()) + sum(box.overlaps(other) for other in boxes)


def text_box(text, renderer):
    """The window extent of a text or annotation's text, without its leader line."""
    if hasattr(text, "update_positions"):  # an annotation's text moves with its offset only when updated
        text.update_positions(renderer)
    return Text.get_window_extent(text, renderer)


def fixed_box(text, renderer):
    """What a fixed text covers: its own box, or its drawn frame (a count's circle) when it has one."""
    patch = text.get_bbox_patch()
    if patch is None:
        return text_box(text, renderer)
    text.update_bbox_position_size(renderer)
    return patch.get_window_extent(renderer)


def _leader_px(box, anchor_px) -> float:
    """How long a leader from ``anchor_px`` to the nearest edge of ``box`` is (pixels); 0 when the box covers it."""
    dx = max(box.x0 - anchor_px[0], 0.0, anchor_px[0] - box.x1)
    dy = max(box.y0 - anchor_px[1], 0.0, anchor_px[1] - box.y1)
    return float(np.hypot(dx, dy))


def _best_offset(label, anchor_px, *, fits, frame, renderer, px_per_pt, points_px, clearance, taken, rings):
    """(clashes, offset, box) of the first offset that hides nothing, else the least bad; ``fits(box,
    data_box)`` says whether a place is allowed (its display box, and that box in data coordinates).
    None when no offset is allowed."""
    best = None
    to_data = label.axes.transData.inverted()
    for dx, dy in _label_offsets(rings):
        label.xyann = (dx, dy)
        box = text_box(label, renderer).padded(LABEL_PAD_PT * px_per_pt)
        if not (frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1)):
            continue
        (x0, y0), (x1, y1) = to_data.transform([(box.x0, box.y0), (box.x1, box.y1)])
        if not fits(box, shapely.box(x0, y0, x1, y1)):
            continue
        score = clashes(box, points_px, clearance, taken)
        if best is None or score < best[0]:
            best = (score, (dx, dy), box)
        if score == 0:
            break
    return best


def _unit_label_place(label, anchor_px, area, search: dict):
    """(best, leader) for one unit's label: the first place mostly on its own unit where it hides
    nothing, else one off the unit on a leader long enough to be seen; ``best`` as ``_best_offset``."""
    leader_min_px = LEADER_MIN_PT * search["px_per_pt"]

    def on_land(_box, data_box):  # most of the name lies on its own unit
        return area.intersection(data_box).area >= INSIDE_SHARE * data_box.area

    def on_leader(box, _data_box):  # a leader long enough to be seen
        return _leader_px(box, anchor_px) >= leader_min_px

    best = _best_offset(label, anchor_px, fits=on_land, rings=LABEL_RINGS, **search)
    if best is None or best[0] > 0:
        outside = _best_offset(label, anchor_px, fits=on_leader, rings=2 * LABEL_RINGS, **search)
        if outside is not None and outside[0] == 0:
            return outside, True
    return best, False


COUNT_PLACES_PT = ((0, -12), (20, -8), (-20, -8), (0, 14), (24, 6), (-24, 6), (0, -26), (30, -16), (-30, -16))


def place_user_counts(fig, ax) -> None:
    """Move each count of rows placed by address (gid ``user_count``) to the first place near its
    unit's label point where its circle hides no point symbol and no other count or badge."""
    renderer = page_renderer(fig)
    points_px = drawn_points_px(fig, ax)
    clearance = MARKER_CLEARANCE_PT * fig.dpi / 72.0
    taken = [fixed_box(t, renderer) for t in ax.texts if t.get_gid() == "place_count"]
    for count in [t for t in ax.texts if t.get_gid() == "user_count"]:
        best = None
        for dx, dy in COUNT_PLACES_PT:
            count.set_transform(ax.transData + ScaledTranslation(dx / 72, dy / 72, fig.dpi_scale_trans))
            box = fixed_box(count, renderer)
            score = clashes(box, points_px, clearance, taken)
            if best is None or score < best[0]:
                best = (score, (dx, dy), box)
            if score == 0:
                break
        assert best is not None
        dx, dy = best[1]
        count.set_transform(ax.transData + ScaledTranslation(dx / 72, dy / 72, fig.dpi_scale_trans))
        taken.append(best[2])


def place_unit_labels(fig, ax, items, *, fontsize: float = 8) -> None:
    """Write each unit's name at its label point or, if that would hide a point symbol or touch
    another label, at the nearest offset (mostly on the unit, inside the frame) where it hides nothing.
    A unit too small for its name gets it just outside, on a thin leader (long enough to be seen)
    to its label point."""
    renderer = page_renderer(fig)
    px_per_pt = fig.dpi / 72.0
    points_px = drawn_points_px(fig, ax)
    clearance = MARKER_CLEARANCE_PT * px_per_pt
    frame = ax.get_window_extent(renderer)
    taken = [fixed_box(t, renderer) for t in ax.texts if t.get_gid() in FIXED_LABEL_GIDS]
    taken += [p.get_window_extent(renderer) for p in ax.patches if p.get_gid() == "scale_bar"]
    search = {
        "frame": frame,
        "renderer": renderer,
        "px_per_pt": px_per_pt,
        "points_px": points_px,
        "clearance": clearance,
        "taken": taken,
    }
    for name, point, area in sorted(items, key=lambda item: item[2].area):  # the smallest unit has least room
        label = ax.annotate(
            name,
            (point.x, point.y),
            xytext=(0, 0),
            textcoords="offset points",
            ha="center",
            va="center",
            fontsize=fontsize,
            parse_math=False,
            zorder=6,
            color="#222222",  # a box, not a path-effect halo: SVG keeps text as text
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.75},
            arrowprops={"arrowstyle": "-", "color": "#444444", "linewidth": 0.6, "shrinkA": 0, "shrinkB": 0},
            gid="unit_label",
        )
        best, leader = _unit_label_place(label, ax.transData.transform((point.x, point.y)), area, search)
        if best is not None:
            label.xyann = best[1]
            taken.append(best[2])
        else:
            label.xyann = (0, 0)
            taken.append(text_box(label, renderer).padded(LABEL_PAD_PT * px_per_pt))
        label.arrow_patch.set_visible(leader)


HUB_LABEL_PLACES = (  # (offset points, ha, va): beside, below, other side, above the star
    ((6, -4), "left", "top"),
    ((0, -8), "center", "top"),
    ((-6, -4), "right", "top"),
    ((0, 8), "center", "bottom"),
)


def place_hub_labels(fig, ax, city: shapely.Geometry) -> None:
    """Move each hub's label to the first place where it lies off Suzhou's land and inside the frame:
    a hub outside the city written over Kunshan reads as a place in Kunshan."""
    renderer = page_renderer(fig)
    frame = ax.get_window_extent(renderer)
    to_data = ax.transData.inverted()
    for label in [text for text in ax.texts if text.get_gid() == "hub_label"]:
        for offset, ha, va in HUB_LABEL_PLACES:
            label.xyann = offset
            label.set_horizontalalignment(ha)
            label.set_verticalalignment(va)
            box = label.get_window_extent(renderer)
            (x0, y0), (x1, y1) = to_data.transform([(box.x0, box.y0), (box.x1, box.y1)])
            inside = frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1)
            if inside and not city.intersects(shapely.box(x0, y0, x1, y1)):
                break


CONTEXT_OBSTACLE_GIDS = ("hub_label", "north", "place_count", "scale_bar")  # what a neighbour's name keeps off
CONTEXT_SPOTS = 60  # candidate centres per side of a neighbour's land


def place_context_labels(fig, ax, labels: list, *, lines: shapely.Geometry | None = None) -> None:
    """Move each neighbouring city's name (``map_layers.draw_context``: (label, land) pairs, land in
    the axes' data coordinates) to where its whole box lies on that land inside the frame, deepest
    inside it, clear of the hubs' and the north arrow's labels, the scale bar, point symbols and the
    ``lines`` drawn over the neighbours (spines) where it can be; a name with no room on its land is
    left out. Call once the frame is final."""
    renderer = page_renderer(fig)
    to_data = ax.transData.inverted()
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    pad_px = LABEL_PAD_PT * fig.dpi / 72
    pad_m = pad_px * (x1 - x0) / ax.get_window_extent(renderer).width
    frame = shapely.box(x0 + pad_m, y0 + pad_m, x1 - pad_m, y1 - pad_m)
    points = shapely.points(to_data.transform(drawn_points_px(fig, ax)))
    blocked = [
        *(_data_box(to_data, box) for box in _obstacle_boxes(ax, renderer)),
        *shapely.buffer(points, pad_m * MARKER_CLEARANCE_PT / LABEL_PAD_PT),
    ]
    crossed = shapely.buffer(lines, pad_m) if lines is not None else shapely.Polygon()
    for label, land in labels:
        room = shapely.intersection(land, frame)
        size = _data_box(to_data, text_box(label, renderer).padded(pad_px))
        centre = _label_centre(room, size, blocked=shapely.union_all(blocked), crossed=crossed)
        if centre is None:
            label.remove()
            continue
        label.xy = label.xyann = centre  # the point and the text drawn at it
        blocked.append(_data_box(to_data, text_box(label, renderer)))


def _obstacle_boxes(ax, renderer) -> list:
    """Window extents (pixels) of the map's texts, arrow and scale bar a neighbour's name keeps off."""
    texts = [text for text in ax.texts if text.get_gid() in CONTEXT_OBSTACLE_GIDS]
    arrows = [text.arrow_patch for text in texts if getattr(text, "arrow_patch", None) is not None]
    patches = [patch for patch in ax.patches if patch.get_gid() in CONTEXT_OBSTACLE_GIDS]
    return [
        *(text_box(text, renderer) for text in texts),
        *(artist.get_window_extent(renderer) for artist in [*arrows, *patches]),
    ]


def _data_box(to_data, box) -> shapely.Polygon:
    """A window extent (pixels) as a box in data coordinates."""
    (x0, y0), (x1, y1) = to_data.transform([(box.x0, box.y0), (box.x1, box.y1)])
    return shapely.box(x0, y0, x1, y1)


def _label_centre(room, size: shapely.Polygon, *, blocked, crossed) -> tuple[float, float] | None:
    """A centre at which a box of ``size`` lies inside ``room``: clear of ``blocked`` where it can
    be, then of ``crossed``, then deepest inside ``room``; None when it fits nowhere in ``room``."""
    if room.is_empty:
        return None
    bx0, by0, bx1, by1 = size.bounds
    half_w, half_h = (bx1 - bx0) / 2, (by1 - by0) / 2
    x0, y0, x1, y1 = room.bounds
    grid = np.meshgrid(
        np.linspace(x0 + half_w, x1 - half_w, CONTEXT_SPOTS), np.linspace(y0 + half_h, y1 - half_h, CONTEXT_SPOTS)
    )
    xs, ys = grid[0].ravel(), grid[1].ravel()
    boxes = shapely.box(xs - half_w, ys - half_h, xs + half_w, ys + half_h)
    shapely.prepare(room)
    fits = shapely.contains(room, boxes)
    if not fits.any():
        return None
    depth = shapely.distance(shapely.boundary(room), boxes)
    clear = ~shapely.intersects(blocked, boxes)
    uncrossed = ~shapely.intersects(crossed, boxes)
    best = np.lexsort((depth, uncrossed, clear, fits))[-1]  # the last key sorts first
    return float(xs[best]), float(ys[best])
