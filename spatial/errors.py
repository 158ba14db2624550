"""Project exceptions: every one is a ValueError a planner can act on."""

from __future__ import annotations


class AtlasError(ValueError):
    """Base class of every error this project raises on bad input."""


class UnknownNameError(AtlasError):
    """A unit or corridor name, code or alias that matches nothing."""

    def __init__(self, kind: str, value: str, suggestions: list[str], known: list[str]):
        self.kind = kind
        self.value = value
        self.suggestions = suggestions
        self.known = known
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(
            f"unknown {kind} {value!r}{hint} Known: {', '.join(known)}"
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
        super().__init__(f"{source}: {len(problems)} problem(s):\n  - {lines}")
