"""A workspace to and from its saved form (``workspace.store``): a manifest and the files it names.

Nothing derived is saved: the borders, boundary layer and point table are kept as the files the
planner imported, with the choices they made reading them, and read again when the workspace is
opened. A part that cannot be read again (a file today's checks refuse) is reported, and the rest
of the workspace still opens.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from atlas_core.errors import AtlasError
from userdata.boundaries import replace_units
from workspace.session import (
    Derived,
    ImportedBoundary,
    SourceFile,
    Workspace,
    classify_points,
    new_workspace,
    read_boundary,
)
from workspace.store import MANIFEST_FORMAT, MANIFEST_VERSION

LOG = logging.getLogger("atlas.saved")


def _part(source: SourceFile, files: dict[str, bytes], **extra: Any) -> dict:
    digest = source.digest
    files[digest] = source.data
    return {"name": source.name, "file": digest, "options": dict(source.options), **extra}


def workspace_record(ws: Workspace, *, view: dict | None = None) -> tuple[dict, dict[str, bytes]]:
    """What saving ``ws`` keeps: (manifest, files by SHA-256). ``view``: the URL parameters of the
    view (corridors, categories...) to restore with it. Layers imported without their file (built
    in code, not uploaded) cannot be saved and are left out."""
    files: dict[str, bytes] = {}
    manifest: dict[str, Any] = {
        "format": MANIFEST_FORMAT,
        "version": MANIFEST_VERSION,
        "saved": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "layout": ws.layout,
        "view": view or {},
        "borders": None,
        "boundary": None,
        "points": None,
    }
    if ws.borders_source is not None:
        manifest["borders"] = _part(ws.borders_source, files)
    if ws.boundary is not None and ws.boundary.source is not None:
        manifest["boundary"] = _part(
            ws.boundary.source, files, show=ws.boundary.show, label_column=ws.boundary.label_column
        )
    if ws.points is not None and ws.points.source is not None:
        manifest["points"] = _part(ws.points.source, files)
    return manifest, files


TEXT_OPTIONS = ("encoding", "sheet", "lon", "lat", "name", "crs", "layer", "datum")


def _source(part: dict, files: dict[str, bytes]) -> SourceFile:
    """A saved file and its reading choices, checked: a workspace file may have been edited by hand."""
    options = dict(part["options"])
    for key in TEXT_OPTIONS:
        if options.get(key) is not None and not isinstance(options[key], str):
            raise AtlasError(f"its choice {key!r} is not text", zh=f"其读取选项 {key!r} 不是文本")
    swapped = options.get("swapped", [])
    if not isinstance(swapped, list) or not all(isinstance(i, int) and i >= 0 for i in swapped):
        raise AtlasError("its swapped rows are not row numbers", zh="其交换经纬度的行号无效")
    return SourceFile(part["name"], files[part["file"]], options)


def restore_workspace(
    manifest: dict, files: dict[str, bytes], base, base_derived: Derived | None = None
) -> tuple[Workspace, list[AtlasError]]:
    """A workspace on the embedded atlas ``base`` rebuilt from its saved form, and the problems met
    (each part that could not be read again; the others are restored)."""

    ws = new_workspace(base, base_derived)
    problems: list[AtlasError] = []
    if manifest.get("borders"):
        try:
            source = _source(manifest["borders"], files)
            frame, report = read_boundary(source, base.units)
            ws.replace_borders(replace_units(base, frame, report), name=source.name, source=source)
        except Exception as exc:
            problems.append(_part_problem("borders", "边界", manifest["borders"].get("name", ""), exc))
    layout = manifest.get("layout")
    if layout:
        try:
            ws.set_layout(layout)
        except Exception as exc:
            problems.append(_part_problem("scenario", "情景", str(layout.get("name", "")), exc))
    if manifest.get("boundary"):
        part = manifest["boundary"]
        try:
            source = _source(part, files)
            frame, report = read_boundary(source, base.units)
            label = part.get("label_column") if part.get("label_column") in frame.columns else None
            ws.set_boundary(ImportedBoundary(source.name, frame, label, bool(part.get("show", True)), source))
        except Exception as exc:
            problems.append(_part_problem("boundary layer", "边界图层", part.get("name", ""), exc))
    if manifest.get("points"):
        try:
            ws.set_points(classify_points(_source(manifest["points"], files), ws.atlas, ws.derived.grid()))
        except Exception as exc:
            problems.append(_part_problem("point table", "点位表", manifest["points"].get("name", ""), exc))
    return ws, problems


def _part_problem(what_en: str, what_zh: str, name: str, exc: Exception) -> AtlasError:
    """A part of a workspace that could not be restored, said in both languages. A project error
    brings its own message; anything else is named by its kind and logged with its traceback."""
    if isinstance(exc, AtlasError):
        en, zh = exc.message("en"), exc.message("zh")
    elif isinstance(exc, KeyError):
        en, zh = f"column {exc} is not in the file", f"文件中没有列 {exc}"
    else:
        LOG.warning("restoring the %s %r failed", what_en, name, exc_info=exc)
        en = zh = f"{type(exc).__name__}: {exc}"
    return AtlasError(f"the {what_en} {name!r} could not be restored: {en}", zh=f"{what_zh}“{name}”未能恢复：{zh}")
