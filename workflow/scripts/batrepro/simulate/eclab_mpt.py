"""Write simulated records as BioLogic EC-Lab ``.mpt`` text exports.

The layout follows real exports (dgbowl/yadg ``gcpl.issue_149.mpt``, ``mb.issue_95.mpt``,
``cv.mpt``; see docs/techniques.md §1.1):

* line 1 ``EC-Lab ASCII FILE``, line 2 ``Nb header lines : N`` padded with spaces, where N counts
  every header line *including* the column-name line (data start at line N + 1);
* line 4 the technique's long name; then ``key : value`` lines, among them
  ``Mass of active material`` and ``Electrode surface area``, the technique parameter table in
  20-character columns (one column per sequence ``Ns``), a blank line, and the tab-separated column
  names with a trailing tab;
* numbers in EC-Lab's scientific notation with a three-digit exponent (``3.4228721E+000``);
  with ``decimal_comma=True`` every number, in the header too, uses ``,`` (German/EU locale);
* encoded in Windows-1252 (``cm²`` and ``µF`` are single bytes), LF line ends.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

TECHNIQUES = {
    "gcpl": "Galvanostatic Cycling with Potential Limitation",
    "cv": "Cyclic Voltammetry",
    "gitt": "Galvanostatic Cycling with Potential Limitation",
}

#: Columns of a GCPL export as EC-Lab v11.50 writes them with "Record <I>" on (subset of a real file). The
#: simulated current is the mean over the interval ending at each point, which EC-Lab names <I>/mA; I/mA is
#: the instantaneous value (written by :func:`instantaneous_gcpl_columns`).
GCPL_COLUMNS = (
    "mode",
    "ox/red",
    "error",
    "control changes",
    "Ns changes",
    "counter inc.",
    "Ns",
    "time/s",
    "control/V/mA",
    "Ewe/V",
    "<I>/mA",
    "dq/mA.h",
    "(Q-Qo)/mA.h",
    "Q charge/discharge/mA.h",
    "half cycle",
    "cycle number",
)
#: Columns of a CV export (as the real ``cv.mpt``).
CV_COLUMNS = (
    "mode",
    "ox/red",
    "error",
    "control changes",
    "counter inc.",
    "time/s",
    "control/V",
    "Ewe/V",
    "<I>/mA",
    "cycle number",
    "(Q-Qo)/C",
    "P/W",
)
INTEGER_COLUMNS = {
    "mode",
    "ox/red",
    "error",
    "control changes",
    "Ns changes",
    "counter inc.",
    "Ns",
    "half cycle",
    "I Range",
}


def ec_number(value: float, digits: int = 7, decimal_comma: bool = False) -> str:
    """A number as EC-Lab writes it: ``d.dddddddE+eee`` (three-digit exponent)."""
    mantissa, exponent = f"{float(value):.{digits}E}".split("E")
    text = f"{mantissa}E{int(exponent):+04d}"
    return text.replace(".", ",") if decimal_comma else text


def header_number(value: float, decimals: int = 3, decimal_comma: bool = False) -> str:
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if decimal_comma else text


@dataclass(frozen=True)
class MptMeta:
    """Header metadata of one simulated export."""

    technique: str  # key of TECHNIQUES
    active_mass_mg: float | None = None
    area_cm2: float = 0.001
    electrode_material: str = ""
    electrolyte: str = ""
    comments: str = ""
    file_name: str = "simulated.mpr"
    channel: int = 1
    molecular_weight_g_mol: float = 0.001
    parameters: dict[str, Sequence[str]] = field(default_factory=dict)  # technique table rows
    voltage_range_V: tuple[float, float] = (0.0, 5.0)


def _parameter_table(parameters: dict[str, Sequence[str]]) -> list[str]:
    lines = []
    for key, values in parameters.items():
        lines.append(f"{key:<20}" + "".join(f"{str(v):<20}" for v in values))
    return lines


def _header_body(meta: MptMeta, dc: bool) -> list[str]:
    vmin, vmax = meta.voltage_range_V
    lines = [
        TECHNIQUES[meta.technique],
        "",
        f"Run on channel : {meta.channel} (SN 20000)",
        "User : ",
        "CE vs. WE compliance from -10 V to 10 V",
        "Electrode connection : standard",
        "Potential control : Ewe",
        f"Ewe ctrl range : min = {header_number(vmin, 2, dc)} V, max = {header_number(vmax, 2, dc)} V",
        "Safety Limits :",
        "\tDo not start on E overload",
        "Acquisition started on : 01/05/2025 10:00:00.000",
        "Loaded Setting File : NONE",
        "Saved on :",
        f"\tFile : {meta.file_name}",
        "\tDirectory : C:\\Users\\lab\\Documents\\EC-Lab\\Data\\",
        "\tHost : 192.168.0.10",
        "Device : VMP3 (SN 0000)",
        "Address : USB",
        "EC-Lab for windows v11.50 (software)",
        "Internet server v11.50 (firmware)",
        "Command interpretor v11.50 (firmware)",
        f"Electrode material : {meta.electrode_material}",
        "Initial state : ",
        f"Electrolyte : {meta.electrolyte}",
        f"Comments : {meta.comments}",
    ]
    if meta.active_mass_mg is not None:
        lines += [
            f"Mass of active material : {header_number(meta.active_mass_mg, 3, dc)} mg",
            f" at x = {header_number(0.0, 3, dc)}",
            f"Molecular weight of active material (at x = 0) : "
            f"{header_number(meta.molecular_weight_g_mol, 3, dc)} g/mol",
            f"Atomic weight of intercalated ion : {header_number(6.941, 3, dc)} g/mol",
            f"Acquisition started at : xo = {header_number(0.0, 3, dc)}",
            "Number of e- transfered per intercalated ion : 1",
        ]
    lines += [
        f"Electrode surface area : {header_number(meta.area_cm2, 3, dc)} cm²",
        f"Characteristic mass : {header_number((meta.active_mass_mg or 0.0) / 1000.0, 6, dc)} g",
        f"Volume (V) : {header_number(0.001, 3, dc)} cm³",
        "Cycle Definition : Charge/Discharge alternance",
    ]
    lines += _parameter_table(meta.parameters)
    lines.append("")
    return lines


def format_columns(
    columns: dict[str, np.ndarray], decimal_comma: bool = False, digits: dict[str, int] | None = None
) -> list[str]:
    """Data rows, tab-separated with a trailing tab, in EC-Lab's number format."""
    digits = digits or {}
    names = list(columns)
    n = len(next(iter(columns.values())))
    cells = []
    for name in names:
        values = np.asarray(columns[name])
        if name in INTEGER_COLUMNS:
            cells.append([str(int(v)) for v in values])
        else:
            d = digits.get(name, 7)
            cells.append([ec_number(v, d, decimal_comma) for v in values])
    return ["\t".join(col[i] for col in cells) + "\t" for i in range(n)]


