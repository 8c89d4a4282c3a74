"""SEM cross-section thickness (JEOL TIFF + sidecar, or ImageJ line measurements) and electrode swelling.

Runs of one sample differ by ``state`` (``pristine``, ``lithiated``, ``delithiated``: after the 1st
lithiation and after the 1st full cycle); any other condition key (e.g. ``measurement=imagej``) makes its
own group. Per run: thickness mean ± SD over the measured positions. Per group holding all three states:
expansion, contraction and every reading of the volume recovery (:mod:`batrepro.analysis.sem`).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..readers import RawDataError
from ..vocab import conditions
from ..vocab import summary as vsummary
from . import Technique

logger = logging.getLogger(__name__)

STATES = ("pristine", "lithiated", "delithiated")


@dataclass(frozen=True)
class Settings:
    """Config ``sem:`` (workflow/schemas/config.schema.yaml holds the defaults)."""

    smoothing_px: float
    min_feature_px: int
    surface_bridge_px: int
    column_step_px: int
    se_blocks: int
    min_valid_fraction: float
    max_line_tilt_deg: float
    scale_tolerance: float


class RunMetrics(dict):
    """A run's metrics (the JSON) with its per-position table beside them for :func:`curves`."""

    def __init__(self, metrics: dict, positions: pd.DataFrame):
        super().__init__(metrics)
        self.positions = positions


def _pixel_size(raw, run, settings) -> tuple[float, str]:
    """The pixel size (µm) from the sidecar or the sheet; both present must agree."""
    sheet = run.get("pixel_size_um")
    sheet = None if sheet is None or (isinstance(sheet, float) and math.isnan(sheet)) else float(sheet)
    side = raw.header.get("pixel_size_um")
    if side is None and sheet is None:
        raise RawDataError(
            raw.source,
            "no scale: no JEOL .txt sidecar with $$SM_MICRON_BAR/$$SM_MICRON_MARKER beside the image and no "
            "pixel_size_um in the sample sheet",
        )
    if side is not None and sheet is not None and abs(side / sheet - 1) > settings.scale_tolerance:
        raise RawDataError(
            raw.source, f"the sidecar's pixel size {side:.5g} µm disagrees with the sheet's pixel_size_um {sheet:.5g}"
        )
    return (side, "sidecar") if side is not None else (sheet, "sample sheet")


def ingest(raw, run, settings):
    if run["format"] == "imagej_results_csv":
        table = raw.data.copy()
        unit = run.get("length_unit")
        if unit not in ("um", "px"):
            raise RawDataError(raw.source, "ImageJ lengths need the sheet's length_unit (um or px)")
        if unit == "px":
            px = run.get("pixel_size_um")
            if px is None or not px > 0:
                raise RawDataError(raw.source, "ImageJ lengths in px need pixel_size_um in the sample sheet")
            table["length"] *= float(px)
        table = table.rename(columns={"length": "length_um"})
        if "angle_deg" in table:
            tilt = np.abs(90 - np.abs(table["angle_deg"].to_numpy()))
            if tilt.max() > settings.max_line_tilt_deg:
                i = int(np.argmax(tilt))
                raise RawDataError(
                    raw.source,
                    f"line {i + 1} is {tilt[i]:.1f}° from the normal to the foil (max {settings.max_line_tilt_deg:g}°)",
                    i + 2,
                )
        return table, {"kind": "lines", "label": raw.header.get("label", "")}
    px, source = _pixel_size(raw, run, settings)
    keep = ("magnification", "accelerating_voltage_kV", "working_distance_mm", "instrument", "data_bar_rows")
    info = {k: raw.header[k] for k in keep if k in raw.header}
    return raw.data, {"kind": "image", "pixel_size_um": px, "scale_source": source, **info}


def analyse(table, run, settings, info):
    from ..analysis.sem import image_thickness, line_thickness

    info = dict(info)
    if info.pop("kind") == "lines":
        th = line_thickness(table["length_um"].to_numpy())
        positions = pd.DataFrame({"line": table["line"], "thickness_um": table["length_um"]})
    else:
        th = image_thickness(
            table.to_numpy(),
            info["pixel_size_um"],
            smoothing_px=settings.smoothing_px,
            min_feature_px=settings.min_feature_px,
            surface_bridge_px=settings.surface_bridge_px,
            column_step_px=settings.column_step_px,
            se_blocks=settings.se_blocks,
            min_valid_fraction=settings.min_valid_fraction,
        )
        info.update(image_width_px=table.shape[1], image_height_px=table.shape[0])
        positions = pd.DataFrame(
            {
                "x_px": th.columns_px,
                "top_px": th.top_px,
                "foil_px": th.foil_px,
                "thickness_um": (th.foil_px - th.top_px) * info["pixel_size_um"],
            }
        )
    logger.info("%s: thickness %.3f ± %.3f µm (n = %d)", run["run"], th.mean_um, th.sd_um, th.n)
    return RunMetrics({**th.as_dict(), **info}, positions)


