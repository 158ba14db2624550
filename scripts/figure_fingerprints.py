"""Fingerprints of the exported figures, to show that a refactor changed no pixel.

Renders a fixed set of figures (city and corridor maps in both languages, a thematic map, the
six-corridor sheet, a scenario, a map with a planner's points and boundaries) at a fixed date,
and prints one SHA-256 per figure over its decoded pixels.

    python scripts/figure_fingerprints.py > before.txt
    ... move code ...
    python scripts/figure_fingerprints.py --check before.txt   # exit 1 on any difference
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import matplotlib.image as mpimg
import numpy as np

import layers
from exports.figure import FigureSpec, render_corridor_sheet, render_figure
from layers.layout import atlas_with_layout, plan_layout
from userdata.reading import read_table
from userdata.tables import classify_table
from workspace.session import ImportedPoints, new_workspace

DATE = "2026-01-01"
POINTS_CSV = "名称,经度,纬度\n甲,120.606389,31.330556\n丙,120.738400,31.272900\n丁,120.95,31.38\n".encode()


def _scenario(atlas):
    layout = plan_layout()
    layout["name"] = "fingerprint"
    first = layout["corridors"][0]
    first["name_zh"], first["name_en"] = "改名走廊", "Renamed corridor"
    return atlas_with_layout(atlas, layout)


def _with_points(atlas):
    frame, info = read_table(POINTS_CSV, "sites.csv")
    table, report = classify_table(frame, info, atlas=atlas, crs="wgs84")
    ws = new_workspace(atlas)
    ws.set_points(ImportedPoints("sites.csv", table, "名称", "wgs84", report=report))
    return ws


def cases(atlas):
    """(name, bytes) for every figure in the set."""
    base = FigureSpec(dpi=150, date=DATE)
    yield "city-zh.png", render_figure(atlas, base)
    yield "city-en.png", render_figure(atlas, dataclasses.replace(base, lang="en"))
    yield "huning-zh.png", render_figure(atlas, dataclasses.replace(base, corridors=("huning",), focus="huning"))
    yield "ring-en.png", render_figure(atlas, dataclasses.replace(base, lang="en", corridors=("ring",), focus="ring"))
    yield "gdp-zh.png", render_figure(atlas, dataclasses.replace(base, theme="gdp_100m_yuan"))
    yield "portrait-a3.png", render_figure(atlas, dataclasses.replace(base, paper="A3", orientation="portrait"))
    yield "sheet-zh.png", render_corridor_sheet(atlas, base)
    yield "sheet-en.png", render_corridor_sheet(atlas, dataclasses.replace(base, lang="en"))
    scenario = _scenario(atlas)
    yield "scenario-zh.png", render_figure(scenario, base)
    yield "scenario-sheet-en.png", render_corridor_sheet(scenario, dataclasses.replace(base, lang="en"))
    ws = _with_points(atlas)
    yield (
        "points-en.png",
        render_figure(ws.atlas, dataclasses.replace(base, lang="en"), user_layers=ws.user_layers("en")),
    )


def fingerprint(name: str, data: bytes) -> str:
    if name.endswith(".png"):
        pixels = np.ascontiguousarray(mpimg.imread(io.BytesIO(data), format="png"))
        return hashlib.sha256(pixels.tobytes() + str(pixels.shape).encode()).hexdigest()
    return hashlib.sha256(data).hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", type=Path, help="a file printed by an earlier run: exit 1 if any figure differs")
    args = parser.parse_args()
    atlas = layers.load_atlas()
    lines = [f"{name} {fingerprint(name, data)}" for name, data in cases(atlas)]
    if args.check is None:
        print("\n".join(lines))
        return 0
    before = dict(line.split() for line in args.check.read_text().splitlines() if line.strip())
    changed = [line.split()[0] for line in lines if before.get(line.split()[0]) != line.split()[1]]
    for name in changed:
        print(f"differs: {name}")
    print(f"{len(lines) - len(changed)} of {len(lines)} figures identical")
    return 1 if changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
