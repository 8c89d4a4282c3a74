"""Long summary rows and tables of galvanostatic cycling and rate tests (from :mod:`.cycling`'s metrics).

The naming follows :mod:`.cycling`: for an anode half-cell ``discharge_capacity`` is the delithiation
capacity; retention is reported under every reading of the reference (``reference=<reading>``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..vocab import conditions
from ..vocab.summary import row as summary_row
from .cycling import READINGS, CycleSettings


def cycling_summary_rows(paper: str, metrics: dict, settings: CycleSettings | dict, technique: str = "cycling") -> list:
    """Long-format rows of one run (see workflow/README.md)."""
    s = settings if isinstance(settings, CycleSettings) else CycleSettings.from_dict(settings)
    sample, base = metrics["sample"], metrics.get("condition", "")
    anode = metrics["cell"] == "anode_half"
    in_name, out_name = (
        ("lithiation_capacity", "delithiation_capacity") if anode else ("charge_capacity", "discharge_capacity")
    )
    first_name = "ice" if anode else "first_cycle_efficiency"
    method = metrics["method"]
    rows = []
    fc = metrics["first_cycle"]
    first_conditions = [conditions.merge(base, cycle=1)]
    if s.initial_cycle_condition and conditions.parse(base) == conditions.parse(s.initial_cycle_condition):
        first_conditions.append("cycle=1")
    for cond in first_conditions:
        rows += [
            summary_row(paper, technique, sample, in_name, cond, "mAh g-1", fc["in_mAh_g"], method),
            summary_row(paper, technique, sample, out_name, cond, "mAh g-1", fc["out_mAh_g"], method),
            summary_row(paper, technique, sample, first_name, cond, "%", fc["ce_pct"], "ce_out_over_in"),
        ]
    cycles = metrics["cycles"]
    by_cycle = {int(c): k for k, c in enumerate(cycles["cycle"])}
    for cyc in metrics["report_cycles"]:
        k = by_cycle[int(cyc)]
        cond = conditions.merge(base, cycle=cyc)
        # (a full cell's first-cycle discharge capacity is already a row above)
        if not (out_name == "discharge_capacity" and cond in first_conditions):
            rows.append(
                summary_row(
                    paper, technique, sample, "discharge_capacity", cond, "mAh g-1", cycles["out_mAh_g"][k], method
                )
            )
        rows.append(
            summary_row(
                paper, technique, sample, "coulombic_efficiency", cond, "%", cycles["ce_pct"][k], "ce_out_over_in"
            )
        )
        if str(cyc) not in metrics["retention_pct"]:
            continue
        readings = metrics["retention_pct"][str(cyc)]
        main = s.retention_reference if s.retention_reference in readings else f"cycle{s.reference_cycle}_delithiation"
        for reading, value in sorted(readings.items()):
            if value is None:
                continue
            c = cond if reading == main else conditions.merge(base, cycle=cyc, reference=reading)
            rows.append(
                summary_row(paper, technique, sample, "capacity_retention", c, "%", value, f"retention_vs_{reading}")
            )
    return rows


def aggregate_rows(paper: str, metrics_list: list[dict], technique: str = "cycling") -> list:
    """Rows for sample ``all`` per run condition: cycle count (shortest complete record), mean
    current density of the out half-cycles (A g⁻¹), and the sheet's mass loading and area."""
    groups: dict[str, list[dict]] = {}
    for m in metrics_list:
        groups.setdefault(conditions.format(conditions.parse(m.get("condition", ""))), []).append(m)
    rows = []
    for cond, ms in sorted(groups.items()):
        counts = [m["last_complete_cycle"] for m in ms if m.get("last_complete_cycle")]
        if counts:
            rows.append(
                summary_row(
                    paper,
                    technique,
                    "all",
                    "cycle_count",
                    cond,
                    "",
                    float(min(counts)),
                    "complete_cycles_in_record",
                    n=len(counts),
                )
            )
        dens = [float(np.nanmedian(m["cycles"]["out_current_mA_g"])) / 1000.0 for m in ms]
        rows.append(
            summary_row(
                paper,
                technique,
                "all",
                "current_density",
                cond,
                "A g-1",
                float(np.mean(dens)),
                "median_out_current_over_mass",
                float(np.std(dens, ddof=1)) if len(dens) > 1 else None,
                len(dens),
            )
        )
    # sheet metadata over every run (condition ''): mass loading, electrode area, 1 C definition
    half = [m for m in metrics_list if m.get("area_cm2") and m.get("cell") == "anode_half"]
    loading = [m["active_mass_mg"] / float(m["area_cm2"]) for m in half]
    if loading:
        rows.append(
            summary_row(
                paper,
                technique,
                "all",
                "mass_loading",
                "",
                "mg cm-2",
                float(np.mean(loading)),
                "sample_sheet_mass_over_area",
                float(np.std(loading, ddof=1)) if len(loading) > 1 else None,
                len(loading),
            )
        )
        areas = [float(m["area_cm2"]) for m in half]
        rows.append(
            summary_row(
                paper,
                technique,
                "all",
                "electrode_area",
                "",
                "cm2",
                float(np.mean(areas)),
                "sample_sheet",
                float(np.std(areas, ddof=1)) if len(areas) > 1 else None,
                len(areas),
            )
        )
    c_refs = sorted({m["c_rate_mAh_g"] for m in metrics_list if m.get("c_rate_mAh_g")})
    if len(c_refs) == 1:
        rows.append(
            summary_row(
                paper,
                technique,
                "all",
                "one_c_specific_current",
                "",
                "mA g-1",
                c_refs[0],
                "sample_sheet",
                n=len(metrics_list),
            )
        )
    return rows


def rate_summary_rows(paper: str, metrics: dict, technique: str = "rate") -> list:
    """Discharge (delithiation) capacity per rate step: mean over the step's n cycles, their SD as uncertainty."""
    steps = metrics.get("rate_steps")
    if not steps:
        return []
    rows = []
    base = metrics.get("condition", "")
    for k in range(len(steps["step"])):
        repeat = steps["repeat"][k]
        cond = conditions.merge(base, rate=steps["rate"][k], repeat=repeat if repeat > 1 else None)
        rows.append(
            summary_row(
                paper,
                technique,
                metrics["sample"],
                "discharge_capacity",
                cond,
                "mAh g-1",
                steps["out_mAh_g_mean"][k],
                "rate_step_mean",
                steps["out_mAh_g_sd"][k],
                steps["n_cycles"][k],
            )
        )
    return rows


def summary_table(spec: dict, runs: list[dict], metrics: dict[str, dict], summary: pd.DataFrame) -> pd.DataFrame:
    """One row per run and reported cycle: in/out capacity, CE and retention by every reading."""
    rows = []
    for run in runs:
        m = metrics[run["run"]]
        c = m["cycles"]
        by_cycle = {int(v): k for k, v in enumerate(c["cycle"])}
        for cyc in m["report_cycles"]:
            k = by_cycle[int(cyc)]
            row = {
                "sample": run["sample"],
                "run": run["run"],
                "condition": run.get("condition", ""),
                "cycle": int(cyc),
                "in_mAh_g": c["in_mAh_g"][k],
                "out_mAh_g": c["out_mAh_g"][k],
                "ce_pct": c["ce_pct"][k],
            }
            readings = m["retention_pct"].get(str(cyc), {})
            for reading in READINGS:
                row[f"retention_vs_{reading}_pct"] = readings.get(reading)
            rows.append(row)
    return pd.DataFrame(rows)
