"""summarise_<technique>_<paper>: the long summary of a technique for a paper whose runs were analysed in
several batch jobs, from the metrics those jobs wrote."""

from pathlib import Path

from batrepro.outputs import read_json, write_summary
from batrepro.rule_logging import script_logging
from batrepro.techniques import summarise_runs

with script_logging(snakemake.log[0]) as log:
    p = snakemake.params
    metrics = {Path(path).stem: read_json(path) for path in snakemake.input.metrics}
    if sorted(metrics) != sorted(run["run"] for run in p.runs):
        raise ValueError(f"{snakemake.rule}: metrics inputs {sorted(metrics)} != the sheet's runs")
    summary = summarise_runs(p.technique, p.paper, p.runs, p.settings, metrics)
    write_summary(summary, snakemake.output.summary)
    log.info("%s/%s: %d runs, %d summary rows", p.paper, p.technique, len(p.runs), len(summary))
