"""Mercury intrusion porosimetry (Micromeritics AutoPore text export): porosity, pore area, median diameters."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd

from ..vocab import summary as vsummary
from . import Technique, run_table

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Settings:
    """Config ``mip:`` (workflow/schemas/config.schema.yaml holds the defaults)."""

    surface_tension_mN_m: float
    contact_angle_deg: float
    plateau_points: int


def ingest(raw, run, settings):
    h = raw.header
    for key, mine in (
        ("surface_tension_mN_m", settings.surface_tension_mN_m),
        ("contact_angle_deg", settings.contact_angle_deg),
    ):
        if key in h and abs(h[key] - mine) > 1e-6 * abs(mine):
            logger.warning(
                "%s: the file's %s is %g, the analysis uses the configured %g", run["path"], key, h[key], mine
            )
    return raw.data, {k: h[k] for k in ("sample_mass_g", "bulk_density_g_mL", "bulk_density_pressure_psia") if k in h}


def analyse(table, run, settings, info):
    from ..analysis.mip import analyse_intrusion, log_differential

    p, v = table["pressure_psia"].to_numpy(), table["cumulative_intrusion_mL_g"].to_numpy()
    kw = dict(surface_tension_mN_m=settings.surface_tension_mN_m, contact_angle_deg=settings.contact_angle_deg)
    res = analyse_intrusion(
        p, v, bulk_density_g_mL=info["bulk_density_g_mL"], plateau_points=settings.plateau_points, **kw
    )
    d, dvdlogd = log_differential(p, v, **kw)
    logger.info("%s: porosity %.2f %%, pore area %.3f m2/g", run["run"], res.porosity_pct, res.total_pore_area_m2_g)
    return {**res.as_dict(), **info, **kw, "psd_diameter_um": d.tolist(), "psd_dv_dlogd_mL_g": dvdlogd.tolist()}


def curves(metrics):
    """Log-differential intrusion against Washburn diameter (``results/<paper>/curves/mip/<run>.csv``)."""
    return pd.DataFrame({"diameter_um": metrics["psd_diameter_um"], "dv_dlogd_mL_g": metrics["psd_dv_dlogd_mL_g"]})


QUANTITIES = (
    ("porosity", "porosity_pct", "%"),
    ("total_pore_area", "total_pore_area_m2_g", "m2 g-1"),
    ("median_pore_diameter_volume", "median_diameter_volume_um", "um"),
    ("median_pore_diameter_area", "median_diameter_area_um", "um"),
    ("average_pore_diameter", "average_diameter_um", "um"),
)


def summarise(paper, runs, metrics, settings):
    rows = []
    by_sample: dict[str, list[dict]] = {}
    for run in runs:
        by_sample.setdefault(run["sample"], []).append(metrics[run["run"]])
    for sample, ms in sorted(by_sample.items()):
        for quantity, key, unit in QUANTITIES:
            method = "iso15901_1_washburn"
            se = ms[0].get("porosity_stderr_pct") if quantity == "porosity" else None  # used for a single run
            rows.append(vsummary.mean_sd(paper, "mip", sample, quantity, unit, [m[key] for m in ms], method, stderr=se))
    return vsummary.frame(rows)


def mip_table(spec, runs, metrics, summary):
    """Table S4 (Kim): porosity, total pore area, median pore diameters (volume, area), average diameter."""
    columns = {
        "porosity_pct": "porosity_pct",
        "total_pore_area_m2_g": "total_pore_area_m2_g",
        "median_pore_diameter_volume_um": "median_diameter_volume_um",
        "median_pore_diameter_area_um": "median_diameter_area_um",
        "average_pore_diameter_um": "average_diameter_um",
        "total_intrusion_mL_g": "total_intrusion_mL_g",
        "bulk_density_g_mL": "bulk_density_g_mL",
    }
    return run_table(spec, runs, metrics, columns)


TECHNIQUE = Technique(
    "mip",
    ingest,
    analyse,
    summarise,
    Settings,
    formats=("autopore_txt",),
    tables={"mip_summary": mip_table},
    curves=curves,
    float_format="%.8g",
)
