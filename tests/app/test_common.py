"""app_pages.common: what several pages show, as pure functions."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from app_pages.common import with_marked_cell


def test_a_marked_value_turns_its_whole_column_into_text_that_arrow_can_hold():
    table = pd.DataFrame({"unit": ["姑苏区", "虎丘区", "吴江区"], "gdp": [950.07, 2_234.5, 1_234_567.8]})
    shown = with_marked_cell(table, "gdp", 0, "950.07 †")
    assert shown["gdp"].tolist() == ["950.07 †", "2234.5", "1234567.8"]
    pa.Table.from_pandas(shown)  # one float left among text made Arrow fail and Streamlit log a traceback
    assert table["gdp"].dtype == float  # the table given is left as it was
