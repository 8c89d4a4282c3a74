"""Spectrum checks and helpers shared by the fit, Lin-KK and DRT: validation, the canonical table, Bode
values, the high-frequency intercept and the residual weights.

Sign convention: ``z`` is complex with the signed imaginary part (negative for capacitive behaviour),
i.e. Z = Z′ + jZ″.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Spectrum:
    """A checked spectrum, ordered from high to low frequency."""

    frequency_Hz: np.ndarray
    z: np.ndarray
    n_dropped_inductive: int = 0


def check_spectrum(frequency_Hz, z, name: str = "spectrum", drop_inductive: bool = True) -> Spectrum:
    """Validate a spectrum and return it ordered from high to low frequency.

    Handling of bad input (each raises a one-line ``ValueError`` naming ``name``):

    * NaN or infinite frequency or impedance: error.
    * zero or negative frequency: error.
    * duplicated frequencies: error (a file holding several sweeps must be split first).
    * frequencies that are not monotonic (neither a falling nor a rising sweep): error. A rising
      sweep is reversed, which is not an error.
    * inductive points (Z″ > 0): with ``drop_inductive`` they are removed and their number is
      returned in ``n_dropped_inductive`` (and logged), as impedance.py's ``ignoreBelowX`` does;
      otherwise they are kept (fit them with an ``L`` element or a DRT with inductance).
    """
    f = np.asarray(frequency_Hz, dtype=float).ravel()
    z = np.asarray(z, dtype=complex).ravel()
    if f.shape != z.shape:
        raise ValueError(f"{name}: {f.size} frequencies but {z.size} impedance values")
    if f.size == 0:
        raise ValueError(f"{name}: the spectrum is empty")
    bad = ~np.isfinite(f) | ~np.isfinite(z.real) | ~np.isfinite(z.imag)
    if bad.any():
        raise ValueError(f"{name}: {int(bad.sum())} NaN or infinite value(s), first at point {int(np.argmax(bad))}")
    if (f <= 0).any():
        i = int(np.argmax(f <= 0))
        raise ValueError(f"{name}: frequency {f[i]:g} Hz at point {i} is zero or negative")
    if f.size > 1:
        d = np.diff(f)
        if (d == 0).any():
            i = int(np.argmax(d == 0))
            raise ValueError(f"{name}: duplicated frequency {f[i]:g} Hz at points {i} and {i + 1}")
        if not ((d < 0).all() or (d > 0).all()):
            i = int(np.argmax(np.sign(d) != np.sign(d[0]))) + 1
            raise ValueError(f"{name}: frequencies are not sorted (not a monotonic sweep) near point {i}")
        if d[0] > 0:
            f, z = f[::-1], z[::-1]
    dropped = 0
    if drop_inductive:
        keep = z.imag <= 0
        dropped = int((~keep).sum())
        if dropped:
            logger.info("%s: dropped %d inductive point(s) with Z'' > 0", name, dropped)
            f, z = f[keep], z[keep]
        if f.size == 0:
            raise ValueError(f"{name}: every point is inductive (Z'' > 0); nothing capacitive to analyse")
    return Spectrum(f.copy(), z.copy(), dropped)


def sweep_index(frequency_Hz) -> np.ndarray:
    """1-based sweep number of each row of a file holding consecutive sweeps without a cycle number (an
    ``.mpr``, where EC-Lab computes ``cycle number`` only on export): a new sweep starts wherever the
    frequency turns back against the direction of the first step (up, for sweeps from high to low)."""
    f = np.asarray(frequency_Hz, float)
    if f.size < 2:
        return np.ones(f.size, dtype=np.int64)
    d = np.diff(f)
    first = d[np.nonzero(d)[0][0]] if np.any(d) else -1.0
    back = d > 0 if first < 0 else d < 0
    return np.r_[1, 1 + np.cumsum(back)].astype(np.int64)


def spectrum_table(data, source: str = "spectrum", sweep: int | str | None = None):
    """Canonical spectrum table from a reader's data: frequency_Hz, z_real_ohm, z_imag_ohm (signed),
    z_mod_ohm, phase_deg, in file order.

    Rows at 0 Hz (GEIS/PEIS files open with the DC point before the sweep) are dropped and counted in the log.
    A file with several sweeps (by ``cycle_number``, or, where the file has none, by where the frequency turns
    back: :func:`sweep_index`) needs ``sweep`` (1-based; the sheet's ``sweep`` column) to say which one;
    otherwise it is an error. ``sweep`` empty or None: the only sweep.
    """
    missing = [c for c in ("frequency_Hz", "z_real_ohm", "z_imag_ohm") if c not in data.columns]
    if missing:
        raise ValueError(f"{source}: missing impedance column(s) {missing}")
    zero = data["frequency_Hz"].to_numpy(float) == 0
    if zero.any():
        logger.info("%s: dropped %d row(s) at 0 Hz (not part of a frequency sweep)", source, int(zero.sum()))
        data = data[~zero]
    if sweep is not None and not (isinstance(sweep, float) and np.isnan(sweep)) and str(sweep).strip() != "":
        try:
            sweep = int(str(sweep).strip())
        except ValueError:
            raise ValueError(f"{source}: sweep must be a whole number, got {sweep!r}") from None
    else:
        sweep = None
    if "cycle_number" in data.columns and data["cycle_number"].nunique() > 1:
        index, by = data["cycle_number"].to_numpy(), "cycle numbers"
    else:
        index, by = sweep_index(data["frequency_Hz"].to_numpy(float)), "sweeps found where the frequency turns back"
    sweeps = sorted(int(v) for v in np.unique(index))
    if len(sweeps) > 1 or sweep is not None:
        if sweep is None:
            raise ValueError(f"{source}: {len(sweeps)} sweeps ({by} {sweeps}); set 'sweep' in the sample sheet")
        data = data[index == sweep]
        if data.empty:
            raise ValueError(f"{source}: no sweep {sweep} ({by} {sweeps})")
    z = data["z_real_ohm"].to_numpy(float) + 1j * data["z_imag_ohm"].to_numpy(float)
    check_spectrum(data["frequency_Hz"].to_numpy(float), z, source, drop_inductive=False)
    mod, phase = bode(z)
    return pd.DataFrame(
        {
            "frequency_Hz": data["frequency_Hz"].to_numpy(float),
            "z_real_ohm": z.real,
            "z_imag_ohm": z.imag,
            "z_mod_ohm": mod,
            "phase_deg": phase,
        }
    )


def high_frequency_intercept(frequency_Hz, z) -> float:
    """Re Z where the spectrum meets the real axis at high frequency (ohmic resistance)."""
    f, z = np.asarray(frequency_Hz), np.asarray(z)
    order = np.argsort(f)[::-1]
    f, z = f[order], z[order]
    cross = np.nonzero((z.imag[:-1] > 0) & (z.imag[1:] <= 0))[0]
    if cross.size:
        i = cross[0]
        t = z.imag[i] / (z.imag[i] - z.imag[i + 1])
        return float(z.real[i] + t * (z.real[i + 1] - z.real[i]))
    n = max(3, f.size // 10)
    return float(max(np.min(z.real[:n]), 0.0))


def bode(z) -> tuple[np.ndarray, np.ndarray]:
    """|Z| (Ω) and phase (degrees; negative for capacitive) of complex impedances."""
    z = np.asarray(z, complex)
    return np.abs(z), np.degrees(np.angle(z))


def residual_sigma(z: np.ndarray, weights: str, name: str) -> np.ndarray:
    """Residual scale per point: 1 ('unit', impedance.py's default) or |Z| ('modulus')."""
    if weights == "unit":
        return np.ones(z.size)
    if weights == "modulus":
        return np.abs(z)
    raise ValueError(f"{name}: weights must be 'unit' or 'modulus', not {weights!r}")
