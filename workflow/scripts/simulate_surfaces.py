"""simulate_sorption / simulate_porosimetry: write the N2-isotherm (.xls) or mercury-intrusion (AutoPore text)
stand-ins, whichever forward model the rule's parameter file names."""

import importlib
from pathlib import Path

import yaml

from batrepro.rule_logging import script_logging

with script_logging(snakemake.log[0]) as log:
    with open(snakemake.input.params, encoding="utf-8") as fh:
        params = yaml.safe_load(fh)
    model = importlib.import_module(f"batrepro.simulate.{Path(snakemake.input.params).stem}")
    written = model.write_stand_ins(params)
    missing = sorted(set(snakemake.output) - set(written))
    if missing:
        raise ValueError(f"the forward model did not write {missing}")
    log.info("wrote %d files", len(written))
