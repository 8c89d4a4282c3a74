"""summarise_dma: per-sample DMA numbers in the long (audit) format."""

from batrepro.dma import summarise
from batrepro.io import read_json, write_summary
from batrepro.script import script_logging

with script_logging(snakemake.log[0]):
    runs = snakemake.params.runs
    metrics = {run["run"]: read_json(path) for run, path in zip(runs, snakemake.input.metrics)}
    table = summarise(snakemake.wildcards.paper, runs, metrics, snakemake.params.tg_convention)
    write_summary(table, snakemake.output[0])
