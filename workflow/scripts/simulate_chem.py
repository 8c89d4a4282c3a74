"""simulate_chem: write the FT-IR (JCAMP-DX), DFT (Gaussian 16 log) and GPC (CSV) stand-ins of Kim et al."""

import yaml

from batrepro.rule_logging import script_logging
from batrepro.simulate import ftir, gaussian, gpc

with script_logging(snakemake.log[0]) as log:
    written = []
    for module, path in zip((ftir, gaussian, gpc), snakemake.input.params):
        with open(path, encoding="utf-8") as fh:
            written += module.write_stand_ins(yaml.safe_load(fh))
    log.info("wrote %d files", len(written))
