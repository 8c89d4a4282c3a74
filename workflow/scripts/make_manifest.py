"""manifest: sha256 of every file under results/ (the manifest itself excepted)."""

from pathlib import Path

from batrepro.io import write_text
from batrepro.manifest import manifest_text
from batrepro.script import script_logging

with script_logging(snakemake.log[0]) as log:
    root = Path(snakemake.output[0]).parent
    files = sorted(str(p) for p in root.rglob("*") if p.is_file() and p.name != Path(snakemake.output[0]).name
                   and not p.name.endswith(".tmp"))
    log.info("%d files", len(files))
    write_text(snakemake.output[0], manifest_text(files, root))
