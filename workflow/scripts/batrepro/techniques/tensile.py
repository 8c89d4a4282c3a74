"""Tensile tests of free-standing films (Instron Bluehill CSV, ASTM D882)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from . import Technique

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Settings:
    """Config ``tensile:`` (workflow/schemas/config.schema.yaml holds the defaults)."""

    modulus_window_pct: float
    modulus_search_max_fraction: float
    break_drop_fraction: float
    break_window_points: int


def ingest(raw, run, settings):
    from ..analysis.tensile import engineering_curve
    from ..readers.bluehill import specimen_geometry

    geometry = specimen_geometry(raw.header, run, raw.source)
    curve = engineering_curve(raw.data, **geometry)
    return raw.data.assign(strain_pct=curve["strain_pct"], stress_MPa=curve["stress_MPa"]), {"geometry": geometry}


def analyse(table, run, settings, info):
    from ..analysis.tensile import analyse_specimen

    result = analyse_specimen(
        table,
        window_pct=settings.modulus_window_pct,
        max_fraction=settings.modulus_search_max_fraction,
        drop_fraction=settings.break_drop_fraction,
        window_points=settings.break_window_points,
    )
    if not result.break_detected:
        logger.warning("%s: no break detected; the last point is used", run["run"])
    return {**result.as_dict(), **info}


def summarise(paper, runs, metrics, settings):
    from ..analysis.tensile import summarise as tensile_summarise

    return tensile_summarise(paper, runs, metrics)


def summary_table(spec, runs, metrics, summary):
    from ..analysis.tensile import summary_table as table

    return table(spec, runs, metrics, summary)


TECHNIQUE = Technique(
    "tensile",
    ingest,
    analyse,
    summarise,
    Settings,
    formats=("bluehill_csv",),
    tables={"tensile_summary": summary_table},
    float_format="%.6g",
)
