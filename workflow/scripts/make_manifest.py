"""manifest: sha256 of every output the default target declares (the rule's inputs), not whatever lies
under results/, so a stale file from an earlier config cannot enter it."""

from pathlib import Path

from batrepro.audit.manifest import manifest_text
from batrepro.outputs import write_text
from batrepro.rule_logging import script_logging

with script_logging(snakemake.log[0]) as log:
    root = Path(snakemake.output[0]).parent
    files = sorted(snakemake.input.outputs)
    log.info("%d files", len(files))
    write_text(snakemake.output[0], manifest_text(files, root))
