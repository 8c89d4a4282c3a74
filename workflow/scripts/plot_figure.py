"""figure: one paper panel from the data and metrics of its runs, saved as SVG and PNG."""

import matplotlib

matplotlib.use("agg")
matplotlib.rc_file(snakemake.input.style)

import pandas as pd  # noqa: E402

from batrepro.io import read_json, save_figure  # noqa: E402
from batrepro.plots import PLOTS  # noqa: E402
from batrepro.script import script_logging  # noqa: E402

with script_logging(snakemake.log[0]):
    spec, runs = snakemake.params.spec, snakemake.params.runs
    data = {run["run"]: pd.read_csv(path) for run, path in zip(runs, snakemake.input.data)}
    metrics = {run["run"]: read_json(path) for run, path in zip(runs, snakemake.input.metrics)}
    summary = pd.read_csv(snakemake.input.summary, keep_default_na=False, na_values=[""])
    fig = PLOTS[spec["plot"]](spec, runs, data, metrics, summary)
    save_figure(fig, snakemake.output.svg, snakemake.output.png)
