"""simulate_sem: write the SEM cross-section stand-ins (TIFF + JEOL sidecar + ImageJ Results) of Kim et al. 2026."""

import yaml

from batrepro.rule_logging import script_logging
from batrepro.simulate.sem import electrode_fields, write_files

with script_logging(snakemake.log[0]) as log:
    with open(snakemake.input.params, encoding="utf-8") as fh:
        params = yaml.safe_load(fh)
    files = electrode_fields(params)
    missing = sorted(set(map(str, snakemake.output)) - set(files))
    if missing:
        raise ValueError(f"simulate_sem: the rule declares files the model does not write: {missing}")
    write_files(files)
    log.info("wrote %d files", len(files))
