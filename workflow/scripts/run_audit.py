"""audit: every reported number beside the recomputed one, with a verdict."""

import pandas as pd

from batrepro.audit.registry import load_registry
from batrepro.audit.reproduction import AUDIT_COLUMNS, build_audit, verdict_counts
from batrepro.outputs import table_to_markdown, write_csv, write_text
from batrepro.rule_logging import script_logging

with script_logging(snakemake.log[0]) as log:
    entries = [e for path in snakemake.input.registries for e in load_registry(path)]
    summaries = [
        pd.read_csv(p, keep_default_na=False, na_values=[""], dtype={"condition": str})
        for p in snakemake.input.summaries
    ]
    summary = (
        pd.concat(summaries, ignore_index=True)
        if summaries
        else pd.DataFrame(columns=["paper", "technique", "sample", "quantity", "condition", "value"])
    )
    consistency = pd.read_csv(snakemake.input.consistency, keep_default_na=False, na_values=[""])
    audit = build_audit(entries, summary, consistency)
    counts = verdict_counts(audit, ("paper", "technique"))
    log.info("verdicts:\n%s", counts.to_string(index=False))
    write_csv(audit, snakemake.output.csv, AUDIT_COLUMNS)
    write_text(
        snakemake.output.md, "# Reproduction audit\n\n" + table_to_markdown(counts) + "\n" + table_to_markdown(audit)
    )
