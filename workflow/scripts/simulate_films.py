"""simulate_films: write the DMA (TRIOS) and tensile (Bluehill) stand-in files of Kim et al. 2026."""

import yaml

from batrepro.rule_logging import script_logging
from batrepro.simulate.films import dma_files, tensile_files, write_files

with script_logging(snakemake.log[0]) as log:
    with open(snakemake.input.params, encoding="utf-8") as fh:
        params = yaml.safe_load(fh)
    files = {**dma_files(params["dma"]), **tensile_files(params["tensile"])}
    write_files(files)
    log.info("wrote %d files", len(files))
