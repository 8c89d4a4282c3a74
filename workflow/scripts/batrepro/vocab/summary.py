"""The long summary row: one number a technique recomputed, in the form the audit joins on.

Each technique job writes ``results/<paper>/metrics/<technique>/summary.csv`` with these columns
(workflow/README.md). The audit joins the rows to the registry on :data:`KEY`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from . import conditions

#: Column order of every technique's long summary (the audit's input).
SUMMARY_COLUMNS = (
    "paper",
    "technique",
    "sample",
    "quantity",
    "condition",
    "unit",
    "value",
    "uncertainty",
    "n",
    "method",
)
#: Columns that identify a number; the audit joins reported and recomputed rows on them.
KEY = ("paper", "technique", "sample", "quantity", "condition")


@dataclass(frozen=True)
class SummaryRow:
    """One recomputed number. ``uncertainty`` is an SD or standard error, None where there is none."""

    paper: str
    technique: str
    sample: str
    quantity: str
    condition: str
    unit: str
    value: float
    method: str
    uncertainty: float | None = None
    n: int = 1

    def __post_init__(self):
        if self.condition:
            issue = conditions.problem(self.condition)
            if issue:
                raise ValueError(f"summary row {self.sample}/{self.quantity}: {issue}")

    def as_dict(self) -> dict:
        return asdict(self)


def row(
    paper: str,
    technique: str,
    sample: str,
    quantity: str,
    condition: str,
    unit: str,
    value,
    method: str,
    uncertainty=None,
    n: int = 1,
) -> SummaryRow:
    """A :class:`SummaryRow`, with NumPy numbers turned into floats and NaN uncertainty into None."""
    u = (
        None
        if uncertainty is None or (isinstance(uncertainty, float) and math.isnan(uncertainty))
        else float(uncertainty)
    )
    v = math.nan if value is None else float(value)
    return SummaryRow(paper, technique, sample, quantity, condition, unit, v, method, u, int(n))


def mean_sd(
    paper: str,
    technique: str,
    sample: str,
    quantity: str,
    unit: str,
    values,
    method: str,
    condition: str = "",
    stderr: float | None = None,
) -> SummaryRow:
    """The mean of ``values`` ± their sample SD (ddof = 1). A single value carries ``stderr``, the method's
    standard error of that one measurement, if the method gives one (the audit reads an SD with its n > 1 and
    a standard error with n = 1)."""
    v = np.asarray(values, dtype=float)
    sd = float(np.std(v, ddof=1)) if v.size > 1 else stderr
    return row(paper, technique, sample, quantity, condition, unit, float(np.mean(v)), method, sd, v.size)


def span(paper: str, technique: str, quantity: str, unit: str, lows, highs, method: str) -> list[SummaryRow]:
    """A test's span over all runs (sample ``all``): two rows, conditions ``bound=min`` and ``bound=max``."""
    return [
        row(paper, technique, "all", quantity, f"bound={end}", unit, value, method, n=len(lows))
        for end, value in (("min", min(lows)), ("max", max(highs)))
    ]


def frame(rows: Iterable[SummaryRow | Mapping]) -> pd.DataFrame:
    """Rows as a table in :data:`SUMMARY_COLUMNS` order, sorted by key. A repeated key is an error:
    two different numbers for one (sample, quantity, condition) would make the audit's join ambiguous."""
    records = [r.as_dict() if isinstance(r, SummaryRow) else dict(r) for r in rows]
    df = pd.DataFrame(records, columns=list(SUMMARY_COLUMNS))
    dupes = df[df.duplicated(list(KEY), keep=False)]
    if not dupes.empty:
        first = dupes.iloc[0]
        raise ValueError(
            f"summary has {len(dupes)} rows sharing a key, e.g. {first['technique']} {first['sample']} "
            f"{first['quantity']} [{first['condition']}]"
        )
    return df.sort_values(list(KEY), kind="stable").reset_index(drop=True)
