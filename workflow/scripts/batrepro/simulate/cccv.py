"""Forward model of constant-current / constant-voltage (CC-CV) cycling with instantaneous current samples.

Each half-cycle is a constant-current step of |I| = ``current_mA`` until the cut-off voltage, then (where
``hold``) a constant-voltage hold whose current decays as I(t) = I_cc · exp(−t/τ) (a single relaxation time,
the usual first-order picture of a potentiostatic hold on an insertion electrode) until |I| falls to
``cutoff_fraction`` · |I_cc|, then a rest. The capacities are exact: I·t_cc + I·τ·(1 − exp(−t_cv/τ)).

The record is what EC-Lab writes with "Record I": ``I/mA`` is the current at the sampling instant (the
instantaneous value), ``dq/mA.h`` the exact charge since the previous point (the cycler integrates at its
own, much faster rate), ``(Q-Qo)/mA.h`` and ``Q charge/discharge/mA.h`` its sums. A point is written at the
start of every step (EC-Lab's control-change record), at the same time as the last point of the step before,
so the current is piecewise smooth between points. The voltage is a linear ramp on the CC steps and the
cut-off on the holds (the capacities do not depend on it).
"""

from __future__ import annotations

import numpy as np

from .eclab_mpt import gcpl_columns


def _step(out: dict, t0: float, duration: float, n: int, current, voltage, ns: int, mode: int, q0: float) -> float:
    """Append one step's points (the first at t0) with exact charges; returns the end time."""
    times = t0 + duration * np.arange(n + 1) / n
    out["time_s"].append(times)
    out["current_mA"].append(current(times - t0))
    out["voltage_V"].append(voltage(times - t0))
    out["ns"].append(np.full(n + 1, ns))
    out["mode"].append(np.full(n + 1, mode))
    return times[-1]


def cccv_record(
    current_mA: float,
    cc_s: np.ndarray,
    hold_tau_s: float,
    cutoff_fraction: float = 0.05,
    cc_points: int = 200,
    hold_points: int = 80,
    rest_s: float = 600.0,
    hold: tuple[bool, bool] = (True, False),
    limits_V: tuple[float, float] = (0.01, 1.0),
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """(record, lithiation capacities, delithiation capacities in mAh) of an anode half-cell.

    ``cc_s``: per cycle, the CC durations of the lithiation and delithiation (shape (n_cycles, 2)); ``hold``:
    whether the lithiation / delithiation ends with a CV hold at its cut-off voltage."""
    cc_s = np.asarray(cc_s, float)
    t_hold = -hold_tau_s * np.log(cutoff_fraction)
    out = {k: [] for k in ("time_s", "current_mA", "voltage_V", "ns", "mode")}
    t = _step(out, 0.0, rest_s, 4, lambda s: 0 * s, lambda s: 0 * s + 2.0, 0, 3, 0.0)
    caps = np.zeros((len(cc_s), 2))
    for n, durations in enumerate(cc_s):
        for k, (sign, v_end, ns) in enumerate(((-1.0, limits_V[0], 1), (1.0, limits_V[1], 2))):
            i = sign * current_mA
            v_start = limits_V[1] if k == 0 else limits_V[0]
            ramp = lambda s, d=durations[k], a=v_start, b=v_end: a + (b - a) * s / d  # noqa: E731
            t = _step(out, t, durations[k], cc_points, lambda s, i=i: 0 * s + i, ramp, ns, 1, 0.0)
            caps[n, k] = current_mA * durations[k] / 3600.0
            if hold[k]:
                decay = lambda s, i=i: i * np.exp(-s / hold_tau_s)  # noqa: E731
                t = _step(out, t, t_hold, hold_points, decay, lambda s, v=v_end: 0 * s + v, ns, 2, 0.0)
                caps[n, k] += current_mA * hold_tau_s * (1 - cutoff_fraction) / 3600.0
            t = _step(out, t, rest_s, 4, lambda s: 0 * s, lambda s, v=v_end: 0 * s + v, 0, 3, 0.0)
    rec = {k: np.concatenate(v) for k, v in out.items()}
    rec["dq_exact_mAh"] = _exact_charges(rec, hold_tau_s)
    return rec, caps[:, 0], caps[:, 1]


def _exact_charges(rec: dict, tau: float) -> np.ndarray:
    """∫ I dt over each interval (t_{k−1}, t_k]: constant on CC and rest steps, exponential on the holds."""
    t, i, mode = rec["time_s"], rec["current_mA"], rec["mode"]
    dq = np.zeros(len(t))
    dt = np.diff(t)
    hold = (mode[1:] == 2) & (mode[:-1] == 2)
    # on a hold I(t_k) = I(t_{k-1}) e^{-dt/τ}: the interval's charge is I(t_{k-1}) τ (1 − e^{-dt/τ})
    dq[1:] = np.where(hold, i[:-1] * tau * -np.expm1(-dt / tau), i[1:] * dt) / 3600.0
    dq[1:][dt == 0] = 0.0
    return dq


def instantaneous_gcpl_columns(rec: dict) -> dict[str, np.ndarray]:
    """EC-Lab GCPL columns with the instantaneous current (``I/mA``) and the exact charges (``dq/mA.h``)."""
    cols = gcpl_columns(rec["time_s"], rec["voltage_V"], rec["current_mA"], rec["ns"], rec["mode"])
    out = {}
    for name, values in cols.items():
        out["I/mA" if name == "<I>/mA" else name] = values
    dq = rec["dq_exact_mAh"]
    out["dq/mA.h"] = dq
    out["(Q-Qo)/mA.h"] = np.cumsum(dq)
    half = out["half cycle"]
    q_half = np.zeros(len(dq))
    for h in np.unique(half):
        sel = half == h
        q_half[sel] = np.cumsum(dq[sel])
    out["Q charge/discharge/mA.h"] = q_half
    return out
