"""GITT (EC-Lab GCPL/MB/CP or a generic CSV): Weppner–Huggins diffusion coefficients per titration."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ..vocab import summary as vsummary
from . import Technique
from ._eclab import FORMATS, ingester


@dataclass(frozen=True)
class Settings:
    """Config ``gitt:`` (workflow/schemas/config.schema.yaml holds the defaults)."""

    fit_start_fraction: float
    rest_fraction: float
    regime_limit: float


def analyse(table, run, settings, info):
    from ..analysis.gitt import analyse_run

    return analyse_run(table, run, asdict(settings))


def summarise(paper, runs, metrics, settings):
    from ..analysis.gitt import summary_rows

    return vsummary.frame([row for r in runs for row in summary_rows(paper, metrics[r["run"]])])


def titration_table(spec, runs, metrics, summary):
    from ..analysis.gitt import titration_table as table

    return table(spec, runs, metrics, summary)


TECHNIQUE = Technique(
    "gitt",
    ingester("gitt", ("GCPL", "MB", "CP")),
    analyse,
    summarise,
    Settings,
    formats=FORMATS,
    tables={"gitt_titrations": titration_table},
    read_options={"generic_csv": {"kind": "cycling"}},
)
