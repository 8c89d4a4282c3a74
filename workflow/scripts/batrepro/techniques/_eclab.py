"""What the EC-Lab techniques (cycling, rate, CV, GITT) share: the ingest step and the voltage window."""

from __future__ import annotations

import logging

import numpy as np

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


#: relative difference allowed between the ∫ of a current derived from dq and the record's (Q-Qo) counter
DERIVED_CURRENT_TOLERANCE = 1e-4


def select_sequence(data, sequence, source: str):
    """The rows of one sequence of a Modulo Bat (or any multi-sequence) record: ``sequence`` (the sheet's
    column) is an ``Ns`` number, or a technique: ``PEIS``/``GEIS`` selects the impedance rows (frequency > 0),
    ``GCPL``/``CP``/``CA``/``OCV`` the others. Empty: every row."""
    text = "" if sequence is None or sequence != sequence else str(sequence).strip()
    if not text:
        return data
    if text.isdigit():
        if "ns" not in data.columns:
            raise ValueError(f"{source}: sequence {text} asked for, but the record has no Ns column")
        rows = data["ns"].to_numpy() == int(text)
        what = f"Ns = {text}"
    elif text.upper() in ("PEIS", "GEIS", "GCPL", "CP", "CA", "OCV"):
        freq = data["frequency_Hz"].to_numpy(float) if "frequency_Hz" in data.columns else np.zeros(len(data))
        rows = freq > 0 if text.upper() in ("PEIS", "GEIS") else freq == 0
        what = f"the {text.upper()} rows"
    else:
        raise ValueError(f"{source}: sequence must be an Ns number or PEIS, GEIS, GCPL, CP, CA, OCV; got {text!r}")
    if not rows.any():
        raise ValueError(f"{source}: no rows for sequence {text} ({what})")
    logger.info("%s: sequence %s: %d of %d rows", source, text, int(rows.sum()), len(data))
    return data[rows].reset_index(drop=True)


def with_current(data, source: str, current_column: str | None):
    """(table with ``current_mA``, current kind, check). The kind is ``instantaneous`` (EC-Lab ``I/mA``: the
    value at the point), ``interval_mean`` (``<I>/mA``: the mean over the interval ending at the point) or
    ``unknown`` (a generic CSV). A record without a current (EC-Lab GCPL/MB ``.mpr`` files often have none:
    EC-Lab computes ``I`` on export) gets I_k = dq_k / (t_k − t_{k−1}) from ``dq/mA.h`` (or from the steps of
    ``(Q-Qo)/mA.h``), the mean over the interval, as navani does; its integral is checked against the
    ``(Q-Qo)/mA.h`` counter (``check``: the largest difference relative to the largest |Q-Qo|)."""
    if "current_mA" in data.columns:
        if current_column is None:
            return data, "unknown", None
        return data, "interval_mean" if current_column.startswith("<") else "instantaneous", None
    t = data["time_s"].to_numpy(float)
    if "dq_mAh" in data.columns:
        dq = data["dq_mAh"].to_numpy(float)
    elif "q_minus_q0_mAh" in data.columns:
        q = data["q_minus_q0_mAh"].to_numpy(float)
        dq = np.diff(q, prepend=q[0])
    else:
        raise ValueError(f"{source}: no current column (I/mA, <I>/mA) and no dq/mA.h or (Q-Qo)/mA.h to derive it from")
    dt = np.diff(t, prepend=t[0])
    bad = (dt <= 0) & (dq != 0)
    if bad.any():
        k = int(np.argmax(bad))
        raise ValueError(f"{source}: charge {dq[k]:g} mAh in a zero time step at record {k}: cannot derive a current")
    current = np.divide(dq * 3600.0, dt, out=np.zeros_like(dq), where=dt > 0)
    check = None
    if "q_minus_q0_mAh" in data.columns:
        q = data["q_minus_q0_mAh"].to_numpy(float)
        scale = max(float(np.max(np.abs(q - q[0]))), 1e-12)
        check = float(np.max(np.abs(np.cumsum(dq) - dq[0] - (q - q[0])))) / scale
        if check > DERIVED_CURRENT_TOLERANCE:
            logger.warning("%s: ∫ of the current derived from dq differs from (Q-Qo) by %.3g (relative)", source, check)
    logger.info("%s: no current column; I derived from dq/dt (interval mean), Q-counter check %s", source, check)
    return data.assign(current_mA=current), "interval_mean", check


def ingester(technique: str, expected: tuple[str, ...]):
    """An ingest step that checks the file's EC-Lab technique and the active mass against the sheet, picks the
    sheet's sequence and derives the current where the record has none (:func:`with_current`)."""

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
        data = select_sequence(raw.data, run.get("sequence"), raw.source)
        data, kind, check = with_current(data, raw.source, raw.header.get("current_column"))
        table = data[[c for c in KEEP if c in data.columns]]
        return table, {"eclab_technique": raw.technique, "current_kind": kind, "derived_current_check": check}

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
