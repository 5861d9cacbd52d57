"""Analytics frames become the same JSON column by column as cell by cell."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd

from dyadwatch.api._queries import to_jsonable
from dyadwatch.api.routes_analytics import frame_rows


def test_routes_analytics_frame_rows_equal_to_jsonable() -> None:
    frame = pd.DataFrame(
        {
            "period": pd.Series([dt.date(2020, 1, 1), dt.date(2020, 2, 1), None], dtype=object),
            "events": np.array([3, 0, 7], dtype=np.int64),
            "share": [0.5, float("nan"), float("inf")],
            "flag": [True, False, True],
            "stamp": pd.to_datetime(["2020-01-05", None, "2021-03-01"]),
            "cited": [["a", "b"], [], None],
            "mixed": pd.Series([np.float64("nan"), pd.Timestamp("2020-01-01"), "x"], dtype=object),
            "counts": pd.array([1, None, 3], dtype="Int64"),
            "actor": pd.Series(["USA", "PAK", "IND"], dtype="string"),
            "signs": pd.Series(["++-", "", "---"], dtype=object),
            "gap": pd.Series(["USA", None, "IND"], dtype="string"),
        }
    )
    assert frame_rows(frame) == to_jsonable(frame)
    assert json.dumps(frame_rows(frame), allow_nan=False)  # no NaN escapes
    assert frame_rows(frame.iloc[:0]) == []
