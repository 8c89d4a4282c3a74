"""Galvanostatic cycling (EC-Lab GCPL/MB or a generic CSV): capacities, CE, retention.

Per run, ``metrics/<run>.json`` holds the scalars and the per-cycle table; ``curves/cycling/<run>.csv`` the
voltage–capacity curves of the configured cycles (``cycle, half, capacity_mAh_g, voltage_V``).
"""

from __future__ import annotations

import logging
from dataclasses import replace

from ..analysis.cycling import CycleSettings as Settings
from ..vocab import summary as vsummary
from . import RunMetrics, Technique, run_curves, with_rows
from ._eclab import FORMATS, ingester, voltage_extent, voltage_span

logger = logging.getLogger(__name__)


#: the ∫I dt rule that suits each kind of current column (techniques/_eclab.with_current)
RULES = {"instantaneous": "trapezoid", "interval_mean": "rectangle", "unknown": "rectangle"}


def integration_rule(run, settings, info) -> tuple[str, str]:
    """(rule, why): the sheet's ``integration`` column, else the config's rule, else (``auto``) the rule of the
    file's current: trapezoid for an instantaneous ``I/mA`` (the value at the point; the rectangle over-counts
    every decaying CV-hold current), rectangle for the interval mean ``<I>/mA`` or a current derived from dq."""
    sheet = str(run.get("integration") or "").strip()
    if sheet:
        return sheet, "sample sheet"
    if settings.integration != "auto":
        return settings.integration, "config"
    kind = info.get("current_kind", "unknown")
    return RULES[kind], f"auto: {kind} current"


def analyse(table, run, settings, info):
    from ..analysis.cycling import analyse_run

    rule, why = integration_rule(run, settings, info)
    metrics = {**analyse_run(table, run, replace(settings, integration=rule)), **voltage_extent(table)}
    metrics["integration"] = {"rule": rule, "source": why, "current_kind": info.get("current_kind", "unknown")}
    profiles = metrics.pop("curves")
    check = metrics["capacity_check"]
    if check["checked"]:
        logger.info(
            "%s: ∫I dt (%s, %s) vs the cycler's capacity counter: largest difference %.2g %% over %d half-cycles",
            run["run"],
            rule,
            why,
            100 * check["max_rel_diff"],
            check["n_half_cycles"],
        )
        if check["max_rel_diff"] > settings.capacity_check_tolerance:
            logger.warning(
                "%s: ∫I dt (%s) differs from the cycler's capacity counter by %.3g %% (more than %.3g %%): "
                "check the integration rule (sheet column integration) or the current column",
                run["run"],
                rule,
                100 * check["max_rel_diff"],
                100 * settings.capacity_check_tolerance,
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
