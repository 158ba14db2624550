"""Benchmark the app against the targets of the app issue, with baselines measured in the same run.

1. Map payload of the default view (what st_folium sends to the browser), coverage-simplified
   geometry vs the unsimplified geometry. Target: at most 400 KB.
2. Server-side rerun when toggling a corridor or selecting a unit, layers cached, vs a rerun
   with every cache cleared. Target: median at most 0.1 s.
3. From `streamlit run` to a drawn map in Debian's Chromium, vs the server alone being up.
   Target: at most 8 s.

Run: python scripts/bench_app.py   (or `make bench`)
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import streamlit as st
from streamlit.testing.v1 import AppTest

import layers
from atlas_web.basemaps import resolve_basemap
from atlas_web.mapview import MapView
from atlas_web.webmap import build_map
from presentation.display import build_display_layers

MAP_TARGET_KB, RERUN_TARGET_S, STARTUP_TARGET_S = 400, 0.1, 8.0  # rerun target: issue 22


def payload_kb(atlas, tolerance_m: float) -> float:
    import streamlit_folium as sf

    display = build_display_layers(atlas, tolerance_m=tolerance_m)
    view = MapView(corridors=tuple(atlas.corridors["id"]), categories=tuple(sorted(set(atlas.facilities["category"]))))
    fmap = build_map(atlas, display, resolve_basemap("none"), view)
    fmap.get_root().render()
    parts = [sf._get_html(fmap), sf._get_header(fmap), sf._get_map_string(fmap)]
    return sum(len(p.encode("utf-8")) for p in parts) / 1024


def rerun_times(action, n: int, clear_caches: bool) -> list[float]:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    times = []
    for i in range(n):
        action(at, i)
        if clear_caches:  # the session's workspace holds derived layers too: drop it
            st.cache_resource.clear()
            st.cache_data.clear()
            if "_workspace" in at.session_state:
                del at.session_state["_workspace"]
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        assert not at.exception, at.exception
    return times


def toggle_corridor(at, i):
    ids = ["ring", "huning", "tongsujia", "taihu", "yangtze", "hongqiao"]
    at.sidebar.multiselect(key="view_corridors").set_value(ids if i % 2 else ids[:-1])


def select_unit(at, i):
    codes = ["320505", "320571", "320508", "320583"]
    at.session_state["_view"].unit = codes[i % len(codes)]


def startup_seconds() -> tuple[float, float]:
    from browser import launch, map_frame, running_app
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)  # browser start is not the app's time
        start = time.perf_counter()
        with running_app() as (url, _):
            server_up = time.perf_counter() - start
            page = browser.new_page()
            page.goto(url)
            map_frame(page, timeout=60)
            drawn = time.perf_counter() - start
        browser.close()
    return server_up, drawn


def main() -> None:
    atlas = layers.load_atlas()
    simplified, raw = payload_kb(atlas, 120.0), payload_kb(atlas, 0.0)
    print(
        f"map payload, default view: {simplified:.0f} KB simplified vs {raw:.0f} KB unsimplified "
        f"(ratio {raw / simplified:.2f}x); target <= {MAP_TARGET_KB} KB -> "
        f"{'OK' if simplified <= MAP_TARGET_KB else 'MISS'}"
    )
    for name, action in (("toggle a corridor", toggle_corridor), ("select a unit", select_unit)):
        cached = rerun_times(action, 15, clear_caches=False)
        cold = rerun_times(action, 5, clear_caches=True)
        med, cold_med = statistics.median(cached), statistics.median(cold)
        print(
            f"rerun, {name}: median {med:.3f} s cached vs {cold_med:.3f} s with caches cleared "
            f"(ratio {cold_med / med:.1f}x); target <= {RERUN_TARGET_S} s -> "
            f"{'OK' if med <= RERUN_TARGET_S else 'MISS'}"
        )
    server_up, drawn = startup_seconds()
    print(
        f"startup: map drawn in the browser {drawn:.2f} s after `streamlit run` (server answering after "
        f"{server_up:.2f} s, ratio {drawn / server_up:.2f}x); target <= {STARTUP_TARGET_S} s -> "
        f"{'OK' if drawn <= STARTUP_TARGET_S else 'MISS'}"
    )
    print(json.dumps({"map_kb": round(simplified), "map_kb_unsimplified": round(raw)}))


if __name__ == "__main__":
    main()
