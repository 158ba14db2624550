"""Figures a bureau prints: no label hides a point or another label; the legend lists what is drawn."""

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from exports.figure import LABEL_PAD_PT, MARKER_CLEARANCE_PT, FigureSpec, draw_figure, drawn_points_px

CASES = [
    ("zh", None),
    ("en", None),
    ("zh", "huning"),
    ("en", "ring"),
    ("en", "tongsujia"),
    ("zh", "yangtze"),
]


def _figure(atlas, lang, focus):
    spec = FigureSpec(lang=lang, dpi=150, corridors=(focus,) if focus else (), focus=focus)
    fig = draw_figure(atlas, spec)
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    return fig, renderer


@pytest.mark.parametrize("lang, focus", CASES, ids=[f"{lang}-{focus or 'city'}" for lang, focus in CASES])
def test_no_unit_label_hides_a_point_or_touches_another_label(atlas, lang, focus):
    fig, renderer = _figure(atlas, lang, focus)
    ax = fig.axes[0]
    points = drawn_points_px(fig, ax)
    assert len(points) >= 5  # the facilities (and the hub) are there to be hidden
    clearance = MARKER_CLEARANCE_PT * fig.dpi / 72
    labels = [t for t in ax.texts if t.get_gid() == "unit_label"]
    assert len(labels) >= 3
    others = [t for t in ax.texts if t.get_gid() in ("hub_label", "context_label")]
    boxes = [t.get_window_extent(renderer) for t in labels]
    hidden, touching = [], []
    for label, box in zip(labels, boxes, strict=True):
        near = (
            (points[:, 0] > box.x0 - clearance)
            & (points[:, 0] < box.x1 + clearance)
            & (points[:, 1] > box.y0 - clearance)
            & (points[:, 1] < box.y1 + clearance)
        )
        if near.any():
            hidden.append(label.get_text())
        for other in [*boxes, *(t.get_window_extent(renderer) for t in others)]:
            if other is not box and box.overlaps(other):
                touching.append(label.get_text())
    assert hidden == [] and touching == []
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
    from atlas_web.i18n import capitalised, t

    listed = {cat for cat in atlas.facilities["category"].unique() if capitalised(t(f"cat_{cat}", lang)) in legend}
    assert listed == shown
