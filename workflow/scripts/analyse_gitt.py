"""analyse_gitt: titrations, ΔEs, ΔEτ, τ, iR drop and D (Weppner–Huggins and readings) of one GITT record."""

import pandas as pd

from batrepro.gitt import analyse_run
from batrepro.io import write_json
from batrepro.script import script_logging

with script_logging(snakemake.log[0]) as log:
    data = pd.read_csv(snakemake.input.data)
    metrics = analyse_run(data, snakemake.params.meta, snakemake.params.settings)
    log.info("%s: %d titrations", snakemake.wildcards.run, len(metrics["titrations"]["titration"]))
    write_json(metrics, snakemake.output[0])
