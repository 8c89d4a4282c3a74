"""Cyclic voltammetry (EC-Lab CV/CVA or a generic CSV): peaks per sweep."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ..vocab import summary as vsummary
from . import Technique, with_rows
from ._eclab import FORMATS, ingester, voltage_extent, voltage_span


@dataclass(frozen=True)
class Settings:
    """Config ``cv:`` (workflow/schemas/config.schema.yaml holds the defaults)."""

    prominence_fraction: float
    vertex_margin_V: float
    max_peaks: int


def analyse(table, run, settings, info):
    from ..analysis.cv import analyse_run

    return {**analyse_run(table, run, asdict(settings)), **voltage_extent(table)}


def summarise(paper, runs, metrics, settings):
    from ..analysis.cv import summary_rows

    rows = vsummary.frame([row for r in runs for row in summary_rows(paper, metrics[r["run"]])])
    return with_rows(rows, voltage_span(paper, "cv", runs, metrics))


TECHNIQUE = Technique(
    "cv",
    ingester("cv", ("CV", "CVA")),
    analyse,
    summarise,
    Settings,
    formats=FORMATS,
    read_options={"generic_csv": {"kind": "cycling"}},
)
