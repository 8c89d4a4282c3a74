"""process_<technique>_<paper>: ingest and analyse every run of one technique for one paper, then summarise."""

from pathlib import Path

from batrepro.outputs import write_csv_table, write_json, write_summary
from batrepro.rule_logging import script_logging
from batrepro.techniques import CURVES_FLOAT_FORMAT, load, process_runs

with script_logging(snakemake.log[0]) as log:
    p = snakemake.params
    declared = sorted(snakemake.input.raw)
    if declared != sorted(run["path"] for run in p.runs):
        raise ValueError(f"process_{p.technique}_{p.paper}: the rule's raw inputs differ from the sheet's paths")
    tables, metrics, curves, summary = process_runs(p.technique, p.paper, p.runs, p.settings)
    float_format = load(p.technique).float_format
    for kind, records in (("data", tables), ("metrics", metrics), ("curves", curves)):
        paths = {Path(path).stem: path for path in getattr(snakemake.output, kind, [])}
        if kind != "curves" or records:
            if sorted(paths) != sorted(records):
                raise ValueError(f"process_{p.technique}_{p.paper}: {kind} outputs {sorted(paths)} != runs")
        for run, record in records.items():
            if kind == "metrics":
                write_json(record, paths[run])
            else:
                write_csv_table(record, paths[run], float_format if kind == "data" else CURVES_FLOAT_FORMAT)
    write_summary(summary, snakemake.output.summary)
    log.info("%s/%s: %d runs, %d summary rows", p.paper, p.technique, len(p.runs), len(summary))
