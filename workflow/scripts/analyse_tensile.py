"""analyse_tensile: modulus, strength, elongation at break and toughness of one specimen (ASTM D882)."""

import pandas as pd

from batrepro.io import read_json, write_json
from batrepro.script import script_logging
from batrepro.tensile import analyse_specimen

with script_logging(snakemake.log[0]) as log:
    curve = pd.read_csv(snakemake.input.data)
    result = analyse_specimen(
        curve,
        window_pct=snakemake.params.window_pct,
        max_fraction=snakemake.params.max_fraction,
        drop_fraction=snakemake.params.drop_fraction,
        window_points=snakemake.params.window_points,
    )
    if not result.break_detected:
        log.warning("%s: no break detected; the last point is used", snakemake.wildcards.run)
    write_json({**result.as_dict(), "geometry": read_json(snakemake.input.meta)}, snakemake.output[0])
