"""What a map shows (corridors, facility categories, language, theme): one small value the map,
its legend and the exported page share."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MapView:
    """What the map shows: which corridors and facility categories, in which language."""

    lang: str = "zh"
    corridors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    height: int = 620
    theme: str | None = None  # a unit indicator key: units filled by its classes
