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

The workflow runs all runs of one technique for one paper in one job (``process_<technique>_<paper>``),
because interpreter and import start-up (~1 s a job) dominated when every file was its own job. The
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


def process_runs(technique: str, paper: str, runs: list[dict], settings: Mapping):
    """Ingest and analyse every run (each sheet row names its raw ``path``), then summarise.

    Returns (tables, metrics, curves, summary); the first three are dicts keyed by run id. An error names
    the run and its file, so a failure in a batch of many runs says which one failed.
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
            tables[run["run"]] = table
            metrics[run["run"]] = plugin.analyse(table, run, s, info)
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
    try:
        summary = plugin.summarise(paper, runs, metrics, s)
    except Exception as err:
        err.add_note(f"while summarising {technique} for {paper} over runs {sorted(metrics)}")
        raise
    return tables, metrics, curves, summary


def with_rows(summary: pd.DataFrame, rows: list) -> pd.DataFrame:
    """``summary`` with more summary rows appended (a duplicate key is still an error)."""
    from ..vocab import summary as vsummary

    return vsummary.frame([*summary.to_dict("records"), *[r.as_dict() for r in rows]]) if rows else summary
