"""The canonical columns every reader writes: name -> unit, dtype, physical range (the BEEP habit).

A reader maps its file's columns to these names and calls :func:`check` (or :func:`check_columns`) on the
ones its instrument profile (:data:`CHECKED`) lists; a value outside the range raises the one-line
:class:`~batrepro.readers.RawDataError` ``<path>:<line>: <problem>``. The range is what is physically
possible, not what is typical: a check rejects a broken file, never an unusual experiment. Where one
instrument's files are bounded tighter than the physics (a DMA drives 1e-6 to 1e4 Hz), the bound lives in
:data:`LIMITS`, keyed by instrument, beside the table.

A column absent from the table (an EC-Lab column with no canonical name, a generic CSV's extra
``*_<unit>`` column) is kept as the file gives it and is not range-checked.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from ..readers._common import RawDataError

__all__ = ["Column", "COLUMNS", "LIMITS", "CHECKED", "spec", "check", "check_columns"]

_INF = math.inf
#: generous physical bounds: 1 kA (in mA) is above any cycler channel or booster; 10 kAh (in mAh) above any
#: cell; 10 TOhm above any impedance analyser's range. They reject a broken number (1e308), never an experiment.
_KA = 1e6
_KAH = 1e7
_TOHM = 1e13


@dataclass(frozen=True)
class Column:
    """One canonical column. ``lo``/``hi`` bound its values (``lo_open``: ``lo`` itself is impossible);
    ``order`` is ``"non-decreasing"`` or ``"increasing"`` when the values must be sorted."""

    name: str
    unit: str
    dtype: str = "float64"
    lo: float = -_INF
    hi: float = _INF
    lo_open: bool = False
    order: str | None = None
    quantity: str = ""

    @property
    def checked(self) -> bool:
        return self.lo > -_INF or self.hi < _INF or self.order is not None

    def bounds(self) -> str:
        def g(x: float) -> str:
            return "inf" if x == _INF else "-inf" if x == -_INF else f"{x:g}"

        return f"{'(' if self.lo_open else '['}{g(self.lo)}, {g(self.hi)}]"


def _c(name, unit, dtype="float64", quantity="", **kw) -> Column:
    return Column(name, unit, dtype, quantity=quantity, **kw)


#: canonical name -> column. Units: SI-ish, as each name's suffix says ("" = dimensionless).
COLUMNS: dict[str, Column] = {
    c.name: c
    for c in [
        # time and control (EC-Lab, generic CSV, Bluehill, TRIOS)
        _c("time_s", "s", quantity="elapsed time", lo=0.0, hi=1e10, order="non-decreasing"),
        _c("mode", "", "int64", "EC-Lab control mode", lo=0, hi=255),
        _c("ox_red", "", "int64", "EC-Lab oxidation/reduction flag", lo=0, hi=1),
        _c("ns", "", "int64", "EC-Lab sequence number", lo=0, hi=1e9),
        _c("half_cycle", "", "int64", "half-cycle index", lo=0, hi=1e9),
        _c("cycle_number", "", "int64", "cycle index", lo=0, hi=1e9),
        # electrochemistry
        _c("voltage_V", "V", quantity="working-electrode potential", lo=-100.0, hi=100.0),
        _c("ewe_avg_V", "V", quantity="averaged working-electrode potential", lo=-100.0, hi=100.0),
        _c("current_mA", "mA", quantity="current (negative = reduction)", lo=-_KA, hi=_KA),
        _c("dq_mAh", "mAh", quantity="charge increment", lo=-_KAH, hi=_KAH),
        _c("q_minus_q0_mAh", "mAh", quantity="charge since the start", lo=-_KAH, hi=_KAH),
        _c("charge_discharge_mAh", "mAh", quantity="charge of the half-cycle", lo=-_KAH, hi=_KAH),
        _c("q_discharge_mAh", "mAh", quantity="discharge capacity", lo=-_KAH, hi=_KAH),
        _c("q_charge_mAh", "mAh", quantity="charge capacity", lo=-_KAH, hi=_KAH),
        _c("capacity_mAh", "mAh", quantity="capacity", lo=-_KAH, hi=_KAH),
        _c("efficiency_pct", "%", quantity="coulombic efficiency", lo=-1e9, hi=1e9),
        _c("energy_charge_Wh", "Wh", quantity="charge energy", lo=-1e6, hi=1e6),
        _c("energy_discharge_Wh", "Wh", quantity="discharge energy", lo=-1e6, hi=1e6),
        _c("control_V_mA", "V or mA", quantity="set-point (V or mA by mode)", lo=-_KA, hi=_KA),
        _c("control_mA", "mA", quantity="current set-point", lo=-_KA, hi=_KA),
        _c("control_V", "V", quantity="potential set-point", lo=-100.0, hi=100.0),
        _c("x", "", quantity="insertion fraction", lo=-1e3, hi=1e3),
        # impedance
        _c("frequency_Hz", "Hz", quantity="frequency", lo=0.0, hi=1e9, lo_open=True),
        _c("z_real_ohm", "ohm", quantity="Re(Z)", lo=-_TOHM, hi=_TOHM),
        _c("z_imag_ohm", "ohm", quantity="signed Im(Z)", lo=-_TOHM, hi=_TOHM),
        _c("z_mod_ohm", "ohm", quantity="|Z|", lo=0.0, hi=_TOHM),
        _c("phase_deg", "deg", quantity="phase of Z", lo=-360.0, hi=360.0),
        # DMA (TRIOS); E'' and tan δ may dip slightly below zero from noise in the glass, below -1 never
        _c("temperature_C", "°C", quantity="temperature", lo=-273.15, hi=1000.0),
        _c("storage_modulus_MPa", "MPa", quantity="storage modulus E'", lo=1e-6, hi=1e6),
        _c("loss_modulus_MPa", "MPa", quantity="loss modulus E''", lo=-1.0, hi=1e6),
        _c("tan_delta", "", quantity="loss factor tan δ", lo=-1.0, hi=100.0),
        _c("strain_pct", "%", quantity="strain", lo=-100.0, hi=1e5),
        # tensile (Bluehill)
        _c("extension_mm", "mm", quantity="crosshead extension", lo=-10.0, hi=1e4),
        _c("load_N", "N", quantity="load", lo=-1e3, hi=1e5),
        _c("stress_MPa", "MPa", quantity="engineering stress", lo=-1e4, hi=1e5),
        # nanoindentation (Anton Paar); the MCT3 head reaches 30 N and 1 mm, the surface offset may be negative
        _c("force_mN", "mN", quantity="indentation normal force", lo=-1e3, hi=3e4),
        _c("depth_nm", "nm", quantity="penetration depth", lo=-1e4, hi=1e6),
        # SAICAS (oblique cutting then constant-depth peeling)
        _c("horizontal_displacement_um", "um", quantity="blade horizontal displacement", lo=-1e3, hi=1e6),
        _c("vertical_displacement_um", "um", quantity="blade depth below the surface", lo=-1e3, hi=1e4),
        _c("horizontal_force_N", "N", quantity="horizontal (peel) force", lo=-1e3, hi=1e3),
        _c("vertical_force_N", "N", quantity="vertical force", lo=-1e3, hi=1e3),
    ]
}

#: instrument -> column -> bounds tighter than the physical ones (BEEP keeps one validation schema per cycler)
LIMITS: dict[str, dict[str, dict]] = {
    "trios": {"frequency_Hz": {"lo": 1e-6, "hi": 1e4, "lo_open": False}},
    # GEIS/PEIS files open with rows at 0 Hz (the DC point before the sweep); the EIS ingest drops them
    "eclab": {"frequency_Hz": {"lo": 0.0, "lo_open": False}},
    "bluehill": {"time_s": {"order": "increasing"}},
    "anton_paar": {"time_s": {"order": "increasing"}},
    "saicas": {"time_s": {"order": "increasing"}},
}

_FILMS = ("temperature_C", "storage_modulus_MPa", "loss_modulus_MPa", "tan_delta", "strain_pct")
_FILMS += ("extension_mm", "load_N", "stress_MPa")
#: instrument -> the canonical columns its reader range-checks (when present in the file): every one it writes
CHECKED: dict[str, tuple[str, ...]] = {
    "eclab": tuple(c for c in COLUMNS if c not in _FILMS),
    "generic_csv": tuple(COLUMNS),
    "trios": (
        "time_s",
        "temperature_C",
        "storage_modulus_MPa",
        "loss_modulus_MPa",
        "tan_delta",
        "frequency_Hz",
        "strain_pct",
    ),
    "bluehill": ("time_s", "load_N", "extension_mm"),
    "anton_paar": ("time_s", "force_mN", "depth_nm"),
    "saicas": (
        "time_s",
        "horizontal_displacement_um",
        "vertical_displacement_um",
        "horizontal_force_N",
        "vertical_force_N",
    ),
}


@functools.cache
def spec(name: str, instrument: str | None = None) -> Column:
    """The column ``name`` with ``instrument``'s tighter limits applied."""
    column = COLUMNS[name]
    extra = LIMITS.get(instrument or "", {}).get(name)
    return replace(column, **extra) if extra else column


