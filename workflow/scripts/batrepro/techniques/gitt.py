"""GITT (EC-Lab GCPL/MB/CP or a generic CSV): Weppner–Huggins diffusion coefficients per titration."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from typing import Any

from ..vocab import summary as vsummary
from . import Technique
from ._eclab import FORMATS, ingester

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Settings:
    """Config ``gitt:`` (workflow/schemas/config.schema.yaml holds the defaults)."""

    fit_start_fraction: float
    rest_fraction: float
    regime_limit: dict[str, Any]


def analyse(table, run, settings, info):
    from ..analysis.gitt import analyse_run

    metrics = analyse_run(table, run, asdict(settings))
    tit, limit = metrics["titrations"], metrics["regime_limit"]
    for k, ok in enumerate(tit["in_regime"]):
        if not ok:
            logger.warning(
                "%s: titration %d (%s) outside the Weppner-Huggins regime: D tau/r2 = %.3g > %g "
                "(from the diffusion fit); left out of the mean D",
                run["run"],
                tit["titration"][k],
                tit["direction"][k],
                tit["regime_D_tau_over_r2"][k],
                limit,
            )
    for direction in sorted(set(tit["direction"])):
        passing = [ok for ok, d in zip(tit["in_regime"], tit["direction"]) if d == direction]
        if not any(passing):
            logger.warning(
                "%s: no %s titration inside the Weppner-Huggins regime (D tau/r2 <= %g): mean D not derivable",
                run["run"],
                direction,
                limit,
            )
    return metrics


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
