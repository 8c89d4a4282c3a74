"""Per-technique adapters: how one raw file becomes a canonical table and metrics, and runs a summary.

The workflow processes all runs of one technique for one paper in a single job
(``process_<technique>_<paper>``, workflow/rules/techniques.smk): each run is ingested, written to
``results/<paper>/data/<technique>/<run>.csv``, analysed and written to
``results/<paper>/metrics/<technique>/<run>.json``; then the summary is written. One job per
(technique, paper) instead of three per run, because interpreter and import start-up (~1 s a job)
dominated the run time when every file was its own job (benchmarks/README.md).

An adapter has three pure-ish functions (file reading is the reader's job, no writing here):

``ingest(raw_path, run, settings) -> (table, info)``
    read the raw file with the format's reader; `run` is the sample-sheet row
``analyse(table, run, settings, info) -> dict``
    the run's metrics (JSON-serialisable)
``summarise(paper, runs, metrics, settings) -> DataFrame``
    long-format summary rows (workflow/README.md), `metrics` keyed by run id
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

import pandas as pd


logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Technique:
    ingest: Callable
    analyse: Callable
    summarise: Callable
    #: float format of the canonical data table (times reach 1e6 s in long cycling tests)
    float_format: str = "%.10g"


def span_rows(paper: str, technique: str, quantity: str, unit: str, lows, highs, method: str) -> list[dict]:
    """A test's span over all runs (sample 'all'): two rows, conditions bound=min and bound=max."""
    return [{"paper": paper, "technique": technique, "sample": "all", "quantity": quantity,
             "condition": f"bound={end}", "unit": unit, "value": float(value), "uncertainty": None,
             "n": len(lows), "method": method}
            for end, value in (("min", min(lows)), ("max", max(highs)))]


def _with_spans(summary: pd.DataFrame, rows: list[dict]) -> pd.DataFrame:
    return pd.concat([summary, pd.DataFrame(rows)], ignore_index=True) if rows else summary


# --- film mechanics ---------------------------------------------------------------------------

def _ingest_dma(raw, run, settings):
    from .readers import RawDataError
    from .readers.trios import read_trios_dma

    table, header = read_trios_dma(raw)
    expected = run.get("frequency_Hz")
    if expected is not None and "frequency_Hz" in table:
        found = float(table["frequency_Hz"].median())
        if abs(found - expected) > 1e-6 * expected:
            raise RawDataError(raw, f"frequency {found:g} Hz, but the sample sheet says {expected:g} Hz")
    numbers = {k: header[k] for k in ("specimen_length_mm", "specimen_width_mm", "specimen_thickness_mm",
                                      "preload_force_N") if k in header}
    return table, {"instrument": header.get("Instrument name", ""), **numbers}


def _analyse_dma(table, run, settings, info):
    from .dma import analyse_ramp, ramp_conditions

    result = analyse_ramp(table, rubbery_offset_K=tuple(settings["rubbery_offset_K"]),
                          front_factor=settings["front_factor"])
    logger.info("%s: Tg(tan δ) = %.2f °C", run["run"], result.tg_tan_delta_peak_C)
    return {**result.as_dict(), **ramp_conditions(table), **info}


def _summarise_dma(paper, runs, metrics, settings):
    from .dma import summarise

    ms = [metrics[r["run"]] for r in runs]
    spans = span_rows(paper, "dma", "temperature_range", "°C", [m["temperature_start_C"] for m in ms],
                      [m["temperature_end_C"] for m in ms], "ramp_extent")
    return _with_spans(summarise(paper, runs, metrics, settings["tg_convention"]), spans)


def _ingest_tensile(raw, run, settings):
    from .readers.bluehill import read_bluehill, specimen_geometry
    from .tensile import engineering_curve

    table, params = read_bluehill(raw)
    geometry = specimen_geometry(params, run, raw)
    curve = engineering_curve(table, **geometry)
    return table.assign(strain_pct=curve["strain_pct"], stress_MPa=curve["stress_MPa"]), {"geometry": geometry}


def _analyse_tensile(table, run, settings, info):
    from .tensile import analyse_specimen

    result = analyse_specimen(table, window_pct=settings["modulus_window_pct"],
                              max_fraction=settings["modulus_search_max_fraction"],
                              drop_fraction=settings["break_drop_fraction"],
                              window_points=settings["break_window_points"])
    if not result.break_detected:
        logger.warning("%s: no break detected; the last point is used", run["run"])
    return {**result.as_dict(), **info}