def mpt_text(
    meta: MptMeta, columns: dict[str, np.ndarray], decimal_comma: bool = False, digits: dict[str, int] | None = None
) -> str:
    """The whole ``.mpt`` file as text (encode it with :func:`mpt_bytes`)."""
    body = _header_body(meta, decimal_comma)
    column_line = "\t".join(columns) + "\t"
    n_header = 3 + len(body) + 1  # line 1, line 2, blank line 3, body, column line
    lines = ["EC-Lab ASCII FILE", f"Nb header lines : {n_header:<3d}" + " " * 23, ""]
    lines += body
    lines.append(column_line)
    lines += format_columns(columns, decimal_comma, digits)
    return "\n".join(lines) + "\n"


def mpt_bytes(
    meta: MptMeta, columns: dict[str, np.ndarray], decimal_comma: bool = False, digits: dict[str, int] | None = None
) -> bytes:
    return mpt_text(meta, columns, decimal_comma, digits).encode("cp1252")


def gcpl_columns(
    time_s: np.ndarray, voltage_V: np.ndarray, current_mA: np.ndarray, ns: np.ndarray, mode: np.ndarray
) -> dict[str, np.ndarray]:
    """EC-Lab GCPL columns from a record whose current at each point is the mean over the interval
    ending at that point (as EC-Lab's averaged current), so dq = I·Δt exactly."""
    t = np.asarray(time_s, float)
    i = np.asarray(current_mA, float)
    dt = np.diff(t, prepend=t[0])
    dq = i * dt / 3600.0
    q_total = np.cumsum(dq)
    sign = np.sign(np.where(np.abs(i) > 0, i, 0.0))
    # half cycle: increments whenever the current changes sign (rests keep the last sign)
    last = 0.0
    half = np.zeros(len(t), dtype=int)
    h = 0
    signs_seen = []
    for k, s in enumerate(sign):
        if s != 0 and last != 0 and s != last:
            h += 1
        if s != 0:
            last = s
            signs_seen.append(s)
        half[k] = h
    # Q charge/discharge resets at each half-cycle
    q_half = np.zeros(len(t))
    acc = 0.0
    for k in range(len(t)):
        if k > 0 and half[k] != half[k - 1]:
            acc = 0.0
        acc += dq[k]
        q_half[k] = acc
    ns = np.asarray(ns, int)
    ns_changes = np.r_[0, (np.diff(ns) != 0).astype(int)]
    return {
        "mode": np.asarray(mode, int),
        "ox/red": (i > 0).astype(int),
        "error": np.zeros(len(t), int),
        "control changes": ns_changes,
        "Ns changes": ns_changes,
        "counter inc.": np.zeros(len(t), int),
        "Ns": ns,
        "time/s": t,
        "control/V/mA": np.where(np.asarray(mode) == 1, i, 0.0),
        "Ewe/V": np.asarray(voltage_V, float),
        "<I>/mA": i,
        "dq/mA.h": dq,
        "(Q-Qo)/mA.h": q_total,
        "Q charge/discharge/mA.h": q_half,
        "half cycle": half,
        "cycle number": (half // 2).astype(float),
    }


GCPL_DIGITS = {"time/s": 10, "(Q-Qo)/mA.h": 9}
