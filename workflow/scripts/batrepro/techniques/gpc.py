"""GPC/SEC (RI trace + polystyrene calibration table): Mn, Mw, Mz and dispersity by the slice method.

Each sheet row names its trace (``path``) and its calibration table (``calibration_path``, an input of the job
like the trace); a time axis is turned into volume with the sheet's ``flow_rate_mL_min``. The summary has
``mn`` and ``mw`` in kDa (the paper's unit) with their standard uncertainty, and ``dispersity``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd

from ..readers import RawDataError
from ..readers.gpc import read_gpc_calibration
from ..vocab import summary as vsummary
from . import Technique

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Settings:
    """Config ``gpc:`` (workflow/schemas/config.schema.yaml holds the defaults)."""

    calibration_order: int
    baseline_fraction: float
    limit_fraction: float
    limit_smoothing_points: int


class RunMetrics(dict):
    """The metrics written to JSON, with the curves table beside them (an attribute the writer never sees)."""

    def __init__(self, metrics: dict, curves: pd.DataFrame):
        super().__init__(metrics)
        self.curves = curves


def ingest(raw, run, settings):
    data = raw.data
    if "elution_time_min" in data:
        flow = run.get("flow_rate_mL_min")
        if flow is None:
            raise RawDataError(raw.source, "the trace is against elution time; the sheet gives no flow_rate_mL_min")
        data = pd.DataFrame(
            {"elution_volume_mL": data["elution_time_min"] * float(flow), "ri_signal_mV": data["ri_signal_mV"]}
        )
    if "calibration_path" not in run:
        raise ValueError(f"{raw.source}: the sheet gives no calibration_path for run {run['run']}")
    calibration = read_gpc_calibration(run["calibration_path"]).data
    return data, {"calibration": calibration}


def analyse(table, run, settings, info):
    from ..analysis.gpc import distribution, fit_calibration, slice_averages

    c = info["calibration"]
    cal = fit_calibration(c["peak_molar_mass_g_mol"], c["elution_volume_mL"], settings.calibration_order)
    v, y = table["elution_volume_mL"].to_numpy(), table["ri_signal_mV"].to_numpy()
    result = slice_averages(
        v,
        y,
        cal,
        baseline_fraction=settings.baseline_fraction,
        limit_fraction=settings.limit_fraction,
        limit_smoothing_points=settings.limit_smoothing_points,
        name=run["path"],
    )
    logger.info("%s: Mn %.0f, Mw %.0f g/mol, Đ %.3f", run["run"], result.mn_g_mol, result.mw_g_mol, result.dispersity)
    logm, w = distribution(v, y, cal, result, settings.baseline_fraction)
    curves = pd.DataFrame({"log10_molar_mass": logm, "weight_fraction_per_log_m": w}).sort_values("log10_molar_mass")
    metrics = {
        **result.as_dict(),
        "calibration_residual_dex": cal.residual_dex,
        "calibration_standards": cal.n_standards,
        "calibration_range_mL": [cal.volume_min_mL, cal.volume_max_mL],
    }
    return RunMetrics(metrics, curves.reset_index(drop=True))


def curves(metrics):
    return metrics.curves


def summarise(paper, runs, metrics, settings):
    rows = []
    for r in runs:
        m = metrics[r["run"]]
        c = r.get("condition", "") or ""
        rows += [
            vsummary.row(paper, "gpc", r["sample"], "mn", c, "kDa", m["mn_g_mol"] / 1e3, m["method"],
                         m["mn_uncertainty_g_mol"] / 1e3),
            vsummary.row(paper, "gpc", r["sample"], "mw", c, "kDa", m["mw_g_mol"] / 1e3, m["method"],
                         m["mw_uncertainty_g_mol"] / 1e3),
            vsummary.row(paper, "gpc", r["sample"], "dispersity", c, "", m["dispersity"], m["method"]),
        ]  # fmt: skip
    return vsummary.frame(rows)


def averages_table(spec, runs, metrics, summary):
    """Mn, Mw, Mz (kDa) ± standard uncertainty, dispersity, integration limits and calibration fit, per run."""
    rows = []
    for r in runs:
        m = metrics[r["run"]]
        rows.append(
            {
                "sample": r["sample"],
                "run": r["run"],
                "mn_kDa": m["mn_g_mol"] / 1e3,
                "mn_se_kDa": m["mn_uncertainty_g_mol"] / 1e3,
                "mw_kDa": m["mw_g_mol"] / 1e3,
                "mw_se_kDa": m["mw_uncertainty_g_mol"] / 1e3,
                "mz_kDa": m["mz_g_mol"] / 1e3,
                "dispersity": m["dispersity"],
                "limit_low_mL": m["limit_low_mL"],
                "limit_high_mL": m["limit_high_mL"],
                "calibration_residual_dex": m["calibration_residual_dex"],
            }
        )
    return pd.DataFrame(rows)


TECHNIQUE = Technique(
    "gpc",
    ingest,
    analyse,
    summarise,
    Settings,
    formats=("gpc_csv",),
    tables={"gpc_averages": averages_table},
    curves=curves,
    float_format="%.8g",
)