#: every n-th pixel row and column of a cross-section is written to data/<run>.csv: the overlay figure draws
#: images ~2.4 in wide (≈ 320 px at its resolution), so the full 1280 × 960 image (4.4 MB of CSV) is not needed
DATA_STRIDE_PX = 4


def data(table):
    """The run's data table as written: a cross-section at every DATA_STRIDE_PX-th pixel (ImageJ lines whole)."""
    return table if "length_um" in table else table.iloc[::DATA_STRIDE_PX, ::DATA_STRIDE_PX]


def curves(metrics):
    """Per measured position: the edges (px) and the thickness (µm); for the overlay figure."""
    return metrics.positions


def _groups(runs):
    """{condition without state: {state: run}} for the runs carrying a state."""
    out: dict[str, dict[str, dict]] = {}
    for r in runs:
        cond = conditions.parse(r.get("condition") or "")
        state = cond.pop("state", None)
        if state in STATES:
            out.setdefault(r["sample"], {}).setdefault(conditions.format(cond), {})[state] = r
    return out


def summarise(paper, runs, metrics, settings):
    from ..analysis.sem import Thickness, swelling

    rows = []
    for r in runs:
        m = metrics[r["run"]]
        rows.append(
            vsummary.row(
                paper,
                "sem",
                r["sample"],
                "thickness",
                r.get("condition") or "",
                "um",
                m["thickness_mean_um"],
                m["thickness_method"],
                m["thickness_sd_um"],
                m["n_positions"],
            )
        )
    for sample, groups in _groups(runs).items():
        for base, by_state in groups.items():
            if set(by_state) != set(STATES):
                continue
            th = {}
            for s, r in by_state.items():
                m = metrics[r["run"]]
                th[s] = Thickness(m["thickness_mean_um"], m["thickness_sd_um"], m["thickness_se_um"], 1, "")
            res = swelling(th["pristine"], th["lithiated"], th["delithiated"])
            method = metrics[by_state["pristine"]["run"]]["thickness_method"]
            # n = 1: u is the standard error propagated from the images' thickness SEs into this one derived
            # number, not an SD over replicates (the summary contract: an SD comes with its n, an SE with n = 1)
            for key, quantity, extra in (
                ("expansion", "thickness_expansion", {"state": "lithiated"}),
                ("contraction", "thickness_contraction", {"state": "delithiated"}),
            ):
                v, u = res[key]
                cond = conditions.merge(base, **extra)
                rows.append(vsummary.row(paper, "sem", sample, quantity, cond, "%", v, method, u, 1))
            for key, (v, u) in res.items():
                if key.startswith("recovery:"):
                    cond = conditions.merge(base, reading=key.split(":", 1)[1])
                    rows.append(vsummary.row(paper, "sem", sample, "volume_recovery", cond, "%", v, method, u, 1))
    return vsummary.frame(rows)


def thickness_table(spec, runs, metrics, summary):
    """Per sample and state: thickness from every measurement path (mean ± SD, n) and their difference."""
    out = []
    for sample in spec["samples"]:
        for base, by_state in sorted(_groups([r for r in runs if r["sample"] == sample]).get(sample, {}).items()):
            for state in STATES:
                r = by_state.get(state)
                if r is None:
                    continue
                m = metrics[r["run"]]
                out.append(
                    {
                        "sample": sample,
                        "state": state,
                        "measurement": base or "automatic edges",
                        "thickness_um": m["thickness_mean_um"],
                        "sd_um": m["thickness_sd_um"],
                        "n": m["n_positions"],
                        "method": m["thickness_method"],
                        "run": r["run"],
                    }
                )
    df = pd.DataFrame(out)
    if not df.empty:
        auto = df[df["measurement"] == "automatic edges"].set_index(["sample", "state"])["thickness_um"]
        ref = [auto.get((s, st), np.nan) for s, st in zip(df["sample"], df["state"])]
        df["vs_automatic_pct"] = 100 * (df["thickness_um"] / np.array(ref, dtype=float) - 1)
    return df


TECHNIQUE = Technique(
    "sem",
    ingest,
    analyse,
    summarise,
    Settings,
    formats=("jeol_sem_tif", "imagej_results_csv"),
    tables={"sem_thickness": thickness_table},
    curves=curves,
    float_format="%.6g",
    data=data,
)
