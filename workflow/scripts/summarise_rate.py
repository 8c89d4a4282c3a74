"""summarise_rate: discharge (delithiation) capacity per C-rate step (long format)."""

from batrepro.cycling import aggregate_rows, rate_summary_rows, summary_frame
from batrepro.io import read_json, write_summary
from batrepro.script import script_logging

with script_logging(snakemake.log[0]):
    paper = snakemake.wildcards.paper
    metrics = [read_json(path) for path in snakemake.input.metrics]
    rows = [r for m in metrics for r in rate_summary_rows(paper, m, "rate")]
    rows += [r for r in aggregate_rows(paper, metrics, "rate") if r["quantity"] != "current_density"]
    write_summary(summary_frame(rows), snakemake.output[0])
