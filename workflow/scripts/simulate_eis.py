"""simulate_eis: write the EIS stand-in spectra (EC-Lab PEIS .mpt) of both papers."""

import yaml

from batrepro.rule_logging import script_logging
from batrepro.simulate.eis import write_stand_ins

with script_logging(snakemake.log[0]) as log:
    with open(snakemake.input.params, encoding="utf-8") as fh:
        params = yaml.safe_load(fh)
    written = write_stand_ins(params)
    log.info("wrote %d files", len(written))
