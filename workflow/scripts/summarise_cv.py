"""summarise_cv: peak potentials and currents per cycle (long format)."""

from batrepro.cv import summary_rows
from batrepro.cycling import summary_frame
from batrepro.io import read_json, write_summary
from batrepro.script import script_logging

with script_logging(snakemake.log[0]):
    paper = snakemake.wildcards.paper
    rows = [r for path in snakemake.input.metrics for r in summary_rows(paper, read_json(path))]
    write_summary(summary_frame(rows), snakemake.output[0])
