"""analyse_cycling: capacities per half-cycle (∫I dt), CE/ICE, retention readings, rate steps and curves of one run."""

import pandas as pd

from batrepro.cycling import analyse_run
from batrepro.io import write_json
from batrepro.script import script_logging

with script_logging(snakemake.log[0]) as log:
    data = pd.read_csv(snakemake.input.data)
    metrics = analyse_run(data, snakemake.params.meta, snakemake.params.settings)
    check = metrics["capacity_check"]
    log.info("%s: %d cycles; first cycle %.1f / %.1f mAh g-1; capacity check %s", snakemake.wildcards.run,
             metrics["n_cycles"], metrics["first_cycle"]["in_mAh_g"], metrics["first_cycle"]["out_mAh_g"], check)
    tolerance = snakemake.params.settings["capacity_check_tolerance"]
    if check["checked"] and check["max_rel_diff"] > tolerance:
        log.warning("∫I dt differs from the cycler's capacity column by %.3g (relative)", check["max_rel_diff"])
    write_json(metrics, snakemake.output[0])
