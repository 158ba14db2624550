"""Project exceptions: every one is a ValueError a planner can act on."""

from __future__ import annotations


class AtlasError(ValueError):
    """Base class of every error this project raises on bad input.

    ``str(error)`` is the English message; ``error.message("zh")`` gives the Chinese one
    when the raiser supplied it (``zh=``), else the English.
    """

    def __init__(self, message: str = "", *, zh: str | None = None):
        super().__init__(message)
        self.message_zh = zh

    def message(self, lang: str = "en") -> str:
        if lang == "zh" and self.message_zh:
            return self.message_zh
        return str(self)


class UnknownNameError(AtlasError):
    """A unit or corridor name, code or alias that matches nothing.

    ``suggestions`` and ``known`` are labelled in English (they go into the English
    message); ``suggestions_zh`` and ``known_zh`` in Chinese (the Chinese message). Callers
    that give only one set get it in both messages.
    """

    def __init__(
        self,
        kind: str,
        value: str,
        suggestions: list[str],
        known: list[str],
        *,
        suggestions_zh: list[str] | None = None,
        known_zh: list[str] | None = None,
    ):
        self.kind = kind
        self.value = value
        self.suggestions = list(suggestions)
        self.known = list(known)
        self.suggestions_zh = list(suggestions if suggestions_zh is None else suggestions_zh)
        self.known_zh = list(known if known_zh is None else known_zh)
        hint = f"; did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        kind_zh = {"unit": "规划单元", "corridor": "走廊"}.get(kind, kind)
        hint_zh = f"；您是否要找：{'、'.join(self.suggestions_zh)}？" if self.suggestions_zh else "。"
        super().__init__(
            f"unknown {kind} {value!r}{hint} Known: {', '.join(self.known)}",
            zh=f"未找到{kind_zh}“{value}”{hint_zh}可用：{'、'.join(self.known_zh)}",
        )


class CoordinateError(AtlasError):
    """Coordinates that are missing, not finite, swapped or outside the expected area."""


class DatumError(AtlasError):
    """An unknown datum name or a datum that cannot be used here."""


class CRSError(AtlasError):
    """A missing or mismatched coordinate reference system."""


class DataValidationError(AtlasError):
    """A data file or frame that breaks its schema; lists every problem found."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        lines = "\n  - ".join(problems)
        super().__init__(
            f"{source}: {len(problems)} problem(s):\n  - {lines}",
            zh=f"{source}：发现 {len(problems)} 个问题：\n  - {lines}",
        )


class SettingsError(AtlasError):
    """Settings from the environment that cannot be used; ``problems`` holds (en, zh) for each."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(en for en, _ in problems), zh="；".join(zh for _, zh in problems))


# ---------------------------------------------------------------- by where they are raised


class UploadRejectedError(AtlasError):
    """An upload refused before it is read: too big, or a suspicious archive."""


class BoundaryError(AtlasError):
    """A boundary upload that cannot be read or used (the message says what to do)."""


class NeedsCRSError(BoundaryError):
    """The file does not say its coordinate system (a Shapefile without .prj), or says one its
    coordinates contradict: ask, with a guess."""

    def __init__(self, guess: str | None, layer_name: str, declared: str | None = None):
        self.guess = guess
        hint = f"; its coordinates look like {guess}" if guess else ""
        hint_zh = f"；从坐标看可能是 {guess}" if guess else ""
        if declared is None:
            en = f"{layer_name} has no .prj, so its coordinate system is unknown{hint}. Choose it"
            zh = f"{layer_name} 缺少 .prj 文件，坐标系未知{hint_zh}。请选择坐标系"
        else:
            en = (
                f"{layer_name} says its coordinates are in {declared}, but they do not fall in or near Suzhou "
                f"that way{hint}. Choose the coordinate system they are really in"
            )
            zh = (
                f"{layer_name} 标明坐标系为 {declared}，但按此解读坐标不在苏州附近{hint_zh}。请选择坐标实际所用的坐标系"
            )
        super().__init__(en, zh=zh)


class UserDataError(AtlasError):
    """A file that cannot be read as a table of points at all (the message says what to do)."""


class MissingAssetsError(RuntimeError):
    """The vendored web assets are not installed."""


class BasemapError(AtlasError):
    """A basemap that cannot be used as configured (missing key, malformed tile URL)."""


class StoreError(AtlasError):
    """The workspace store cannot be used (not ours, damaged, newer) or an operation on it failed."""


class DatabaseError(AtlasError):
    """The bureau's database cannot be reached, or a table, column or query in it cannot be used.
    Its messages never hold the connection's password."""


class TooManyRowsError(DatabaseError):
    """A table with more rows than may be read into memory here: classify it inside the database."""

    def __init__(self, message: str = "", *, zh: str | None = None, limit: int = 0):
        super().__init__(message, zh=zh)
        self.limit = limit


class CJKFontMissingError(AtlasError):
    """No font that can draw Chinese is installed."""


class ExportError(AtlasError):
    """An export that cannot be made as asked (format, CRS)."""


class FigureSpecError(AtlasError):
    """A figure request with an unknown paper, orientation, format, language, DPI or corridor."""


class LayoutFileError(AtlasError):
    """A layout file that cannot be read as JSON: not UTF-8, not JSON, or nested too deeply."""


class InvalidLayoutError(AtlasError):
    """A layout with problems (``problems``: each "path: what is wrong", see :func:`validate_layout`)."""

    def __init__(self, problems: list[str]) -> None:
        listed = "; ".join(problems)
        super().__init__(f"not a valid layout: {listed}", zh=f"不是有效的布局：{listed}")
        self.problems = problems


class LayoutEditError(AtlasError):
    """An edit that names no corridor of the layout, or a field that cannot be edited."""


class ReportError(AtlasError):
    """A report that cannot be made as asked (unknown corridor or language, a template that is not a Word file)."""