def _summarise_tensile(paper, runs, metrics, settings):
    from .tensile import summarise

    return summarise(paper, runs, metrics)


# --- electrochemistry (EC-Lab or generic CSV) ----------------------------------------------------

_ECLAB_EXPECTED = {"cycling": ("GCPL", "MB"), "rate": ("GCPL", "MB"), "gitt": ("GCPL", "MB", "CP"),
                   "cv": ("CV", "CVA")}
_ECLAB_KEEP = ("time_s", "voltage_V", "current_mA", "ns", "mode", "half_cycle", "cycle_number", "dq_mAh",
               "charge_discharge_mAh")


def _eclab_ingest(technique):
    def ingest(raw, run, settings):
        from .readers.eclab import read_eclab
        from .readers.generic_csv import read_generic_csv

        if run["format"] == "generic_csv":
            record = read_generic_csv(raw, kind="cycling")
        else:
            record = read_eclab(raw)
            if record.technique not in _ECLAB_EXPECTED[technique]:
                raise ValueError(f"{raw}: EC-Lab technique {record.technique}, expected one of "
                                 f"{_ECLAB_EXPECTED[technique]} for {technique}")
            header_mass = record.header.get("mass_of_active_material_mg")
            sheet_mass = run.get("active_mass_mg")
            if header_mass and sheet_mass and abs(header_mass - sheet_mass) > 0.01 * sheet_mass:
                logger.warning("%s: file header says %g mg active mass, the sample sheet %g mg; the sheet is used",
                               raw, header_mass, sheet_mass)
        table = record.data[[c for c in _ECLAB_KEEP if c in record.data.columns]]
        return table, {"eclab_technique": getattr(record, "technique", "csv")}

    return ingest


def _voltage_extent(table) -> dict:
    """The cut-off window: lowest potential under reducing current, highest under oxidising current
    (the open-circuit potential of a fresh cell before its first lithiation is not a cut-off)."""
    v, i = table["voltage_V"].to_numpy(), table["current_mA"].to_numpy()
    low, high = v[i < 0], v[i > 0]
    return {"voltage_min_V": float(low.min() if low.size else v.min()),
            "voltage_max_V": float(high.max() if high.size else v.max())}


def _voltage_span(paper, technique, runs, metrics):
    """The voltage window over the paper's half-cells (full cells, with another window, are left out)."""
    ms = [metrics[r["run"]] for r in runs if metrics[r["run"]].get("cell", "half") != "full"]
    if not ms:
        return []
    return span_rows(paper, technique, "voltage_window", "V", [m["voltage_min_V"] for m in ms],
                     [m["voltage_max_V"] for m in ms], "voltage_extent")


def _analyse_cycling(table, run, settings, info):
    from .cycling import analyse_run

    metrics = {**analyse_run(table, run, settings), **_voltage_extent(table)}
    check = metrics["capacity_check"]
    if check["checked"] and check["max_rel_diff"] > settings["capacity_check_tolerance"]:
        logger.warning("%s: ∫I dt differs from the cycler's capacity column by %.3g (relative)", run["run"],
                       check["max_rel_diff"])
    return metrics


def _summarise_cycling(paper, runs, metrics, settings):
    from .cycling import aggregate_rows, cycling_summary_rows, summary_frame

    ms = [metrics[r["run"]] for r in runs]
    rows = [row for m in ms for row in cycling_summary_rows(paper, m, settings)]
    return _with_spans(summary_frame(rows + aggregate_rows(paper, ms, "cycling")),
                       _voltage_span(paper, "cycling", runs, metrics))


def _summarise_rate(paper, runs, metrics, settings):
    from .cycling import aggregate_rows, rate_summary_rows, summary_frame

    ms = [metrics[r["run"]] for r in runs]
    rows = [row for m in ms for row in rate_summary_rows(paper, m, "rate")]
    rows += [row for row in aggregate_rows(paper, ms, "rate") if row["quantity"] != "current_density"]
    rates = [c for m in ms for c in m["rate_steps"]["c_rate"]]
    spans = span_rows(paper, "rate", "c_rate_range", "C", rates, rates, "rate_steps") if rates else []
    return _with_spans(summary_frame(rows), spans)


def _analyse_cv(table, run, settings, info):
    from .cv import analyse_run

    return {**analyse_run(table, run, settings), **_voltage_extent(table)}


