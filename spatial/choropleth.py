"""Class breaks for a thematic map of a unit indicator (Fisher-Jenks natural breaks, via mapclassify)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import mapclassify
import numpy as np
import pandas as pd

MISSING_CLASS = -1


@dataclass(frozen=True)
class Classes:
    """Upper bounds of each class, the lowest value, and each unit's class (MISSING_CLASS where it has no value)."""

    lowest: float
    bounds: tuple[float, ...]
    by_unit: pd.Series  # adcode -> class index

    def ranges(self, digits: int = 1) -> list[str]:
        """ "low – high" for each class, as a legend shows them."""
        lows = (self.lowest, *self.bounds[:-1])
        return [f"{low:,.{digits}f} – {high:,.{digits}f}" for low, high in zip(lows, self.bounds, strict=True)]


def classify(values: pd.Series, k: int = 4) -> Classes:
    """Natural-breaks classes of ``values`` (index: adcode); fewer classes when there are fewer distinct values."""
    present = values.dropna()
    if present.empty:
        raise ValueError("no unit has a value: nothing to classify")
    k = max(1, min(k, present.nunique()))
    with warnings.catch_warnings():  # without numba mapclassify says it runs in pure Python: fine for ten units
        warnings.filterwarnings("ignore", message="Numba not installed")
        scheme = mapclassify.FisherJenks(present.to_numpy(dtype=float), k=k)
    by_unit = pd.Series(MISSING_CLASS, index=values.index, dtype=int)
    by_unit[present.index] = np.asarray(scheme.yb, dtype=int)
    return Classes(float(present.min()), tuple(float(b) for b in scheme.bins), by_unit)
