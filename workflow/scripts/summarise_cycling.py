"""summarise_cycling: first-cycle capacities, ICE, capacity/CE/retention at the reported cycles (long format)."""

from batrepro.cycling import aggregate_rows, cycling_summary_rows, summary_frame
from batrepro.io import read_json, write_summary
from batrepro.script import script_logging

with script_logging(snakemake.log[0]):
    paper = snakemake.wildcards.paper
    metrics = [read_json(path) for path in snakemake.input.metrics]
    rows = [r for m in metrics for r in cycling_summary_rows(paper, m, snakemake.params.settings)]
    rows += aggregate_rows(paper, metrics, "cycling")
    write_summary(summary_frame(rows), snakemake.output[0])
