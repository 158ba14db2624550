"""Read embedded tables and collect schema problems into one report."""

from __future__ import annotations

import pandas as pd

import geodata
from atlas_core.errors import DataValidationError


def read_table(name: str) -> pd.DataFrame:
    """Read an embedded CSV with every column as text (codes keep their leading zeros)."""
    return pd.read_csv(geodata.path(name), dtype=str, keep_default_na=False, encoding="utf-8")


def require_columns(frame: pd.DataFrame, columns: list[str], source: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataValidationError(source, [f"missing column {c!r}" for c in missing])


def raise_if_problems(source: str, problems: list[str]) -> None:
    if problems:
        raise DataValidationError(source, problems)
