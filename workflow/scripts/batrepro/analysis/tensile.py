"""Tensile properties of thin plastic films after ASTM D882.

* Engineering stress = load / (width × thickness); engineering strain = extension / initial grip
  separation (gauge length).
* Young's modulus: the steepest straight segment of the initial curve (D882's tangent modulus),
  found automatically by sliding a fixed-width strain window over the region below a fraction of
  the maximum stress and keeping the largest least-squares slope. Its zero-stress intercept is the
  toe correction (D882 toe compensation): every strain is measured from there.
* Tensile strength = maximum stress up to the break; elongation at break = toe-corrected strain at
  the break; tensile energy to break ("toughness") = ∫σ dε up to the break (MJ m⁻³).
* Break detector: the first point after the load maximum from which the load falls by
  `drop_fraction` of the maximum within `window_points` samples; the break is the last point
  before that fall.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from ..vocab import summary as vsummary


@dataclass(frozen=True)
class TensileResult:
    youngs_modulus_MPa: float
    youngs_modulus_r2: float
    toe_strain_pct: float
    tensile_strength_MPa: float
    elongation_at_break_pct: float
    toughness_MJ_m3: float
    break_detected: bool
    break_index: int
    method: str = "astm_d882"

    def as_dict(self) -> dict:
        return asdict(self)


def engineering_curve(data: pd.DataFrame, width_mm: float, thickness_mm: float, gauge_length_mm: float) -> pd.DataFrame:
    """Engineering strain (%) and stress (MPa) from extension (mm) and load (N)."""
    out = pd.DataFrame(
        {
            "time_s": data["time_s"].to_numpy(float),
            "strain_pct": data["extension_mm"].to_numpy(float) / gauge_length_mm * 100.0,
            "stress_MPa": data["load_N"].to_numpy(float) / (width_mm * thickness_mm),
        }
    )
    return out


def find_break(load: np.ndarray, drop_fraction: float = 0.5, window_points: int = 5) -> tuple[int, bool]:
    """Index of the last point before the load falls by `drop_fraction`·max within `window_points`."""
    i_max = int(np.argmax(load))
    threshold = drop_fraction * load[i_max]
    for j in range(i_max + 1, load.size):
        start = max(i_max, j - window_points)
        if load[start:j].max() - load[j] >= threshold:
            return start + int(np.argmax(load[start:j])), True
    return load.size - 1, False


def youngs_modulus(
    strain_pct: np.ndarray, stress: np.ndarray, window_pct: float = 0.25, max_fraction: float = 0.6
) -> tuple[float, float, float]:
    """Steepest straight segment (MPa per unit strain), its R², and its zero-stress strain (%)."""
    limit = max_fraction * stress.max()
    above = np.nonzero(stress > limit)[0]
    end = int(above[0]) if above.size else stress.size
    x, y = strain_pct[:end], stress[:end]
    dx = np.median(np.diff(x)) if x.size > 1 else 0.0
    if dx <= 0:
        raise ValueError("strain does not increase in the initial region")
    n = max(5, int(round(window_pct / dx)))
    if x.size < n:
        raise ValueError(
            f"only {x.size} points below {max_fraction:.0%} of the maximum stress; need {n} for the modulus window"
        )
    X, Y = sliding_window_view(x, n), sliding_window_view(y, n)
    xm, ym = X.mean(axis=1, keepdims=True), Y.mean(axis=1, keepdims=True)
    sxx = ((X - xm) ** 2).sum(axis=1)
    sxy = ((X - xm) * (Y - ym)).sum(axis=1)
    syy = ((Y - ym) ** 2).sum(axis=1)
    slope = sxy / sxx
    k = int(np.argmax(slope))
    r2 = float(sxy[k] ** 2 / (sxx[k] * syy[k])) if syy[k] > 0 else 0.0
    intercept = float(ym[k, 0] - slope[k] * xm[k, 0])
    toe = -intercept / slope[k]
    return float(slope[k] * 100.0), r2, float(toe)  # per % strain -> per unit strain


def analyse_specimen(
    curve: pd.DataFrame,
    *,
    window_pct: float = 0.25,
    max_fraction: float = 0.6,
    drop_fraction: float = 0.5,
    window_points: int = 5,
) -> TensileResult:
    strain = curve["strain_pct"].to_numpy(float)
    stress = curve["stress_MPa"].to_numpy(float)
    i_break, detected = find_break(stress, drop_fraction, window_points)
    modulus, r2, toe = youngs_modulus(strain[: i_break + 1], stress[: i_break + 1], window_pct, max_fraction)
    toe = max(toe, 0.0)
    strain_c = np.clip(strain[: i_break + 1] - toe, 0.0, None)
    stress_c = np.where(strain[: i_break + 1] >= toe, stress[: i_break + 1], 0.0)
    toughness = float(np.trapezoid(stress_c, strain_c / 100.0))  # MPa = MJ m-3
    return TensileResult(
        youngs_modulus_MPa=modulus,
        youngs_modulus_r2=r2,
        toe_strain_pct=toe,
        tensile_strength_MPa=float(stress[: i_break + 1].max()),
        elongation_at_break_pct=float(strain[i_break] - toe),
        toughness_MJ_m3=toughness,
        break_detected=detected,
        break_index=i_break,
    )


SUMMARY_QUANTITIES = {
    "youngs_modulus": ("youngs_modulus_MPa", "MPa", 1e-3, "GPa"),
    "tensile_strength": ("tensile_strength_MPa", "MPa", 1.0, "MPa"),
    "elongation_at_break": ("elongation_at_break_pct", "%", 1.0, "%"),
    "toughness": ("toughness_MJ_m3", "MJ m-3", 1.0, "MJ m-3"),
}


def summarise(paper: str, runs: list[dict], metrics: dict[str, dict]) -> pd.DataFrame:
    """Long-format mean ± SD (ddof = 1) over the specimens of each sample."""
    rows = []
    samples = sorted({r["sample"] for r in runs})
    for sample in samples:
        ms = [metrics[r["run"]] for r in runs if r["sample"] == sample]
        for quantity, (key, _, factor, unit) in sorted(SUMMARY_QUANTITIES.items()):
            v = np.array([m[key] for m in ms], float) * factor
            rows.append(vsummary.mean_sd(paper, "tensile", sample, quantity, unit, v, "astm_d882"))
    return vsummary.frame(rows)


def summary_table(spec: dict, runs: list[dict], metrics: dict[str, dict], summary: pd.DataFrame) -> pd.DataFrame:
    """Mean ± SD per sample: modulus, strength, elongation at break, toughness."""
    rows = []
    for sample in spec["samples"]:
        ms = [metrics[r["run"]] for r in runs if r["sample"] == sample]
        if not ms:
            continue
        row = {"sample": sample, "specimens": len(ms)}
        for quantity, (key, _, factor, unit) in SUMMARY_QUANTITIES.items():
            v = np.array([m[key] for m in ms], float) * factor
            row[f"{quantity}_{unit.replace(' ', '_').replace('%', 'pct')}_mean"] = v.mean()
            row[f"{quantity}_{unit.replace(' ', '_').replace('%', 'pct')}_sd"] = v.std(ddof=1) if v.size > 1 else np.nan
        row["breaks_detected"] = sum(bool(m["break_detected"]) for m in ms)
        rows.append(row)
    return pd.DataFrame(rows)
