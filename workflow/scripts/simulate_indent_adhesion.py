"""simulate_indent_adhesion: write the nanoindentation, peel and SAICAS stand-in files of Kim et al. 2026."""

import yaml

from batrepro.rule_logging import script_logging
from batrepro.simulate.films import write_files
from batrepro.simulate.indent_adhesion import all_files

with script_logging(snakemake.log[0]) as log:
    with open(snakemake.input.params, encoding="utf-8") as fh:
        params = yaml.safe_load(fh)
    files = all_files(params)
    write_files(files)
    log.info("wrote %d files", len(files))
