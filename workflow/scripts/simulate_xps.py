"""simulate_xps: write the XPS stand-in VAMAS files of both papers (Si 2p / N 1s depth series, sites, survey, SEI)."""

from batrepro.rule_logging import script_logging
from batrepro.simulate.xps import write_all

with script_logging(snakemake.log[0]) as log:
    written = write_all(snakemake.input.params, root=".")
    expected = sorted(str(p) for p in snakemake.output)
    if sorted(str(p) for p in written) != expected:
        raise ValueError(f"simulate_xps wrote {sorted(map(str, written))}, the rule declares {expected}")
    log.info("wrote %d files", len(written))
