"""Rate-capability tests: the cycling analysis, summarised per rate step.

The rate technique reads the ``cycling:`` settings block (SETTINGS_BLOCK below; common.smk reads it).
"""

from __future__ import annotations

from ..vocab import summary as vsummary
from . import Technique, with_rows
from ._eclab import FORMATS, ingester
from .cycling import Settings, analyse

#: the config block holding this technique's settings
SETTINGS_BLOCK = "cycling"


def summarise(paper, runs, metrics, settings):
    from ..analysis.cycling_summary import aggregate_rows, rate_summary_rows

    ms = [metrics[r["run"]] for r in runs]
    rows = [row for m in ms for row in rate_summary_rows(paper, m, "rate")]
    rows += [row for row in aggregate_rows(paper, ms, "rate") if row.quantity != "current_density"]
    rates = [c for m in ms for c in m["rate_steps"]["c_rate"]]
    spans = vsummary.span(paper, "rate", "c_rate_range", "C", rates, rates, "rate_steps") if rates else []
    return with_rows(vsummary.frame(rows), spans)


TECHNIQUE = Technique(
    "rate",
    ingester("rate", ("GCPL", "MB")),
    analyse,
    summarise,
    Settings,
    formats=FORMATS,
    read_options={"generic_csv": {"kind": "cycling"}},
)
