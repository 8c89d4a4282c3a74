"""figure: one paper panel from the data, curves and metrics of its runs, saved as SVG and PNG."""

from pathlib import Path

import matplotlib

matplotlib.use("agg")
matplotlib.rc_file(snakemake.input.style)

import pandas as pd  # noqa: E402

from batrepro.outputs import read_json, save_figure  # noqa: E402
from batrepro.plots import PLOTS  # noqa: E402
from batrepro.rule_logging import script_logging  # noqa: E402


def by_run(paths, read):
    files = {Path(p).stem: p for p in paths}
    return {run["run"]: read(files[run["run"]]) for run in snakemake.params.runs}


with script_logging(snakemake.log[0]):
    spec, runs = snakemake.params.spec, snakemake.params.runs
    data = by_run(snakemake.input.data, pd.read_csv)
    metrics = by_run(snakemake.input.metrics, read_json)
    curves = by_run(snakemake.input.curves, pd.read_csv) if "curves" in snakemake.input.keys() else {}
    summary = pd.read_csv(snakemake.input.summary, keep_default_na=False, na_values=[""])
    fig = PLOTS[spec["plot"]](spec, runs, data, metrics, summary, curves)
    save_figure(fig, snakemake.output.svg, snakemake.output.png)
