"""N₂ physisorption (Micromeritics report .xls or isotherm CSV): BET, t-plot, BJH; tap density from the sheet.

Tap density (ISO 3953 / ASTM B527) has no instrument file: the tapped mass and volume are typed into the
sample sheet (``tapped_mass_g``, ``tapped_volume_cm3``) and echoed as an input, mass over volume in g cm⁻³,
with the method ``sample_sheet``, which the audit counts as an echoed input, not a measurement.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..vocab import summary as vsummary
from . import Technique, run_table

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Settings:
    """Config ``bet:`` (workflow/schemas/config.schema.yaml holds the defaults)."""

    cross_section_nm2: float
    min_points: int
    xm_tolerance: float | None
    t_range_A: tuple[float, float]
    t_window_shift_A: float
    t_window_step_A: float
    t_window_min_points: int
    t_window_min_r2: float
    bjh_diameter_range_nm: tuple[float, float]


def ingest(raw, run, settings):
    info = {k: raw.header[k] for k in ("sample_mass_g", "adsorptive", "bath_temperature_K") if k in raw.header}
    # the instrument's own numbers, for comparison in the table only (never used by the analysis)
    for k in ("reported_bet_area_m2_g", "reported_tplot_micropore_area_m2_g"):
        if raw.header.get(k) is not None:
            info[k.replace("reported_", "instrument_")] = raw.header[k]
    for k in ("tapped_mass_g", "tapped_volume_cm3"):
        if run.get(k) is not None and not (isinstance(run[k], float) and math.isnan(run[k])):
            info[k] = float(run[k])
    return raw.data, info


def analyse(table, run, settings, info):
    from ..analysis.bet import bet_area, bjh_desorption, micropore_area, t_plot

    ads = table[table["branch"] == "adsorption"]
    des = table[table["branch"] == "desorption"]
    x, n = ads["relative_pressure"].to_numpy(), ads["quantity_adsorbed_cm3_g"].to_numpy()
    bet = bet_area(
        x,
        n,
        cross_section_nm2=settings.cross_section_nm2,
        min_points=settings.min_points,
        xm_tolerance=settings.xm_tolerance if settings.xm_tolerance is not None else math.inf,
        source=run["path"],
    )
    tp = t_plot(x, n, t_range_A=tuple(settings.t_range_A), source=run["path"])
    out = {f"bet_{k}": v for k, v in bet.as_dict().items()}
    out.update({f"tplot_{k}": v for k, v in tp.as_dict().items()})
    # S_micro = S_BET − S_ext; its u combines the readings' scatter (covariance of the two fits included) and the
    # spread over the admissible thickness windows (analysis.bet module docstring, GUM)
    micro = micropore_area(
        x,
        n,
        bet,
        tp,
        t_range_A=tuple(settings.t_range_A),
        shift_A=settings.t_window_shift_A,
        step_A=settings.t_window_step_A,
        min_points=settings.t_window_min_points,
        min_r2=settings.t_window_min_r2,
    )
    out.update({f"micropore_{k}": v for k, v in micro.as_dict().items()})
    if len(des) >= 3:
        # the desorption branch starts from the top adsorption point
        xd = np.concatenate(([x[-1]], des["relative_pressure"].to_numpy()))
        nd = np.concatenate(([n[-1]], des["quantity_adsorbed_cm3_g"].to_numpy()))
        bjh = bjh_desorption(xd, nd, diameter_range_nm=tuple(settings.bjh_diameter_range_nm))
        out["bjh_diameter_nm"] = bjh.diameter_nm.tolist()
        out["bjh_dv_dlogd_cm3_g"] = bjh.dv_dlogd_cm3_g.tolist()
        out["bjh_cumulative_volume_cm3_g"] = bjh.cumulative_volume_cm3_g.tolist()
        out["bjh_pore_volume_cm3_g"] = float(bjh.cumulative_volume_cm3_g[-1]) if bjh.diameter_nm.size else None
        out["bjh_pore_area_m2_g"] = float(bjh.cumulative_area_m2_g[-1]) if bjh.diameter_nm.size else None
    if "tapped_mass_g" in info and "tapped_volume_cm3" in info:
        out["tap_density_g_cm3"] = info["tapped_mass_g"] / info["tapped_volume_cm3"]
    logger.info(
        "%s: S_BET %.3f m2/g (p/p0 %.3g-%.3g, C %.0f), S_micro %.3f +- %.3f m2/g (readings %.3f, %d shared "
        "point(s); thickness window %.3f over %d windows)",
        run["run"],
        bet.area_m2_g,
        bet.p_min,
        bet.p_max,
        bet.c_constant,
        micro.area_m2_g,
        micro.area_stderr_m2_g,
        micro.reading_stderr_m2_g,
        micro.shared_points,
        micro.window_sd_m2_g,
        micro.windows,
    )
    return {**out, **info}


def curves(metrics):
    """BJH pore-size distribution (``results/<paper>/curves/bet/<run>.csv``); the isotherm is the data table."""
    if not metrics.get("bjh_diameter_nm"):
        return None
    return pd.DataFrame(
        {
            "diameter_nm": metrics["bjh_diameter_nm"],
            "dv_dlogd_cm3_g": metrics["bjh_dv_dlogd_cm3_g"],
            "cumulative_volume_cm3_g": metrics["bjh_cumulative_volume_cm3_g"],
        }
    )


QUANTITIES = (
    ("bet_surface_area", "bet_area_m2_g", "bet_area_stderr_m2_g", "m2 g-1", "iso9277_bet_rouquerol"),
    ("micropore_surface_area", "micropore_area_m2_g", "micropore_area_stderr_m2_g", "m2 g-1", "tplot_harkins_jura"),
    ("tapping_density", "tap_density_g_cm3", None, "g cm-3", "sample_sheet"),
)


def summarise(paper, runs, metrics, settings):
    rows = []
    by_sample: dict[str, list[dict]] = {}
    for run in runs:
        by_sample.setdefault(run["sample"], []).append(metrics[run["run"]])
    for sample, ms in sorted(by_sample.items()):
        for quantity, key, se_key, unit, method in QUANTITIES:
            have = [m for m in ms if m.get(key) is not None]
            if not have:
                continue
            se = have[0].get(se_key) if se_key else None
            values = [m[key] for m in have]
            rows.append(vsummary.mean_sd(paper, "bet", sample, quantity, unit, values, method, stderr=se))
    return vsummary.frame(rows)


def surface_table(spec, runs, metrics, summary):
    """Table S1 (Guan): S_BET, S_micro and tap density, with the BET range, C, t-plot and BJH results."""
    columns = {
        "S_BET_m2_g": "bet_area_m2_g",
        "S_BET_stderr_m2_g": "bet_area_stderr_m2_g",
        "S_micro_m2_g": "micropore_area_m2_g",
        "S_micro_stderr_m2_g": "micropore_area_stderr_m2_g",
        "S_micro_window_sd_m2_g": "micropore_window_sd_m2_g",
        "S_ext_m2_g": "tplot_external_area_m2_g",
        "tap_density_g_cm3": "tap_density_g_cm3",
        "bet_p_min": "bet_p_min",
        "bet_p_max": "bet_p_max",
        "bet_points": "bet_n_points",
        "bet_C": "bet_c_constant",
        "micropore_volume_cm3_g": "tplot_micropore_volume_cm3_g",
        "bjh_pore_volume_cm3_g": "bjh_pore_volume_cm3_g",
    }
    return run_table(spec, runs, metrics, columns, optional=frozenset({"tap_density_g_cm3", "bjh_pore_volume_cm3_g"}))


TECHNIQUE = Technique(
    "bet",
    ingest,
    analyse,
    summarise,
    Settings,
    formats=("micromeritics_xls", "isotherm_csv"),
    tables={"surface_area": surface_table},
    curves=curves,
    float_format="%.8g",
)
