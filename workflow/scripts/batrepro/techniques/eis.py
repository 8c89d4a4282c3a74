"""Impedance spectra (EC-Lab PEIS/GEIS or a generic CSV): circuit fit, Lin-KK and DRT."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from ..vocab import summary as vsummary
from . import Technique, with_rows

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
    from ..analysis.eis import spectrum_table

    if raw.technique not in ("PEIS", "GEIS"):
        raise ValueError(f"{raw.source}: technique {raw.technique}, expected an impedance (PEIS/GEIS) file")
    return spectrum_table(raw.data, raw.source, sweep=run.get("sweep")), {}


def analyse(table, run, settings, info):
    from ..analysis.eis import analyse_spectrum

    if run["paper"] not in settings.papers:
        raise ValueError(f"config eis.papers has no circuit for paper {run['paper']!r} (needed by run {run['run']})")
    paper, drt, kk = settings.papers[run["paper"]], settings.drt, settings.linkk
    z = table["z_real_ohm"].to_numpy() + 1j * table["z_imag_ohm"].to_numpy()
    record = analyse_spectrum(
        table["frequency_Hz"].to_numpy(), z, name=run["path"], circuit=paper["circuit"],
        fit_weights=settings.fit_weights, drt_lambda=drt["lambda"], drt_weights=drt["weights"],
        drt_penalty_order=drt["penalty_order"], drt_fwhm_coefficient=drt["fwhm_coefficient"],
        drt_inductance=drt["inductance"], peak_min_fraction=drt["peak_min_fraction"],
        tau_windows=dict(paper["tau_windows"]), linkk_c=kk["c"], linkk_threshold=kk["threshold"],
        linkk_extend_decades=kk["extend_decades"], drop_inductive=settings.drop_inductive,
    )
    record["run"] = run["run"]
    logger.info("%s: fit chi2 %.3g, Lin-KK M=%d (%s), %d DRT peaks", run["run"], record["fit"]["chi2"],
                record["linkk"]["M"], "pass" if record["linkk"]["passed"] else "FAIL", len(record["drt"]["peaks"]))
    return record


def summarise(paper, runs, metrics, settings):
    from ..analysis.eis import summarise as eis_summarise

    ms = [metrics[r["run"]] for r in runs]
    spans = vsummary.span(paper, "eis", "frequency_range", "Hz", [min(m["frequency_Hz"]) for m in ms],
                          [max(m["frequency_Hz"]) for m in ms], "spectrum_extent")
    return with_rows(eis_summarise(paper, runs, metrics), spans)


def process_table(spec, runs, metrics, summary):
    from ..analysis.eis import process_table_rows

    return process_table_rows(spec, runs, metrics, summary)


def fit_table(spec, runs, metrics, summary):
    from ..analysis.eis import fit_table_rows

    return fit_table_rows(spec, runs, metrics, summary)


TECHNIQUE = Technique("eis", ingest, analyse, summarise, Settings, formats=("eclab_mpt", "eclab_mpr", "generic_csv"),
                      tables={"eis_processes": process_table, "eis_fit_parameters": fit_table},
                      read_options={"generic_csv": {"kind": "eis"}}, float_format="%.6g")
