"""Benchmark the address look-up: accuracy on real published addresses, and speed on 100 k rows.

1. Accuracy on tests/data/addresses.csv (real addresses, each with its publisher's page): the
   atlas's own matcher (spatial.address over geodata's towns and names) against two Chinese
   address libraries, cpca and jionlp's parse_location, mapped to the ten units the same way.
   Counted at the unit level (right, wrong, ambiguous or unplaced; an address outside Suzhou
   placed in it counts as wrong) and at the town level where the expected town is known.
   Targets: right >= 95 %, wrong <= 1 %, no address outside Suzhou placed, on the addresses whose
   text names a place; those naming only a road (kind road_only) are counted apart: the text
   itself does not settle them, and no road gazetteer is embedded.
2. Speed: `classify_table` on 100 k address-only rows against the same rows with coordinates
   (the baseline, same run). Target: <= 5 s on 2 cores.

Run: python scripts/bench_addresses.py   (cpca and jionlp: pip install -e '.[compare]'; a
library not installed is left out of the comparison and said so)
"""

from __future__ import annotations

import csv
import importlib.util
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np
import pandas as pd

import layers
from layers.gazetteer import load_gazetteer
from userdata.reading import read_table
from userdata.tables import classify_table

TEST_SET = ROOT / "tests" / "data" / "addresses.csv"
RIGHT_TARGET, WRONG_TARGET, SPEED_TARGET_S = 0.95, 0.01, 5.0
ROWS = 100_000
SIP = "320571"


def expected_of(row: dict) -> tuple[str | None, set[str]]:
    """(unit or None, candidate units when the address is ambiguous)."""
    value = row["expected_adcode"]
    if value == "none":
        return None, set()
    if value.startswith("ambiguous:"):
        return None, set(value.removeprefix("ambiguous:").split("|"))
    return value, set()


def judge(expected: tuple[str | None, set[str]], unit: str | None, ambiguous: set[str]) -> str:
    """right, wrong, ambiguous (reported as such, not guessed) or unplaced."""
    want, candidates = expected
    if want is None and not candidates:
        return "right" if unit is None else "wrong"  # outside Suzhou: right only when not placed
    if candidates:
        return "right" if unit is None and ambiguous else ("wrong" if unit else "unplaced")
    if unit == want:
        return "right"
    if unit is not None:
        return "wrong"
    return "ambiguous" if ambiguous else "unplaced"


def ours(units) -> Callable[[str], tuple[str | None, set[str], str]]:
    gazetteer = load_gazetteer(units)

    def locate(address: str):
        found = gazetteer.match(address)
        return found.unit, set(found.ambiguous), found.town

    return locate


def _unit_by_name(units) -> dict[str, str]:
    names = {row.name_zh: row.adcode for row in units.itertuples(index=False)}
    names.update({"工业园区": SIP, "苏州工业园区": SIP, "高新区": "320505"})
    return names


def with_cpca(units):
    import cpca  # optional: the comparison only

    codes = set(units["adcode"])

    def locate(address: str):
        row = cpca.transform([address]).iloc[0]
        code = str(row["adcode"]) if row["adcode"] is not None else ""
        city_ok = row["市"] == "苏州市"
        return (code if city_ok and code in codes else None), set(), ""

    return locate


def with_jionlp(units):
    import jionlp  # optional: the comparison only

    names = _unit_by_name(units)

    def locate(address: str):
        found = jionlp.parse_location(address, town_village=True)
        if found.get("city") != "苏州市":
            return None, set(), ""
        return names.get(found.get("county") or ""), set(), found.get("town") or ""

    return locate


