"""consistency: what the papers derive from their own numbers, recomputed; contradictions flagged."""

from batrepro.audit.consistency import consistency_checks
from batrepro.audit.registry import load_documents
from batrepro.outputs import table_to_markdown, write_csv, write_text
from batrepro.rule_logging import script_logging

with script_logging(snakemake.log[0]) as log:
    paths = [snakemake.input.generic_checks, *snakemake.input.registries]
    entries, checks, findings = load_documents(paths, schema=snakemake.input.schema)
    table = consistency_checks(entries, checks, findings)
    log.info("%d checks, %d contradictions", len(table), int((table["verdict"] == "contradiction").sum()))
    write_csv(table, snakemake.output.csv)
    write_text(snakemake.output.md, "# Consistency audit\n\n" + table_to_markdown(table))
