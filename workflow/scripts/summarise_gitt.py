"""summarise_gitt: D(Li+) per direction (geometric mean inside the Weppner–Huggins regime) and readings."""

from batrepro.cycling import summary_frame
from batrepro.gitt import summary_rows
from batrepro.io import read_json, write_summary
from batrepro.script import script_logging

with script_logging(snakemake.log[0]):
    paper = snakemake.wildcards.paper
    rows = [r for path in snakemake.input.metrics for r in summary_rows(paper, read_json(path))]
    write_summary(summary_frame(rows), snakemake.output[0])
