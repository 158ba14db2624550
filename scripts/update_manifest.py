"""Refresh the computed fields (rows, columns, sha256) of geodata/manifest.json.

The descriptive fields (source, licence, retrieved, datum, processing, precision) are
written by hand in the manifest; this script only recomputes what can be measured, so a
test can check the manifest against the files.
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "geodata" / "manifest.json"


def measure(path: Path) -> dict:
    data = path.read_bytes()
    record: dict[str, object] = {"sha256": hashlib.sha256(data).hexdigest()}
    if path.suffix == ".csv":
        rows = list(csv.reader(data.decode("utf-8").splitlines()))
        record.update(rows=len(rows) - 1, columns=rows[0])
    elif path.suffix == ".geojson":
        doc = json.loads(data)
        feats = doc["features"]
        record.update(rows=len(feats), columns=list(feats[0]["properties"]) if feats else [])
    return record


def main() -> None:
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    for rec in manifest["datasets"].values():
        rec.update(measure(ROOT / "geodata" / rec["file"]))
    MANIFEST.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"refreshed {len(manifest['datasets'])} records")


if __name__ == "__main__":
    main()
