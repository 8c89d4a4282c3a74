"""DMA temperature ramps (TA TRIOS text): Tg by three conventions, tan δ peak, rubbery plateau."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ..readers import RawDataError
from ..vocab import summary as vsummary
from . import Technique, with_rows

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Settings:
    """Config ``dma:`` (workflow/schemas/config.schema.yaml holds the defaults)."""

    tg_convention: str
    rubbery_offset_K: tuple[float, float]
    front_factor: float
    onset_baseline_K: float
    onset_inflection_K: float
    onset_grid_K: float


HEADER_NUMBERS = ("specimen_length_mm", "specimen_width_mm", "specimen_thickness_mm", "preload_force_N")


def ingest(raw, run, settings):
    table, header = raw.data, raw.header
    expected = run.get("frequency_Hz")
    if expected is not None and "frequency_Hz" in table:
        found = float(table["frequency_Hz"].median())
        if abs(found - expected) > 1e-6 * expected:
            raise RawDataError(raw.source, f"frequency {found:g} Hz, but the sample sheet says {expected:g} Hz")
    numbers = {k: header[k] for k in HEADER_NUMBERS if k in header}
    return table, {"instrument": header.get("Instrument name", ""), **numbers}


def analyse(table, run, settings, info):
    from ..analysis.dma import analyse_ramp, ramp_conditions

    result = analyse_ramp(
        table,
        rubbery_offset_K=tuple(settings.rubbery_offset_K),
        front_factor=settings.front_factor,
        onset_baseline_K=settings.onset_baseline_K,
        onset_inflection_K=settings.onset_inflection_K,
        onset_grid_K=settings.onset_grid_K,
    )
    logger.info("%s: Tg(tan δ) = %.2f °C", run["run"], result.tg_tan_delta_peak_C)
    return {**result.as_dict(), **ramp_conditions(table), **info}


def summarise(paper, runs, metrics, settings):
    from ..analysis.dma import summarise as dma_summarise

    ms = [metrics[r["run"]] for r in runs]
    spans = vsummary.span(
        paper,
        "dma",
        "temperature_range",
        "°C",
        [m["temperature_start_C"] for m in ms],
        [m["temperature_end_C"] for m in ms],
        "ramp_extent",
    )
    return with_rows(dma_summarise(paper, runs, metrics, settings.tg_convention), spans)


def summary_table(spec, runs, metrics, summary):
    from ..analysis.dma import summary_table as table

    return table(spec, runs, metrics, summary)


TECHNIQUE = Technique(
    "dma",
    ingest,
    analyse,
    summarise,
    Settings,
    formats=("trios_txt",),
    tables={"dma_summary": summary_table},
    float_format="%.6g",
)
