"""What the EC-Lab techniques (cycling, rate, CV, GITT) share: the ingest step and the voltage window."""

from __future__ import annotations

import logging

from ..vocab import summary as vsummary

logger = logging.getLogger(__name__)

#: canonical columns the electrochemistry analyses use
KEEP = (
    "time_s",
    "voltage_V",
    "current_mA",
    "ns",
    "mode",
    "half_cycle",
    "cycle_number",
    "dq_mAh",
    "charge_discharge_mAh",
)
FORMATS = ("eclab_mpt", "eclab_mpr", "generic_csv")


def ingester(technique: str, expected: tuple[str, ...]):
    """An ingest step that checks the file's EC-Lab technique and the active mass against the sheet."""

    def ingest(raw, run, settings):
        if run["format"] != "generic_csv":
            if raw.technique not in expected:
                raise ValueError(
                    f"{raw.source}: EC-Lab technique {raw.technique}, expected one of {expected} for {technique}"
                )
            header_mass = raw.header.get("mass_of_active_material_mg")
            sheet_mass = run.get("active_mass_mg")
            if header_mass and sheet_mass and abs(header_mass - sheet_mass) > 0.01 * sheet_mass:
                logger.warning(
                    "%s: file header says %g mg active mass, the sample sheet %g mg; the sheet is used",
                    raw.source,
                    header_mass,
                    sheet_mass,
                )
        table = raw.data[[c for c in KEEP if c in raw.data.columns]]
        return table, {"eclab_technique": raw.technique}

    return ingest


def voltage_extent(table) -> dict:
    """The cut-off window: lowest potential under reducing current, highest under oxidising current
    (the open-circuit potential of a fresh cell before its first lithiation is not a cut-off)."""
    v, i = table["voltage_V"].to_numpy(), table["current_mA"].to_numpy()
    low, high = v[i < 0], v[i > 0]
    return {
        "voltage_min_V": float(low.min() if low.size else v.min()),
        "voltage_max_V": float(high.max() if high.size else v.max()),
    }


def voltage_span(paper, technique, runs, metrics) -> list:
    """The voltage window over the paper's half-cells (full cells, with another window, are left out)."""
    ms = [metrics[r["run"]] for r in runs if metrics[r["run"]].get("cell", "half") != "full"]
    if not ms:
        return []
    return vsummary.span(
        paper,
        technique,
        "voltage_window",
        "V",
        [m["voltage_min_V"] for m in ms],
        [m["voltage_max_V"] for m in ms],
        "voltage_extent",
    )
