"""180° peel tests of electrodes (Instron Bluehill CSV; ASTM D903 / ISO 8510-2)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from . import Technique, run_table

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Settings:
    """Config ``peel:`` (workflow/schemas/config.schema.yaml holds the defaults)."""

    crack_fraction: float
    window_offset_mm: float
    window_length_mm: float
    batches: int


def ingest(raw, run, settings):
    width = run.get("width_mm", raw.header.get("width_mm"))
    return raw.data, {"width_mm": float(width) if width is not None else None}


def analyse(table, run, settings, info):
    from ..analysis.adhesion import peel_force

    result = peel_force(
        table["extension_mm"].to_numpy(float),
        table["load_N"].to_numpy(float),
        crack_fraction=settings.crack_fraction,
        window_offset_mm=settings.window_offset_mm,
        window_length_mm=settings.window_length_mm,
        batches=settings.batches,
    )
    out = {**result.as_dict(), **info}
    width = info["width_mm"]
    out["peel_strength_N_mm"] = result.adhesion_force_N / width if width else None
    logger.info(
        "%s: peel force %.4g N (crack point %.2f mm)", run["run"], result.adhesion_force_N, result.crack_extension_mm
    )
    return out


def summarise(paper, runs, metrics, settings):
    from ..analysis.adhesion import summarise as adhesion_summarise

    return adhesion_summarise(paper, "peel", runs, metrics, "astm_d903_peel")


def specimen_table(spec, runs, metrics, summary):
    keys = {
        "adhesion_force_N": "adhesion_force_N",
        "force_sd_N": "force_sd_N",
        "standard_error_N": "standard_error_N",
        "peel_strength_N_mm": "peel_strength_N_mm",
        "crack_point_mm": "crack_extension_mm",
        "window_start_mm": "window_start_mm",
        "window_end_mm": "window_end_mm",
    }
    return run_table(spec, runs, metrics, keys)


TECHNIQUE = Technique(
    "peel",
    ingest,
    analyse,
    summarise,
    Settings,
    formats=("bluehill_csv",),
    tables={"peel_specimens": specimen_table},
    float_format="%.6g",
)
