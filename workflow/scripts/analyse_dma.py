"""analyse_dma: Tg (three conventions), tan δ peak, rubbery plateau and crosslink density of one ramp."""

import pandas as pd

from batrepro.dma import analyse_ramp
from batrepro.io import write_json
from batrepro.script import script_logging

with script_logging(snakemake.log[0]) as log:
    curve = pd.read_csv(snakemake.input.curve)
    result = analyse_ramp(
        curve,
        rubbery_offset_K=tuple(snakemake.params.rubbery_offset_K),
        front_factor=snakemake.params.front_factor,
    )
    log.info("%s: Tg(tan δ) = %.2f °C", snakemake.wildcards.run, result.tg_tan_delta_peak_C)
    write_json(result.as_dict(), snakemake.output[0])
