"""Natural-breaks classes for thematic maps."""

import math

import pandas as pd
import pytest

from spatial.choropleth import MISSING_CLASS, classify


def test_classes_split_at_the_natural_gaps_and_keep_missing_apart():
    values = pd.Series([1.0, 1.2, 1.1, 10.0, 10.5, 50.0, math.nan], index=list("abcdefg"))
    classes = classify(values, k=3)
    assert classes.by_unit["g"] == MISSING_CLASS
    assert classes.by_unit[["a", "b", "c"]].nunique() == 1 and classes.by_unit["f"] == 2
    assert classes.by_unit["d"] == classes.by_unit["e"] == 1
    assert classes.bounds[-1] == 50.0 and classes.lowest == 1.0
    assert classes.ranges(0)[0] == "1 – 1"


def test_fewer_distinct_values_than_classes_and_no_values():
    assert len(classify(pd.Series([5.0, 5.0, 5.0]), k=4).bounds) == 1
    with pytest.raises(ValueError, match="no unit has a value"):
        classify(pd.Series([math.nan, math.nan]))
