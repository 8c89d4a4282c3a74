"""composite: a multi-panel figure from its panels' SVG and PNG files."""

from pathlib import Path

from batrepro.outputs import write_bytes, write_text
from batrepro.report.composite import compose_png, compose_svg
from batrepro.rule_logging import script_logging

with script_logging(snakemake.log[0]) as log:
    columns = snakemake.params.columns
    write_text(
        snakemake.output.svg, compose_svg([Path(p).read_text(encoding="utf-8") for p in snakemake.input.svg], columns)
    )
    write_bytes(snakemake.output.png, compose_png([Path(p).read_bytes() for p in snakemake.input.png], columns))
    log.info("%d panels, %d columns", len(snakemake.input.svg), columns)