def check(
    path: str | os.PathLike,
    name: str,
    values: np.ndarray,
    first_line: int | None = None,
    *,
    label: str | None = None,
    instrument: str | None = None,
) -> None:
    """Raise :class:`RawDataError` unless ``values`` lie in the range (and order) of column ``name``.

    ``label`` is the column as the file names it (default: ``name``); row ``i`` is line ``first_line + i``
    (``None``: the file has no lines, e.g. an .mpr record). The good path costs one comparison or two
    reductions; the offending row is searched for only when a check fails.
    """
    col = spec(name, instrument)
    label = label or name
    n = len(values)
    if not n or not col.checked:
        return

    def line(i: int) -> int | None:
        return None if first_line is None else first_line + int(i)

    if col.order is not None:
        back = values[1:] <= values[:-1] if col.order == "increasing" else values[1:] < values[:-1]
        if back.any():
            i = int(np.argmax(back)) + 1
            raise RawDataError(
                path,
                f"column '{label}' is not monotonic ({col.order}): {values[i - 1]:.10g} then {values[i]:.10g}",
                line(i),
            )
    lo_ok = (values.min() > col.lo) if col.lo_open else (values.min() >= col.lo)
    if not (lo_ok and values.max() <= col.hi):
        low = values <= col.lo if col.lo_open else values < col.lo
        bad = low | (values > col.hi) | np.isnan(values)
        i = int(np.argmax(bad))
        unit = f" {col.unit}" if col.unit else ""
        what = f" ({col.quantity})" if col.quantity else ""
        raise RawDataError(
            path,
            f"impossible value {values[i]:g} in column '{label}': outside {col.bounds()}{unit}{what}",
            line(i),
        )


def check_columns(
    path: str | os.PathLike,
    columns: Mapping[str, np.ndarray],
    instrument: str,
    first_line: int | None = None,
    labels: Mapping[str, str] | None = None,
) -> None:
    """:func:`check` every column of ``columns`` (canonical name -> values) that ``instrument`` checks."""
    labels = labels or {}
    for name in CHECKED[instrument]:
        if name in columns:
            check(path, name, columns[name], first_line, label=labels.get(name), instrument=instrument)
