"""process_<technique>_<paper>[_<batch>]: ingest and analyse a batch of runs of one technique for one paper; when
the batch holds every run of the paper, summarise them too (else summarise_<technique>_<paper> does)."""

from pathlib import Path

from batrepro.outputs import as_written, write_csv_table, write_json, write_summary
from batrepro.rule_logging import script_logging
from batrepro.techniques import CURVES_FLOAT_FORMAT, analyse_runs, load, summarise_runs

with script_logging(snakemake.log[0]) as log:
    p = snakemake.params
    declared = sorted(snakemake.input.raw)
    if declared != sorted(run["path"] for run in p.runs):
        raise ValueError(f"{snakemake.rule}: the rule's raw inputs differ from the sheet's paths")
    tables, metrics, curves = analyse_runs(p.technique, p.paper, p.runs, p.settings)
    float_format = load(p.technique).float_format
    for kind, records in (("data", tables), ("metrics", metrics), ("curves", curves)):
        paths = {Path(path).stem: path for path in getattr(snakemake.output, kind, [])}
        if kind != "curves" or records:
            if sorted(paths) != sorted(records):
                raise ValueError(f"{snakemake.rule}: {kind} outputs {sorted(paths)} != runs")
        for run, record in records.items():
            if kind == "metrics":
                write_json(record, paths[run])
            else:
                write_csv_table(record, paths[run], float_format if kind == "data" else CURVES_FLOAT_FORMAT)
    if snakemake.output.summary:  # an empty list when another job summarises (several batches)
        written = {run: as_written(m) for run, m in metrics.items()}
        summary = summarise_runs(p.technique, p.paper, p.runs, p.settings, written)
        write_summary(summary, snakemake.output.summary)
        log.info("%s/%s: %d summary rows", p.paper, p.technique, len(summary))
    log.info("%s/%s: %d runs", p.paper, p.technique, len(p.runs))