def _summarise_cv(paper, runs, metrics, settings):
    from .cv import summary_rows
    from .cycling import summary_frame

    rows = summary_frame([row for r in runs for row in summary_rows(paper, metrics[r["run"]])])
    return _with_spans(rows, _voltage_span(paper, "cv", runs, metrics))


def _analyse_gitt(table, run, settings, info):
    from .gitt import analyse_run

    return analyse_run(table, run, settings)


def _summarise_gitt(paper, runs, metrics, settings):
    from .cycling import summary_frame
    from .gitt import summary_rows

    return summary_frame([row for r in runs for row in summary_rows(paper, metrics[r["run"]])])


# --- impedance ----------------------------------------------------------------------------------

def _ingest_eis(raw, run, settings):
    from .eis import spectrum_table
    from .readers.eclab import read_eclab
    from .readers.generic_csv import read_generic_csv

    record = read_generic_csv(raw, kind="eis") if run["format"] == "generic_csv" else read_eclab(raw)
    if record.technique not in ("PEIS", "GEIS"):
        raise ValueError(f"{raw}: technique {record.technique}, expected an impedance (PEIS/GEIS) file")
    return spectrum_table(record.data, raw, sweep=run.get("sweep")), {}


def _analyse_eis(table, run, settings, info):
    from .eis import analyse_spectrum

    paper, drt, kk = settings["papers"][run["paper"]], settings["drt"], settings["linkk"]
    z = table["z_real_ohm"].to_numpy() + 1j * table["z_imag_ohm"].to_numpy()
    record = analyse_spectrum(
        table["frequency_Hz"].to_numpy(), z, name=run["path"], circuit=paper["circuit"],
        fit_weights=settings["fit_weights"], drt_lambda=drt["lambda"], drt_weights=drt["weights"],
        drt_penalty_order=drt["penalty_order"], drt_fwhm_coefficient=drt["fwhm_coefficient"],
        drt_inductance=drt["inductance"], peak_min_fraction=drt["peak_min_fraction"],
        tau_windows=dict(paper["tau_windows"]), linkk_c=kk["c"], linkk_threshold=kk["threshold"],
        linkk_extend_decades=kk["extend_decades"], drop_inductive=settings["drop_inductive"],
    )
    record["run"] = run["run"]
    logger.info("%s: fit chi2 %.3g, Lin-KK M=%d (%s), %d DRT peaks", run["run"], record["fit"]["chi2"],
                record["linkk"]["M"], "pass" if record["linkk"]["passed"] else "FAIL", len(record["drt"]["peaks"]))
    return record


def _summarise_eis(paper, runs, metrics, settings):
    from .eis import summarise

    ms = [metrics[r["run"]] for r in runs]
    spans = span_rows(paper, "eis", "frequency_range", "Hz", [min(m["frequency_Hz"]) for m in ms],
                      [max(m["frequency_Hz"]) for m in ms], "spectrum_extent")
    return _with_spans(summarise(paper, runs, metrics), spans)


TECHNIQUES: dict[str, Technique] = {
    "dma": Technique(_ingest_dma, _analyse_dma, _summarise_dma, float_format="%.6g"),
    "tensile": Technique(_ingest_tensile, _analyse_tensile, _summarise_tensile, float_format="%.6g"),
    "cycling": Technique(_eclab_ingest("cycling"), _analyse_cycling, _summarise_cycling),
    "rate": Technique(_eclab_ingest("rate"), _analyse_cycling, _summarise_rate),
    "cv": Technique(_eclab_ingest("cv"), _analyse_cv, _summarise_cv),
    "gitt": Technique(_eclab_ingest("gitt"), _analyse_gitt, _summarise_gitt),
    "eis": Technique(_ingest_eis, _analyse_eis, _summarise_eis, float_format="%.6g"),
}


def process_runs(technique: str, paper: str, runs: list[dict], raw_paths: list[str], settings: dict):
    """Ingest and analyse every run, then summarise. Yields nothing; returns (tables, metrics, summary)."""
    adapter = TECHNIQUES[technique]
    tables, metrics = {}, {}
    for run, raw in zip(runs, raw_paths):
        table, info = adapter.ingest(raw, run, settings)
        logger.info("%s: %d rows", raw, len(table))
        tables[run["run"]] = table
        metrics[run["run"]] = adapter.analyse(table, run, settings, info)
    summary = adapter.summarise(paper, runs, metrics, settings)
    return tables, metrics, summary
