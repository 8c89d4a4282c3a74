"""EC-Lab column vocabulary and technique maps: file column name -> canonical name, technique ids.

The canonical names, their units, dtypes and physical ranges are :mod:`batrepro.vocab.columns`; this module
says which EC-Lab column becomes which of them (see :mod:`batrepro.readers.eclab` for the table).
"""

from __future__ import annotations

import functools
import re

__all__ = [
    "TECHNIQUES",
    "MPR_TECHNIQUE_IDS",
    "REQUIRED",
    "COLUMN_MAP",
    "KNOWN",
    "canonical_name",
    "current_source",
    "map_columns",
    "sanitise",
]

#: Long technique name on line 4 of an .mpt -> canonical short name.
TECHNIQUES: dict[str, str] = {
    "Galvanostatic Cycling with Potential Limitation": "GCPL",
    "Modulo Bat": "MB",
    "Potentio Electrochemical Impedance Spectroscopy": "PEIS",
    "Galvano Electrochemical Impedance Spectroscopy": "GEIS",
    "Cyclic Voltammetry": "CV",
    "Cyclic Voltammetry Advanced": "CVA",
    "Chronoamperometry / Chronocoulometry": "CA",
    "Chronopotentiometry": "CP",
    "Open Circuit Voltage": "OCV",
    "Linear Sweep Voltammetry": "LSV",
    "Wait": "WAIT",
    "IR compensation (PEIS)": "ZIR",
    "Loop": "LOOP",
    "Constant Current": "COC",
    "Constant Voltage": "COV",
}

#: Technique byte at offset 0 of the .mpr settings module -> canonical short name
#: (IDs as documented by dgbowl/yadg ``extractors/eclab/techniques.py``).
MPR_TECHNIQUE_IDS: dict[int, str] = {
    0x04: "GCPL",
    0x06: "CV",
    0x0B: "OCV",
    0x16: "MP",
    0x18: "CA",
    0x19: "CP",
    0x1C: "WAIT",
    0x1D: "PEIS",
    0x1E: "GEIS",
    0x30: "CV",
    0x32: "ZIR",
    0x33: "CVA",
    0x6C: "LSV",
    0x75: "COV",
    0x76: "COC",
    0x77: "GCPL",
    0x7F: "MB",
}

_CYCLING = ("time_s", "voltage_V", "current_mA")
# GCPL and Modulo Bat records often carry no current (EC-Lab computes I on export; the record has dq/mA.h and
# (Q-Qo)/mA.h): the cycling ingest derives it (batrepro.techniques._eclab.with_current)
_GALVANO = ("time_s", "voltage_V")
_EIS = ("frequency_Hz", "z_real_ohm", "z_imag_ohm")
#: Canonical columns a technique's data must contain (anything else is optional).
REQUIRED: dict[str, tuple[str, ...]] = {
    "GCPL": _GALVANO,
    "MB": _GALVANO,
    "CP": _CYCLING,
    "CA": _CYCLING,
    "CV": _CYCLING,
    "CVA": _CYCLING,
    "LSV": _CYCLING,
    "COC": _CYCLING,
    "COV": _CYCLING,
    "OCV": ("time_s", "voltage_V"),
    "WAIT": ("time_s",),
    "LOOP": ("time_s",),
    "MP": ("time_s",),
    "PEIS": _EIS,
    "GEIS": _EIS,
    "ZIR": ("time_s",),
}

