"""consistency: what the papers derive from their own numbers, recomputed; contradictions flagged."""

from batrepro.audit.consistency import consistency_checks
from batrepro.outputs import table_to_markdown, write_csv, write_text
from batrepro.audit.registry import load_registry
from batrepro.rule_logging import script_logging

with script_logging(snakemake.log[0]) as log:
    entries = [e for path in snakemake.input.registries for e in load_registry(path)]
    checks = consistency_checks(entries)
    log.info("%d checks, %d contradictions", len(checks), int((checks["verdict"] == "contradiction").sum()))
    write_csv(checks, snakemake.output.csv)
    write_text(snakemake.output.md, "# Consistency audit\n\n" + table_to_markdown(checks))
