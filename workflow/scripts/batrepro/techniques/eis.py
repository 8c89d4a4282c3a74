"""Impedance spectra (EC-Lab PEIS/GEIS or a generic CSV): circuit fit, Lin-KK and DRT.

Per run, ``metrics/<run>.json`` holds the scalars (fit parameters, Lin-KK verdict, DRT peaks and processes)
and ``curves/eis/<run>.csv`` the arrays the plots draw, as a long table (curve, x, y): the measured spectrum,
the fitted circuit, the fit, Lin-KK and DRT residuals against frequency, and γ(τ) on the DRT grid
(:data:`batrepro.analysis.eis.record.CURVES` names them).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from ..vocab import summary as vsummary
from . import RunMetrics, Technique, run_curves, with_rows

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Settings:
    """Config ``eis:`` (workflow/schemas/config.schema.yaml holds the defaults)."""

    papers: dict[str, Any]
    fit_weights: str
    drop_inductive: bool
    drt: dict[str, Any]
    linkk: dict[str, Any]


def ingest(raw, run, settings):
    from ..analysis.eis.spectrum import spectrum_table

    if raw.technique not in ("PEIS", "GEIS", "csv-eis"):
        raise ValueError(f"{raw.source}: technique {raw.technique}, expected an impedance (PEIS/GEIS/csv-eis) file")
    return spectrum_table(raw.data, raw.source, sweep=run.get("sweep")), {}


def analyse(table, run, settings, info):
    from ..analysis.eis.record import analyse_spectrum

    if run["paper"] not in settings.papers:
        raise ValueError(f"config eis.papers has no circuit for paper {run['paper']!r} (needed by run {run['run']})")
    paper, drt, kk = settings.papers[run["paper"]], settings.drt, settings.linkk
    z = table["z_real_ohm"].to_numpy() + 1j * table["z_imag_ohm"].to_numpy()
    record = analyse_spectrum(
        table["frequency_Hz"].to_numpy(),
        z,
        name=run["path"],
        circuit=paper["circuit"],
        fit_weights=settings.fit_weights,
        drt_lambda=drt["lambda"],
        drt_weights=drt["weights"],
        drt_penalty_order=drt["penalty_order"],
        drt_fwhm_coefficient=drt["fwhm_coefficient"],
        drt_inductance=drt["inductance"],
        peak_min_fraction=drt["peak_min_fraction"],
        tau_windows=dict(paper["tau_windows"]),
        linkk_c=kk["c"],
        linkk_threshold=kk["threshold"],
        linkk_extend_decades=kk["extend_decades"],
        drop_inductive=settings.drop_inductive,
    )
    m = record.metrics
    logger.info(
        "%s: fit chi2 %.3g, Lin-KK M=%d (%s), %d DRT peaks",
        run["run"],
        m["fit"]["chi2"],
        m["linkk"]["M"],
        "pass" if m["linkk"]["passed"] else "FAIL",
        len(m["drt"]["peaks"]),
    )
    return RunMetrics(m, record.curves)


def curves(metrics):
    """The run's curves (long table curve, x, y), written to ``results/<paper>/curves/eis/<run>.csv``."""
    return run_curves(metrics)


def summarise(paper, runs, metrics, settings):
    from ..analysis.eis.record import summarise as eis_summarise

    ms = [metrics[r["run"]] for r in runs]
    lows, highs = [m["frequency_min_Hz"] for m in ms], [m["frequency_max_Hz"] for m in ms]
    spans = vsummary.span(paper, "eis", "frequency_range", "Hz", lows, highs, "spectrum_extent")
    return with_rows(eis_summarise(paper, runs, metrics), spans)


def process_table(spec, runs, metrics, summary):
    from ..analysis.eis.record import process_table_rows

    return process_table_rows(spec, runs, metrics, summary)


def fit_table(spec, runs, metrics, summary):
    from ..analysis.eis.record import fit_table_rows

    return fit_table_rows(spec, runs, metrics, summary)


TECHNIQUE = Technique(
    "eis",
    ingest,
    analyse,
    summarise,
    Settings,
    formats=("eclab_mpt", "eclab_mpr", "generic_csv"),
    tables={"eis_processes": process_table, "eis_fit_parameters": fit_table},
    curves=curves,
    read_options={"generic_csv": {"kind": "eis"}},
    # one format for the data table and the curves: 12 significant digits, as the JSON writer keeps, so the
    # curves the figures draw are the values the metrics JSON held before the curves moved out of it
    float_format="%.6g",
)
