"""table: one table (CSV and Markdown) from the metrics of its runs; the kind lives in its technique's plug-in."""

from pathlib import Path

import pandas as pd

from batrepro.outputs import read_json, write_csv, write_markdown_table
from batrepro.rule_logging import script_logging
from batrepro.techniques import load

with script_logging(snakemake.log[0]):
    spec, runs = snakemake.params.spec, snakemake.params.runs
    tables = load(spec["technique"]).tables
    if spec["table"] not in tables:
        raise ValueError(
            f"config: table kind {spec['table']!r} is not one technique {spec['technique']} has {sorted(tables)}"
        )
    by_run = {Path(path).stem: path for path in snakemake.input.metrics}
    metrics = {run["run"]: read_json(by_run[run["run"]]) for run in runs}
    summary = pd.read_csv(snakemake.input.summary, keep_default_na=False, na_values=[""])
    table = tables[spec["table"]](spec, runs, metrics, summary)
    write_csv(table, snakemake.output.csv)
    write_markdown_table(table, snakemake.output.md, spec.get("title"))
