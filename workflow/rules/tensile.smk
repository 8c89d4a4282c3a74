rule ingest_tensile:
    input:
        raw=raw_file("tensile"),
        lib=lib("readers/bluehill"),
    output:
        data="results/{paper}/data/tensile/{run}.csv",
        meta="results/{paper}/data/tensile/{run}.meta.json",
    log:
        "logs/ingest_tensile/{paper}/{run}.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        meta=run_meta("tensile"),
    script:
        "../scripts/ingest_tensile.py"


rule analyse_tensile:
    input:
        data="results/{paper}/data/tensile/{run}.csv",
        meta="results/{paper}/data/tensile/{run}.meta.json",
        lib=lib("tensile"),
    output:
        "results/{paper}/metrics/tensile/{run}.json",
    log:
        "logs/analyse_tensile/{paper}/{run}.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        window_pct=config["tensile"]["modulus_window_pct"],
        max_fraction=config["tensile"]["modulus_search_max_fraction"],
        drop_fraction=config["tensile"]["break_drop_fraction"],
        window_points=config["tensile"]["break_window_points"],
    script:
        "../scripts/analyse_tensile.py"


rule summarise_tensile:
    input:
        metrics=per_run("results/{paper}/metrics/tensile/{run}.json", "tensile"),
        lib=lib("tensile"),
    output:
        "results/{paper}/metrics/tensile/summary.csv",
    log:
        "logs/summarise_tensile/{paper}.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        runs=sheet_rows("tensile"),
    script:
        "../scripts/summarise_tensile.py"
