"""Techniques as plug-ins: one module per technique, each defining ``TECHNIQUE``.

A technique module holds its adapter and nothing central lists it:

``ingest(raw: RawTable, run, settings) -> (table, info)``
    turn the reader's table into the canonical table the analysis takes; `run` is the sheet row;
``analyse(table, run, settings, info) -> dict``
    the run's metrics (scalars and method names, JSON-serialisable);
``curves(metrics) -> DataFrame | None`` (optional)
    the run's curves (spectra, fits, profiles) for the plots, written apart from the metrics;
``summarise(paper, runs, metrics, settings) -> DataFrame``
    the long summary rows (:mod:`batrepro.vocab.summary`), `metrics` keyed by run id;
``tables``
    table kind -> ``f(spec, runs, metrics, summary) -> DataFrame`` (config ``tables:``);
``settings``
    a frozen dataclass built from the technique's config block (the schema holds the defaults).

The workflow analyses the runs of one technique for one paper in batches (``process_<technique>_<paper>[_<k>]``,
at most config ``batch_runs`` runs each), because interpreter and import start-up (~1 s a job) dominated when every
file was its own job, and one job for all runs costs O(N²) in Snakemake's per-output bookkeeping. ``summarise``
always receives the metrics as written to ``metrics/<run>.json`` (JSON types, NaN as None), in the batch job or in
``summarise_<technique>_<paper>``. The
rule's code inputs are derived from this module's imports (``workflow/rules/common.smk``), so an edit to
one technique re-runs only its jobs.
"""

from __future__ import annotations

import dataclasses
import importlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from ..readers.formats import read

logger = logging.getLogger(__name__)


#: float format of the curve tables: the 12 significant digits the JSON writer keeps, so plots draw the same values
CURVES_FLOAT_FORMAT = "%.12g"


@dataclass(frozen=True)
class Technique:
    name: str
    ingest: Callable
    analyse: Callable
    summarise: Callable
    settings: type
    #: sheet formats this technique accepts (a subset of readers.formats.FORMATS)
    formats: tuple[str, ...]
    tables: Mapping[str, Callable] = field(default_factory=dict)
    curves: Callable | None = None
    #: format id -> options passed to its reader (e.g. the generic CSV's kind)
    read_options: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    #: float format of the canonical data table (times reach 1e6 s in long cycling tests)
    float_format: str = "%.10g"
    #: the canonical table as written to ``data/<run>.csv``, if not the ingested one (an image technique writes a
    #: display-resolution copy: the analysis had every pixel, the figures need no more than they draw)
    data: Callable | None = None


class RunMetrics(dict):
    """A run's metrics, the dict written to ``metrics/<run>.json``, with its curves table beside the items
    (an attribute, so the JSON writer never sees it) for a plug-in's ``curves``."""

    def __init__(self, metrics: dict, curves):
        super().__init__(metrics)
        self.curves = curves


def run_curves(metrics):
    """The run's curves table, written to ``results/<paper>/curves/<technique>/<run>.csv``."""
    return metrics.curves


def load(name: str) -> Technique:
    """The plug-in of technique ``name`` (module ``batrepro.techniques.<name>``)."""
    try:
        module = importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as err:
        if err.name == f"{__name__}.{name}":
            raise ValueError(f"no technique module batrepro/techniques/{name}.py for technique {name!r}") from None
        raise
    return module.TECHNIQUE


def build_settings(cls: type, block: Mapping | None, technique: str):
    """The settings dataclass from a validated config block; a missing or unknown key is an error."""
    block = dict(block or {})
    names = {f.name for f in dataclasses.fields(cls)}
    unknown, missing = sorted(set(block) - names), sorted(names - set(block))
    if unknown or missing:
        raise ValueError(f"config {technique}: unknown settings {unknown}, missing settings {missing}")
    return cls(**block)


def analyse_runs(technique: str, paper: str, runs: list[dict], settings: Mapping):
    """Ingest and analyse every run (each sheet row names its raw ``path``).

    Returns (tables, metrics, curves), dicts keyed by run id. An error names the run and its file, so a failure
    in a batch of many runs says which one failed.
    """
    plugin = load(technique)
    s = build_settings(plugin.settings, settings, technique)
    tables, metrics, curves = {}, {}, {}
    for run in runs:
        if run["format"] not in plugin.formats:
            raise ValueError(f"{run['path']}: format {run['format']!r} is not one {technique} reads {plugin.formats}")
        try:
            raw = read(run["path"], run["format"], **plugin.read_options.get(run["format"], {}))
            table, info = plugin.ingest(raw, run, s)
            logger.info("%s: %d rows", run["path"], len(table))
            metrics[run["run"]] = plugin.analyse(table, run, s, info)
            tables[run["run"]] = table if plugin.data is None else plugin.data(table)
            if plugin.curves is not None:
                curves[run["run"]] = plugin.curves(metrics[run["run"]])
        except ValueError as err:
            message = str(err)
            if run["path"] not in message:
                message = f"{run['path']}: {message}"
            raise ValueError(f"run {run['run']}: {message}") from err
        except Exception as err:  # a bug, not bad input: keep the traceback, and say which run and file
            err.add_note(f"while processing run {run['run']} ({run['path']}) of {technique} for {paper}")
            raise
    return tables, metrics, curves


def summarise_runs(technique: str, paper: str, runs: list[dict], settings: Mapping, metrics: Mapping):
    """The technique's long summary over ``runs``, from their metrics keyed by run id. The workflow passes the
    metrics as written to ``metrics/<run>.json`` (read back, or normalised the same way), so a summary is the
    same whether its runs were analysed in one job or in batches."""
    plugin = load(technique)
    try:
        return plugin.summarise(paper, runs, metrics, build_settings(plugin.settings, settings, technique))
    except Exception as err:
        err.add_note(f"while summarising {technique} for {paper} over runs {sorted(metrics)}")
        raise


def process_runs(technique: str, paper: str, runs: list[dict], settings: Mapping):
    """:func:`analyse_runs`, then :func:`summarise_runs` on the metrics in memory: (tables, metrics, curves,
    summary)."""
    tables, metrics, curves = analyse_runs(technique, paper, runs, settings)
    return tables, metrics, curves, summarise_runs(technique, paper, runs, settings, metrics)


def with_rows(summary: pd.DataFrame, rows: list) -> pd.DataFrame:
    """``summary`` with more summary rows appended (a duplicate key is still an error)."""
    from ..vocab import summary as vsummary

    return vsummary.frame([*summary.to_dict("records"), *[r.as_dict() for r in rows]]) if rows else summary


def run_table(
    spec: dict, runs: list[dict], metrics: dict[str, dict], columns: dict[str, str], optional: frozenset = frozenset()
) -> pd.DataFrame:
    """A table with one row per run, in the panel's sample order: ``sample``, ``run`` and ``columns`` (table column ->
    metric key); a key in ``optional`` that a run's metrics lack is NaN (any other missing key is an error)."""
    rows = []
    for sample in spec["samples"]:
        for r in runs:
            if r["sample"] == sample:
                m = metrics[r["run"]]
                cells = {col: (m.get(key, float("nan")) if key in optional else m[key]) for col, key in columns.items()}
                rows.append({"sample": sample, "run": r["run"], **cells})
    return pd.DataFrame(rows)