def accuracy(name: str, locate, rows: list[dict]) -> dict:
    verdicts: Counter[str] = Counter()
    towns: Counter[str] = Counter()
    outside_placed = 0
    for row in rows:
        unit, ambiguous, town = locate(row["address"])
        expected = expected_of(row)
        verdicts[judge(expected, unit, ambiguous)] += 1
        if expected == (None, set()) and unit is not None:
            outside_placed += 1
        if row["expected_town"] and expected[0]:
            towns["right" if town == row["expected_town"] else ("wrong" if town else "missing")] += 1
    n = len(rows)
    right, wrong = verdicts["right"] / n, verdicts["wrong"] / n
    print(
        f"{name:8s} unit: right {right:6.1%}  wrong {wrong:5.1%}  ambiguous {verdicts['ambiguous'] / n:5.1%}  "
        f"unplaced {verdicts['unplaced'] / n:5.1%}  outside placed {outside_placed}  | "
        f"town ({sum(towns.values())} known): right {towns['right']}, wrong {towns['wrong']}, "
        f"missing {towns['missing']}"
    )
    return {"right": right, "wrong": wrong, "outside_placed": outside_placed}


def speed(atlas, rows: list[dict]) -> None:
    addresses = [row["address"] for row in rows if row["expected_adcode"] not in ("none",)]
    rng = np.random.default_rng(7)
    picked = rng.choice(addresses, ROWS)
    numbered = [f"{a}{i}号" for i, a in enumerate(picked)]  # every row a different text: no cache helps
    by_address = pd.DataFrame({"名称": [f"甲{i}" for i in range(ROWS)], "地址": numbered}).to_csv(index=False)
    lon, lat = rng.uniform(120.3, 121.0, ROWS), rng.uniform(31.0, 31.8, ROWS)
    points = (f"甲{i},{x:.6f},{y:.6f}" for i, (x, y) in enumerate(zip(lon, lat, strict=True)))
    by_point = "名称,经度,纬度\n" + "\n".join(points)
    timings = {}
    for label, text in (("coordinates", by_point), ("addresses", by_address)):
        frame, info = read_table(text.encode("utf-8"), "bench.csv")
        start = time.perf_counter()
        classify_table(frame, info, atlas=atlas)
        timings[label] = time.perf_counter() - start
    ratio = timings["addresses"] / timings["coordinates"]
    verdict = "OK" if timings["addresses"] <= SPEED_TARGET_S else "MISS"
    print(
        f"classify {ROWS:,} rows: addresses {timings['addresses']:.2f} s, coordinates {timings['coordinates']:.2f} s "
        f"(ratio {ratio:.1f}x); target <= {SPEED_TARGET_S} s -> {verdict}"
    )


def main() -> None:
    atlas = layers.load_atlas()
    rows = list(csv.DictReader(TEST_SET.open(encoding="utf-8")))
    kinds = Counter(row["kind"] for row in rows)
    print(f"test set: {len(rows)} addresses ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))})")
    named = [row for row in rows if row["kind"] != "road_only"]
    road_only = [row for row in rows if row["kind"] == "road_only"]
    print(f"on the {len(named)} addresses whose text names a district, town, zone or another place:")
    result = accuracy("atlas", ours(atlas.units), named)
    for name, make in (("cpca", with_cpca), ("jionlp", with_jionlp)):
        if importlib.util.find_spec(name) is None:
            print(f"{name:8s} not installed (pip install -e '.[compare]'): left out")
            continue
        accuracy(name, make(atlas.units), named)
    unplaced = sum(ours(atlas.units)(row["address"])[0] is None for row in road_only)
    print(
        f"road only (no place name in the text; a road gazetteer would be needed): "
        f"{unplaced} of {len(road_only)} unplaced"
    )
    ok = result["right"] >= RIGHT_TARGET and result["wrong"] <= WRONG_TARGET and result["outside_placed"] == 0
    verdict = "OK" if ok else "MISS"
    print(f"targets: right >= {RIGHT_TARGET:.0%}, wrong <= {WRONG_TARGET:.0%}, none outside placed -> {verdict}")
    speed(atlas, rows)


if __name__ == "__main__":
    main()
