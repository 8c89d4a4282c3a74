"""SAICAS of electrodes: oblique cutting, then constant-depth peeling (SAICAS EN-EX CSV logs)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from . import Technique, run_table

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Settings:
    """Config ``saicas:`` (workflow/schemas/config.schema.yaml holds the defaults)."""

    tail_fraction: float
    depth_tolerance_um: float
    settle_um: float
    min_peel_um: float
    batches: int


def ingest(raw, run, settings):
    return raw.data, {"instrument": raw.header.get("Instrument", "")}


def analyse(table, run, settings, info):
    from ..analysis.adhesion import saicas_force

    result = saicas_force(
        table["horizontal_displacement_um"].to_numpy(float),
        table["vertical_displacement_um"].to_numpy(float),
        table["horizontal_force_N"].to_numpy(float),
        table["vertical_force_N"].to_numpy(float),
        tail_fraction=settings.tail_fraction,
        depth_tolerance_um=settings.depth_tolerance_um,
        settle_um=settings.settle_um,
        min_peel_um=settings.min_peel_um,
        batches=settings.batches,
    )
    logger.info("%s: peeling force %.4g N at %.2f µm depth", run["run"], result.adhesion_force_N, result.peel_depth_um)
    return {**result.as_dict(), **info}


def summarise(paper, runs, metrics, settings):
    from ..analysis.adhesion import summarise as adhesion_summarise

    return adhesion_summarise(paper, "saicas", runs, metrics, "saicas_constant_depth")


def specimen_table(spec, runs, metrics, summary):
    keys = {
        "adhesion_force_N": "adhesion_force_N",
        "force_sd_N": "force_sd_N",
        "standard_error_N": "standard_error_N",
        "vertical_force_N": "vertical_force_N",
        "peel_depth_um": "peel_depth_um",
        "window_start_um": "window_start_um",
        "window_end_um": "window_end_um",
    }
    return run_table(spec, runs, metrics, keys)


TECHNIQUE = Technique(
    "saicas",
    ingest,
    analyse,
    summarise,
    Settings,
    formats=("saicas_csv",),
    tables={"saicas_specimens": specimen_table},
    float_format="%.7g",
)