# EC-Lab name -> (canonical name, scale factor). Entries earlier in a group win when a file has
# both (instantaneous Ewe/I over the averaged <Ewe>/<I>).
COLUMN_MAP: dict[str, tuple[str, float]] = {
    "time/s": ("time_s", 1.0),
    "Ewe/V": ("voltage_V", 1.0),
    "<Ewe>/V": ("voltage_V", 1.0),
    "I/mA": ("current_mA", 1.0),
    "<I>/mA": ("current_mA", 1.0),
    "I/A": ("current_mA", 1e3),
    "<I>/A": ("current_mA", 1e3),
    "I/µA": ("current_mA", 1e-3),
    "<I>/µA": ("current_mA", 1e-3),
    "mode": ("mode", 1.0),
    "ox/red": ("ox_red", 1.0),
    "Ns": ("ns", 1.0),
    "half cycle": ("half_cycle", 1.0),
    "cycle number": ("cycle_number", 1.0),
    "dq/mA.h": ("dq_mAh", 1.0),
    "(Q-Qo)/mA.h": ("q_minus_q0_mAh", 1.0),
    "Q charge/discharge/mA.h": ("charge_discharge_mAh", 1.0),
    "Q discharge/mA.h": ("q_discharge_mAh", 1.0),
    "Q charge/mA.h": ("q_charge_mAh", 1.0),
    "Capacity/mA.h": ("capacity_mAh", 1.0),
    "Efficiency/%": ("efficiency_pct", 1.0),
    "Energy charge/W.h": ("energy_charge_Wh", 1.0),
    "Energy discharge/W.h": ("energy_discharge_Wh", 1.0),
    "control/V/mA": ("control_V_mA", 1.0),
    "control/mA": ("control_mA", 1.0),
    "control/V": ("control_V", 1.0),
    "x": ("x", 1.0),
    "freq/Hz": ("frequency_Hz", 1.0),
    "Re(Z)/Ohm": ("z_real_ohm", 1.0),
    "-Im(Z)/Ohm": ("z_imag_ohm", -1.0),
    "|Z|/Ohm": ("z_mod_ohm", 1.0),
    "Phase(Z)/deg": ("phase_deg", 1.0),
}
_PRIORITY = {name: i for i, name in enumerate(COLUMN_MAP)}

#: The canonical names EC-Lab columns map to (their dtypes come from the canonical column table).
KNOWN = frozenset(c for c, _ in COLUMN_MAP.values())

_UNIT_MAP = {
    "µF": "uF",
    "µA": "uA",
    "µC": "uC",
    "µW": "uW",
    "µS": "uS",
    "%": "pct",
    "Ohm": "ohm",
    "Ohm-1": "S",
    "Ohm.cm": "ohm_cm",
    "mA.h": "mAh",
    "A.h": "Ah",
    "W.h": "Wh",
    "°C": "C",
}


def sanitise(name: str) -> str:
    """Snake_case name with unit suffix for an EC-Lab column that has no canonical name."""
    qty, _, unit = name.partition("/")
    q = qty.strip()
    q = re.sub(r"<([^>]*)>", r"\1 avg", q)
    q = re.sub(r"\|([^|]*)\|", r"abs \1", q)
    q = re.sub(r"^-", "minus ", q)
    q = re.sub(r"[^0-9A-Za-z]+", "_", q).strip("_").lower() or "column"
    if not unit:
        return q
    u = _UNIT_MAP.get(unit.strip(), unit.strip())
    u = u.replace("µ", "u").replace("²", "2").replace("³", "3").replace(".", "")
    u = re.sub(r"[^0-9A-Za-z]+", "_", u).strip("_")
    return f"{q}_{u}" if u else q


def current_source(names) -> str | None:
    """The EC-Lab column that becomes ``current_mA`` (``I/mA`` instantaneous, ``<I>/mA`` the mean over the
    interval), or None; recorded in the header as ``current_column``."""
    present = [n for n in names if n in COLUMN_MAP and COLUMN_MAP[n][0] == "current_mA"]
    return min(present, key=_PRIORITY.__getitem__) if present else None


def canonical_name(name: str) -> str:
    """Canonical (or sanitised) name for one EC-Lab column name, ignoring conflicts."""
    return COLUMN_MAP[name][0] if name in COLUMN_MAP else sanitise(name)


@functools.lru_cache(maxsize=256)
def map_columns(names: tuple[str, ...]) -> tuple[tuple[str, float], ...]:
    """(output name, scale) per input column; duplicates get the sanitised name or a suffix."""
    winner: dict[str, str] = {}
    for n in names:
        if n in COLUMN_MAP:
            canon = COLUMN_MAP[n][0]
            if canon not in winner or _PRIORITY[n] < _PRIORITY[winner[canon]]:
                winner[canon] = n
    out: list[tuple[str, float]] = []
    used: set[str] = set()
    for n in names:
        if n in COLUMN_MAP and winner[COLUMN_MAP[n][0]] == n:
            canon, scale = COLUMN_MAP[n]
        else:
            canon, scale = sanitise(n), 1.0
        base, k = canon, 2
        while canon in used or (canon != COLUMN_MAP.get(n, ("",))[0] and canon in winner):
            canon, k = f"{base}_{k}", k + 1
        used.add(canon)
        out.append((canon, scale))
    return tuple(out)
