"""Galvanostatic cycling (EC-Lab GCPL/MB or a generic CSV): capacities, CE, retention.

Per run, ``metrics/<run>.json`` holds the scalars and the per-cycle table; ``curves/cycling/<run>.csv`` the
voltage–capacity curves of the configured cycles (``cycle, half, capacity_mAh_g, voltage_V``).
"""

from __future__ import annotations

import logging

from ..analysis.cycling import CycleSettings as Settings
from ..vocab import summary as vsummary
from . import RunMetrics, Technique, run_curves, with_rows
from ._eclab import FORMATS, ingester, voltage_extent, voltage_span

logger = logging.getLogger(__name__)


def analyse(table, run, settings, info):
    from ..analysis.cycling import analyse_run

    metrics = {**analyse_run(table, run, settings), **voltage_extent(table)}
    profiles = metrics.pop("curves")
    check = metrics["capacity_check"]
    if check["checked"] and check["max_rel_diff"] > settings.capacity_check_tolerance:
        logger.warning(
            "%s: ∫I dt differs from the cycler's capacity column by %.3g (relative)", run["run"], check["max_rel_diff"]
        )
    return RunMetrics(metrics, profiles)


def curves(metrics):
    """The run's voltage–capacity curves, written to ``results/<paper>/curves/cycling/<run>.csv``."""
    return run_curves(metrics)


def summarise(paper, runs, metrics, settings):
    from ..analysis.cycling_summary import aggregate_rows, cycling_summary_rows

    ms = [metrics[r["run"]] for r in runs]
    rows = [row for m in ms for row in cycling_summary_rows(paper, m, settings)]
    return with_rows(
        vsummary.frame(rows + aggregate_rows(paper, ms, "cycling")), voltage_span(paper, "cycling", runs, metrics)
    )


def summary_table(spec, runs, metrics, summary):
    from ..analysis.cycling_summary import summary_table as table

    return table(spec, runs, metrics, summary)


TECHNIQUE = Technique(
    "cycling",
    ingester("cycling", ("GCPL", "MB")),
    analyse,
    summarise,
    Settings,
    formats=FORMATS,
    tables={"cycling_summary": summary_table},
    curves=curves,
    read_options={"generic_csv": {"kind": "cycling"}},
)
