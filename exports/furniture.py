"""A map's furniture, drawn once its frame is known: the frame fitted to the page, the scale bar,
the north arrow, the title in the largest size that fits, and wrapped legend labels."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.patches import Rectangle

from presentation.i18n import t

Rect = tuple[float, float, float, float]  # left, bottom, width, height (figure fractions)
Extent = tuple[float, float, float, float]  # x0, x1, y0, y1 (EPSG:4549 metres)
TOP_BAND_IN = 0.95  # kept above the map(s) for the title and subtitle


# numbers and words stay whole, with an opening bracket before them and closing punctuation after
_TOKENS = re.compile(r"[(（\[“]*(?:[0-9][0-9.,]*%?|[A-Za-z][A-Za-z'’&-]*)[)）\]”,.;:，。；：、]*|\s+|.")


def wrap_label(label: str, width: int) -> str:
    """Break a legend label into lines of about ``width`` characters: between words, or between any
    two CJK characters (CJK text has no spaces), never inside a number or a word.

    >>> wrap_label("1,147.8 – 1,826.8", 9)
    '1,147.8 –\\n1,826.8'
    >>> wrap_label("常住人口123,456.7万人", 6)
    '常住人口\\n123,456.7\\n万人'
    """
    lines: list[str] = []
    line = ""
    for token in _TOKENS.findall(label):
        if line and len(line.rstrip()) + len(token.rstrip()) > width and not token.isspace():
            lines.append(line.rstrip())
            line = ""
        if not (token.isspace() and not line):  # no line starts with a space
            line += token
    lines.append(line.rstrip())
    return "\n".join(part for part in lines if part) or label


def wrap_to_width(label: str, width_px: float, measure: Callable[[str], float]) -> str:
    """Break ``label`` as ``wrap_label`` does, at the most characters a line for which every line
    ``measure``s (pixels, in the font it is drawn in) at most ``width_px``: a legend column's measured
    width, whatever the paper, orientation or language. A word wider than the column stays whole:
    the narrowest wrapping is returned and the caller shrinks the font.

    >>> wrap_to_width("Hongqiao International Opening Hub", 100, lambda line: 6 * len(line))
    'Hongqiao\\nInternational\\nOpening Hub'
    """
    for chars in range(len(label), 0, -1):
        wrapped = wrap_label(label, chars)
        if max(measure(line) for line in wrapped.split("\n")) <= width_px:
            return wrapped
    return wrap_label(label, 1)


def fit_extent(bounds, aspect: float, margin: float = 0.04):
    """Grow ``bounds`` (minx, miny, maxx, maxy) to the axes' width/height ``aspect``."""
    minx, miny, maxx, maxy = bounds
    w, h = maxx - minx, maxy - miny
    w, h = w * (1 + 2 * margin), h * (1 + 2 * margin)
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    return cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2


SCALE_STEPS = (1, 2, 2.5, 5)


def scale_length_m(width_m: float, fraction: float = 0.25) -> float:
    """The longest round length (1, 2, 2.5 or 5 times a power of ten, in metres) within ``fraction`` of the width."""
    target = width_m * fraction
    power = 10 ** np.floor(np.log10(target))
    return float(max(step * power for step in SCALE_STEPS if step * power <= target))


def draw_scale_bar(ax, extent: tuple[float, float, float, float], lang: str, *, middle: bool = True) -> None:
    """A scale bar in the lower left: four black and white segments with ticks and km labels
    (at both ends, and in the middle when ``middle``: small maps leave it out)."""
    x0, x1, y0, y1 = extent
    width, height = x1 - x0, y1 - y0
    length = scale_length_m(width)
    left, base, bar_h = x0 + 0.03 * width, y0 + 0.045 * height, 0.008 * height
    ax.add_patch(
        Rectangle(
            (left - 0.012 * width, y0 + 0.012 * height),
            length + 0.045 * width,
            0.07 * height,
            facecolor="white",
            edgecolor="none",
            alpha=0.85,
            zorder=6.5,
            gid="scale_bar",
        )
    )
    quarter = length / 4
    for i in range(4):
        ax.add_patch(
            Rectangle(
                (left + i * quarter, base),
                quarter,
                bar_h,
                facecolor="black" if i % 2 == 0 else "white",
                edgecolor="black",
                linewidth=0.6,
                zorder=6.6,
            )
        )
    for value in (0.0, length / 2, length) if middle else (0.0, length):
        ax.plot([left + value] * 2, [base - 0.004 * height, base], color="black", linewidth=0.6, zorder=6.6)
        km = value / 1000
        label = f"{km:g}" + (" km" if value == length else "")
        ax.text(
            left + value,
            base - 0.007 * height,
            label,
            ha="center",
            va="top",
            fontsize=7,
            zorder=6.7,
            parse_math=False,
            gid="scale_label",
        )


TITLE_SIZES = (16, 14, 12, 11, 10)  # points: the largest at which the title fits the page's width


class PageCanvas(FigureCanvasAgg):
    """An Agg canvas that does not draw the whole page each time a layer is added: geopandas's
    ``plot`` calls ``draw_idle``, which on a plain Agg canvas is a full draw (nine of them per
    figure, half its time). The page is drawn once, when it is saved or measured."""

    def draw_idle(self, *args, **kwargs) -> None:
        return None


def page_renderer(fig):
    """The renderer of ``fig``'s page canvas (attached on first use), to measure texts with."""
    if not isinstance(fig.canvas, PageCanvas):
        PageCanvas(fig)
    return fig.canvas.get_renderer()


def title_text(fig, title: str, *, y: float) -> None:
    """The title at the top left, in the largest of TITLE_SIZES that keeps it on the page."""
    renderer = page_renderer(fig)
    limit = fig.bbox.width * 0.95
    text = fig.text(
        0.03, y, title, fontsize=TITLE_SIZES[0], fontweight="bold", va="center", parse_math=False, gid="title"
    )
    for size in TITLE_SIZES:
        text.set_fontsize(size)
        if text.get_window_extent(renderer).x1 <= limit:
            return


def draw_titles(fig, title: str, subtitle: str, *, height_in: float) -> None:
    """The title (in the largest size that fits) and the subtitle in the top band of a page ``height_in`` tall."""
    title_text(fig, title, y=1 - 0.35 / height_in)
    if subtitle:
        fig.text(0.03, 1 - 0.70 / height_in, subtitle, fontsize=10, color="#444444", va="center", parse_math=False)


def frame_axes(ax, extent: Extent, *, spine_width: float) -> None:
    """Show ``extent`` (x0, x1, y0, y1) at true scale in a thin frame, with no ticks or axis labels."""
    x0, x1, y0, y1 = extent
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for spine in ax.spines.values():
        spine.set_linewidth(spine_width)


def draw_north_arrow(ax, lang: str, *, size: float = 1.0) -> None:
    """The north arrow in the upper right of the map; ``size`` scales it (small maps: 0.6)."""
    ax.annotate(
        t("north", lang),
        xy=(0.95, 0.95),
        xytext=(0.95, 0.95 - 0.09 * size),
        xycoords="axes fraction",
        ha="center",
        va="center",
        fontsize=11 * size,
        fontweight="bold",
        arrowprops={"facecolor": "black", "width": 4 * size, "headwidth": 11 * size, "headlength": 11 * size},
        gid="north",
    )
