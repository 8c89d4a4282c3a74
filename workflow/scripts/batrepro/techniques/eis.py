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
    models: dict[str, Any]
    fit_starts: int
    fit_weights: str
    drop_inductive: bool
    drt: dict[str, Any]
    linkk: dict[str, Any]


def ingest(raw, run, settings):
    from ..analysis.eis.spectrum import spectrum_table
    from ._eclab import select_sequence

    if raw.technique not in ("PEIS", "GEIS", "MB", "csv-eis"):
        raise ValueError(
            f"{raw.source}: technique {raw.technique}, expected an impedance (PEIS/GEIS, Modulo Bat or csv-eis) file"
        )
    sequence = run.get("sequence")
    if raw.technique == "MB" and not (sequence and str(sequence).strip()):
        raise ValueError(f"{raw.source}: a Modulo Bat file; set 'sequence' in the sample sheet (PEIS, GEIS or an Ns)")
    data = select_sequence(raw.data, sequence, raw.source)
    return spectrum_table(data, raw.source, sweep=run.get("sweep")), {}


def analyse(table, run, settings, info):
    from ..analysis.eis.record import analyse_spectrum

    paper, drt, kk = model_of(run, settings), settings.drt, settings.linkk
    bounds = paper.get("bounds")
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
        initial_guess=paper.get("initial_guess"),
        bounds=(bounds["lower"], bounds["upper"]) if bounds else None,
        fit_starts=settings.fit_starts,
    )
    m = record.metrics
    for pname, p in m["fit"]["parameters"].items():
        se = p["stderr"]
        if pname in m["fit"]["unidentified"]:
            logger.warning("%s: fit parameter %s is not identifiable (infinite standard error)", run["run"], pname)
        elif se != se or (p["value"] != 0 and se > abs(p["value"])):
            text = "%s: fit parameter %s = %.4g is poorly determined (standard error %.3g)"
            logger.warning(text, run["run"], pname, p["value"], se)
    logger.info(
        "%s: fit chi2 %.3g, Lin-KK M=%d (%s), %d DRT peaks",
        run["run"],
        m["fit"]["chi2"],
        m["linkk"]["M"],
        "pass" if m["linkk"]["passed"] else "FAIL",
        len(m["drt"]["peaks"]),
    )
    return RunMetrics(m, record.curves)


def model_of(run: dict, settings: Settings) -> dict:
    """The run's model: the sheet's ``model`` column names one of ``eis.models``; empty, the paper's entry
    in ``eis.papers``."""
    name = run.get("model") or ""
    if name:
        if name not in settings.models:
            known = ", ".join(sorted(settings.models)) or "none"
            raise ValueError(f"run {run['run']}: model {name!r} is not in config eis.models (known: {known})")
        return settings.models[name]
    if run["paper"] not in settings.papers:
        raise ValueError(f"config eis.papers has no circuit for paper {run['paper']!r} (needed by run {run['run']})")
    return settings.papers[run["paper"]]


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
