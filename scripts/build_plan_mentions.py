"""Build geodata/plan_mentions.csv: where the plan names each facility (section and position).

The plan's own text is not copied into the project (its sentences are not ours); this script
reads it at build time, splits it into its numbered sections (三(三)1 ...), and records, for
each facility's ``plan_name`` (the name exactly as the plan writes it), every section whose
text contains that name and the character offset there. Tests check every facility's
``plan_section`` against this table; the manifest records the sha256 of the plan file read.
A facility whose plan_section names a section that does not contain its plan_name stops the
build with the list of such rows.

Run: python scripts/build_plan_mentions.py PLAN.txt   (the plan's text file; build time only,
never at run or test time; ``make build-data PLAN=...`` passes it)
"""

from __future__ import annotations

import csv
import hashlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "geodata" / "plan_mentions.csv"
CONTEXT = "context"  # plan_section of an item the plan does not name (added for context, with its own source)

_PART = re.compile(r"^([一二三四五六七八九十]+)、")
_CHAPTER = re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]")
_ITEM = re.compile(r"^(\d+)\.")


def split_sections(text: str) -> dict[str, str]:
    """{section id: its text} for ids like 三, 三(三), 三(三)1; a line belongs to the innermost open one."""
    sections: dict[str, str] = {}
    part = chapter = ""
    current = None
    for line in text.splitlines():
        if m := _PART.match(line):
            part, chapter, current = m.group(1), "", m.group(1)
        elif part and (m := _CHAPTER.match(line)):
            chapter = f"({m.group(1)})"
            current = part + chapter
        elif part and (m := _ITEM.match(line)):
            current = part + chapter + m.group(1)
        if current is not None:
            sections[current] = sections.get(current, "") + line + "\n"
    return sections


def facility_rows() -> list[dict[str, str]]:
    rows = []
    for name in ("facilities.csv", "facilities_unplaced.csv"):
        with open(ROOT / "geodata" / name, encoding="utf-8", newline="") as fh:
            rows += [{**row, "table": name} for row in csv.DictReader(fh)]
    return rows


def mentions(sections: dict[str, str], rows: list[dict[str, str]]) -> tuple[list[dict[str, object]], list[str]]:
    """Every (section, plan_name, offset) and the problems: rows whose section lacks their name."""
    found, problems = [], []
    leaves = {sid: body for sid, body in sections.items() if not any(o != sid and o.startswith(sid) for o in sections)}
    for row in rows:
        name, section = row["plan_name"], row["plan_section"]
        if section == CONTEXT:
            if name:
                problems.append(f"{row['table']} {row['facility_id']}: a context item has no plan_name")
            continue
        hits = [(sid, body.find(name)) for sid, body in leaves.items() if name and name in body]
        found += [{"section": sid, "plan_name": name, "offset": offset} for sid, offset in hits]
        if section not in {sid for sid, _ in hits}:
            where = ", ".join(sid for sid, _ in hits) or "no section"
            problems.append(f"{row['table']} {row['facility_id']}: {name!r} is not in {section} (found in {where})")
    unique = {(m["section"], m["plan_name"]): m for m in found}
    return sorted(unique.values(), key=lambda m: (str(m["section"]), str(m["plan_name"]))), problems


def build(plan: Path) -> str:
    data = plan.read_bytes()
    found, problems = mentions(split_sections(data.decode("utf-8")), facility_rows())
    if problems:
        raise SystemExit("plan_section does not name the item:\n  " + "\n  ".join(problems))
    with open(OUTPUT, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, ["section", "plan_name", "offset"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(found)
    return hashlib.sha256(data).hexdigest()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python scripts/build_plan_mentions.py PLAN.txt  (the action plan's text file)")
    plan_file = Path(sys.argv[1])
    print(f"plan_mentions.csv from {plan_file.name} (sha256 {build(plan_file)})")
