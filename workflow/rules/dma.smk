rule ingest_dma:
    input:
        raw=raw_file("dma"),
        lib=lib("readers/trios"),
    output:
        "results/{paper}/data/dma/{run}.csv",
    log:
        "logs/ingest_dma/{paper}/{run}.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        meta=run_meta("dma"),
    script:
        "../scripts/ingest_dma.py"


rule analyse_dma:
    input:
        curve="results/{paper}/data/dma/{run}.csv",
        lib=lib("dma"),
    output:
        "results/{paper}/metrics/dma/{run}.json",
    log:
        "logs/analyse_dma/{paper}/{run}.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        rubbery_offset_K=config["dma"]["rubbery_offset_K"],
        front_factor=config["dma"]["front_factor"],
    script:
        "../scripts/analyse_dma.py"


rule summarise_dma:
    input:
        metrics=per_run("results/{paper}/metrics/dma/{run}.json", "dma"),
        lib=lib("dma"),
    output:
        "results/{paper}/metrics/dma/summary.csv",
    log:
        "logs/summarise_dma/{paper}.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        runs=sheet_rows("dma"),
        tg_convention=config["dma"]["tg_convention"],
    script:
        "../scripts/summarise_dma.py"
