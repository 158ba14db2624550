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
from layers.layout import upgrade_layout
from userdata.boundaries import replace_units
from workspace.clip import clipped
from workspace.session import (
    Derived,
    ImportedBoundary,
    SourceFile,
    Workspace,
    classify_points,
    new_workspace,
    read_boundary,
)
from workspace.store import MANIFEST_FORMAT, MANIFEST_VERSION, part_problems, view_problems

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


PARTS_SAID = {  # a manifest's key -> what a planner calls it (en, zh)
    "borders": ("borders", "边界"),
    "layout": ("scenario", "情景"),
    "boundary": ("boundary layer", "边界图层"),
    "points": ("point table", "点位表"),
}


def _source(key: str, part: Any, files: dict[str, bytes]) -> SourceFile:
    """A saved file and its reading choices, checked: a workspace file may have been edited by hand."""
    problems = part_problems(key, part)
    if problems:
        raise AtlasError("; ".join(en for en, _ in problems), zh="；".join(zh for _, zh in problems))
    if part["file"] not in files:
        raise AtlasError("its file is not in the store", zh="存储中没有其文件")
    return SourceFile(part["name"], files[part["file"]], dict(part["options"]))


def checked_view(manifest: dict) -> tuple[dict, list[AtlasError]]:
    """The view saved in ``manifest`` (URL parameters: text or lists of text) and the problems met:
    a view that is not an object is dropped whole, a value of another type alone; each is said."""
    view = manifest.get("view")
    view = {} if view is None else view
    problems = view_problems(view)
    kept = {key: value for key, value in view.items() if key not in problems} if "" not in problems else {}
    return kept, [
        AtlasError(f"the saved view could not be restored in full: {en}", zh=f"保存的视图未能完整恢复：{zh}")
        for en, zh in problems.values()
    ]


def _restore_borders(ws: Workspace, part: Any, files: dict[str, bytes]) -> None:
    source = _source("borders", part, files)
    frame, report = read_boundary(source, ws.base.units)
    ws.replace_borders(replace_units(ws.base, frame, report), name=source.name, source=source)


def _restore_layout(ws: Workspace, layout: object, _files: dict[str, bytes]) -> None:
    if not isinstance(layout, dict):
        raise AtlasError("it is not a layout (an object)", zh="其格式不是布局（对象）")
    ws.set_layout(upgrade_layout(layout))  # a workspace saved before a layout format change still opens


def _restore_boundary(ws: Workspace, part: Any, files: dict[str, bytes]) -> None:
    source = _source("boundary", part, files)
    frame, _report = read_boundary(source, ws.base.units)
    label = part.get("label_column") if part.get("label_column") in frame.columns else None
    ws.set_boundary(ImportedBoundary(source.name, frame, label, part.get("show") is not False, source))


def _restore_points(ws: Workspace, part: Any, files: dict[str, bytes]) -> None:
    ws.set_points(classify_points(_source("points", part, files), ws.atlas, ws.derived.grid()))


def restore_workspace(
    manifest: dict, files: dict[str, bytes], base, base_derived: Derived | None = None
) -> tuple[Workspace, list[AtlasError]]:
    """A workspace on the embedded atlas ``base`` rebuilt from its saved form, and the problems met
    (each part that could not be read again, or whose entry has the wrong shape; the others are
    restored). The saved view is read by :func:`checked_view`."""

    ws = new_workspace(base, base_derived)
    problems: list[AtlasError] = []
    steps = (
        ("borders", _restore_borders),
        ("layout", _restore_layout),
        ("boundary", _restore_boundary),
        ("points", _restore_points),
    )
    for key, restore in steps:
        part = manifest.get(key)
        if not part:
            continue
        try:
            restore(ws, part, files)
        except Exception as exc:
            name = part.get("name", "") if isinstance(part, dict) else ""
            problems.append(_part_problem(*PARTS_SAID[key], name, exc))
    return ws, problems


def _part_problem(what_en: str, what_zh: str, name: object, exc: Exception) -> AtlasError:
    """A part of a workspace that could not be restored, said in both languages. A project error
    brings its own message; anything else is named by its kind and logged with its traceback."""
    if isinstance(exc, AtlasError):
        en, zh = exc.message("en"), exc.message("zh")
    elif isinstance(exc, KeyError):
        en, zh = f"column {exc} is not in the file", f"文件中没有列 {exc}"
    else:
        LOG.warning("restoring the %s %r failed", what_en, name, exc_info=exc)
        en = zh = f"{type(exc).__name__}: {exc}"
    en_name, zh_name = clipped(name, "en"), clipped(name, "zh")
    return AtlasError(
        f"the {what_en} {en_name!r} could not be restored: {en}", zh=f"{what_zh}“{zh_name}”未能恢复：{zh}"
    )
