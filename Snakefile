import gc

from snakemake.utils import min_version

min_version("9.0")

# Speed of every Snakemake start (a no-op re-run took 2.2-2.4 s, 0.3 s of it garbage collection): each full
# collection re-scans every object already alive (Snakemake's, pandas', jsonschema's, the parse's), and
# building the DAG triggers several. gc.freeze() moves what exists into the permanent generation, once
# after the imports and once after the parse, so later collections scan only new objects. Nothing alive is
# freed the later for it; the process is short-lived. (benchmarks/README.md, "No-op re-run")
gc.freeze()


configfile: "config/config.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/techniques.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/audit.smk"
include: "workflow/rules/simulate.smk"


gc.freeze()


rule all:
    input:
        "results/manifest.sha256",
