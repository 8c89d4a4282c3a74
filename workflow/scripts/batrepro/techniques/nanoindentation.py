"""Nanoindentation of electrodes (Anton Paar-like text exports; ISO 14577-1, Oliver & Pharr 1992)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from . import Technique

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Settings:
    """Config ``nanoindentation:`` (workflow/schemas/config.schema.yaml holds the defaults)."""

    fit_range: tuple[float, float]
    min_fit_points: int
    epsilon: float
    beta: float
    area_coefficients: tuple[float, ...]


def ingest(raw, run, settings):
    return raw.data, {"instrument": raw.header.get("Instrument", ""), "indenter": raw.header.get("Indenter type", "")}


def analyse(table, run, settings, info):
    from ..analysis.nanoindentation import analyse_indent

    result = analyse_indent(
        table["depth_nm"].to_numpy(float),
        table["force_mN"].to_numpy(float),
        fit_range=tuple(settings.fit_range),
        min_fit_points=settings.min_fit_points,
        epsilon=settings.epsilon,
        beta=settings.beta,
        area_coefficients=tuple(settings.area_coefficients),
    )
    logger.info("%s: E_r = %.4g GPa, H = %.4g GPa", run["run"], result.reduced_modulus_GPa, result.hardness_GPa)
    return {**result.as_dict(), **info}


def summarise(paper, runs, metrics, settings):
    from ..analysis.nanoindentation import summarise as indentation_summarise

    return indentation_summarise(paper, runs, metrics)


def summary_table(spec, runs, metrics, summary):
    from ..analysis.nanoindentation import summary_table as table

    return table(spec, runs, metrics, summary)


TECHNIQUE = Technique(
    "nanoindentation",
    ingest,
    analyse,
    summarise,
    Settings,
    formats=("anton_paar_indentation_txt",),
    tables={"nanoindentation_summary": summary_table},
    float_format="%.7g",
)
