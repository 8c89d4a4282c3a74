"""table: one table (CSV and Markdown) from the metrics of its runs."""

import pandas as pd

from batrepro.io import read_json, write_csv, write_markdown_table
from batrepro.script import script_logging
from batrepro.tables import TABLES

with script_logging(snakemake.log[0]):
    spec, runs = snakemake.params.spec, snakemake.params.runs
    metrics = {run["run"]: read_json(path) for run, path in zip(runs, snakemake.input.metrics)}
    summary = pd.read_csv(snakemake.input.summary, keep_default_na=False, na_values=[""])
    table = TABLES[spec["table"]](spec, runs, metrics, summary)
    write_csv(table, snakemake.output.csv)
    write_markdown_table(table, snakemake.output.md, spec.get("title"))
