"""process_<technique>_<paper>: ingest and analyse every run of one technique for one paper, then summarise."""

from batrepro.io import write_json, write_summary, write_text
from batrepro.pipeline import TECHNIQUES, process_runs
from batrepro.script import script_logging

with script_logging(snakemake.log[0]) as log:
    p = snakemake.params
    runs = p.runs
    tables, metrics, summary = process_runs(p.technique, p.paper, runs, list(snakemake.input.raw), p.settings)
    float_format = TECHNIQUES[p.technique].float_format
    for run, data_path, metrics_path in zip(runs, snakemake.output.data, snakemake.output.metrics):
        table = tables[run["run"]]
        write_text(data_path, table.to_csv(index=False, float_format=float_format, lineterminator="\n"))
        write_json(metrics[run["run"]], metrics_path)
    write_summary(summary, snakemake.output.summary)
    log.info("%s/%s: %d runs, %d summary rows", p.paper, p.technique, len(runs), len(summary))
