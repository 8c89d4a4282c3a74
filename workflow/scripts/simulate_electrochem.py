"""simulate_electrochem: write the EC-Lab stand-in files (cycling, rate, CV, GITT) of both papers."""

import yaml

from batrepro.outputs import write_bytes
from batrepro.rule_logging import script_logging
from batrepro.simulate.electrochem import all_files

with script_logging(snakemake.log[0]) as log:
    with open(snakemake.input.params, encoding="utf-8") as fh:
        params = yaml.safe_load(fh)
    files = all_files(params)
    for path, data in files.items():
        write_bytes(path, data)
    log.info("wrote %d files, %.2f MB", len(files), sum(len(d) for d in files.values()) / 1e6)
