"""summarise_eis: per-run EIS numbers (fit, DRT processes, Lin-KK) in the long (audit) format."""

from batrepro.eis import summarise
from batrepro.io import read_json, write_summary
from batrepro.script import script_logging

with script_logging(snakemake.log[0]):
    runs = snakemake.params.runs
    metrics = {run["run"]: read_json(path) for run, path in zip(runs, snakemake.input.metrics)}
    write_summary(summarise(snakemake.wildcards.paper, runs, metrics), snakemake.output[0])
