"""Segment a cycling table into steps, half-cycles and cycles.

Conventions (documented once, used by every cycling/GITT analysis)
-----------------------------------------------------------------
* **Current sign**: as EC-Lab writes it, negative current = reduction of the working electrode =
  lithiation of an anode-type electrode = *discharge* of a Li half-cell; positive = delithiation
  (charge).
* **Rest**: a row is at rest when ``|current_mA| <= rest_threshold * max|current_mA|`` or, where the
  file has EC-Lab's ``mode`` column, when ``mode == 3`` (EC-Lab's rest/OCV mode).
* **step** (int64, from 0): increments whenever ``ns`` (EC-Lab sequence), ``mode`` or the sign of
  the current (-1, 0 at rest, +1) changes from one row to the next. A GITT pulse and its relaxation
  are two steps.
* **half_cycle** (int64, from 0; only added when the table has none, e.g. a generic CSV): increments
  when the sign of the current changes, ignoring rests. A rest belongs to the half-cycle before it;
  a rest at the very start belongs to the first half-cycle.
* **cycle** (int64): one cycle = a half-cycle of sign ``first_sign`` (default -1: lithiation /
  discharge) followed by a half-cycle of the opposite sign. Cycle 1 starts with the first
  half-cycle of sign ``first_sign``; anything before it (e.g. a delithiation when the cell starts
  lithiated) is cycle 0. Pass ``first_sign=+1`` for cathode half-cells that start with a charge.

``segment`` is pure: it returns a new DataFrame and never modifies its input.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["segment", "current_sign"]

#: EC-Lab's ``mode`` value for rest (open circuit).
EC_LAB_REST_MODE = 3


def current_sign(data: pd.DataFrame, *, rest_threshold: float = 1e-3) -> np.ndarray:
    """-1 / 0 / +1 per row (0 = rest), see the module docstring."""
    if "current_mA" not in data.columns:
        raise ValueError(f"segment needs a 'current_mA' column; found {list(data.columns)}")
    i = data["current_mA"].to_numpy(dtype=np.float64)
    if i.size == 0:
        return np.zeros(0, dtype=np.int64)
    thr = rest_threshold * float(np.max(np.abs(i)))
    sign = np.where(np.abs(i) <= thr, 0, np.sign(i)).astype(np.int64)
    if "mode" in data.columns:
        sign[data["mode"].to_numpy() == EC_LAB_REST_MODE] = 0
    return sign


def _changes(a: np.ndarray) -> np.ndarray:
    out = np.zeros(a.shape, dtype=bool)
    out[1:] = a[1:] != a[:-1]
    return out


def segment(data: pd.DataFrame, *, first_sign: int = -1, rest_threshold: float = 1e-3) -> pd.DataFrame:
    """Return a copy of ``data`` with ``step``, ``cycle`` and (if absent) ``half_cycle`` columns."""
    if first_sign not in (-1, 1):
        raise ValueError(f"first_sign must be -1 (lithiation first) or +1, not {first_sign!r}")
    sign = current_sign(data, rest_threshold=rest_threshold)
    n = sign.size
    change = _changes(sign)
    for col in ("ns", "mode"):
        if col in data.columns:
            change |= _changes(data[col].to_numpy())
    out = data.copy()
    out["step"] = np.cumsum(change).astype(np.int64)

    # sign with rests filled: forward from the last non-zero, leading rests from the first non-zero
    nz = np.flatnonzero(sign)
    if nz.size == 0:
        filled = np.zeros(n, dtype=np.int64)
    else:
        idx = np.zeros(n, dtype=np.int64)
        idx[nz] = nz
        idx = np.maximum.accumulate(idx)
        idx[: nz[0]] = nz[0]
        filled = sign[idx]
    flips = _changes(filled)
    if "half_cycle" not in out.columns:
        out["half_cycle"] = np.cumsum(flips).astype(np.int64)
    starts = flips & (filled == first_sign)
    base = 1 if (n and filled[0] == first_sign) else 0
    out["cycle"] = (base + np.cumsum(starts)).astype(np.int64)
    return out
