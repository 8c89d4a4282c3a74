"""Adhesion of a coating to its current collector: 180° peel (ASTM D903 / ISO 8510-2) and SAICAS.

180° peel (ASTM D903; ISO 8510-2 flexible-to-rigid)
    The crack point is where debonding starts: the first sample at which the force reaches
    ``crack_fraction`` of the test's maximum force (the end of the initial elastic loading ramp). The peel
    (adhesion) force is the mean force over the window that starts ``window_offset_mm`` of crosshead
    extension after the crack point and is ``window_length_mm`` long (ISO 8510-2 also excludes the start of
    the peel); its SD, minimum and maximum describe the stick–slip. The standard error of the mean is
    estimated by batch means (``batches`` consecutive blocks), because successive samples of a stick–slip
    record are correlated and SD/√n would understate it.

SAICAS (oblique cutting, then constant-depth peeling; Daipia Wintes SAICAS, JIS-style peel strength)
    The blade first cuts obliquely (its depth grows with the horizontal displacement), then stops descending at
    the interface and moves horizontally at constant depth: that regime peels the coating off, and its mean
    horizontal force is the adhesion force. The constant-depth regime is found automatically: the final depth
    is the median depth of the last ``tail_fraction`` of the log; the regime starts at the first sample from
    which the depth stays within ``depth_tolerance_um`` of it to the end of the log. The mean is taken from
    ``settle_um`` of horizontal displacement after that start (the transient from the cutting force to the
    peeling force) to the end; at least ``min_peel_um`` must remain.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from ..vocab import summary as vsummary


def batch_mean_se(values: np.ndarray, batches: int) -> float:
    """Standard error of the mean of a correlated series by the method of batch means."""
    v = np.asarray(values, float)
    k = min(int(batches), v.size)
    if k < 2:
        return float("nan")
    means = np.array([b.mean() for b in np.array_split(v, k)])
    return float(means.std(ddof=1) / np.sqrt(k))


@dataclass(frozen=True)
class PeelResult:
    adhesion_force_N: float
    force_sd_N: float
    force_min_N: float
    force_max_N: float
    standard_error_N: float
    crack_extension_mm: float
    crack_index: int
    window_start_mm: float
    window_end_mm: float
    window_points: int
    max_force_N: float
    method: str = "astm_d903_peel"

    def as_dict(self) -> dict:
        return asdict(self)


def peel_force(
    extension_mm: np.ndarray,
    load_N: np.ndarray,
    *,
    crack_fraction: float,
    window_offset_mm: float,
    window_length_mm: float,
    batches: int,
) -> PeelResult:
    """Average peel force over the configured window after the crack point (module docstring)."""
    x = np.asarray(extension_mm, float)
    f = np.asarray(load_N, float)
    f_max = float(f.max())
    if not f_max > 0:
        raise ValueError(f"the force never rises above zero (maximum {f_max:g} N): no peel")
    i_crack = int(np.argmax(f >= crack_fraction * f_max))
    start = x[i_crack] + window_offset_mm
    end = start + window_length_mm
    if x[-1] < end:
        raise ValueError(
            f"the record ends at {x[-1]:.2f} mm extension, before the end of the averaging window "
            f"({start:.2f}–{end:.2f} mm: crack point at {x[i_crack]:.2f} mm + {window_offset_mm:g} mm offset, "
            f"{window_length_mm:g} mm long)"
        )
    window = (x >= start) & (x <= end)
    w = f[window]
    if w.size < 2:
        raise ValueError(f"only {w.size} samples inside the averaging window {start:.2f}–{end:.2f} mm")
    return PeelResult(
        adhesion_force_N=float(w.mean()),
        force_sd_N=float(w.std(ddof=1)),
        force_min_N=float(w.min()),
        force_max_N=float(w.max()),
        standard_error_N=batch_mean_se(w, batches),
        crack_extension_mm=float(x[i_crack]),
        crack_index=i_crack,
        window_start_mm=float(start),
        window_end_mm=float(end),
        window_points=int(w.size),
        max_force_N=f_max,
    )


@dataclass(frozen=True)
class SaicasResult:
    adhesion_force_N: float
    force_sd_N: float
    standard_error_N: float
    vertical_force_N: float
    peel_depth_um: float
    constant_depth_start_um: float
    window_start_um: float
    window_end_um: float
    window_points: int
    max_cutting_force_N: float
    method: str = "saicas_constant_depth"

    def as_dict(self) -> dict:
        return asdict(self)


def saicas_force(
    horizontal_um: np.ndarray,
    depth_um: np.ndarray,
    horizontal_force_N: np.ndarray,
    vertical_force_N: np.ndarray,
    *,
    tail_fraction: float,
    depth_tolerance_um: float,
    settle_um: float,
    min_peel_um: float,
    batches: int,
) -> SaicasResult:
    """Mean horizontal force in the automatically detected constant-depth (peeling) regime."""
    x = np.asarray(horizontal_um, float)
    d = np.asarray(depth_um, float)
    fh = np.asarray(horizontal_force_N, float)
    fv = np.asarray(vertical_force_N, float)
    n_tail = max(3, int(round(tail_fraction * d.size)))
    d_final = float(np.median(d[-n_tail:]))
    off = np.abs(d - d_final) > depth_tolerance_um
    if not off.any():
        raise ValueError(
            f"the depth never departs from {d_final:.2f} µm by more than {depth_tolerance_um:g} µm: "
            "no cutting phase before the constant-depth regime"
        )
    i0 = int(np.nonzero(off)[0][-1]) + 1  # first sample from which the depth stays constant to the end
    if i0 >= d.size:
        i0 = d.size - 1
    start = x[i0] + settle_um
    window = x >= start
    length = float(x[-1] - start)
    if length < min_peel_um or window.sum() < 2:
        raise ValueError(
            f"the log never reaches a constant depth for long enough: the depth stays within "
            f"{depth_tolerance_um:g} µm of its final {d_final:.2f} µm only from {x[i0]:.1f} µm on, leaving "
            f"{max(length, 0.0):.1f} µm after the {settle_um:g} µm transient (at least {min_peel_um:g} µm needed)"
        )
    w = fh[window]
    return SaicasResult(
        adhesion_force_N=float(w.mean()),
        force_sd_N=float(w.std(ddof=1)),
        standard_error_N=batch_mean_se(w, batches),
        vertical_force_N=float(fv[window].mean()),
        peel_depth_um=d_final,
        constant_depth_start_um=float(x[i0]),
        window_start_um=float(start),
        window_end_um=float(x[-1]),
        window_points=int(window.sum()),
        max_cutting_force_N=float(fh[: i0 + 1].max()),
    )


def summarise(paper: str, technique: str, runs: list[dict], metrics: dict[str, dict], method: str) -> pd.DataFrame:
    """One adhesion_force row per sample (condition method=<technique>, as the registry has it): the mean
    over the sample's specimens; uncertainty = SD over specimens, or the batch-means standard error of a
    single specimen's window mean."""
    rows = []
    for sample in sorted({r["sample"] for r in runs}):
        ms = [metrics[r["run"]] for r in runs if r["sample"] == sample]
        v = np.array([m["adhesion_force_N"] for m in ms], float)
        cond = f"method={technique}"
        if v.size > 1:
            rows.append(vsummary.mean_sd(paper, technique, sample, "adhesion_force", "N", v, method, cond))
        else:
            se = ms[0]["standard_error_N"]
            rows.append(vsummary.row(paper, technique, sample, "adhesion_force", cond, "N", v[0], method, se, 1))
    return vsummary.frame(rows)
