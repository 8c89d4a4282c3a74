"""summarise_tensile: mean ± SD over specimens, in the long (audit) format."""

from batrepro.io import read_json, write_summary
from batrepro.script import script_logging
from batrepro.tensile import summarise

with script_logging(snakemake.log[0]):
    runs = snakemake.params.runs
    metrics = {run["run"]: read_json(path) for run, path in zip(runs, snakemake.input.metrics)}
    write_summary(summarise(snakemake.wildcards.paper, runs, metrics), snakemake.output[0])
