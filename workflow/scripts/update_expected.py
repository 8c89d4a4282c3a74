"""update_expected: accept the current outputs as the expected ones (commit the two files afterwards)."""

import shutil

import pandas as pd

from batrepro.outputs import write_text
from batrepro.rule_logging import script_logging

with script_logging(snakemake.log[0]):
    shutil.copyfile(snakemake.input.manifest, snakemake.params.manifest)
    audit = pd.read_csv(snakemake.input.audit, keep_default_na=False, na_values=[""])
    ids = sorted(audit.loc[audit["verdict"] == "reproduced", "id"])
    write_text(
        snakemake.params.reproduced,
        "# ids of reported numbers the workflow reproduces (snakemake update_expected)\n"
        + "".join(f"{i}\n" for i in ids),
    )
