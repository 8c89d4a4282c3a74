"""analyse_cv: sweeps, cycles and peak potentials/currents of one CV."""

import pandas as pd

from batrepro.cv import analyse_run
from batrepro.io import write_json
from batrepro.script import script_logging

with script_logging(snakemake.log[0]) as log:
    data = pd.read_csv(snakemake.input.data)
    metrics = analyse_run(data, snakemake.params.meta, snakemake.params.settings)
    log.info("%s: %d cycles, %d peaks", snakemake.wildcards.run, metrics["n_cycles"], len(metrics["peaks"]))
    write_json(metrics, snakemake.output[0])
