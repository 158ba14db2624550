"""Benchmark figure export against the export issue's target, with a same-run baseline.

Target: an A4 300-DPI PNG of the full layout in at most 3 s. Baseline: the same figure drawn
but not saved (the fixed cost of building it), and the same figure at 150 DPI.
Run: python scripts/bench_export.py   (or `make bench`)
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import layers
from exports.figure import FigureSpec, draw_figure, render_figure

TARGET_S = 3.0


def best_of(n: int, action) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    atlas = layers.load_atlas()
    render_figure(atlas, FigureSpec(dpi=150))  # warm: font discovery, imports
    a4_300 = FigureSpec(paper="A4", dpi=300, fmt="png")
    full = best_of(5, lambda: render_figure(atlas, a4_300))
    drawn = best_of(5, lambda: draw_figure(atlas, a4_300))
    low = best_of(5, lambda: render_figure(atlas, FigureSpec(paper="A4", dpi=150, fmt="png")))
    pdf = best_of(3, lambda: render_figure(atlas, FigureSpec(paper="A4", dpi=300, fmt="pdf")))
    svg = best_of(3, lambda: render_figure(atlas, FigureSpec(paper="A4", dpi=300, fmt="svg")))
    print(
        f"A4 300-DPI PNG, full layout: median {full:.2f} s; target <= {TARGET_S} s -> "
        f"{'OK' if full <= TARGET_S else 'MISS'}"
    )
    print(f"  baseline, drawing without saving: {drawn:.2f} s (PNG costs {full / drawn:.1f}x that)")
    print(f"  baseline, A4 150-DPI PNG: {low:.2f} s (300 DPI costs {full / low:.1f}x that)")
    print(f"  A4 PDF {pdf:.2f} s, A4 SVG {svg:.2f} s")


if __name__ == "__main__":
    main()
